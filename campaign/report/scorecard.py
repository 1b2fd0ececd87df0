"""The units' scorecard (绩效考核评分): rules per campaign, each worth points, and the computed table.

Rule kinds (the catalogue):
- submitted: the summary is in the office's hands (submitted, late or accepted).
- on_time: as `submitted`, and first submitted by the deadline (exactly at it is on time; a campaign without a
  deadline: any submission). A summary returned and resubmitted late keeps the punctuality of its first
  submission.
- accepted: the office accepted the summary.
- photos: a counted summary with at least `threshold` photos.
- consultations: at least `threshold` consultations logged at the unit's booths (booth records, not corrections).
- follow_ups_closed: of the referrals the unit is responsible for, at least `threshold` percent closed by their
  closing deadline. A unit with no referral meets it: it had nothing to close.
- follow_ups_replied: of the referrals the unit is responsible for, at least `threshold` percent replied to by
  their reply deadline; no referral meets it too.

Points are whole numbers; a unit earns a rule's points entirely or not at all, except partial credit for lateness:
with the campaign's `late_points_per_day` set, a late summary earns the on-time rule's points less that many per
working day late (a started day counts whole: late by hours is one day; days off — weekends, public holidays — do
not count, and a weekend worked in lieu (调休) does; shared/workdays.py), never
below 0. Each rule's cell keeps what it was computed from (the measure and the late days), so the page can show how.

The organizer may adjust a unit's score by hand (plus or minus, with a reason): the total is the computed score and
the adjustment. Units with too few records to compare (a booth with fewer consultations than the campaign's minimum,
or no booth when one is required) are flagged and listed after the others, unranked. Rank: competition ranking by total
(1, 2, 2, 4), ties in unit order.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.report.models import ScoreAdjustment, ScorecardSettings, ScoreRule
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import local_date
from campaign.shared.workdays import working_days_between
from campaign.summaries.workflow import STATE_ACCEPTED, STATE_LATE, STATE_SUBMITTED
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

COUNTED = (STATE_SUBMITTED, STATE_LATE, STATE_ACCEPTED)
MAX_RULES = 30
MAX_POINTS = 1000
LABEL_MAX = 100

# kind → (name on the page, whether it has a threshold, the threshold's unit, largest threshold)
RULE_KINDS = {
    "on_time": (_l("按时报送总结"), False, "", 0),
    "submitted": (_l("报送总结"), False, "", 0),
    "accepted": (_l("总结被采纳"), False, "", 0),
    "photos": (_l("照片不少于N张"), True, _l("张"), 1000),
    "consultations": (_l("咨询登记不少于N人次"), True, _l("人次"), 100000),
    "follow_ups_closed": (_l("转办按期办结率不低于N%"), True, "%", 100),
    "follow_ups_replied": (_l("转办按期答复率不低于N%"), True, "%", 100),
}
# The set offered to a campaign without rules: a 100-point card as offices commonly weigh it. Labels are document
# words (the scorecard is printed in the PDF), so Chinese.
DEFAULT_RULES = (
    ("on_time", "按时报送活动总结", 30, 0),
    ("accepted", "活动总结经审核采纳", 20, 0),
    ("photos", "报送活动照片不少于2张", 15, 2),
    ("consultations", "现场咨询登记不少于20人次", 15, 20),
    ("follow_ups_closed", "转办事项按期办结率100%", 20, 100),
)

# Why a unit is not ranked: on the page (the interface's language), and in the exports (document words, Chinese).
FLAG_LABELS = {"consultations": _l("咨询登记人次不足"), "booth": _l("未设咨询台")}
FLAG_WORDS = {"consultations": "咨询登记人次不足", "booth": "未设咨询台"}


def flag_words(flags: list[str]) -> str:
    return "、".join(FLAG_WORDS[flag] for flag in flags) + "，记录过少，不参与排名" if flags else ""


register_action_labels({
    "score_rule_created": _l("新增评分规则"),
    "score_rule_updated": _l("修改评分规则"),
    "score_rule_deleted": _l("删除评分规则"),
    "score_rules_defaults": _l("采用默认评分规则"),
})


@dataclass
class UnitFacts:
    """What the scorecard needs to know of a unit, gathered by the compilation in a few grouped queries."""

    unit_id: int
    name: str
    sort_order: int
    state: str
    first_submitted_at: datetime | None
    photos: int
    consultations: int
    follow_ups: int
    # Closed by the closing deadline; replied to by the reply deadline.
    follow_ups_in_time: int
    follow_ups_replied_in_time: int = 0
    booths: int = 0


@dataclass(frozen=True)
class Scoring:
    """A campaign's scorecard settings as plain values (ScorecardSettings, or the defaults without a row)."""

    late_points_per_day: int = 0
    min_consultations: int = 0
    require_booth: bool = False


