"""Each unit's record over the years: per campaign, its summary on time, late (by how long) or missing, its
consultations, its referrals closed in time and its score — the matrix of units × years and a unit's own page.

A summary is judged by its first submission (a summary returned and resubmitted was still handed in when it was
first sent); a campaign whose deadline has not passed shows "pending" rather than "missing". A unit takes part in a
campaign when the plan names it, or it ran a booth or wrote a summary there.

The score is the campaign's scorecard (report/scorecard.py: rules, partial credit, adjustments) over the same facts the
report compiles, read for every campaign at once; consultations are the booths' tallies as they stand (the report
freezes an accepted summary's figures, so a record changed after acceptance may differ by that change).

A fixed number of queries whatever the number of campaigns and units (a dozen; tests/report/test_history.py counts
them): each kind of fact for all campaigns in one grouped query, and only the units of the page asked for.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import load_only

from campaign.booths.followups import closed_in_time, replied_in_time
from campaign.booths.models import Booth, Consultation, ConsultationTally, FollowUp
from campaign.booths.records import COUNTED_CONSULTATION
from campaign.plan.models import STATUS_DRAFT, Campaign
from campaign.plan.participants import participant_pairs
from campaign.report.scorecard import UnitFacts, compute_scorecard, scoring_inputs, working_days_late
from campaign.shared.timeutil import utcnow
from campaign.summaries.models import Photo, UnitSummary
from campaign.summaries.workflow import summary_state
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.paging import PER_PAGE

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
OUTCOME_LABELS = {ON_TIME: _l("按时报送"), LATE: _l("逾期报送"), MISSING: _l("未报送"), PENDING: _l("尚未截止")}
# The same in the XLSX: a document's words, Chinese whatever the interface language.
OUTCOME_WORDS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送", PENDING: "尚未截止"}


@dataclass
class YearRecord:
    campaign: Campaign
    outcome: str
    # Working days late, as the scorecard counts them (scorecard.working_days_late); 0 when not late.
    late_days: int = 0
    consultations: int = 0
    referrals: int = 0
    referrals_closed_in_time: int = 0
    # The scorecard's total (adjustment included); None when the campaign has no scoring rules.
    score: int | None = None
    adjustment: int = 0
    # Too few records to compare: not ranked that year.
    flagged: bool = False



@dataclass
class UnitRecord:
    unit: Unit
    years: dict[int, YearRecord] = field(default_factory=dict)  # campaign id → its record

    @property
    def on_time_rate(self) -> int | None:
        """报送及时率: the share of decided campaigns (deadline passed) with the summary in on time, in percent."""
        decided = [year for year in self.years.values() if year.outcome != PENDING]
        if not decided:
            return None
        return round(100 * sum(year.outcome == ON_TIME for year in decided) / len(decided))


@dataclass
class Page:
    """One page of the matrix, with what templates/_forms.html's pager asks of a pagination."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass
class History:
    campaigns: list[Campaign]
    units: list[UnitRecord]
    page: Page


def _outcome(campaign: Campaign, handed_in: datetime | None, now: datetime) -> tuple[str, int]:
    """The summary's outcome, and the working days it was late by."""
    deadline = campaign.summary_deadline
    if handed_in is None:
        return (PENDING if deadline is None or now <= deadline else MISSING), 0
    if deadline is not None and handed_in > deadline:
        return LATE, working_days_late(handed_in, deadline)
    return ON_TIME, 0


def _taking_part(campaign_ids: list[int]) -> set[tuple[int, int]]:
    """(campaign, unit): named in the plan, or with a booth or a summary there."""
    pairs = participant_pairs(campaign_ids)
    pairs.update((int(c), int(u)) for c, u in db.session.execute(
        sa.select(Booth.campaign_id, Booth.unit_id).where(Booth.campaign_id.in_(campaign_ids)).distinct()))
    pairs.update((int(c), int(u)) for c, u in db.session.execute(
        sa.select(UnitSummary.campaign_id, UnitSummary.unit_id).where(UnitSummary.campaign_id.in_(campaign_ids))))
    return pairs


