"""Booths for organizers: made from the plan or by hand, and their secret links. The per-campaign settings are in
settings.py."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from campaign.booths.models import (
    TOKEN_MAX_CHARS,
    Booth,
    ConsultationTally,
    HandoutTally,
    PinFailure,
    new_pin,
    new_token,
)
from campaign.plan.models import MODE_ONSITE, STATUS_ISSUED, Activity, ActivityGroup, Campaign
from campaign.plan.participants import units_in_activities
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

register_action_labels(
    {
        "booths_generated": _l("按方案生成咨询台"),
        "booth_created": _l("新增咨询台"),
        "booth_updated": _l("修改咨询台"),
        "booth_token_rotated": _l("更换咨询台链接和PIN码"),
        "booth_pin_paused": _l("咨询台PIN输入因错误过多暂停"),
        "booth_public_enabled": _l("开启公众评价码"),
        "booth_public_disabled": _l("关闭公众评价码"),
        "booth_public_rotated": _l("更换公众评价链接"),
        "booth_enabled": _l("启用咨询台"),
        "booth_disabled": _l("停用咨询台"),
    }
)


# Lookups by the secret links


# Built once: every entry a phone sends starts with this lookup. The campaign comes along because every staff
# request checks the device cookie against its last day, the settings because every entry is checked against its
# lists; the public card shows both too.
def _active_booth_by(token_column) -> sa.Select:
    return (
        sa.select(Booth)
        .where(token_column == sa.bindparam("token"), Booth.active.is_(True))
        .options(joinedload(Booth.campaign), joinedload(Booth.settings))
    )


_BY_STAFF_TOKEN = _active_booth_by(Booth.staff_token)
_BY_PUBLIC_TOKEN = _active_booth_by(Booth.public_token)


def _booth_for(statement: sa.Select, token: str) -> Booth | None:
    if not token or len(token) > TOKEN_MAX_CHARS:
        return None
    return db.session.scalar(statement, {"token": token})


def booth_by_staff_token(token: str) -> Booth | None:
    """The active booth this staff link opens; a rotated or unknown token, or a switched-off booth, opens nothing."""
    return _booth_for(_BY_STAFF_TOKEN, token)


def booth_by_public_token(token: str) -> Booth | None:
    """The active booth whose public card this is; the same rule as the staff link."""
    return _booth_for(_BY_PUBLIC_TOKEN, token)


# The list page


@dataclass
class BoothGroup:
    activity: Activity | None
    booths: list = field(default_factory=list)


def _booths_in_plan_order(campaign_id: int) -> sa.Select:
    return (
        sa.select(Booth)
        .outerjoin(Activity, Booth.activity_id == Activity.id)
        .outerjoin(ActivityGroup, Activity.group_id == ActivityGroup.id)
        .join(Unit, Booth.unit_id == Unit.id)
        .where(Booth.campaign_id == campaign_id)
        .options(joinedload(Booth.unit), joinedload(Booth.activity).joinedload(Activity.venue))
        # Booths added by hand without an activity come last.
        .order_by(
            Activity.id.is_(None),
            ActivityGroup.sort_order,
            ActivityGroup.id,
            Activity.sort_order,
            Activity.id,
            Unit.sort_order,
            Unit.id,
            Booth.id,
        )
    )


def campaign_booths(campaign_id: int, active_only: bool = False) -> list[Booth]:
    """The campaign's booths in plan order (group, activity, unit), with what a list or a card shows loaded."""
    query = _booths_in_plan_order(campaign_id)
    if active_only:
        query = query.where(Booth.active.is_(True))
    return list(db.session.scalars(query).unique())


BOOTH_STATES = ("all", "active", "inactive")


def booth_page(campaign_id: int, page: int, search: str = "", state: str = "all", per_page: int = 50):
    """One page (flask_sqlalchemy Pagination) of the campaign's booths in plan order, those whose unit or name
    contains `search`, active or switched off as `state` asks."""
    query = _booths_in_plan_order(campaign_id)
    if state == "active":
        query = query.where(Booth.active.is_(True))
    elif state == "inactive":
        query = query.where(Booth.active.is_(False))
    needle = search.strip().lower()
    if needle:
        query = query.where(sa.or_(*(sa.func.lower(column).contains(needle, autoescape=True)
                                     for column in (Unit.name, Unit.short_name, Booth.name))))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def has_booths(campaign_id: int) -> bool:
    return db.session.scalar(sa.select(Booth.id).where(Booth.campaign_id == campaign_id).limit(1)) is not None


