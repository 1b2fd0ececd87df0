"""Sign-in sessions that the server can end.

A signed session cookie alone cannot be taken back: a copy keeps working until it expires. So each sign-in gets a
random key, kept in the cookie; the database keeps only its SHA-256 (user_sessions), and the user loader accepts
the cookie only while that row is not ended. Logging out ends the one row; a password change or reset,
deactivation, or an organizer's "sign out everywhere" ends every row of the user at once.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.auth.models import User, UserSession
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, lifetime: timedelta, now: datetime | None = None) -> str:
    """A new session for `user` → its key (for the cookie; never stored). Forgets the user's sessions that ended
    or expired long ago, so the table holds about one row per live browser."""
    now = now or utcnow()
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.ended_at < now - lifetime, UserSession.created_at < now - 2 * lifetime),
        )
    )
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key), created_at=now))
    db.session.flush()
    return key


def session_user(user_id: str, key: str | None) -> User | None:
    """The active user whose live session the cookie names (its user id and key), or None."""
    if not key or not user_id.isdigit():
        return None
    row = db.session.scalar(
        sa.select(UserSession).where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None))
    )
    if row is None or str(row.user_id) != user_id or not row.user.active:
        return None
    return row.user


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(user: User) -> int:
    """End every session of the user → how many were live."""
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def live_session_count(user_ids: list[int], lifetime: timedelta) -> dict[int, int]:
    """user id → sessions not ended and not yet expired."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(UserSession.user_id, sa.func.count())
        .where(
            UserSession.user_id.in_(user_ids),
            UserSession.ended_at.is_(None),
            UserSession.created_at > utcnow() - lifetime,
        )
        .group_by(UserSession.user_id)
    )
    return {user_id: count for user_id, count in rows}
