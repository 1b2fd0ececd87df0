"""Limits on the public card that suit a crowd (issue 19.7).

At a venue many citizens share one address (its Wi-Fi, a carrier's NAT), so an address alone either locks out the
crowd or stops nobody. The limits, in the order they are checked:

1. per device: a signed cookie given with the card; a few entries in ten minutes;
2. per booth: a cap per clock hour, claimed with a conditional UPDATE so that concurrent requests on several
   workers cannot overshoot it;
3. per address: a loose ceiling (Flask-Limiter on the view), for a client that drops its cookies.

An entry refused by any of them is not stored, so it is counted nowhere but in PublicCardHour.refused, which the
organizers see on the board. These functions commit: the public card keeps its own commits (web/transaction.py).
"""

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from campaign.booths.models import SOURCE_PUBLIC, Booth, Consultation, PublicCardHour
from campaign.booths.tallies import hour_start
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

DEFAULT_ADDRESS_LIMIT = "60 per 10 minutes"
DEFAULT_DEVICE_LIMIT = 5
DEVICE_WINDOW = timedelta(minutes=10)
DEFAULT_BOOTH_HOURLY_CAP = 200
COOKIE = "pd"
SALT = "public-device"


def address_limit() -> str:
    return current_app.config.get("PUBLIC_RATE_LIMIT", DEFAULT_ADDRESS_LIMIT)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def device_id() -> str | None:
    """The public device this request carries (a cookie we signed), or None."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and len(value) == 36 else None


def remember_device(response):
    """Give the phone a device id with the card, unless it has one."""
    if device_id() is None:
        response.set_cookie(COOKIE, _serializer().dumps(str(uuid.uuid4())), max_age=365 * 24 * 3600, path="/p/",
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def device_is_over(device: str | None) -> bool:
    """Whether this device has sent its share of entries in the last ten minutes (on any card)."""
    if device is None:
        return False
    limit = int(current_app.config.get("PUBLIC_DEVICE_LIMIT", DEFAULT_DEVICE_LIMIT))
    sent = db.session.execute(
        sa.select(sa.func.count(Consultation.id)).where(
            Consultation.source == SOURCE_PUBLIC, Consultation.device_id == device,
            Consultation.received_at >= utcnow() - DEVICE_WINDOW,
        )
    ).scalar_one()
    return sent >= limit


def _hour_row(booth: Booth, hour: datetime):
    condition = (PublicCardHour.booth_id == booth.id) & (PublicCardHour.hour_start == hour)
    if db.session.scalar(sa.select(PublicCardHour.booth_id).where(condition)) is None:
        try:
            db.session.add(PublicCardHour(booth_id=booth.id, hour_start=hour, accepted=0, refused=0))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another request made it at the same moment
    return condition


def claim_slot(booth: Booth) -> bool:
    """Take one of the booth's entries for this hour; False when the cap is reached. Commits."""
    cap = int(current_app.config.get("PUBLIC_BOOTH_HOURLY_CAP", DEFAULT_BOOTH_HOURLY_CAP))
    condition = _hour_row(booth, hour_start(utcnow()))
    claimed = db.session.execute(
        sa.update(PublicCardHour).where(condition, PublicCardHour.accepted < cap)
        .values(accepted=PublicCardHour.accepted + 1)
        .returning(PublicCardHour.accepted)
    ).first()
    db.session.commit()
    return claimed is not None


def release_slot(booth: Booth, hour: datetime) -> None:
    """Give back a claimed slot whose entry was not stored (refused as invalid, or a resend of one stored)."""
    db.session.execute(
        sa.update(PublicCardHour)
        .where(PublicCardHour.booth_id == booth.id, PublicCardHour.hour_start == hour, PublicCardHour.accepted > 0)
        .values(accepted=PublicCardHour.accepted - 1)
    )
    db.session.commit()


def count_refusal(booth: Booth) -> None:
    condition = _hour_row(booth, hour_start(utcnow()))
    db.session.execute(sa.update(PublicCardHour).where(condition).values(refused=PublicCardHour.refused + 1))
    db.session.commit()


def refusals(booth_ids, since: datetime) -> dict[int, int]:
    """Entries refused per booth since `since`, for the organizers."""
    rows = db.session.execute(
        sa.select(PublicCardHour.booth_id, sa.func.sum(PublicCardHour.refused))
        .where(PublicCardHour.booth_id.in_(list(booth_ids)), PublicCardHour.hour_start >= hour_start(since),
               PublicCardHour.refused > 0)
        .group_by(PublicCardHour.booth_id)
    ).all()
    return {booth_id: int(total) for booth_id, total in rows}