@dataclass(frozen=True)
class Adjustment:
    points: int
    reason: str


def working_days_late(handed_in: datetime, deadline: datetime) -> int:
    """Working days (the office's calendar: holidays and 调休 counted, in Asia/Shanghai) after the deadline's day up to
    the day it was handed in; a summary late at all is at least one day late (the evening of the deadline, or the
    first day of a holiday after the deadline's)."""
    return max(1, working_days_between(local_date(deadline), local_date(handed_in)))


def rule_met(kind: str, threshold: int, facts: UnitFacts, deadline: datetime | None) -> bool:
    counted = facts.state in COUNTED
    if kind == "submitted":
        return counted
    if kind == "on_time":
        if not counted or facts.first_submitted_at is None:
            return False
        return deadline is None or facts.first_submitted_at <= deadline
    if kind == "accepted":
        return facts.state == STATE_ACCEPTED
    if kind == "photos":
        return counted and facts.photos >= threshold
    if kind == "consultations":
        return facts.consultations >= threshold
    if kind == "follow_ups_closed":
        # Whole numbers: closed / total ≥ threshold % without a float at the edge.
        return facts.follow_ups == 0 or facts.follow_ups_in_time * 100 >= threshold * facts.follow_ups
    if kind == "follow_ups_replied":
        return facts.follow_ups == 0 or facts.follow_ups_replied_in_time * 100 >= threshold * facts.follow_ups
    return False


class RuleEntry(TypedDict):
    id: int
    kind: str
    label: str
    points: int
    threshold: int


class RuleScore(TypedDict):
    """How one rule's points for one unit were computed: whether it was met, the measure it looked at (photos,
    consultations, referrals in time of `of`; None where the rule has no measure) and, for a late summary, the
    working days late and the points taken off."""

    points: int
    met: bool
    value: int | None
    of: int | None
    late_days: int
    deducted: int


class ScoreRow(TypedDict):
    unit_id: int
    name: str
    # Per rule, in the order of `rules`.
    points: list[int]
    explain: list[RuleScore]
    computed: int
    adjustment: int
    adjustment_reason: str
    total: int
    # None for a flagged unit: too few records to compare.
    rank: int | None
    # Why it is not ranked: "consultations" (fewer than the minimum), "booth" (none, and one is required).
    flags: list[str]


class Scorecard(TypedDict):
    rules: list[RuleEntry]
    rows: list[ScoreRow]
    max_total: int
    late_points_per_day: int
    min_consultations: int
    require_booth: bool


def rule_score(rule: RuleEntry, facts: UnitFacts, deadline: datetime | None, scoring: Scoring) -> RuleScore:
    kind, full = rule["kind"], rule["points"]
    met = rule_met(kind, rule["threshold"], facts, deadline)
    score: RuleScore = {"points": full if met else 0, "met": met, "value": None, "of": None, "late_days": 0,
                        "deducted": 0}
    if kind == "photos":
        score["value"] = facts.photos if facts.state in COUNTED else 0
    elif kind == "consultations":
        score["value"] = facts.consultations
    elif kind == "follow_ups_closed":
        score["value"], score["of"] = facts.follow_ups_in_time, facts.follow_ups
    elif kind == "follow_ups_replied":
        score["value"], score["of"] = facts.follow_ups_replied_in_time, facts.follow_ups
    elif kind == "on_time" and not met and facts.state in COUNTED and facts.first_submitted_at and deadline:
        score["late_days"] = working_days_late(facts.first_submitted_at, deadline)
        if scoring.late_points_per_day:
            score["deducted"] = min(full, score["late_days"] * scoring.late_points_per_day)
            score["points"] = full - score["deducted"]
    return score


