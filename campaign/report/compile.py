"""The district report's figures, compiled from the booth records and the units' summaries.

How the figures enter the report:
- Totals (people received, consultations by kind, topic and handling, satisfaction, materials, follow-ups) are
  the sums over the booth records of every unit, withdrawn entries left out: the figures of
  `recorded_figures_by_unit`, added up. The records are the facts of the day, whatever summaries came in.
- A unit's corrections of its recorded figures do not move the totals. The per-unit table shows the effective
  value (the correction applied) and marks a corrected value with the recorded one beside it.
- Only counted summaries (submitted, late or accepted: what the office has in hand) bring their corrections, the
  figures only a unit knows (UNIT_FIGURES: boards, banners, …, summed over them) and their photos.
- Missing: a unit taking part (named in the plan, or with a booth) whose summary is not counted (not started,
  draft, returned). Late: a counted summary submitted after the deadline.

`compile_report` returns plain data (JSON-ready): a snapshot keeps it as it was, documents are built from it.
A fixed number of queries whatever the size of the campaign.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from campaign.booths import records
from campaign.booths.followup_lists import follow_up_timeliness
from campaign.booths.models import ALL_HANDLINGS, KINDS, Booth
from campaign.plan.models import MODE_ONSITE, VENUE_BRANCH, VENUE_MAIN, Campaign
from campaign.plan.overview import load_plan
from campaign.plan.participants import participant_ids
from campaign.report import year_on_year
from campaign.report.activity_entries import ActivityCounts, activity_entry
from campaign.report.figures import (
    LateUnit,
    MissingUnit,
    ReportFigures,
    ReportTotals,
    UnitEntry,
)
from campaign.report.models import ReportDraft
from campaign.report.photos import chosen_photos
from campaign.report.scorecard import UnitFacts, compute_scorecard, scoring_inputs
from campaign.shared.formatting import cn_date, cn_month_day
from campaign.shared.timeutil import local, utcnow
from campaign.summaries.figures import (
    RATED,
    as_accepted,
    effective_figures,
    figure_label,
    recorded_figures_by_unit,
)
from campaign.summaries.models import UNIT_FIGURES, Photo, UnitSummary
from campaign.summaries.workflow import (
    COUNTED_STATES,
    STATE_ACCEPTED,
    STATE_DRAFT,
    STATE_LATE,
    STATE_NOT_STARTED,
    STATE_RETURNED,
    STATE_SUBMITTED,
    summary_state,
)
from campaign.units.models import Unit
from campaign.web.extensions import db

# The states in the document's words: documents are Chinese whatever the interface language.
STATE_WORDS = {
    STATE_NOT_STARTED: "未报送",
    STATE_DRAFT: "未报送（草稿）",
    STATE_RETURNED: "已退回待修改",
    STATE_SUBMITTED: "已报送",
    STATE_LATE: "逾期报送",
    STATE_ACCEPTED: "已采纳",
}
# The figures of the per-unit table, in its column order.
TABLE_KEYS = ("consultations", "materials", "satisfaction_rate", "follow_ups_closed", "follow_ups_overdue")
# Summed over all units for the totals; satisfaction_rate is computed again from the sums.
SUMMED_KEYS = (
    "consultations", "consultations_staff", "consultations_public", "people", "satisfaction_rated", "satisfied",
    "materials", "follow_ups", "follow_ups_closed", "follow_ups_open", "follow_ups_overdue",
    "follow_ups_replied_in_time", "follow_ups_replied_late", "follow_ups_called_back", "call_backs_satisfied",
    "call_backs_fairly_satisfied", "call_backs_unsatisfied",
)
# When no consultation was logged, the hour chart still shows a morning.
QUIET_HOURS = (8, 11)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _booths(campaign_id: int) -> list[Booth]:
    return list(db.session.scalars(sa.select(Booth).where(Booth.campaign_id == campaign_id).order_by(Booth.id)))


def _summaries(campaign_id: int) -> dict[int, UnitSummary]:
    rows = db.session.scalars(
        sa.select(UnitSummary)
        .where(UnitSummary.campaign_id == campaign_id)
        .options(selectinload(UnitSummary.corrections))
    ).all()
    return {summary.unit_id: summary for summary in rows}


def _photo_counts(campaign_id: int) -> dict[int, int]:
    """{summary id: photos}, counted by the database (a city's summaries hold thousands of photos)."""
    rows: Sequence[sa.Row[int, int]] = db.session.execute(
        sa.select(Photo.summary_id, sa.func.count())
        .join(UnitSummary, Photo.summary_id == UnitSummary.id)
        .where(UnitSummary.campaign_id == campaign_id)
        .group_by(Photo.summary_id)
    ).all()
    return {summary_id: int(count) for summary_id, count in rows}


def _units(unit_ids) -> list[Unit]:
    if not unit_ids:
        return []
    return list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.sort_order, Unit.id)))