def has_active_booths(campaign_id: int) -> bool:
    return db.session.scalar(
        sa.select(Booth.id).where(Booth.campaign_id == campaign_id, Booth.active.is_(True)).limit(1)
    ) is not None


def grouped_by_activity(booths: list[Booth]) -> list[BoothGroup]:
    groups: list[BoothGroup] = []
    for booth in booths:
        if not groups or groups[-1].activity is not booth.activity:
            groups.append(BoothGroup(booth.activity))
        groups[-1].booths.append(booth)
    return groups


def booth_counts(campaign_id: int, booth_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """{booth id: (consultations, materials handed out)}, withdrawn entries left out; two queries on the tallies.
    Only the booths listed when `booth_ids` is given (a page of the list)."""
    in_campaign: Any = sa.select(Booth.id).where(Booth.campaign_id == campaign_id)
    if booth_ids is not None:
        in_campaign = booth_ids
    consultations = db.session.execute(
        sa.select(ConsultationTally.booth_id, sa.func.sum(ConsultationTally.count))
        .where(ConsultationTally.booth_id.in_(in_campaign))
        .group_by(ConsultationTally.booth_id)
    ).all()
    handouts = db.session.execute(
        sa.select(HandoutTally.booth_id, sa.func.sum(HandoutTally.quantity))
        .where(HandoutTally.booth_id.in_(in_campaign))
        .group_by(HandoutTally.booth_id)
    ).all()
    counts: dict[int, tuple[int, int]] = {}
    for booth_id, n in consultations:
        counts[booth_id] = (int(n or 0), 0)
    for booth_id, n in handouts:
        counts[booth_id] = (counts.get(booth_id, (0, 0))[0], int(n or 0))
    return counts


def onsite_activities(campaign_id: int) -> list[Activity]:
    return list(
        db.session.scalars(
            sa.select(Activity)
            .join(ActivityGroup, Activity.group_id == ActivityGroup.id)
            .where(Activity.campaign_id == campaign_id, Activity.mode == MODE_ONSITE)
            .order_by(ActivityGroup.sort_order, ActivityGroup.id, Activity.sort_order, Activity.id)
        )
    )


# Making and editing booths


def generate_booths_from_plan(campaign: Campaign, user=None) -> int:
    """One booth for each unit of each on-site activity, the members of a unit group included; those that exist are
    left alone. Returns how many were made."""
    # A group such as 各镇街 gets one booth per member unit.
    wanted = [
        (named.activity_id, named.unit_id)
        for named in units_in_activities(Activity.campaign_id == campaign.id, Activity.mode == MODE_ONSITE)
    ]
    existing: set[tuple[int | None, int]] = set(
        db.session.execute(
            sa.select(Booth.activity_id, Booth.unit_id).where(
                Booth.campaign_id == campaign.id, Booth.activity_id.is_not(None)
            )
        ).all()
    )
    made = 0
    try:
        # In a savepoint, so that a clash undoes only these booths, not what the caller did before.
        with db.session.begin_nested():
            for activity_id, unit_id in wanted:
                if (activity_id, unit_id) in existing:
                    continue
                db.session.add(Booth(campaign_id=campaign.id, activity_id=activity_id, unit_id=unit_id))
                existing.add((activity_id, unit_id))
                made += 1
            if made:
                record(user, "booths_generated", campaign, campaign_id=campaign.id, count=made)
    except IntegrityError:
        # Another organizer generated at the same moment: what they made stands, and ours adds nothing twice.
        return 0
    return made


def _check_booth_fields(campaign: Campaign, unit_id, activity_id, name: str, booth: Booth | None) -> tuple:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise Refusal(_("请选择单位。"), field="unit_id")
    activity = None
    if activity_id:
        activity = db.session.get(Activity, activity_id)
        if activity is None or activity.campaign_id != campaign.id or activity.mode != MODE_ONSITE:
            raise Refusal(_("请选择本次活动中的一项现场活动。"), field="activity_id")
        clash = db.session.scalar(
            sa.select(Booth.id).where(
                Booth.activity_id == activity.id,
                Booth.unit_id == unit.id,
                Booth.id != (booth.id if booth else -1),
            )
        )
        if clash:
            raise Refusal(
                _("%(unit)s在“%(activity)s”中已有咨询台，一个单位在一项活动中只设一个。",
                  unit=unit.label, activity=activity.title),
                field="unit_id",
            )
    name = (name or "").strip()
    if len(name) > 100:
        raise Refusal(_("名称不能超过100个字。"), field="name")
    return unit, activity, name


@contextmanager
def _refused_if_clash():
    """Another organizer may have set up the same unit's booth in the same activity since the check: the unique
    constraint refuses it. The write is made in a savepoint, so only it is undone, not what the caller did before."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise Refusal(_("这个单位在该活动中已有咨询台，一个单位在一项活动中只设一个。"), field="unit_id") from None


def create_booth(campaign: Campaign, unit_id, activity_id=None, name: str = "", user=None) -> Booth:
    unit, activity, name = _check_booth_fields(campaign, unit_id, activity_id, name, None)
    booth = Booth(campaign_id=campaign.id, unit_id=unit.id, activity_id=activity.id if activity else None, name=name)
    with _refused_if_clash():
        db.session.add(booth)
        db.session.flush()
    record(user, "booth_created", booth, campaign_id=campaign.id, unit=unit.name)
    db.session.flush()
    return booth


def update_booth(booth: Booth, unit_id, activity_id=None, name: str = "", user=None) -> None:
    unit, activity, name = _check_booth_fields(booth.campaign, unit_id, activity_id, name, booth)
    changes = {}
    with _refused_if_clash():
        for attr, value in (("unit_id", unit.id), ("activity_id", activity.id if activity else None), ("name", name)):
            if getattr(booth, attr) != value:
                changes[attr] = [getattr(booth, attr), value]
                setattr(booth, attr, value)
        if changes:
            record(user, "booth_updated", booth, campaign_id=booth.campaign_id, changes=changes)


def rotate_staff_token(booth: Booth, new_pin_too: bool = True, user=None) -> None:
    """A new staff link (and PIN): the old link, its QR card and every phone it remembered stop working at once."""
    booth.staff_token = new_token()
    if new_pin_too:
        booth.pin = new_pin()
        # Wrong tries against the old PIN say nothing about the new one.
        db.session.execute(sa.delete(PinFailure).where(PinFailure.booth_id == booth.id))
    booth.token_rotated_at = utcnow()
    record(user, "booth_token_rotated", booth, campaign_id=booth.campaign_id, new_pin=new_pin_too)
    db.session.flush()


def set_public(booth: Booth, enabled: bool, user=None) -> None:
    """Switch the public card on (with a fresh token) or off (its token forgotten, so old cards open nothing)."""
    if enabled == (booth.public_token is not None):
        return
    booth.public_token = new_token() if enabled else None
    record(user, "booth_public_enabled" if enabled else "booth_public_disabled", booth, campaign_id=booth.campaign_id)
    db.session.flush()


def rotate_public_token(booth: Booth, user=None) -> None:
    if booth.public_token is None:
        raise Refusal(_("这个咨询台没有开启公众留言卡。"))
    booth.public_token = new_token()
    record(user, "booth_public_rotated", booth, campaign_id=booth.campaign_id)
    db.session.flush()


def set_active(booth: Booth, active: bool, user=None) -> None:
    if booth.active == active:
        return
    booth.active = active
    record(user, "booth_enabled" if active else "booth_disabled", booth, campaign_id=booth.campaign_id)
    db.session.flush()


def unit_booths(unit_id: int) -> list[Booth]:
    """A unit's active booths in issued campaigns: what its contact hands to the staff at the desk."""
    query = (
        sa.select(Booth)
        .join(Campaign, Booth.campaign_id == Campaign.id)
        .where(Booth.unit_id == unit_id, Booth.active.is_(True), Campaign.status == STATUS_ISSUED)
        .options(joinedload(Booth.unit), joinedload(Booth.campaign), joinedload(Booth.activity).joinedload(Activity.venue))
        .order_by(Campaign.year.desc(), Booth.id)
    )
    return list(db.session.scalars(query).unique())