def flags(facts: UnitFacts, scoring: Scoring) -> list[str]:
    reasons = []
    # A desk's consultations: a unit that took part online only has none to count (the booth switch is for that).
    if facts.booths and facts.consultations < scoring.min_consultations:
        reasons.append("consultations")
    if scoring.require_booth and not facts.booths:
        reasons.append("booth")
    return reasons


def compute_scorecard(rules: list[ScoreRule], facts: list[UnitFacts], deadline: datetime | None,
                      scoring: Scoring | None = None, adjustments: dict[int, Adjustment] | None = None) -> Scorecard:
    """{"rules": [...], "rows": [{unit, points and how per rule, computed, adjustment, total, rank, flags}],
    "max_total", and the settings} as plain data."""
    scoring = scoring or Scoring()
    adjustments = adjustments or {}
    rule_list: list[RuleEntry] = [
        {"id": rule.id, "kind": rule.kind, "label": rule.label, "points": rule.points, "threshold": rule.threshold}
        for rule in rules
    ]
    rows: list[ScoreRow] = []
    for unit in facts:
        explain = [rule_score(rule, unit, deadline, scoring) for rule in rule_list]
        computed = sum(score["points"] for score in explain)
        adjustment = adjustments.get(unit.unit_id)
        change = adjustment.points if adjustment else 0
        rows.append({
            "unit_id": unit.unit_id, "name": unit.name, "points": [score["points"] for score in explain],
            "explain": explain, "computed": computed, "adjustment": change,
            "adjustment_reason": adjustment.reason if adjustment else "", "total": computed + change, "rank": None,
            "flags": flags(unit, scoring),
        })
    order = {unit.unit_id: (unit.sort_order, unit.unit_id) for unit in facts}
    rows.sort(key=lambda row: (bool(row["flags"]), -row["total"], order[row["unit_id"]]))
    ranked = [row for row in rows if not row["flags"]]
    for index, row in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        row["rank"] = previous["rank"] if previous and previous["total"] == row["total"] else index + 1
    return {"rules": rule_list, "rows": rows, "max_total": sum(rule["points"] for rule in rule_list),
            "late_points_per_day": scoring.late_points_per_day, "min_consultations": scoring.min_consultations,
            "require_booth": scoring.require_booth}


def scoring_inputs(campaign_ids: list[int]) -> dict[int, tuple[list[ScoreRule], Scoring, dict[int, Adjustment]]]:
    """Per campaign: its rules, settings and adjustments, in three queries whatever the number of campaigns."""
    inputs: dict[int, tuple[list[ScoreRule], Scoring, dict[int, Adjustment]]] = {
        campaign_id: ([], Scoring(), {}) for campaign_id in campaign_ids}
    if not campaign_ids:
        return inputs
    for rule in db.session.scalars(sa.select(ScoreRule).where(ScoreRule.campaign_id.in_(campaign_ids))
                                   .order_by(ScoreRule.sort_order, ScoreRule.id)):
        inputs[rule.campaign_id][0].append(rule)
    for settings in db.session.scalars(
            sa.select(ScorecardSettings).where(ScorecardSettings.campaign_id.in_(campaign_ids))):
        rules, _scoring, adjustments = inputs[settings.campaign_id]
        inputs[settings.campaign_id] = (rules, Scoring(settings.late_points_per_day, settings.min_consultations,
                                                       settings.require_booth), adjustments)
    for adjustment in db.session.scalars(
            sa.select(ScoreAdjustment).where(ScoreAdjustment.campaign_id.in_(campaign_ids))):
        inputs[adjustment.campaign_id][2][adjustment.unit_id] = Adjustment(adjustment.points, adjustment.reason)
    return inputs


