"""The organizers' list of accounts: each account's state, the filters, and the counts above the list.

Four queries whatever the number of accounts: the users (with their units), their usable links, their recent
failed sign-ins and their live sessions.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.auth.links import live_links
from campaign.auth.models import ROLES, SignInLink, User
from campaign.auth.sessions import live_session_count
from campaign.auth.throttle import recent_failure_counts
from campaign.shared.timeutil import utcnow
from campaign.units.models import Unit
from campaign.units.services import clean_text
from campaign.web.extensions import db

# state → label, in the order the filter lists them.
STATES = {
    "active": _l("正常"),
    "invited": _l("待用链接登录"),
    "expired": _l("链接已过期"),
    "paused": _l("登录已暂停"),
    "inactive": _l("已停用"),
}


@dataclass
class AccountRow:
    user: User
    state: str
    link: SignInLink | None  # the usable one-time link, if any
    failures: int  # failed sign-ins in the last 15 minutes
    sessions: int  # browsers signed in now

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def state_of(user: User, link: SignInLink | None, now: datetime) -> str:
    if not user.active:
        return "inactive"
    if user.login_paused(now):
        return "paused"
    if not user.has_password:
        return "invited" if link is not None else "expired"
    return "active"


@dataclass
class Filters:
    role: str = ""
    unit_id: int | None = None
    state: str = ""
    q: str = ""

    def cleaned(self) -> "Filters":
        return Filters(
            role=self.role if self.role in ROLES else "",
            unit_id=self.unit_id,
            state=self.state if self.state in STATES else "",
            q=clean_text(self.q)[:100],
        )

    def as_args(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


@dataclass
class Directory:
    rows: list[AccountRow]
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    filtered: bool = False


def account_rows(users: list[User], lifetime: timedelta, now: datetime | None = None) -> list[AccountRow]:
    now = now or utcnow()
    ids = [user.id for user in users]
    links, failures, sessions = live_links(ids, now), recent_failure_counts(ids, now), live_session_count(ids, lifetime)
    return [
        AccountRow(user, state_of(user, links.get(user.id), now), links.get(user.id), failures.get(user.id, 0),
                   sessions.get(user.id, 0))
        for user in users
    ]


def directory(filters: Filters, lifetime: timedelta, now: datetime | None = None) -> Directory:
    """Every account, organizers first, then contacts in the units' order; the rows the filters keep."""
    users = list(db.session.scalars(
        sa.select(User).outerjoin(Unit, User.unit_id == Unit.id)
        .order_by(User.role, Unit.sort_order, Unit.id, User.id)
    ).unique())
    rows = account_rows(users, lifetime, now)
    result = Directory(rows=rows, total=len(rows), by_state=dict.fromkeys(STATES, 0))
    for row in rows:
        result.by_state[row.state] += 1
    filters = filters.cleaned()
    if filters.as_args():
        result.filtered = True
        needle = filters.q.casefold()
        result.rows = [
            row for row in rows
            if (not filters.role or row.user.role == filters.role)
            and (filters.unit_id is None or row.user.unit_id == filters.unit_id)
            and (not filters.state or row.state == filters.state)
            and (not needle or any(needle in (value or "").casefold() for value in (
                row.user.username, row.user.display_name, row.user.phone, row.user.email,
                row.user.unit.name if row.user.unit else "", row.user.unit.short_name if row.user.unit else "",
            )))
        ]
    return result
