"""The day's counted records: the consultations and handouts of a campaign that were not withdrawn.

Why this module: the board, the summaries, the report and the exports all count the same entries, and a
withdrawn entry must drop out of every one of them alike. Later stages read the booths' records only through
here, so "not withdrawn" is written once (COUNTED_CONSULTATION, COUNTED_HANDOUT) and so is each query two of them
need (the consultation rows of the exports, the counts per booth, the consultations by hour). The booths' own
entry-editing code (entries.py, recording.py) still looks at withdrawn rows directly: it has to show and restore
them.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from campaign.booths.models import (
    Booth,
    Consultation,
    ConsultationHourTally,
    ConsultationProfileTally,
    ConsultationTally,
    FollowUp,
    HandoutTally,
    MaterialHandout,
    ReceiptCode,
)
from campaign.plan.models import Activity
from campaign.shared.timeutil import LOCAL_TZ
from campaign.units.models import Unit
from campaign.web.extensions import db

# The one definition of an entry that counts.
COUNTED_CONSULTATION = Consultation.withdrawn_at.is_(None)
COUNTED_HANDOUT = MaterialHandout.withdrawn_at.is_(None)


def is_counted(entry: Consultation | MaterialHandout) -> bool:
    """The same rule for an entry already loaded."""
    return entry.withdrawn_at is None


def booth_ids(campaign_id: int) -> "sa.Select[int]":
    """The campaign's booths, as a subquery for `… .in_()`."""
    return sa.select(Booth.id).where(Booth.campaign_id == campaign_id)


def _in_campaign(query: sa.Select, booth_column, campaign_id: int) -> sa.Select:
    return query.join(Booth, booth_column == Booth.id).where(Booth.campaign_id == campaign_id)


def consultations(campaign_id: int, *columns) -> sa.Select:
    """SELECT columns over the campaign's counted consultations, joined to their booth: add group_by, order_by …"""
    query = sa.select(*columns).select_from(Consultation)
    return _in_campaign(query, Consultation.booth_id, campaign_id).where(COUNTED_CONSULTATION)


def handouts(campaign_id: int, *columns) -> sa.Select:
    """SELECT columns over the campaign's counted handouts, joined to their booth."""
    query = sa.select(*columns).select_from(MaterialHandout)
    return _in_campaign(query, MaterialHandout.booth_id, campaign_id).where(COUNTED_HANDOUT)


def follow_ups(campaign_id: int, *columns) -> sa.Select:
    """SELECT columns over the follow-ups of the campaign's counted consultations (a withdrawn entry's go with it)."""
    query = sa.select(*columns).select_from(FollowUp).join(Consultation, FollowUp.consultation_id == Consultation.id)
    return _in_campaign(query, Consultation.booth_id, campaign_id).where(COUNTED_CONSULTATION)


# The rows the exports write


def consultation_rows(campaign_id: int, with_receipts: bool = True):
    """Every counted consultation, oldest first, streamed: recorded_at, booth_name, unit_name, unit_short_name,
    activity, kind, topic, question, asker_type, handling, person_name, person_phone, satisfaction, source, receipt
    (its code; "" if it has none, or for all when `with_receipts` is false: a register without the column need not
    join a million codes)."""
    receipt = sa.func.coalesce(ReceiptCode.code, "") if with_receipts else sa.literal("")
    query = (
        consultations(
            campaign_id,
            Consultation.recorded_at, Booth.name.label("booth_name"), Unit.name.label("unit_name"),
            Unit.short_name.label("unit_short_name"), Activity.title.label("activity"), Consultation.kind,
            Consultation.topic, Consultation.question, Consultation.asker_type, Consultation.handling,
            Consultation.person_name, Consultation.person_phone, Consultation.satisfaction, Consultation.source,
            receipt.label("receipt"),
        )
        .join(Unit, Booth.unit_id == Unit.id)
        .outerjoin(Activity, Booth.activity_id == Activity.id)
        .order_by(Consultation.recorded_at, Consultation.id)
        .execution_options(yield_per=2000)
    )
    if with_receipts:
        query = query.outerjoin(ReceiptCode, ReceiptCode.client_uuid == Consultation.client_uuid)
    return db.session.execute(query)


def handout_rows(campaign_id: int):
    """Every counted handout, oldest first, streamed: recorded_at, booth_name, unit_name, unit_short_name,
    material, quantity."""
    query = (
        handouts(
            campaign_id,
            MaterialHandout.recorded_at, Booth.name.label("booth_name"), Unit.name.label("unit_name"),
            Unit.short_name.label("unit_short_name"), MaterialHandout.material, MaterialHandout.quantity,
        )
        .join(Unit, Booth.unit_id == Unit.id)
        .order_by(MaterialHandout.recorded_at, MaterialHandout.id)
        .execution_options(yield_per=2000)
    )
    return db.session.execute(query)


