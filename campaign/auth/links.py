"""One-time sign-in links: an invitation to a new account, or a reset by an organizer.

The token is `secrets.token_urlsafe(32)` (256 random bits); it is shown once, when the link is made, and only its
SHA-256 is stored, so neither the database nor a backup holds a working link. A link expires after
SIGN_IN_LINK_DAYS (7), works once, and a newer link for the same account voids the older ones. Opening the link
only shows a form; the link is spent when its owner sets a password there, so a chat app that fetches the URL to
draw a preview spends nothing.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.auth import sessions
from campaign.auth.models import LINK_INVITE, LINK_RESET, NO_PASSWORD, SignInLink, User
from campaign.auth.passwords import password_problem
from campaign.shared.audit import record
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

DEFAULT_DAYS = 7
# What a batch id looks like (a uuid4 in hex, made when the form was shown).
_BATCH = re.compile(r"[0-9a-f]{32}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class IssuedLink:
    """A link just made: the only moment its token exists outside the user's hands."""

    user: User
    token: str
    expires_at: datetime
    purpose: str


def new_batch() -> str:
    return secrets.token_hex(16)


def checked_batch(batch: str | None) -> str:
    """The form's batch id, or Refusal (a form without one was not made by our page)."""
    if not batch or not _BATCH.fullmatch(batch):
        raise Refusal(_l("请求无效，请返回上一页重试。"))
    return batch


def batch_done(batch: str) -> bool:
    """Whether links were already made by this submission: sending it again (a reload, a double click) makes no
    new links, which would void the ones just shown."""
    return db.session.scalar(sa.select(SignInLink.id).where(SignInLink.batch == batch).limit(1)) is not None


def void_links(user: User, now: datetime | None = None) -> None:
    db.session.execute(
        sa.update(SignInLink)
        .where(SignInLink.user_id == user.id, SignInLink.used_at.is_(None), SignInLink.voided_at.is_(None))
        .values(voided_at=now or utcnow())
    )


def issue_link(actor, user: User, days: int = DEFAULT_DAYS, batch: str = "", now: datetime | None = None) -> IssuedLink:
    """A new one-time link for the account, voiding its older ones. For an account that has a password this is a
    reset: the password and every session end now, and the link is the only way back in."""
    now = now or utcnow()
    void_links(user, now)
    purpose = LINK_RESET if user.has_password else LINK_INVITE
    if purpose == LINK_RESET:
        user.password_hash = NO_PASSWORD
        sessions.end_all_sessions(user)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=days)
    db.session.add(SignInLink(
        user_id=user.id, token_hash=token_hash(token), purpose=purpose, created_at=now, expires_at=expires_at,
        created_by_id=getattr(actor, "id", None), batch=batch,
    ))
    record(actor, "password_reset" if purpose == LINK_RESET else "user_invited", user,
           username=user.username, expires=expires_at.isoformat())
    db.session.flush()
    return IssuedLink(user, token, expires_at, purpose)


def link_by_token(token: str) -> SignInLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(SignInLink).where(SignInLink.token_hash == token_hash(token)))


def link_problem(link: SignInLink | None, now: datetime | None = None) -> str | None:
    """Why the link cannot be used: unknown, used, voided, expired or inactive (the account); None if it can."""
    now = now or utcnow()
    if link is None:
        return "unknown"
    if not link.user.active:
        return "inactive"
    if link.used_at is not None:
        return "used"
    if link.voided_at is not None:
        return "voided"
    if link.expires_at <= now:
        return "expired"
    return None


def use_link(token: str, password: str, now: datetime | None = None) -> User:
    """Set the account's password through its link and spend the link → the user, to be signed in. The link works
    once even when two requests race (the UPDATE that spends it names its unused state); the account's other
    links and sessions end, and so does a sign-in pause (the owner has proved who they are)."""
    now = now or utcnow()
    link = link_by_token(token)
    if link_problem(link, now) is not None or link is None:
        raise Refusal(_l("此链接已失效。"), conflict=True)
    user = link.user
    problem = password_problem(password, user.username)
    if problem:
        raise Refusal(problem, field="password")
    spent = db.session.execute(
        sa.update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None), SignInLink.voided_at.is_(None))
        .values(used_at=now)
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise Refusal(_l("此链接已失效。"), conflict=True)
    void_links(user, now)
    sessions.end_all_sessions(user)
    user.set_password(password)
    user.login_paused_until = None
    record(user, "password_set_by_link", user, username=user.username, purpose=link.purpose)
    db.session.flush()
    return user


def live_links(user_ids: list[int], now: datetime | None = None) -> dict[int, SignInLink]:
    """user id → its usable link (the newest), for the accounts page."""
    if not user_ids:
        return {}
    now = now or utcnow()
    links = db.session.scalars(
        sa.select(SignInLink).where(
            SignInLink.user_id.in_(user_ids),
            SignInLink.used_at.is_(None),
            SignInLink.voided_at.is_(None),
            SignInLink.expires_at > now,
        ).order_by(SignInLink.id)
    )
    return {link.user_id: link for link in links}
