"""Signing in with a login and password, and what every sign-in leaves behind (last sign-in, audit log)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from campaign.auth import throttle
from campaign.auth.models import User
from campaign.shared.audit import record
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db


@dataclass
class Attempt:
    user: User | None = None  # signed in
    paused_until: datetime | None = None  # refused: the account's password sign-in is paused until then


def user_by_login(username: str) -> User | None:
    tried = (username or "").strip()[:64]
    return db.session.scalar(sa.select(User).where(User.username == tried)) if tried else None


def password_sign_in(username: str, password: str, address: str, now: datetime | None = None) -> Attempt:
    """Check a login and password. A paused account is refused before its password is looked at; an unknown,
    deactivated or not yet set up account fails as a wrong password does (nobody learns which)."""
    now = now or utcnow()
    user = user_by_login(username)
    tried = (username or "").strip()[:64]
    if user is not None and user.active and user.login_paused(now):
        throttle.note_attempt_while_paused(user, address)
        return Attempt(paused_until=user.login_paused_until)
    # A login that is no account answers as an account would, pause included.
    unknown_pause = throttle.unknown_login_paused_until(tried, now) if user is None and tried else None
    if unknown_pause is not None:
        throttle.note_attempt_while_paused(None, address, tried)
        return Attempt(paused_until=unknown_pause)
    if user is not None and user.active and user.check_password(password):
        return Attempt(user=user)
    if throttle.note_failure(user, tried, address, now) and user is not None:
        return Attempt(paused_until=user.login_paused_until)
    if user is None and tried:
        db.session.flush()
        unknown_pause = throttle.unknown_login_paused_until(tried, now)
        if unknown_pause is not None:
            return Attempt(paused_until=unknown_pause)
    return Attempt()


def note_sign_in(user: User, how: str = "password") -> None:
    """A successful sign-in: the last sign-in time and the audit log (committed with the request)."""
    user.last_login_at = utcnow()
    if how == "password":
        record(user, "login", user)
    else:
        record(user, "login", user, via=how)
