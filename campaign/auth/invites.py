"""Inviting units' contacts in bulk: one account per unit from the unit list's contact name, phone and e-mail, each
with a one-time link (links.py), shown once as a printable sheet and as text for a WeChat group."""

import functools
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from campaign.auth import links
from campaign.auth.accounts import AccountFields, create_account
from campaign.auth.models import ROLE_UNIT, User
from campaign.shared.phones import clean_phone
from campaign.units.models import Unit, ordered_units
from campaign.units.services import checked_email
from campaign.web.extensions import db
from campaign.web.refusal import Refusal


@dataclass
class Invitation:
    unit: Unit
    link: links.IssuedLink
    new_account: bool  # False: an account that never signed in got a new link (the old one is void)


@dataclass
class InviteResult:
    invitations: list[Invitation] = field(default_factory=list)
    # Units left alone: a contact of theirs has already signed in (an organizer resets that account instead).
    skipped: list[Unit] = field(default_factory=list)



@functools.cache
def _pinyin():
    """pypinyin's lazy_pinyin, imported on first use. Its phrase dictionary (长安 → chang'an, not zhang'an) is about
    190,000 Python objects, which every full garbage collection of a process that holds it walks: imported with the
    app, it made a city's report page 60 % slower in every worker. Only inviting accounts needs it."""
    from pypinyin import lazy_pinyin

    return lazy_pinyin

def contacts_by_unit() -> dict[int, list[User]]:
    """unit id → its active contacts."""
    contacts: dict[int, list[User]] = {}
    for user in db.session.scalars(
        sa.select(User).where(User.role == ROLE_UNIT, User.active.is_(True)).order_by(User.id)
    ):
        if user.unit_id is not None:
            contacts.setdefault(user.unit_id, []).append(user)
    return contacts


def units_without_contact() -> list[Unit]:
    contacts = contacts_by_unit()
    return [unit for unit in ordered_units() if unit.id not in contacts]


def login_for(unit: Unit, taken: set[str]) -> str:
    """A login from the unit's short name in pinyin (区教育局 → jiaoyuju), numbered if taken."""
    name = unit.label
    if name.startswith("区") and len(name) > 2:
        name = name[1:]
    base = re.sub(r"[^a-z0-9]", "", "".join(_pinyin()(name)).lower())[:24] or f"unit{unit.id}"
    if len(base) < 2:
        base = f"unit{unit.id}"
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    taken.add(login)
    return login


def _valid_email(value: str) -> str:
    """The unit's e-mail if it is one; an invitation is not refused for a bad address in the unit list."""
    try:
        return checked_email(value) if value else ""
    except Refusal:
        return ""


def invite_units(actor, unit_ids: list[int] | None, days: int, batch: str) -> InviteResult:
    """Invite the given units (None: every active unit without a contact), in the units' order.

    A unit without an active contact gets a new account from its contact fields; a unit whose contacts have none
    of them signed in yet gets new links for them (voiding the old ones); a unit with a contact who has signed in
    is skipped."""
    contacts = contacts_by_unit()
    if unit_ids is None:
        units = [unit for unit in ordered_units() if unit.id not in contacts]
    else:
        wanted = set(unit_ids)
        units = [unit for unit in ordered_units() if unit.id in wanted]
    taken = {name.lower() for name in db.session.scalars(sa.select(User.username))}
    result = InviteResult()
    for unit in units:
        existing = contacts.get(unit.id, [])
        if any(user.has_password for user in existing):
            result.skipped.append(unit)
            continue
        if existing:
            for user in existing:
                result.invitations.append(Invitation(unit, links.issue_link(actor, user, days, batch), False))
            continue
        user = create_account(actor, AccountFields(
            username=login_for(unit, taken),
            display_name=unit.contact_person or f"{unit.label}联络员",
            role=ROLE_UNIT,
            unit_id=unit.id,
            phone=clean_phone(unit.contact_phone) or "",
            email=_valid_email(unit.contact_email),
        ), via="invite")
        result.invitations.append(Invitation(unit, links.issue_link(actor, user, days, batch), True))
    return result