def _ordered(counts: dict[str, int], fixed: tuple[str, ...] = ()) -> list[list[Any]]:
    """[[name, count]]: the fixed names first in their order, then the rest by count, largest first."""
    known = [[name, counts.get(name, 0)] for name in fixed]
    rest = sorted(((name, count) for name, count in counts.items() if name not in fixed), key=lambda item: (-item[1], item[0]))
    return known + [list(item) for item in rest]


def _rate(satisfied: int, rated: int) -> int | None:
    return (satisfied * 200 + rated) // (rated * 2) if rated else None


def compile_report(campaign: Campaign, now: datetime | None = None, compare: bool = True) -> ReportFigures:
    """Every figure of the district report, as plain data; with the previous campaign's beside them unless
    `compare` is False (the previous campaign's own figures are compiled without theirs)."""
    now = now or utcnow()
    plan = load_plan(campaign.id) or campaign
    booths = _booths(campaign.id)
    summaries = _summaries(campaign.id)
    photo_counts = _photo_counts(campaign.id)
    recorded = recorded_figures_by_unit(campaign.id, today=local(now).date())
    plan_unit_ids = participant_ids(campaign.id)
    booth_unit_ids = {booth.unit_id for booth in booths}
    booth_counts = Counter(booth.unit_id for booth in booths)
    counted_ids = {unit_id for unit_id, summary in summaries.items() if summary_state(summary, campaign) in COUNTED_STATES}
    # The report's participants: the plan's, and any unit outside it that ran a booth or sent a counted summary.
    taking_part = plan_unit_ids | booth_unit_ids | counted_ids
    without_figures = taking_part - set(recorded)
    if without_figures:
        # Units outside the plan with an empty booth or a summary: zeros, in the same shape (one more grouped call).
        recorded.update(recorded_figures_by_unit(campaign.id, sorted(without_figures), today=local(now).date()))
    # Referrals reassigned to a unit outside the plan still count in the totals; that unit gets a row too.
    units = _units(taking_part | set(recorded))
    consultations, materials = records.per_booth_counts(campaign.id)
    timeliness = follow_up_timeliness(campaign.id)
    draft = db.session.get(ReportDraft, campaign.id)
    rules, scoring, adjustments = scoring_inputs([campaign.id])[campaign.id]

    sums = {key: 0 for key in SUMMED_KEYS}
    by_kind: defaultdict[str, int] = defaultdict(int)
    by_topic: defaultdict[str, int] = defaultdict(int)
    by_handling: defaultdict[str, int] = defaultdict(int)
    by_asker: defaultdict[str, int] = defaultdict(int)
    by_material: defaultdict[str, int] = defaultdict(int)
    for figures in recorded.values():
        for key in SUMMED_KEYS:
            sums[key] += figures.get(key) or 0
        for key, value in figures.items():
            prefix, _, name = key.partition(":")
            target = {"kind": by_kind, "topic": by_topic, "handling": by_handling, "asker": by_asker,
                      "material": by_material}.get(prefix)
            if target is not None and name:
                target[name] += value or 0

    unit_rows: list[UnitEntry] = []
    missing: list[MissingUnit] = []
    late: list[LateUnit] = []
    counted: list[tuple[Unit, UnitSummary]] = []
    facts: list[UnitFacts] = []
    unit_figure_totals = {key: 0 for key, _ in UNIT_FIGURES}
    for unit in units:
        summary = summaries.get(unit.id)
        state = summary_state(summary, campaign)
        is_counted = state in COUNTED_STATES
        # Only a summary has a counted state.
        counted_summary = summary if is_counted else None
        # An accepted summary's recorded figures are those it was accepted on (summaries/figures.as_accepted).
        own = as_accepted(counted_summary, recorded.get(unit.id) or {})
        effective = effective_figures(counted_summary, own) if counted_summary else dict(own)
        corrected_keys = {c.key for c in counted_summary.corrections} if counted_summary else set()
        unit_values = dict(counted_summary.unit_figures or {}) if counted_summary else {}
        photos = photo_counts.get(counted_summary.id, 0) if counted_summary else 0
        if counted_summary:
            counted.append((unit, counted_summary))
            for key in unit_figure_totals:
                unit_figure_totals[key] += int(unit_values.get(key) or 0)
        elif unit.id in taking_part:
            missing.append({"id": unit.id, "name": unit.name, "state": state, "state_text": STATE_WORDS[state]})
        if counted_summary and counted_summary.late:
            late.append({"id": unit.id, "name": unit.name, "submitted_at": _iso(counted_summary.submitted_at)})
        follow_ups, in_time = timeliness.get(unit.id, (0, 0))
        unit_rows.append({
            "id": unit.id,
            "name": unit.name,
            "label": unit.label,
            "kind": unit.kind_label,
            "state": state,
            "state_text": STATE_WORDS[state],
            "counted": is_counted,
            "taking_part": unit.id in taking_part,
            "late": bool(counted_summary and counted_summary.late),
            "submitted_at": _iso(summary.submitted_at) if summary else None,
            "photos": photos,
            "figures": {
                key: {
                    "value": effective.get(key),
                    "recorded": own.get(key),
                    "corrected": key in corrected_keys and effective.get(key) != own.get(key),
                }
                for key in (*TABLE_KEYS, "people", "follow_ups")
            },
            "corrections": [
                {"key": c.key, "label": figure_label(c.key), "recorded": own.get(c.key, 0), "corrected": c.corrected,
                 "reason": c.reason}
                for c in (counted_summary.corrections if counted_summary else [])
            ],
            "unit_figures": {key: int(unit_values.get(key) or 0) for key, _ in UNIT_FIGURES},
            # What the unit wrote, for the report's prose to quote: counted summaries only.
            "sections": {key: str(text) for key, text in (counted_summary.narrative or {}).items() if text}
            if counted_summary else {},
            "leaders": (counted_summary.leaders_present or "").strip() if counted_summary else "",
        })
        facts.append(UnitFacts(
            unit_id=unit.id, name=unit.name, sort_order=unit.sort_order, state=state,
            first_submitted_at=summary.first_submitted_at if summary else None,
            photos=photos, consultations=own.get("consultations", 0) or 0,
            follow_ups=follow_ups, follow_ups_in_time=in_time,
            follow_ups_replied_in_time=own.get("follow_ups_replied_in_time", 0) or 0,
            booths=booth_counts.get(unit.id, 0),
        ))

    counts = ActivityCounts(campaign.id, booths, consultations, materials, records.per_booth_materials(campaign.id),
                            {unit.id: unit.label for unit in units}, {unit.id: unit.sort_order for unit in units})
    activities = [
        activity_entry(activity, group.title, counts, plan.time_style)
        for group in plan.groups for activity in group.activities
    ]
    venues: dict[int, str] = {}
    for group in plan.groups:
        for activity in group.activities:
            if activity.mode == MODE_ONSITE and activity.venue is not None:
                venues[activity.venue.id] = activity.venue.kind
    booths_in_service = [
        booth for booth in booths if booth.active or consultations.get(booth.id) or materials.get(booth.id)
    ]
    satisfaction = records.satisfaction_counts(campaign.id)
    hours = records.consultations_by_hour(campaign.id)
    used = [hour for hour, count in hours.items() if count]
    first, last = (min(used), max(used)) if used else QUIET_HOURS

    totals: ReportTotals = {
        "consultations": sums["consultations"],
        "consultations_staff": sums["consultations_staff"],
        "consultations_public": sums["consultations_public"],
        "people": sums["people"],
        "satisfaction_rated": sums["satisfaction_rated"],
        "satisfied": sums["satisfied"],
        "materials": sums["materials"],
        "follow_ups": sums["follow_ups"],
        "follow_ups_closed": sums["follow_ups_closed"],
        "follow_ups_open": sums["follow_ups_open"],
        "follow_ups_overdue": sums["follow_ups_overdue"],
        "follow_ups_replied_in_time": sums["follow_ups_replied_in_time"],
        "follow_ups_replied_late": sums["follow_ups_replied_late"],
        # By the closing deadline (booths/followup_lists.follow_up_timeliness), as the scorecard and history count.
        "follow_ups_closed_in_time": sum(in_time for _count, in_time in timeliness.values()),
        "follow_ups_called_back": sums["follow_ups_called_back"],
        "call_backs_satisfied": sums["call_backs_satisfied"],
        "call_backs_fairly_satisfied": sums["call_backs_fairly_satisfied"],
        "call_backs_unsatisfied": sums["call_backs_unsatisfied"],
        "satisfaction_rate": _rate(sums["satisfied"], sums["satisfaction_rated"]),
        "units_taking_part": len(taking_part),
        "units_in_plan": len(plan_unit_ids),
        "units_reported": len(counted),
        "units_missing": len(missing),
        "units_late": len(late),
        "venues": len(venues),
        "venues_main": sum(1 for kind in venues.values() if kind == VENUE_MAIN),
        "venues_branch": sum(1 for kind in venues.values() if kind == VENUE_BRANCH),
        "booths": len(booths_in_service),
        "photos": sum(photo_counts.get(summary.id, 0) for _, summary in counted),
        "activities": len(activities),
        "activities_online": sum(1 for a in activities if a["mode"] != MODE_ONSITE),
        "activities_onsite": sum(1 for a in activities if a["mode"] == MODE_ONSITE),
    }
    deadline = campaign.summary_deadline
    return {
        "version": 1,
        "compiled_at": now.astimezone(UTC).isoformat(),
        "campaign": {
            "id": campaign.id,
            "title": campaign.title,
            "year": campaign.year,
            "edition": campaign.edition,
            "issuing_office": campaign.issuing_office,
            "theme": campaign.theme,
            "first_day": campaign.first_day.isoformat(),
            "last_day": campaign.last_day.isoformat(),
            "period_text": (cn_date(campaign.first_day) if campaign.first_day == campaign.last_day
                            else f"{cn_date(campaign.first_day)}至{cn_month_day(campaign.last_day)}"),
            "deadline": _iso(deadline),
            "deadline_text": f"{cn_month_day(deadline)}{local(deadline):%H:%M}" if deadline else "",
        },
        "totals": totals,
        "by_kind": _ordered(by_kind, KINDS),
        "by_topic": [item for item in _ordered(by_topic) if item[1]],
        "by_handling": _ordered(by_handling, ALL_HANDLINGS),
        "by_asker": [item for item in _ordered(by_asker) if item[1]],
        "by_material": [item for item in _ordered(by_material) if item[1]],
        # [[满意, n], [基本满意, n], [不满意, n]]: the satisfied of the totals, told apart.
        "by_satisfaction": [[name, satisfaction.get(name, 0)] for name in RATED],
        "by_hour": [[hour, hours.get(hour, 0)] for hour in range(first, last + 1)],
        "unit_figures": [
            {"key": key, "label": label, "total": unit_figure_totals[key]} for key, label in UNIT_FIGURES
        ],
        "units": unit_rows,
        "activities": activities,
        "missing": missing,
        "late": late,
        "photos": chosen_photos(draft, counted),
        "scorecard": compute_scorecard(rules, facts, deadline, scoring, adjustments),
        "include_scorecard": bool(draft and draft.include_scorecard),
        "include_register": bool(draft is None or draft.include_register),
        "year_on_year": year_on_year.compare(campaign, dict(totals)) if compare else None,
    }