# Editing the rules


def campaign_rules(campaign_id: int) -> list[ScoreRule]:
    return list(db.session.scalars(
        sa.select(ScoreRule).where(ScoreRule.campaign_id == campaign_id).order_by(ScoreRule.sort_order, ScoreRule.id)
    ))


def _check(kind: str, label: str, points, threshold) -> tuple[str, str, int, int]:
    if kind not in RULE_KINDS:
        raise Refusal(_("请选择评分项目。"), field="kind")
    label = " ".join((label or "").split())
    if not label:
        raise Refusal(_("请填写评分规则的名称。"), field="label")
    if len(label) > LABEL_MAX:
        raise Refusal(_("名称不能超过%(n)s个字。", n=LABEL_MAX), field="label")
    if not isinstance(points, int) or not 0 <= points <= MAX_POINTS:
        raise Refusal(_("分值须为0到%(n)s之间的整数。", n=MAX_POINTS), field="points")
    _name, has_threshold, _unit, largest = RULE_KINDS[kind]
    if not has_threshold:
        threshold = 0
    elif not isinstance(threshold, int) or not 0 <= threshold <= largest:
        raise Refusal(_("标准须为0到%(n)s之间的整数。", n=largest), field="threshold")
    return kind, label, points, threshold


def add_rule(campaign_id: int, user, kind: str, label: str, points, threshold=0) -> ScoreRule:
    kind, label, points, threshold = _check(kind, label, points, threshold)
    count = db.session.execute(sa.select(sa.func.count()).where(ScoreRule.campaign_id == campaign_id)).scalar_one()
    if count >= MAX_RULES:
        raise Refusal(_("评分规则最多%(n)s条。", n=MAX_RULES))
    last = db.session.scalar(sa.select(sa.func.max(ScoreRule.sort_order)).where(ScoreRule.campaign_id == campaign_id))
    rule = ScoreRule(campaign_id=campaign_id, kind=kind, label=label, points=points, threshold=threshold,
                     sort_order=(last or 0) + 10)
    db.session.add(rule)
    db.session.flush()
    record(user, "score_rule_created", rule, campaign_id=campaign_id, label=label, points=points, threshold=threshold)
    db.session.flush()
    return rule


def update_rule(rule: ScoreRule, user, kind: str, label: str, points, threshold=0) -> bool:
    """Saves the rule; False (and nothing written) when nothing changed, so a resent form is harmless."""
    kind, label, points, threshold = _check(kind, label, points, threshold)
    before = {"kind": rule.kind, "label": rule.label, "points": rule.points, "threshold": rule.threshold}
    after = {"kind": kind, "label": label, "points": points, "threshold": threshold}
    if before == after:
        return False
    for name, value in after.items():
        setattr(rule, name, value)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    record(user, "score_rule_updated", rule, campaign_id=rule.campaign_id, changes=changes)
    db.session.flush()
    return True


def delete_rule(rule: ScoreRule, user) -> None:
    record(user, "score_rule_deleted", rule, campaign_id=rule.campaign_id, label=rule.label)
    db.session.delete(rule)
    db.session.flush()


def add_default_rules(campaign_id: int, user) -> int:
    """The default set, only into a campaign without rules (a second click adds nothing); how many were added."""
    if db.session.scalar(sa.select(sa.func.count()).where(ScoreRule.campaign_id == campaign_id)):
        return 0
    for order, (kind, label, points, threshold) in enumerate(DEFAULT_RULES, start=1):
        db.session.add(ScoreRule(campaign_id=campaign_id, kind=kind, label=label, points=points, threshold=threshold,
                                 sort_order=order * 10))
    record(user, "score_rules_defaults", None, campaign_id=campaign_id, rules=len(DEFAULT_RULES))
    db.session.flush()
    return len(DEFAULT_RULES)
