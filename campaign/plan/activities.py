"""The plan's content: activity groups, and activities with their units. Venues and slogans: venues_and_slogans.py.

Every change goes through services.note_change, so an issued plan records who changed what and when.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.plan.models import (
    MODE_ONSITE,
    MODES,
    ROLE_COOPERATING,
    ROLE_LEAD,
    ROLE_PARTICIPATING,
    ROLE_RESPONSIBLE,
    UNIT_ROLE_LABELS,
    UNIT_ROLES,
    VENUE_BRANCH,
    VENUE_KINDS,
    WRITTEN_MAX,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
    Venue,
)
from campaign.plan.services import (
    apply_changes,
    change_and_note,
    jsonable,
    note_change,
    one_line,
    text_block,
)
from campaign.shared.formatting import cn_span
from campaign.shared.timeutil import local
from campaign.shared.workdays import is_workday
from campaign.units.models import Unit, UnitGroup
from campaign.units.names import NameIndex
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

GROUP_TITLE_MAX, ACTIVITY_TITLE_MAX, VENUE_NAME_MAX = 100, 200, 100
DIRECTIONS = ("up", "down")
ROLE_WORDS = {
    ROLE_LEAD: _l("牵头单位"),
    ROLE_COOPERATING: _l("配合单位"),
    ROLE_PARTICIPATING: _l("参加单位"),
    ROLE_RESPONSIBLE: _l("责任单位"),
}


def move_in_order(items: list, item, direction: str) -> bool:
    """Swap `item` with its neighbour; orders are renumbered 1..n so equal orders cannot block a move."""
    if direction not in DIRECTIONS:
        raise Refusal(_l("移动方向无效。"))
    items = list(items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for order, each in enumerate(items, start=1):
        each.sort_order = order
    return True


def next_order(column, *where) -> int:
    return (db.session.scalar(sa.select(sa.func.max(column)).where(*where)) or 0) + 1


# Groups


def _group_title(title) -> str:
    title = one_line(title)
    if not title:
        raise Refusal(_l("请填写分组名称。"), field="title")
    if len(title) > GROUP_TITLE_MAX:
        raise Refusal(_l("分组名称不能超过%(n)s个字。", n=GROUP_TITLE_MAX), field="title")
    return title


def add_group(user, campaign: Campaign, title: str) -> ActivityGroup:
    group = ActivityGroup(
        campaign_id=campaign.id,
        title=_group_title(title),
        sort_order=next_order(ActivityGroup.sort_order, ActivityGroup.campaign_id == campaign.id),
    )
    db.session.add(group)
    db.session.flush()
    note_change(campaign, user, "group_created", group, title=group.title)
    db.session.flush()
    return group


def rename_group(user, group: ActivityGroup, title: str) -> None:
    change_and_note(group.campaign, user, "group_updated", group, {"title": _group_title(title)})


def delete_group(user, group: ActivityGroup, confirmed: bool = False) -> int:
    """Deletes the group; its activities too, but only when the organizer has confirmed that."""
    count = len(group.activities)
    if count and not confirmed:
        raise Refusal(_l("分组“%(title)s”中还有%(n)s项活动，请确认后再删除。", title=group.title, n=count))
    campaign = group.campaign
    note_change(campaign, user, "group_deleted", group, title=group.title, activities=[a.title for a in group.activities])
    db.session.delete(group)
    db.session.flush()
    return count


def move_and_note(user, campaign: Campaign, items: list, item, direction: str, action: str, **detail) -> bool:
    """Move the item among `items`; if it moved, record it (note_change) and flush (the caller commits)."""
    moved = move_in_order(items, item, direction)
    if moved:
        note_change(campaign, user, action, item, **detail, direction=direction)
        db.session.flush()
    return moved


def move_group(user, group: ActivityGroup, direction: str) -> bool:
    campaign = group.campaign
    return move_and_note(user, campaign, campaign.groups, group, direction, "group_moved", title=group.title)


# Activities


@dataclass
class ActivityFields:
    group_id: int
    title: str
    mode: str
    starts_at: datetime
    # None: the plan gives a start only (5月15日上午9时).
    ends_at: datetime | None
    all_day: bool = False
    description: str = ""
    venue_id: int | None = None
    new_venue_name: str = ""
    new_venue_kind: str = VENUE_BRANCH
    # Each role's units and groups as the plan writes them, in its order: "区发改局、区教育局、各镇街等".
    role_texts: dict[str, str] = field(default_factory=dict)
    # What a name stands for when the clerk matched it on the plan import's preview (units/names.py NameIndex.read).
    matched: dict[str, Unit | UnitGroup] = field(default_factory=dict)
    requirements: str = ""
    to_bring: str = ""


def outside_period(campaign: Campaign, starts_at: datetime | None, ends_at: datetime | None) -> bool:
    if starts_at is None:
        return False
    last = local(ends_at if ends_at is not None else starts_at).date()
    return local(starts_at).date() < campaign.first_day or last > campaign.last_day


def period_warning(campaign: Campaign, starts_at, ends_at, all_day) -> str:
    return _l(
        "活动时间（%(span)s）不在活动期间（%(first)s至%(last)s）内，请确认。",
        span=cn_span(starts_at, ends_at, all_day, campaign.time_style),
        first=f"{campaign.first_day.month}月{campaign.first_day.day}日",
        last=f"{campaign.last_day.month}月{campaign.last_day.day}日",
    )


WEEKDAY_WORDS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def day_off_warning(starts_at: datetime | None, ends_at: datetime | None):
    """A start or end on a day off — a weekend not worked in lieu (调休), or a public holiday, as the office's calendar
    has it (shared/workdays.py): plans do hold events then, but a slip of the date is likelier."""
    for moment in (starts_at, ends_at):
        if moment is None:
            continue
        day = local(moment)
        if is_workday(day.date()):
            continue
        if day.weekday() >= 5:
            return _l("活动日期%(day)s是%(weekday)s，请确认。", day=f"{day.month}月{day.day}日",
                      weekday=WEEKDAY_WORDS[day.weekday()])
        return _l("活动日期%(day)s是节假日，请确认。", day=f"{day.month}月{day.day}日")
    return None


def time_warnings(campaign: Campaign, activity: Activity) -> list:
    """What the organizer is asked to confirm about an activity's time; it is saved all the same."""
    warnings = []
    if outside_period(campaign, activity.starts_at, activity.ends_at):
        warnings.append(period_warning(campaign, activity.starts_at, activity.ends_at, activity.all_day))
    weekend = day_off_warning(activity.starts_at, activity.ends_at)
    if weekend is not None:
        warnings.append(weekend)
    return warnings


