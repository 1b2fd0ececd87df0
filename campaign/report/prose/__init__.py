"""The district report's prose, composed from the plan, the booth records and what each unit wrote.

Deterministic and ours (no outside service). Every number is the compiled figures'; the units' sentences are
quoted as they wrote them (normalised), attributed; no long sentence is said twice (sentences.Ledger).
- sentences.py: splitting, normalising, comparing (character bigrams) and the no-repeat rule;
- voices.py: the counted units' texts and which activity a sentence speaks of;
- activities.py: a paragraph per activity; sections.py: the other sections; evidence.py: whether each activity
  was done, by the evidence.
"""

from dataclasses import dataclass, field

from campaign.report.figures import ReportFigures
from campaign.report.prose import sections
from campaign.report.prose.activities import Quote, assign_online_outputs, compose_activity
from campaign.report.prose.sentences import Ledger
from campaign.report.prose.voices import voices


@dataclass
class Composition:
    """The drafted sections (narrative keys → text) and the units' sentences they quote."""

    sections: dict[str, str]
    quotes: list[Quote] = field(default_factory=list)


def activity_key(activity_id: int) -> str:
    return f"activity:{activity_id}"


def compose(figures: ReportFigures) -> Composition:
    heard = voices(figures)
    ledger = Ledger()
    quotes: list[Quote] = []
    drafted: dict[str, str] = {}
    for key, text in (("intro", sections.intro(figures)), ("overview", sections.overview(figures, heard)),
                      ("activities", sections.activities_intro(figures))):
        ledger.said(text)
        drafted[key] = text
    online = assign_online_outputs(figures, heard)
    for activity in figures["activities"]:
        key = activity_key(activity["id"])
        drafted[key] = compose_activity(activity, figures, heard, online, ledger, quotes, key)
    drafted["results"] = sections.results(figures, heard, ledger, quotes)
    drafted["problems"] = sections.problems(figures, heard, ledger, quotes)
    drafted["next_steps"] = sections.next_steps(figures, heard, ledger, quotes)
    return Composition(drafted, quotes)
