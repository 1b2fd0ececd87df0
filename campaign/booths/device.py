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
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from campaign.booths.models import Booth, PinFailure
from campaign.booths.on_duty import BoothLike
from campaign.shared.audit import record
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


def cookie_name(booth: BoothLike) -> str:
    return f"bd{booth.id}"


def fingerprint(staff_token: str) -> str:
    return hashlib.sha256(staff_token.encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


def _serializer_for(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _campaign_end(booth: BoothLike) -> datetime:
    return datetime.combine(booth.campaign.last_day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def _valid_until(booth: BoothLike, signed_at: datetime) -> datetime:
    return max(_campaign_end(booth), signed_at + GRACE_AFTER_END)


@lru_cache(maxsize=1024)  # a few hundred phones a worker; at most a few MB of cookies
def _verified(secret_key: str, raw: str) -> tuple[object, datetime] | None:
    """The cookie's payload and when we signed it, or None if we did not sign it.

    Remembered: a phone sends the same cookie with every entry, and checking its signature was a sixteenth of an
    entry's CPU time. The answer depends only on the key and the cookie's bytes; the payload (a dict) is
    never changed by its readers. Its validity in time and for the current token is checked at every request."""
    try:
        return _serializer_for(secret_key).loads(raw, return_timestamp=True)
    except BadSignature:
        return None


def read_device(booth: BoothLike) -> Device | None:
    """The device cookie this request carries for the booth: None if absent or not signed by us."""
    return device_of(booth, request.cookies.get(cookie_name(booth)))


def device_of(booth: BoothLike, raw: str | None) -> Device | None:
    """The device a value of the booth's device cookie names: None if absent or not signed by us."""
    if not raw:
        return None
    verified = _verified(current_app.config["SECRET_KEY"], raw)
    if verified is None:
        return None
    payload, signed_at = verified
    if not isinstance(payload, dict) or payload.get("booth_id") != booth.id:
        return None
    device_id = str(payload.get("device_id", ""))[:36]
    valid = hmac.compare_digest(str(payload.get("fp", "")), fingerprint(booth.staff_token)) and (
        utcnow() <= _valid_until(booth, signed_at)
    )
    return Device(booth_id=booth.id, device_id=device_id, valid=valid)


def current_device(booth: BoothLike) -> Device | None:
    """The device if it has entered this booth's PIN for the current token, else None."""
    return admitted_device(booth, request.cookies.get(cookie_name(booth)))


def admitted_device(booth: BoothLike, raw: str | None) -> Device | None:
    """The device a value of the booth's device cookie names if it has entered the PIN for the current token."""
    device = device_of(booth, raw)
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
#
# Tries are counted per device — each phone gets a signed device cookie on its first visit, before any PIN — so one
# volunteer's typos never lock out the other phones at a venue that shares one address (its Wi-Fi, a carrier's
# NAT). And they are counted across the whole booth, whatever the addresses: past BOOTH_MAX_FAILURES in
# BOOTH_WINDOW the booth's PIN entry pauses (phones already admitted go on working), its unit contact and the
# organizers see it, and a new link and PIN end the pause.

BOOTH_KEY = "booth"
BOOTH_MAX_FAILURES = 20
BOOTH_WINDOW = timedelta(hours=1)
BOOTH_PAUSE = timedelta(hours=1)


def remember_visitor(response, booth: Booth):
    """A phone that has no device cookie yet gets one, not admitting it (the PIN does that): its wrong tries are
    then its own."""
    if read_device(booth) is None:
        payload = {"booth_id": booth.id, "device_id": str(uuid.uuid4()), "fp": ""}
        response.set_cookie(cookie_name(booth), _serializer().dumps(payload), expires=_valid_until(booth, utcnow()),
                            path="/b/", httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def client_key(booth: Booth) -> str:
    """Tries are counted per device when we know it (a cookie we signed, admitted or not), else per address.

    A device without our cookie cannot choose its key: an attacker who drops cookies is counted by address, and
    by the booth-wide count whatever the address.
    """
    device = read_device(booth)
    if device:
        return f"d:{device.device_id}"
    return f"a:{request.remote_addr or '?'}"[:64]


def _lock_of(booth: Booth, key: str) -> timedelta | None:
    until = db.session.scalar(
        sa.select(PinFailure.locked_until).where(PinFailure.booth_id == booth.id, PinFailure.client_key == key)
    )
    now = utcnow()
    return until - now if until and until > now else None


def locked_for(booth: Booth, key: str) -> timedelta | None:
    """How long this client must still wait, or None."""
    return _lock_of(booth, key)


def booth_paused_for(booth: Booth) -> timedelta | None:
    """How long the booth's PIN entry stays paused after too many wrong tries from anywhere, or None."""
    return _lock_of(booth, BOOTH_KEY)


def paused_booth_ids(booth_ids) -> set[int]:
    """Which of these booths have their PIN entry paused now: for the organizers' and the unit's pages."""
    return set(db.session.scalars(
        sa.select(PinFailure.booth_id).where(
            PinFailure.booth_id.in_(list(booth_ids)), PinFailure.client_key == BOOTH_KEY,
            PinFailure.locked_until > utcnow(),
        )
    ))


def _row(booth: Booth, key: str):
    condition = (PinFailure.booth_id == booth.id) & (PinFailure.client_key == key)
    if db.session.scalar(sa.select(PinFailure.id).where(condition)) is None:
        try:
            db.session.add(PinFailure(booth_id=booth.id, client_key=key, failures=0))
            db.session.commit()
        except IntegrityError:
            # Two wrong tries at the same moment: the other request made the row.
            db.session.rollback()
    return condition


def register_failure(booth: Booth, key: str) -> int:
    """Count a wrong PIN for the device and for the booth; returns the device's tries left (0: now locked).
    Commits."""
    condition = _row(booth, key)
    # Counted in SQL, so two requests at once both count.
    db.session.execute(sa.update(PinFailure).where(condition).values(failures=PinFailure.failures + 1))
    failures = db.session.execute(sa.select(PinFailure.failures).where(condition)).scalar_one()
    left = MAX_PIN_TRIES - failures
    if failures >= MAX_PIN_TRIES:
        db.session.execute(sa.update(PinFailure).where(condition).values(failures=0, locked_until=utcnow() + LOCKOUT))
        left = 0
    _count_for_booth(booth)
    db.session.commit()
    return left


def _count_for_booth(booth: Booth) -> None:
    condition = _row(booth, BOOTH_KEY)
    now = utcnow()
    # A window older than BOOTH_WINDOW starts again from this failure.
    db.session.execute(
        sa.update(PinFailure)
        .where(condition, sa.or_(PinFailure.window_started_at.is_(None), PinFailure.window_started_at < now - BOOTH_WINDOW))
        .values(failures=0, window_started_at=now)
    )
    db.session.execute(sa.update(PinFailure).where(condition).values(failures=PinFailure.failures + 1))
    failures = db.session.execute(sa.select(PinFailure.failures).where(condition)).scalar_one()
    if failures == BOOTH_MAX_FAILURES:
        db.session.execute(sa.update(PinFailure).where(condition).values(locked_until=now + BOOTH_PAUSE))
        record(None, "booth_pin_paused", booth, campaign_id=booth.campaign_id, failures=failures,
               minutes=int(BOOTH_PAUSE.total_seconds() // 60))


def clear_failures(booth: Booth, key: str) -> None:
    """The device got the PIN right: its own count starts again (the booth's stays)."""
    db.session.execute(sa.delete(PinFailure).where(PinFailure.booth_id == booth.id, PinFailure.client_key == key))
    db.session.commit()


def pin_matches(booth: Booth, pin: str) -> bool:
    return hmac.compare_digest(booth.pin.encode(), pin.encode())