ROLE_FIELDS = {
    ROLE_LEAD: "lead_units",
    ROLE_COOPERATING: "cooperating_units",
    ROLE_PARTICIPATING: "participating_units",
    ROLE_RESPONSIBLE: "responsible_units",
}


@dataclass
class NamedRoles:
    """The units and groups of an activity, read from what the clerk wrote: (role, unit or group, the name as
    written) in order."""

    entries: list[tuple[str, Unit | UnitGroup, str]]
    etc_roles: list[str]


def _named_roles(values: ActivityFields) -> NamedRoles:
    """Read each role's list; refuse a name that is no unit or group, and anything named in two roles."""
    index = NameIndex()
    entries: list[tuple[str, Unit | UnitGroup, str]] = []
    etc_roles = []
    role_of: dict[Unit | UnitGroup, str] = {}
    for role in UNIT_ROLES:
        named = index.read(values.role_texts.get(role, ""), values.matched)
        if named.unknown:
            raise Refusal(
                _l("没有名为“%(name)s”的单位或统称：请检查名称，或先在单位列表中添加。", name=named.unknown[0]),
                field=ROLE_FIELDS[role],
            )
        if named.etc and named.entries:
            etc_roles.append(role)
        for entry, written in zip(named.entries, named.written, strict=True):
            if len(written) > WRITTEN_MAX:
                raise Refusal(_l("单位名称“%(name)s…”太长，不能超过%(n)s个字。", name=written[:20], n=WRITTEN_MAX),
                              field=ROLE_FIELDS[role])
            if entry in role_of:
                raise Refusal(
                    _l(
                        "“%(unit)s”不能在同一项活动中既是%(first)s又是%(second)s。",
                        unit=entry.name,
                        first=ROLE_WORDS[role_of[entry]],
                        second=ROLE_WORDS[role],
                    ),
                    field=ROLE_FIELDS[role],
                )
            role_of[entry] = role
            entries.append((role, entry, written))
    if not entries and values.mode == MODE_ONSITE:
        raise Refusal(_l("现场活动请至少填写一个单位（牵头、配合、参加或责任单位均可）。"), field="lead_units")
    return NamedRoles(entries, etc_roles)