def history(unit_id: int | None = None, page: int | None = None, per_page: int = PER_PAGE,
            now: datetime | None = None) -> History:
    """The campaigns (oldest first, drafts left out) and each unit's record in those it took part in: one unit's,
    one page of units (in the units' order), or, with neither, every unit (the export)."""
    now = now or utcnow()
    campaigns = list(db.session.scalars(
        sa.select(Campaign).where(Campaign.status != STATUS_DRAFT).order_by(Campaign.year, Campaign.id)))
    by_id = {campaign.id: campaign for campaign in campaigns}
    pairs = _taking_part(list(by_id)) if campaigns else set()
    unit_ids = {unit for _campaign, unit in pairs}
    if unit_id is not None:
        unit_ids &= {unit_id}
    ordered = sa.select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.sort_order, Unit.id)
    shown = Page(page or 1, per_page if page is not None else max(1, len(unit_ids)), len(unit_ids))
    if page is not None:
        # A page past the last (the list got shorter since the link was made) shows the last.
        shown.page = min(page, shown.pages)
        ordered = ordered.limit(per_page).offset((shown.page - 1) * per_page)
    units = list(db.session.scalars(ordered)) if unit_ids else []
    records = {unit.id: UnitRecord(unit) for unit in units}
    if not records:
        return History(campaigns, [], shown)
    ids = list(records)
    campaign_ids = list(by_id)

    summaries = {(s.campaign_id, s.unit_id): s for s in db.session.scalars(
        sa.select(UnitSummary).where(UnitSummary.campaign_id.in_(campaign_ids), UnitSummary.unit_id.in_(ids))
        .options(load_only(UnitSummary.campaign_id, UnitSummary.unit_id, UnitSummary.status, UnitSummary.late,
                           UnitSummary.submitted_at, UnitSummary.first_submitted_at)))}
    photos = dict(db.session.execute(
        sa.select(Photo.summary_id, sa.func.count()).join(UnitSummary, Photo.summary_id == UnitSummary.id)
        .where(UnitSummary.campaign_id.in_(campaign_ids), UnitSummary.unit_id.in_(ids)).group_by(Photo.summary_id)
    ).all())
    booths: defaultdict[tuple[int, int], int] = defaultdict(int)
    for campaign_id, booth_unit, count in db.session.execute(
            sa.select(Booth.campaign_id, Booth.unit_id, sa.func.count()).where(
                Booth.campaign_id.in_(campaign_ids), Booth.unit_id.in_(ids)).group_by(Booth.campaign_id, Booth.unit_id)):
        booths[(campaign_id, booth_unit)] = int(count)
    consultations: dict[tuple[int, int], int] = {}
    for campaign_id, booth_unit, count in db.session.execute(
            sa.select(Booth.campaign_id, Booth.unit_id, sa.func.sum(ConsultationTally.count))
            .join(Booth, ConsultationTally.booth_id == Booth.id)
            .where(Booth.campaign_id.in_(campaign_ids), Booth.unit_id.in_(ids), ConsultationTally.count != 0)
            .group_by(Booth.campaign_id, Booth.unit_id)):
        consultations[(campaign_id, booth_unit)] = int(count or 0)
    # Referrals: the unit responsible for each, whichever booth took it; withdrawn entries' referrals left out.
    referrals: defaultdict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for follow_up, campaign_id in db.session.execute(
            sa.select(FollowUp, Booth.campaign_id).join(Consultation, FollowUp.consultation_id == Consultation.id)
            .join(Booth, Consultation.booth_id == Booth.id)
            .where(Booth.campaign_id.in_(campaign_ids), FollowUp.unit_id.in_(ids), COUNTED_CONSULTATION)
            .options(load_only(FollowUp.unit_id, FollowUp.status, FollowUp.closed_at, FollowUp.close_due_date,
                               FollowUp.replied_at, FollowUp.due_date))):
        counts = referrals[(campaign_id, follow_up.unit_id)]
        counts[0] += 1
        counts[1] += bool(closed_in_time(follow_up))
        counts[2] += bool(replied_in_time(follow_up))
    scoring = scoring_inputs(campaign_ids)

    for campaign in campaigns:
        facts = []
        for unit in units:
            key = (campaign.id, unit.id)
            if key not in pairs:
                continue
            summary = summaries.get(key)
            handed_in = (summary.first_submitted_at or summary.submitted_at) if summary is not None else None
            outcome, late_days = _outcome(campaign, handed_in, now)
            total, in_time, replied = referrals.get(key, (0, 0, 0))
            records[unit.id].years[campaign.id] = YearRecord(
                campaign, outcome, late_days, consultations.get(key, 0), total, in_time)
            facts.append(UnitFacts(
                unit_id=unit.id, name=unit.name, sort_order=unit.sort_order, state=summary_state(summary, campaign),
                first_submitted_at=summary.first_submitted_at if summary is not None else None,
                photos=photos.get(summary.id, 0) if summary is not None else 0, consultations=consultations.get(key, 0),
                follow_ups=total, follow_ups_in_time=in_time, follow_ups_replied_in_time=replied,
                booths=booths.get(key, 0)))
        rules, settings, adjustments = scoring[campaign.id]
        if not rules or not facts:
            continue
        for row in compute_scorecard(rules, facts, campaign.summary_deadline, settings, adjustments)["rows"]:
            year = records[row["unit_id"]].years[campaign.id]
            year.score, year.adjustment, year.flagged = row["total"], row["adjustment"], bool(row["flags"])
    return History(campaigns, [records[unit.id] for unit in units], shown)
