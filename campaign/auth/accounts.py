"""Accounts: creating, editing, (de)activating, signing out everywhere, a user's own profile and password.

Messages are lazy strings, so these functions also run from `flask users` and the demo loader.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from campaign.auth import links, sessions
from campaign.auth.models import NO_PASSWORD, ROLE_ORGANIZER, ROLE_UNIT, ROLES, User
from campaign.auth.passwords import password_problem
from campaign.shared.audit import record
from campaign.shared.phones import clean_phone, normalize_phone
from campaign.units.models import Unit
from campaign.units.services import checked_email, clean_text
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

USERNAME_MAX, NAME_MAX = 64, 64
# Logins are typed on phones and read aloud over the phone: Latin letters, digits and . _ - @ only.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")


@dataclass
class AccountFields:
    username: str
    display_name: str
    role: str
    unit_id: int | None = None
    phone: str = ""
    email: str = ""


@dataclass
class ProfileFields:
    display_name: str
    phone: str = ""
    email: str = ""


def _checked_contact(display_name: str, phone: str, email: str) -> tuple[str, str, str]:
    display_name = clean_text(display_name)
    if not display_name:
        raise Refusal(_l("请输入姓名。"), field="display_name")
    if len(display_name) > NAME_MAX:
        raise Refusal(_l("姓名不能超过%(n)s个字。", n=NAME_MAX), field="display_name")
    phone = normalize_phone(phone)
    if phone:
        cleaned = clean_phone(phone)
        if cleaned is None:
            raise Refusal(_l("“%(phone)s”不是有效的电话号码：请填写手机号（如 13800001111）或座机号（如 0571-88886666）。",
                             phone=phone), field="phone")
        phone = cleaned
    email = clean_text(email)
    if email:
        try:
            email = checked_email(email)
        except Refusal as refusal:
            raise Refusal(refusal.message, field="email") from None
    return display_name, phone, email


def _checked(fields: AccountFields, user: User | None = None) -> AccountFields:
    username = clean_text(fields.username)
    if user is None or username != user.username:
        if not username:
            raise Refusal(_l("请输入登录名。"), field="username")
        if not USERNAME.fullmatch(username):
            raise Refusal(_l("登录名为 2–64 位英文字母、数字或 . _ - @，以字母或数字开头。"), field="username")
        if _login_taken(username, user.id if user else None):
            raise Refusal(_l("登录名“%(name)s”已被使用。", name=username), field="username")
    if fields.role not in ROLES:
        raise Refusal(_l("请选择角色。"), field="role")
    unit_id = None
    if fields.role == ROLE_UNIT:
        unit = db.session.get(Unit, fields.unit_id) if fields.unit_id else None
        if unit is None:
            raise Refusal(_l("单位联络员必须属于一个单位，请选择单位。"), field="unit_id")
        if not unit.active and (user is None or user.unit_id != unit.id):
            raise Refusal(_l("单位“%(name)s”已停用。", name=unit.name), field="unit_id")
        unit_id = unit.id
    display_name, phone, email = _checked_contact(fields.display_name, fields.phone, fields.email)
    return AccountFields(username, display_name, fields.role, unit_id, phone, email)


def _login_taken(username: str, exclude_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.username) == username.lower())
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


@contextmanager
def _refused_if_duplicate(username: str):
    """Another organizer may have taken the login between our check and this write: the unique constraint refuses
    it, in a savepoint, so only this write is undone."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise Refusal(_l("登录名“%(name)s”已被使用。", name=username), field="username") from None


def _via(via: str) -> dict[str, Any]:
    """Where a change came from, when not from the pages (`cli`, `invite`), for the audit log."""
    return {"via": via} if via else {}