def _check_activity(campaign: Campaign, values: ActivityFields):
    values.title = one_line(values.title)
    for name in ("description", "requirements", "to_bring"):
        setattr(values, name, text_block(getattr(values, name)))
    values.new_venue_name = one_line(values.new_venue_name)
    if not values.title:
        raise Refusal(_l("请填写活动名称。"), field="title")
    if len(values.title) > ACTIVITY_TITLE_MAX:
        raise Refusal(_l("活动名称不能超过%(n)s个字。", n=ACTIVITY_TITLE_MAX), field="title")
    group = db.session.get(ActivityGroup, values.group_id) if values.group_id else None
    if group is None or group.campaign_id != campaign.id:
        raise Refusal(_l("请选择活动所属的分组。"), field="group_id")
    if values.mode not in MODES:
        raise Refusal(_l("请选择活动形式。"), field="mode")
    if values.starts_at is None:
        raise Refusal(_l("请填写活动时间。"), field="start_date")
    moments = [moment for moment in (values.starts_at, values.ends_at) if moment is not None]
    if any(abs(local(moment).year - campaign.year) > 1 for moment in moments):
        raise Refusal(_l("活动时间应在%(year)s年前后，请检查日期。", year=campaign.year), field="start_date")
    if values.ends_at is not None and values.all_day and values.ends_at < values.starts_at:
        raise Refusal(_l("结束日期不能早于开始日期。"), field="end_date")
    if values.ends_at is not None and not values.all_day and values.ends_at <= values.starts_at:
        raise Refusal(_l("结束时间必须晚于开始时间。"), field="end_time")
    if values.new_venue_kind not in VENUE_KINDS:
        raise Refusal(_l("请选择地点类型。"), field="new_venue_kind")
    if values.mode == MODE_ONSITE:
        if values.new_venue_name:
            if len(values.new_venue_name) > VENUE_NAME_MAX:
                raise Refusal(_l("地点名称不能超过%(n)s个字。", n=VENUE_NAME_MAX), field="new_venue_name")
            values.venue_id = None
        elif values.venue_id is None:
            raise Refusal(_l("现场活动必须选择活动地点。"), field="venue_id")
        else:
            venue = db.session.get(Venue, values.venue_id)
            if venue is None or venue.campaign_id != campaign.id:
                raise Refusal(_l("所选地点不存在，请重新选择。"), field="venue_id")
    else:
        # An online activity has no place; a stale choice from before switching the mode is dropped.
        values.venue_id, values.new_venue_name = None, ""
    return values, _named_roles(values)


def _venue_for(user, campaign: Campaign, values: ActivityFields) -> int | None:
    if not values.new_venue_name:
        return values.venue_id
    existing = db.session.scalar(
        sa.select(Venue).where(Venue.campaign_id == campaign.id, Venue.name == values.new_venue_name)
    )
    if existing is not None:
        return existing.id
    venue = Venue(campaign_id=campaign.id, name=values.new_venue_name, kind=values.new_venue_kind)
    db.session.add(venue)
    db.session.flush()
    note_change(campaign, user, "venue_created", venue, name=venue.name)
    return venue.id