# Counts


def per_booth_counts(campaign_id: int) -> tuple[dict[int, int], dict[int, int]]:
    """({booth id: consultations}, {booth id: materials handed out}), from the running tallies (tallies.py keeps
    them exact, withdrawn entries left out): a few rows a booth whatever the day's volume."""
    consultation_counts = dict(db.session.execute(
        sa.select(ConsultationTally.booth_id, sa.func.sum(ConsultationTally.count))
        .where(ConsultationTally.booth_id.in_(booth_ids(campaign_id)))
        .group_by(ConsultationTally.booth_id)
        .having(sa.func.sum(ConsultationTally.count) != 0)
    ).all())
    materials: Sequence[sa.Row[int, int | None]] = db.session.execute(
        sa.select(HandoutTally.booth_id, sa.func.sum(HandoutTally.quantity))
        .where(HandoutTally.booth_id.in_(booth_ids(campaign_id)))
        .group_by(HandoutTally.booth_id)
    ).all()
    return ({booth_id: int(count) for booth_id, count in consultation_counts.items()},
            {booth_id: int(total or 0) for booth_id, total in materials if total})


def per_booth_materials(campaign_id: int) -> dict[int, dict[str, int]]:
    """{booth id: {material: quantity}}, from the running tallies, withdrawn entries left out: the report names
    each material an activity's desks handed out."""
    rows: Sequence[sa.Row[int, str, int | None]] = db.session.execute(
        sa.select(HandoutTally.booth_id, HandoutTally.material, sa.func.sum(HandoutTally.quantity))
        .where(HandoutTally.booth_id.in_(booth_ids(campaign_id)))
        .group_by(HandoutTally.booth_id, HandoutTally.material)
    ).all()
    result: dict[int, dict[str, int]] = {}
    for booth_id, material, total in rows:
        if total:
            result.setdefault(booth_id, {})[material] = int(total)
    return result


def satisfaction_counts(campaign_id: int) -> dict[str, int]:
    """{满意/基本满意/不满意/…: consultations}, from the running tallies: the report says how many of the satisfied
    were 满意 and how many 基本满意."""
    rows: Sequence[sa.Row[str, int | None]] = db.session.execute(
        sa.select(ConsultationProfileTally.satisfaction, sa.func.sum(ConsultationProfileTally.count))
        .where(ConsultationProfileTally.booth_id.in_(booth_ids(campaign_id)))
        .group_by(ConsultationProfileTally.satisfaction)
    ).all()
    return {value: int(total) for value, total in rows if value and total}


def consultation_hours(
    campaign_id: int, periods: tuple[tuple[datetime, datetime], ...] = ()
) -> "Sequence[sa.Row[int, datetime, str, int]]":
    """(booth id, UTC hour start, source, consultations) for each hour with any, from the hour tallies
    (tallies.py keeps them exact, withdrawn entries left out); only the hours inside `periods` ([start, end) in
    UTC) when given."""
    hour = ConsultationHourTally.hour_start
    query = sa.select(
        ConsultationHourTally.booth_id, hour, ConsultationHourTally.source, ConsultationHourTally.count
    ).where(ConsultationHourTally.booth_id.in_(booth_ids(campaign_id)), ConsultationHourTally.count != 0)
    if periods:
        query = query.where(sa.or_(*(sa.and_(hour >= start, hour < end) for start, end in periods)))
    return db.session.execute(query).all()


def local_hour(hour_start: datetime) -> int:
    """The hour of the day in Asia/Shanghai of a tally's UTC hour."""
    return hour_start.astimezone(LOCAL_TZ).hour


def consultations_by_hour(campaign_id: int) -> dict[int, int]:
    """Consultations per hour of the day in Asia/Shanghai, over the whole campaign."""
    hours: dict[int, int] = defaultdict(int)
    # Added up per hour by the database: one row an hour of the campaign, not one a booth, hour and source.
    query = (
        sa.select(ConsultationHourTally.hour_start, sa.func.sum(ConsultationHourTally.count))
        .where(ConsultationHourTally.booth_id.in_(booth_ids(campaign_id)))
        .group_by(ConsultationHourTally.hour_start)
    )
    for start, count in db.session.execute(query):
        if count:
            hours[local_hour(start)] += int(count)
    return hours
