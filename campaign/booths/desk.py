"""What the staff page shows a phone: today's counts at its booth, and its own recent entries with what it may
still change (the rules of that window are recording's)."""

from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from campaign.booths import records
from campaign.booths.corrections import may_change_consultation, may_withdraw_handout
from campaign.booths.models import (
    SOURCE_STAFF,
    Booth,
    Consultation,
    ConsultationHourTally,
    HandoutTally,
    MaterialHandout,
    ReceiptCode,
)
from campaign.booths.recording import materials_of
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db


def _today_utc_bounds() -> tuple[datetime, datetime]:
    today = utcnow().astimezone(LOCAL_TZ).date()
    start = datetime.combine(today, time(0), tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def today_counts(booth: Booth) -> tuple[int, dict[str, int]]:
    """Staff consultations today, and handouts today per material (every material of the campaign listed)."""
    start, end = _today_utc_bounds()
    consultations = db.session.scalar(
        sa.select(sa.func.sum(ConsultationHourTally.count)).where(
            ConsultationHourTally.booth_id == booth.id,
            ConsultationHourTally.source == SOURCE_STAFF,
            ConsultationHourTally.hour_start >= start,
            ConsultationHourTally.hour_start < end,
        )
    )
    handouts = dict.fromkeys(materials_of(booth.settings), 0)
    rows = db.session.execute(
        sa.select(HandoutTally.material, sa.func.sum(HandoutTally.quantity))
        .where(HandoutTally.booth_id == booth.id, HandoutTally.hour_start >= start, HandoutTally.hour_start < end)
        .group_by(HandoutTally.material)
    )
    for material, total in rows:
        if total or material in handouts:
            handouts[material] = int(total or 0)
    return int(consultations or 0), handouts


def recent_entries(booth: Booth, device_id: str, limit: int = 10) -> list[dict]:
    """The booth's last staff entries, newest first, marked editable where this device may still change them."""
    consultations = db.session.execute(
        sa.select(Consultation, ReceiptCode.code)
        .outerjoin(ReceiptCode, ReceiptCode.client_uuid == Consultation.client_uuid)
        .where(Consultation.booth_id == booth.id, Consultation.source == SOURCE_STAFF, records.COUNTED_CONSULTATION)
        .order_by(Consultation.recorded_at.desc(), Consultation.id.desc())
        .limit(limit)
    ).all()
    handouts = db.session.execute(
        sa.select(MaterialHandout, ReceiptCode.code)
        .outerjoin(ReceiptCode, ReceiptCode.client_uuid == MaterialHandout.client_uuid)
        .where(MaterialHandout.booth_id == booth.id, records.COUNTED_HANDOUT)
        .order_by(MaterialHandout.recorded_at.desc(), MaterialHandout.id.desc())
        .limit(limit)
    ).all()
    entries: list[dict[str, Any]] = [
        {
            "type": "consultation", "id": c.id, "uuid": c.client_uuid, "recorded_at": c.recorded_at,
            "label": " · ".join(part for part in (c.kind, c.topic, c.asker_type, c.handling) if part),
            "detail": c.question, "editable": may_change_consultation(c, device_id),
            "receipt": code or "", "satisfaction": c.satisfaction,
        }
        for c, code in consultations
    ] + [
        {
            "type": "handout", "id": h.id, "uuid": h.client_uuid, "recorded_at": h.recorded_at,
            "label": f"{h.material} +{h.quantity}", "detail": "", "editable": may_withdraw_handout(h, device_id),
            "receipt": code or "",
        }
        for h, code in handouts
    ]
    entries.sort(key=lambda entry: entry["recorded_at"], reverse=True)
    return entries[:limit]
