"""Lists of follow-ups: the responsible unit's queue, the organizer's table (filtered, paginated), the counts on
我的任务 and the board, and the overdue ones. Withdrawn consultations drop out, their follow-up goes with them.

A page costs the same few statements whatever the number of rows: the rows of one page with what they show
loaded in the same query (db.paginate adds one count), and the counts from the tallies.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from campaign.booths import receipts, records
from campaign.booths.models import (
    CALLED_BACK,
    CLOSED,
    FOLLOW_UP_KINDS,
    FOLLOW_UP_STATES,
    PENDING,
    REPLIED,
    SATISFACTIONS,
    Booth,
    Consultation,
    FollowUp,
    FollowUpTally,
)
from campaign.booths.tallies import IN_TIME
from campaign.plan.models import STATUS_DRAFT, Campaign
from campaign.shared.timeutil import local_today
from campaign.web.extensions import db

PAGE_SIZE = 25
OVERDUE_ON_BOARD = 10


def overdue_condition(today: date, state=FollowUp.status, due=FollowUp.due_date, close_due=FollowUp.close_due_date):
    """Past the deadline of its current step: the reply's while pending, the closing's after (in SQL)."""
    return sa.or_(
        sa.and_(state == PENDING, due < today),
        sa.and_(state.in_((REPLIED, CALLED_BACK)), close_due < today),
    )


def _listing():
    """Follow-ups with what a list shows (consultation, booth, its unit and activity, the responsible unit) loaded
    in the same query."""
    return (
        sa.select(FollowUp)
        .join(FollowUp.consultation)
        .join(Consultation.booth)
        .where(records.COUNTED_CONSULTATION)
        .options(
            contains_eager(FollowUp.consultation).contains_eager(Consultation.booth),
            joinedload(FollowUp.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.activity),
        )
        # Open ones first, the most urgent at the top; closed ones by when they were closed.
        .order_by(
            (FollowUp.status == CLOSED).asc(),
            sa.case((FollowUp.status == PENDING, FollowUp.due_date), else_=FollowUp.close_due_date),
            FollowUp.closed_at.desc(),
            FollowUp.id,
        )
    )


def _named_by(query: sa.Select, receipt: receipts.Quoted) -> sa.Select:
    """Only the follow-up of the entry a receipt code names, when one is given; what cannot be a code (the page says
    so) filters nothing."""
    return query.where(Consultation.client_uuid == receipts.holder_of(receipt.code)) if receipt.code else query


@dataclass
class Filters:
    """The organizer's table: campaign (the current one by default), unit, state, overdue, kind, topic, and the
    receipt code a citizen quotes (any way it was read out, receipts.cleaned_code)."""

    campaign_id: int
    unit_id: int | None = None
    state: str = ""
    overdue: bool = False
    kind: str = ""
    topic: str = ""
    awaiting_decision: bool = False
    receipt: receipts.Quoted = field(default_factory=lambda: receipts.Quoted(""))
    today: date = field(default_factory=local_today)

    @classmethod
    def of(cls, campaign_id: int, args) -> "Filters":
        """From a query string; what is not one of the known values is ignored."""
        unit = args.get("unit_id", "")
        return cls(
            campaign_id=campaign_id,
            unit_id=int(unit) if unit.isdecimal() and len(unit) < 12 else None,
            state=args.get("state") if args.get("state") in FOLLOW_UP_STATES else "",
            overdue=args.get("overdue") == "1",
            kind=args.get("kind") if args.get("kind") in FOLLOW_UP_KINDS else "",
            topic=(args.get("topic") or "")[:40],
            awaiting_decision=args.get("decision") == "1",
            receipt=receipts.Quoted.of(args.get("receipt")),
        )

    def apply(self, query: sa.Select) -> sa.Select:
        query = query.where(Booth.campaign_id == self.campaign_id)
        if self.unit_id:
            query = query.where(FollowUp.unit_id == self.unit_id)
        if self.state:
            query = query.where(FollowUp.status == self.state)
        if self.overdue:
            query = query.where(overdue_condition(self.today))
        if self.kind:
            query = query.where(Consultation.handling == self.kind)
        if self.topic:
            query = query.where(Consultation.topic == self.topic)
        if self.awaiting_decision:
            query = query.where(FollowUp.awaiting_decision.is_(True))
        return _named_by(query, self.receipt)


def campaign_table(filters: Filters, page: int = 1, per_page: int = PAGE_SIZE):
    """One page of the organizer's table (a Flask-SQLAlchemy Pagination): two statements whatever the count."""
    return db.paginate(filters.apply(_listing()), page=page, per_page=per_page, error_out=False, count=True)


