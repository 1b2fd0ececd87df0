"""The booth staff's phone: the signed device cookie and the PIN lockout.

The staff link is the secret; the PIN is asked once per device, which then carries a signed cookie naming the
booth, a random device id and a fingerprint of the staff token: rotating the token changes the fingerprint, so
every device remembered for the old link must enter the PIN again at once.

The PIN lockout commits itself: it serves the staff blueprint, which keeps its own commits (web/transaction.py),
and a wrong try must be counted even when the page then answers with an error.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from campaign.booths.models import Booth, PinFailure
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db

SALT = "booth-device"
MAX_PIN_TRIES = 5
LOCKOUT = timedelta(minutes=15)
# A PIN entered after the campaign's last day (late entries, a rehearsal) still admits the device for a while.
GRACE_AFTER_END = timedelta(hours=12)


@dataclass(frozen=True)
class Device:
    booth_id: int
    device_id: str
    valid: bool  # False: signed by us for this booth, but the token was rotated or the time ran out


def cookie_name(booth: Booth) -> str:
    return f"bd{booth.id}"


def fingerprint(staff_token: str) -> str:
    return hashlib.sha256(staff_token.encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _campaign_end(booth: Booth) -> datetime:
    return datetime.combine(booth.campaign.last_day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def _valid_until(booth: Booth, signed_at: datetime) -> datetime:
    return max(_campaign_end(booth), signed_at + GRACE_AFTER_END)


def read_device(booth: Booth) -> Device | None:
    """The device cookie this request carries for the booth: None if absent or not signed by us."""
    raw = request.cookies.get(cookie_name(booth))
    if not raw:
        return None
    try:
        payload, signed_at = _serializer().loads(raw, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("booth_id") != booth.id:
        return None
    device_id = str(payload.get("device_id", ""))[:36]
    valid = hmac.compare_digest(str(payload.get("fp", "")), fingerprint(booth.staff_token)) and (
        utcnow() <= _valid_until(booth, signed_at)
    )
    return Device(booth_id=booth.id, device_id=device_id, valid=valid)


def current_device(booth: Booth) -> Device | None:
    """The device if it has entered this booth's PIN for the current token, else None."""
    device = read_device(booth)
    return device if device and device.valid else None


def remember_device(response, booth: Booth, device_id: str | None = None):
    """Set the signed cookie on the response; keeps a known device's id so its recent entries stay its own."""
    payload = {"booth_id": booth.id, "device_id": device_id or str(uuid.uuid4()), "fp": fingerprint(booth.staff_token)}
    response.set_cookie(
        cookie_name(booth),
        _serializer().dumps(payload),
        expires=_valid_until(booth, utcnow()),
        path="/b/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


# PIN lockout -------------------------------------------------------------------------------------------------


def client_key(booth: Booth) -> str:
    """Tries are counted per device when we know it (a cookie we signed), else per address.

    A device without our cookie cannot choose its key: an attacker who drops cookies is counted by address.
    """
    device = read_device(booth)
    if device:
        return f"d:{device.device_id}"
    return f"a:{request.remote_addr or '?'}"[:64]


def locked_for(booth: Booth, key: str) -> timedelta | None:
    """How long this client must still wait, or None."""
    until = db.session.scalar(
        sa.select(PinFailure.locked_until).where(PinFailure.booth_id == booth.id, PinFailure.client_key == key)
    )
    now = utcnow()
    return until - now if until and until > now else None


def register_failure(booth: Booth, key: str) -> int:
    """Count a wrong PIN; returns the tries left (0: now locked). Commits."""
    condition = (PinFailure.booth_id == booth.id) & (PinFailure.client_key == key)
    row = db.session.scalar(sa.select(PinFailure).where(condition))
    if row is None:
        try:
            db.session.add(PinFailure(booth_id=booth.id, client_key=key, failures=0))
            db.session.commit()
        except IntegrityError:
            # Two wrong tries at the same moment: the other request made the row.
            db.session.rollback()
    # Counted in SQL, so two requests at once both count.
    db.session.execute(sa.update(PinFailure).where(condition).values(failures=PinFailure.failures + 1))
    failures = db.session.execute(sa.select(PinFailure.failures).where(condition)).scalar_one()
    if failures >= MAX_PIN_TRIES:
        db.session.execute(sa.update(PinFailure).where(condition).values(failures=0, locked_until=utcnow() + LOCKOUT))
        db.session.commit()
        return 0
    db.session.commit()
    return MAX_PIN_TRIES - failures


def clear_failures(booth: Booth, key: str) -> None:
    db.session.execute(sa.delete(PinFailure).where(PinFailure.booth_id == booth.id, PinFailure.client_key == key))
    db.session.commit()


def pin_matches(booth: Booth, pin: str) -> bool:
    return hmac.compare_digest(booth.pin.encode(), pin.encode())
