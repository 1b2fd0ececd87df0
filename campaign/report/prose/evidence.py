"""Whether each activity of the plan was done, by its evidence: the desks' records, the units' photos, what the
units wrote about it and the online figures they reported. An activity with no evidence is not left out of the
report: the organizer sees it flagged on the report page before exporting, to chase or to explain."""

from dataclasses import dataclass, field

from campaign.report.figures import ReportFigures
from campaign.report.prose.activities import assign_online_outputs
from campaign.report.prose.voices import markers, mentions, units_of, voices

DONE, PARTLY, NONE = "done", "partly", "none"
# Kinds of evidence, as the page names them (report/_evidence.html).
RECORDS, PHOTOS, STATEMENT, ONLINE_FIGURES = "records", "photos", "statement", "online_figures"


@dataclass
class UnitEvidence:
    unit: str
    kinds: list[str]


@dataclass
class ActivityEvidence:
    id: int
    title: str
    mode: str
    status: str
    units: int
    evidenced: list[UnitEvidence] = field(default_factory=list)
    without: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.status == NONE


def activity_evidence(figures: ReportFigures) -> list[ActivityEvidence]:
    heard = voices(figures)
    labels = {unit["id"]: unit["label"] for unit in figures["units"]}
    online = assign_online_outputs(figures, heard)
    result = []
    for activity in figures["activities"]:
        words = markers(activity)
        recorded = set(activity.get("recorded_unit_ids") or [])
        reported_online = {label for label, _figure, _value in online.get(activity["id"], [])}
        evidenced, without = [], []
        unit_ids = units_of(activity)
        for unit_id in unit_ids:
            voice = heard.get(unit_id)
            label = labels.get(unit_id, str(unit_id))
            kinds = []
            if unit_id in recorded:
                kinds.append(RECORDS)
            if voice is not None:
                if activity["mode"] == "onsite" and voice.photos:
                    kinds.append(PHOTOS)
                if any(mentions(sentence, words) for sentence in voice.sentences(*voice.sections)):
                    kinds.append(STATEMENT)
                if voice.label in reported_online:
                    kinds.append(ONLINE_FIGURES)
            if kinds:
                evidenced.append(UnitEvidence(label, kinds))
            else:
                without.append(label)
        status = NONE if not evidenced else DONE if not without else PARTLY
        result.append(ActivityEvidence(activity["id"], activity["title"], activity["mode"], status, len(unit_ids),
                                       evidenced, without))
    return result
