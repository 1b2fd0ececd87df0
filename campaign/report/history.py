"""Each unit's record over the years: per campaign, its summary on time, late (by how long) or missing, its
consultations, and its referrals closed in time — the matrix of units × years and a unit's own page.

A summary is judged by its first submission (a summary returned and resubmitted was still handed in when it was
first sent); a campaign whose deadline has not passed shows "pending" rather than "missing".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.booths import records
from campaign.booths.followups import closed_in_time
from campaign.booths.models import Booth, Consultation, FollowUp
from campaign.plan.models import STATUS_DRAFT, Campaign
from campaign.shared.timeutil import utcnow
from campaign.summaries.review import overview_rows
from campaign.units.models import Unit
from campaign.web.extensions import db

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"
OUTCOME_LABELS = {ON_TIME: _l("按时报送"), LATE: _l("逾期报送"), MISSING: _l("未报送"), PENDING: _l("尚未截止")}


@dataclass
class YearRecord:
    campaign: Campaign
    outcome: str
    late_by: timedelta | None = None
    consultations: int = 0
    referrals: int = 0
    referrals_closed_in_time: int = 0

    @property
    def late_days(self) -> int:
        """Days late, a started day counting whole (submitted 2 hours late: 1 day)."""
        if self.late_by is None:
            return 0
        return max(1, -(-int(self.late_by.total_seconds()) // 86400))


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


def _outcome(campaign: Campaign, summary, now: datetime) -> tuple[str, timedelta | None]:
    handed_in = summary.first_submitted_at or summary.submitted_at if summary is not None else None
    deadline = campaign.summary_deadline
    if handed_in is None:
        return (PENDING if deadline is None or now <= deadline else MISSING), None
    if deadline is not None and handed_in > deadline:
        return LATE, handed_in - deadline
    return ON_TIME, None


def history(unit_id: int | None = None, now: datetime | None = None) -> tuple[list[Campaign], list[UnitRecord]]:
    """The campaigns (oldest first, drafts left out) and each unit's record in those it took part in."""
    now = now or utcnow()
    campaigns = list(db.session.scalars(
        sa.select(Campaign).where(Campaign.status != STATUS_DRAFT).order_by(Campaign.year, Campaign.id)))
    by_unit: dict[int, UnitRecord] = {}
    for campaign in campaigns:
        for row in overview_rows(campaign, now):
            if unit_id is not None and row.unit.id != unit_id:
                continue
            outcome, late_by = _outcome(campaign, row.summary, now)
            record = by_unit.setdefault(row.unit.id, UnitRecord(row.unit))
            record.years[campaign.id] = YearRecord(campaign, outcome, late_by)
    consultations = db.session.execute(
        sa.select(Booth.unit_id, Booth.campaign_id, sa.func.count(Consultation.id))
        .join(Consultation, Consultation.booth_id == Booth.id).where(records.COUNTED_CONSULTATION)
        .group_by(Booth.unit_id, Booth.campaign_id))
    for booth_unit, campaign_id, count in consultations:
        year = by_unit[booth_unit].years.get(campaign_id) if booth_unit in by_unit else None
        if year is not None:
            year.consultations = count
    referrals: defaultdict[tuple[int, int], list[FollowUp]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(FollowUp, Booth.campaign_id).join(Consultation, FollowUp.consultation_id == Consultation.id)
        .join(Booth, Consultation.booth_id == Booth.id).where(records.COUNTED_CONSULTATION))
    for follow_up, campaign_id in rows:
        referrals[(follow_up.unit_id, campaign_id)].append(follow_up)
    for (referral_unit, campaign_id), items in referrals.items():
        year = by_unit[referral_unit].years.get(campaign_id) if referral_unit in by_unit else None
        if year is not None:
            year.referrals = len(items)
            year.referrals_closed_in_time = sum(bool(closed_in_time(item)) for item in items)
    units = sorted(by_unit.values(), key=lambda record: (record.unit.sort_order, record.unit.id))
    return campaigns, units