def _roles_text(activity: Activity) -> dict[str, str]:
    return {UNIT_ROLE_LABELS[role]: activity.role_text(role) for role in UNIT_ROLES if activity.links_in_role(role)}


def _set_units(activity: Activity, named: NamedRoles) -> dict:
    """Bring the activity's units and groups to `named`, in its order; a link whose role or place changed is
    updated in place (one link per unit or group and activity)."""
    before = _roles_text(activity)
    wanted = {}
    for position, (role, entry, written) in enumerate(named.entries, start=1):
        key = ("group", entry.id) if isinstance(entry, UnitGroup) else ("unit", entry.id)
        # Typed as the unit is called (or tapped in from the list): "", so the label prints as the unit is called.
        label = entry.label if isinstance(entry, Unit) else entry.name
        wanted[key] = (role, position, entry, "" if written == label else written)
    for link in list(activity.unit_links):
        key = ("group", link.group_id) if link.group_id is not None else ("unit", link.unit_id)
        if key not in wanted:
            activity.unit_links.remove(link)
            continue
        link.role, link.position, _entry, link.written = wanted.pop(key)
    for (kind, entry_id), (role, position, entry, written) in wanted.items():
        link = ActivityUnit(role=role, position=position, written=written)
        if kind == "group":
            link.group_id, link.group = entry_id, entry
        else:
            link.unit_id, link.unit = entry_id, entry
        activity.unit_links.append(link)
    activity.unit_links.sort(key=lambda link: link.position)
    activity.etc_roles = ",".join(named.etc_roles)
    after = _roles_text(activity)
    return {} if before == after else {"units": [before, after]}


def save_activity(user, campaign: Campaign, values: ActivityFields, activity: Activity | None = None):
    """Create or update an activity. Returns (activity, warnings): warnings do not stop the save."""
    values, named = _check_activity(campaign, values)
    venue_id = _venue_for(user, campaign, values)
    scalar = dict(
        title=values.title,
        description=values.description,
        mode=values.mode,
        starts_at=values.starts_at,
        ends_at=values.ends_at,
        all_day=values.all_day,
        venue_id=venue_id,
        requirements=values.requirements,
        to_bring=values.to_bring,
    )
    if activity is None:
        activity = Activity(
            campaign_id=campaign.id,
            group_id=values.group_id,
            sort_order=next_order(Activity.sort_order, Activity.group_id == values.group_id),
            **scalar,
        )
        db.session.add(activity)
        db.session.flush()
        _set_units(activity, named)
        note_change(campaign, user, "activity_created", activity, title=activity.title)
    else:
        changes = apply_changes(activity, scalar)
        if values.group_id != activity.group_id:
            changes["group_id"] = [activity.group.title, db.session.get_one(ActivityGroup, values.group_id).title]
            activity.group_id = values.group_id
            activity.sort_order = next_order(Activity.sort_order, Activity.group_id == values.group_id)
        changes.update(_set_units(activity, named))
        if "venue_id" in changes:
            changes["venue_id"] = [_venue_name(venue_id) for venue_id in changes["venue_id"]]
        if changes:
            note_change(campaign, user, "activity_updated", activity, title=activity.title, changes=changes)
    db.session.flush()
    return activity, time_warnings(campaign, activity)


def _venue_name(venue_id: int | None) -> str:
    venue = db.session.get(Venue, venue_id) if venue_id else None
    return venue.name if venue else ""


def delete_activity(user, activity: Activity) -> None:
    campaign = db.session.get_one(Campaign, activity.campaign_id)
    note_change(campaign, user, "activity_deleted", activity, title=activity.title,
                start=jsonable(activity.starts_at))
    db.session.delete(activity)
    db.session.flush()


def move_activity(user, activity: Activity, direction: str) -> bool:
    return move_and_note(user, activity.group.campaign, activity.group.activities, activity, direction,
                         "activity_moved", title=activity.title)
