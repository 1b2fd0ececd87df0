"""Sign-in throttling per account, on top of Flask-Limiter's per address (LOGIN_RATE_LIMIT).

Failures are counted per account across all addresses, from the audit log's `login_failed` events (each carries
the address it came from). After FAILURES_BEFORE_PAUSE within FAILURE_WINDOW, the account's password sign-in
pauses for PAUSE: even the right password is refused, with a message saying until when. Attempts during the pause
are logged but not counted, so the pause ends on time; a stranger can pause the account again only by failing
another ten times, and every pause is in the audit log and on the organizers' accounts page. A one-time link from
an organizer (links.py) signs the owner in whatever the pause, and ends it.

A login that is no account pauses the same way after the same failures, with the same message: otherwise the
eleventh try would tell a stranger which logins exist. It has no row to hold the pause, so its pause is worked out
from its failures in the audit log (unknown_login_paused_until).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.auth.models import User
from campaign.shared.audit import AuditEvent, record
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

FAILURES_BEFORE_PAUSE = 10
FAILURE_WINDOW = timedelta(minutes=15)
PAUSE = timedelta(minutes=15)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _failures_since(user: User, since: datetime) -> list[AuditEvent]:
    return list(db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "login_failed",
            AuditEvent.object_type == "User",
            AuditEvent.object_id == user.id,
            AuditEvent.at > since,
        )
    ))


def _counting_from(user: User, now: datetime) -> datetime:
    # Failures before the end of the last pause led to that pause; they do not count towards the next one.
    return max(now - FAILURE_WINDOW, user.login_paused_until or _EPOCH)


def note_failure(user: User | None, username: str, address: str, now: datetime | None = None) -> bool:
    """A refused password sign-in, in the audit log with the name tried and the address; for an existing account,
    pause it if this failure is one too many → whether the account is paused now. The password is never logged."""
    now = now or utcnow()
    event = record(None, "login_failed", user, username=username, address=address)
    event.object_type, event.at = "User", now
    if user is None:
        return False
    db.session.flush()
    failures = _failures_since(user, _counting_from(user, now))
    if len(failures) < FAILURES_BEFORE_PAUSE:
        return False
    user.login_paused_until = now + PAUSE
    addresses = sorted({str((failure.detail or {}).get("address", "")) for failure in failures})
    record(None, "login_paused", user, username=user.username, failures=len(failures),
           addresses=len(addresses), until=user.login_paused_until.isoformat()).at = now
    db.session.flush()
    return True


def note_attempt_while_paused(user: User | None, address: str, username: str = "") -> None:
    event = record(None, "login_while_paused", user, username=user.username if user else username, address=address)
    event.object_type = "User"


def unknown_login_paused_until(username: str, now: datetime | None = None) -> datetime | None:
    """When the pause of a login that is no account ends, if one is on: the rule of note_failure replayed over that
    name's failures (attempts during a pause are logged apart and do not count, as for an account)."""
    now = now or utcnow()
    failures: list[datetime] = [at for at in db.session.scalars(
        sa.select(AuditEvent.at).where(
            AuditEvent.action == "login_failed",
            AuditEvent.object_type == "User",
            AuditEvent.object_id.is_(None),
            # A pause on now began at most PAUSE ago, after failures at most FAILURE_WINDOW before it.
            AuditEvent.at > now - FAILURE_WINDOW - PAUSE,
            AuditEvent.detail["username"].as_string() == username,
        ).order_by(AuditEvent.at)
    ) if at is not None]
    paused_until: datetime | None = None
    for index, at in enumerate(failures):
        since = max(at - FAILURE_WINDOW, paused_until or _EPOCH)
        if len([earlier for earlier in failures[:index + 1] if earlier > since]) >= FAILURES_BEFORE_PAUSE:
            paused_until = at + PAUSE
    return paused_until if paused_until is not None and paused_until > now else None


def lift_pause(actor, user: User) -> bool:
    """An organizer ends the pause early (they know the owner and the failures were theirs) → whether it was on."""
    if not user.login_paused():
        return False
    user.login_paused_until = utcnow()
    record(actor, "login_pause_lifted", user, username=user.username)
    db.session.flush()
    return True


def paused_message(until: datetime):
    from campaign.shared.timeutil import local

    return _l(
        "该账号连续多次登录失败，密码登录已暂停至 %(time)s。请稍后再试；如急需登录，请联系区政务公开办发送一次性登录链接。",
        time=local(until).strftime("%H:%M"),
    )


def recent_failure_counts(user_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """user id → failed sign-ins within the window (shown to organizers beside the account)."""
    if not user_ids:
        return {}
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(AuditEvent.object_id, sa.func.count())
        .where(
            AuditEvent.action == "login_failed",
            AuditEvent.object_type == "User",
            AuditEvent.object_id.in_(user_ids),
            AuditEvent.at > now - FAILURE_WINDOW,
        )
        .group_by(AuditEvent.object_id)
    )
    return {user_id: count for user_id, count in rows if user_id is not None}