def campaign_rows(filters: Filters, limit: int | None = None) -> list[FollowUp]:
    """Every follow-up the filters select (the export), in the table's order."""
    query = filters.apply(_listing())
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query).unique())


def unit_queue(unit_id: int, campaign_id: int, page: int = 1, per_page: int = PAGE_SIZE,
               receipt: receipts.Quoted | None = None):
    """A unit's follow-ups in one campaign, the open and most urgent first, one page (only the one a receipt code
    names, when one is given)."""
    query = _listing().where(FollowUp.unit_id == unit_id, Booth.campaign_id == campaign_id)
    if receipt is not None:
        query = _named_by(query, receipt)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def unit_campaigns() -> list[Campaign]:
    """The campaigns a unit's queue may show (issued or closed; a draft does not exist for a unit), newest first."""
    return list(db.session.scalars(
        sa.select(Campaign).where(Campaign.status != STATUS_DRAFT).order_by(Campaign.year.desc(), Campaign.id.desc())
    ))


def overdue_follow_ups(campaign_id: int, today: date | None = None, limit: int = OVERDUE_ON_BOARD) -> list[FollowUp]:
    """The campaign's overdue follow-ups, the longest overdue first: for the organizer's board.

    A city has tens of thousands overdue, and sorting them all on the deadline that applies was most of the board's
    time. So each step is read in the order of its own index (pending ones by the reply's deadline, replied ones by
    the closing's), stopping at `limit`; the two short lists are merged here, then those rows loaded with what the
    board shows."""
    today = today or local_today()
    open_steps = ((FollowUp.status == PENDING, FollowUp.due_date),
                  (FollowUp.status.in_((REPLIED, CALLED_BACK)), FollowUp.close_due_date))
    candidates: list[tuple[date, int]] = []
    for in_step, deadline in open_steps:
        candidates.extend(db.session.execute(
            sa.select(deadline, FollowUp.id)
            .join(Consultation, FollowUp.consultation_id == Consultation.id)
            .where(in_step, deadline < today, records.COUNTED_CONSULTATION,
                   Consultation.booth_id.in_(records.booth_ids(campaign_id)))
            .order_by(deadline, FollowUp.id)
            .limit(limit)
        ).all())
    chosen = [follow_up_id for _deadline, follow_up_id in sorted(candidates)[:limit]]
    if not chosen:
        return []
    rows = {row.id: row for row in db.session.scalars(_listing().where(FollowUp.id.in_(chosen))).unique()}
    return [rows[follow_up_id] for follow_up_id in chosen if follow_up_id in rows]


@dataclass
class FollowUpCounts:
    """Follow-ups by state and outcome: what the board, 我的任务 and the organizer's table show."""

    referred: int = 0
    pending: int = 0
    replied: int = 0
    called_back: int = 0
    closed: int = 0
    overdue: int = 0
    replied_in_time: int = 0
    replied_late: int = 0
    call_back_missed: int = 0
    satisfaction: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SATISFACTIONS, 0))

    @property
    def open(self) -> int:
        return self.pending + self.replied + self.called_back

    @property
    def called_back_total(self) -> int:
        """Call-backs that reached the citizen (the state may have moved on to closed since)."""
        return sum(self.satisfaction.values())

    def as_figures(self) -> dict[str, int]:
        """The figure keys the unit summaries and the report use."""
        return {
            "follow_ups": self.referred,
            "follow_ups_open": self.open,
            "follow_ups_closed": self.closed,
            "follow_ups_overdue": self.overdue,
            "follow_ups_replied_in_time": self.replied_in_time,
            "follow_ups_replied_late": self.replied_late,
            "follow_ups_called_back": self.called_back_total,
            "call_backs_satisfied": self.satisfaction["满意"],
            "call_backs_fairly_satisfied": self.satisfaction["基本满意"],
            "call_backs_unsatisfied": self.satisfaction["不满意"],
        }