def _unit_name(unit_id: int | None) -> str:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def create_account(actor, fields: AccountFields, password: str | None = None, via: str = "") -> User:
    """A new account. Without a password it has none until its owner sets one through a one-time link."""
    fields = _checked(fields)
    if password is not None:
        problem = password_problem(password, fields.username)
        if problem:
            raise Refusal(problem, field="password")
    user = User(**vars(fields), password_hash=NO_PASSWORD, active=True)
    if password is not None:
        user.set_password(password)
    with _refused_if_duplicate(fields.username):
        db.session.add(user)
        db.session.flush()
    detail: dict[str, Any] = {"username": user.username, "role": user.role, "name": user.display_name}
    if user.unit_id:
        detail["unit"] = _unit_name(user.unit_id)
    if via:
        detail["via"] = via
    record(actor, "user_created", user, **detail)
    db.session.flush()
    return user


def update_account(actor, user: User, fields: AccountFields) -> dict:
    """Save the organizer's edit → the changes (field → [old, new]), also in the audit log."""
    fields = _checked(fields, user)
    if actor is not None and actor.id == user.id and fields.role != user.role:
        raise Refusal(_l("不能修改自己的角色。"), field="role")
    changes = {}
    with _refused_if_duplicate(fields.username):
        for key, value in vars(fields).items():
            old = getattr(user, key)
            if old != value:
                if key == "unit_id":
                    changes["unit"] = [_unit_name(old), _unit_name(value)]
                else:
                    changes[key] = [old, value]
                setattr(user, key, value)
        db.session.flush()
    if changes:
        record(actor, "user_updated", user, username=user.username, changes=changes)
    return changes


def set_active(actor, user: User, active: bool, via: str = "") -> bool:
    """Deactivate (every session and link of the account ends at once) or reactivate (the password it had works
    again) → False if it already was so."""
    if user.active == active:
        return False
    if not active and actor is not None and actor.id == user.id:
        raise Refusal(_l("不能停用自己的账号。"))
    user.active = active
    if not active:
        sessions.end_all_sessions(user)
        links.void_links(user)
    record(actor, "user_activated" if active else "user_deactivated", user, username=user.username,
           **_via(via))
    db.session.flush()
    return True


def sign_out_everywhere(actor, user: User) -> int:
    """End every session of the account → how many were live."""
    ended = sessions.end_all_sessions(user)
    record(actor, "signed_out_everywhere", user, username=user.username, sessions=ended)
    db.session.flush()
    return ended


def set_password(actor, user: User, password: str, via: str = "") -> None:
    """A new password set for the account (the command line); every session ends."""
    problem = password_problem(password, user.username)
    if problem:
        raise Refusal(problem, field="password")
    user.set_password(password)
    sessions.end_all_sessions(user)
    links.void_links(user)
    record(actor, "password_set", user, username=user.username, **_via(via))
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password first; then every session of theirs ends (the page starts a
    new one for the browser that made the change)."""
    if not user.check_password(current):
        raise Refusal(_l("当前密码不正确。"), field="current_password")
    problem = password_problem(new, user.username)
    if problem:
        raise Refusal(problem, field="new_password")
    user.set_password(new)
    sessions.end_all_sessions(user)
    record(user, "password_changed", user)
    db.session.flush()


def update_profile(user: User, fields: ProfileFields) -> dict:
    """A user's own name, phone and e-mail → the changes, also in the audit log."""
    display_name, phone, email = _checked_contact(fields.display_name, fields.phone, fields.email)
    changes = {}
    for key, value in (("display_name", display_name), ("phone", phone), ("email", email)):
        if getattr(user, key) != value:
            changes[key] = [getattr(user, key), value]
            setattr(user, key, value)
    if changes:
        record(user, "profile_updated", user, username=user.username, changes=changes)
        db.session.flush()
    return changes


def organizer_contact():
    """Whom a unit contact asks when a link no longer works: the first active organizer (name and phone)."""
    return db.session.scalar(
        sa.select(User).where(User.role == ROLE_ORGANIZER, User.active.is_(True)).order_by(User.id).limit(1)
    )
