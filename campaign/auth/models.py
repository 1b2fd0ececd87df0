"""Accounts, their sign-in sessions and their one-time sign-in links."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.shared.timeutil import CreatedAt, UTCDateTime, utcnow
from campaign.web.extensions import Model

ROLE_ORGANIZER = "organizer"
ROLE_UNIT = "unit"
ROLES = (ROLE_ORGANIZER, ROLE_UNIT)

# A password hash no password matches: an account made by an invitation, or whose password an organizer reset,
# signs in only through its one-time link until its owner sets a password there.
NO_PASSWORD = ""


class User(UserMixin, CreatedAt, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    display_name: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str] = mapped_column(sa.String(16))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(sa.String(30), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Password sign-in refused until then: too many failures for this account (auth/throttle.py).
    login_paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit = relationship("Unit", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("role in ('organizer', 'unit')", name="role"),
        sa.CheckConstraint("role = 'organizer' or unit_id is not null", name="unit_user_has_unit"),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        return self.password_hash != NO_PASSWORD

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_organizer(self) -> bool:
        return self.role == ROLE_ORGANIZER

    def login_paused(self, now: datetime | None = None) -> bool:
        return self.login_paused_until is not None and self.login_paused_until > (now or utcnow())


class UserSession(Model):
    """One signed-in browser. The session cookie carries a random key; only its SHA-256 is stored, and the user
    loader accepts a cookie only while its row is not ended: logging out ends this row, a password change or
    reset, deactivation or "sign out everywhere" ends all of the user's rows, whatever cookies were copied."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", lazy="joined", innerjoin=True)


LINK_INVITE = "invite"
LINK_RESET = "reset"


class SignInLink(Model):
    """A one-time sign-in link (an invitation, or a reset by an organizer). The token is shown once, when it is
    made; only its SHA-256 is stored, so nobody can read a working link out of the database or a backup."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a newer link for the same account replaces it, or the account is deactivated.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The form submission that made it: the same submission sent twice makes no second set of links.
    batch: Mapped[str] = mapped_column(sa.String(40), default="", index=True)

    user = relationship("User", foreign_keys=[user_id], lazy="joined", innerjoin=True)
    created_by = relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (sa.CheckConstraint("purpose in ('invite', 'reset')", name="purpose"),)

    def usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and self.voided_at is None and self.expires_at > (now or utcnow())