def counts_by_unit(
    campaign_id: int, unit_ids: list[int] | None = None, today: date | None = None
) -> dict[int, FollowUpCounts]:
    """Each responsible unit's counts in a campaign (or only these units'), in one query on the tallies."""
    return _counts(campaign_id, unit_ids, today, by_unit=True)


def follow_up_counts(campaign_id: int, unit_id: int | None = None, today: date | None = None) -> FollowUpCounts:
    """The counts of one campaign (or one unit's in it), in one query on the tallies."""
    counts = _counts(campaign_id, [unit_id] if unit_id is not None else None, today, by_unit=False)
    return counts.get(0) or FollowUpCounts()


def _counts(campaign_id: int, unit_ids: list[int] | None, today: date | None, by_unit: bool) -> dict[int, FollowUpCounts]:
    tally = FollowUpTally
    overdue = overdue_condition(today or local_today(), tally.status, tally.due_date, tally.close_due_date)
    keys = [tally.status, tally.replied, tally.call_back, overdue]
    unit = tally.unit_id if by_unit else sa.literal_column("0")
    query = (
        sa.select(unit, *keys, sa.func.sum(tally.count))
        .where(tally.booth_id.in_(sa.select(Booth.id).where(Booth.campaign_id == campaign_id)))
        .group_by(*([tally.unit_id] if by_unit else []), *keys)
    )
    if unit_ids is not None:
        query = query.where(tally.unit_id.in_(unit_ids))
    result: dict[int, FollowUpCounts] = {}
    rows: Sequence[Any] = db.session.execute(query).all()
    for unit_id, state, replied, call_back, is_overdue, amount in rows:
        amount = int(amount or 0)
        counts = result.setdefault(unit_id, FollowUpCounts())
        counts.referred += amount
        setattr(counts, state, getattr(counts, state) + amount)
        if is_overdue:
            counts.overdue += amount
        if replied == IN_TIME:
            counts.replied_in_time += amount
        elif replied == "late":
            counts.replied_late += amount
        if call_back == "missed":
            counts.call_back_missed += amount
        elif call_back in counts.satisfaction:
            counts.satisfaction[call_back] += amount
    return result


def default_campaign() -> Campaign | None:
    """The campaign an organizer most likely means: the latest issued one, else the latest at all."""
    latest = sa.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1)
    return db.session.scalar(latest.where(Campaign.status != STATUS_DRAFT)) or db.session.scalar(latest)


def follow_up_timeliness(campaign_id: int) -> dict[int, tuple[int, int]]:
    """Per responsible unit: (follow-ups, closed by their closing deadline in Asia/Shanghai), from the follow-up
    tallies (which keep whether a closed one was closed in time): one grouped query, whatever the number of
    referrals (a city has a hundred thousand)."""
    rows: Sequence[sa.Row[int, int, int]] = db.session.execute(
        sa.select(
            FollowUpTally.unit_id,
            sa.func.sum(FollowUpTally.count),
            sa.func.coalesce(sa.func.sum(FollowUpTally.count).filter(FollowUpTally.closed == IN_TIME), 0),
        )
        .where(FollowUpTally.booth_id.in_(records.booth_ids(campaign_id)), FollowUpTally.count != 0)
        .group_by(FollowUpTally.unit_id)
    ).all()
    return {unit_id: (int(total), int(in_time)) for unit_id, total, in_time in rows}
