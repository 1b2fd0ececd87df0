"""Unit groups (统称): the names a plan uses for many units at once — 各镇街, 政府各部门, 区直各单位.

A group is every active unit of a kind (so a town added next year belongs to 各镇街 without anyone editing the
group) or a chosen list. Plans print the group's name; who owes a task, a booth or a summary is decided by
its members (plan/participants.py expands them).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.shared.audit import record
from campaign.units.models import UNIT_KINDS, Unit, UnitGroup, UnitGroupMember
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

GROUP_NAME_MAX = 50

# What a new district starts with: the names plans use, each standing for a kind of unit.
DEFAULT_GROUPS = (("各镇街", "town"), ("区政府各部门", "bureau"), ("区直各单位", "institution"))


def ordered_groups() -> list[UnitGroup]:
    return list(db.session.scalars(sa.select(UnitGroup).order_by(UnitGroup.sort_order, UnitGroup.id)))


def members(group: UnitGroup) -> list[Unit]:
    """The group's active units, in the units' order (plan/participants.py expands groups in SQL for the plan)."""
    if group.unit_kind is not None:
        query = sa.select(Unit).where(Unit.kind == group.unit_kind)
    else:
        query = sa.select(Unit).join(UnitGroupMember, UnitGroupMember.unit_id == Unit.id).where(
            UnitGroupMember.group_id == group.id
        )
    return list(db.session.scalars(query.where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.id)))


def _checked(name, unit_kind, unit_ids, exclude_id=None) -> tuple[str, str | None, list[int]]:
    name = "".join(str(name or "").split())
    if not name:
        raise Refusal(_l("请填写统称，如：各镇街。"), field="name")
    if len(name) > GROUP_NAME_MAX:
        raise Refusal(_l("统称不能超过%(n)s个字。", n=GROUP_NAME_MAX), field="name")
    taken = sa.select(UnitGroup.id).where(UnitGroup.name == name, UnitGroup.id != (exclude_id or 0))
    if db.session.scalar(taken) is not None:
        raise Refusal(_l("已有名为“%(name)s”的统称。", name=name), field="name")
    if db.session.scalar(sa.select(Unit.id).where(sa.or_(Unit.name == name, Unit.short_name == name))) is not None:
        raise Refusal(_l("“%(name)s”已是一个单位的名称，统称请换一个名字。", name=name), field="name")
    unit_kind = unit_kind or None
    if unit_kind is not None and unit_kind not in UNIT_KINDS:
        raise Refusal(_l("请选择单位类型。"), field="unit_kind")
    ids = list(dict.fromkeys(unit_ids or []))
    if unit_kind is None:
        if not ids:
            raise Refusal(_l("请选择单位类型，或勾选组成这个统称的单位。"), field="unit_ids")
        if len(set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(ids))))) != len(ids):
            raise Refusal(_l("所选单位不存在，请刷新页面后重试。"), field="unit_ids")
    return name, unit_kind, ids if unit_kind is None else []


def save_group(user, name: str, unit_kind: str | None, unit_ids: list[int], group: UnitGroup | None = None) -> UnitGroup:
    name, unit_kind, ids = _checked(name, unit_kind, unit_ids, group.id if group else None)
    if group is None:
        order = (db.session.scalar(sa.select(sa.func.max(UnitGroup.sort_order))) or 0) + 1
        group = UnitGroup(name=name, unit_kind=unit_kind, sort_order=order)
        db.session.add(group)
        action = "unit_group_created"
    else:
        group.name, group.unit_kind = name, unit_kind
        action = "unit_group_updated"
    group.chosen = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))) if ids else []
    db.session.flush()
    record(user, action, group, name=name, unit_kind=unit_kind or "", units=len(ids))
    return group


def delete_group(user, group: UnitGroup) -> None:
    from campaign.plan.models import ActivityUnit

    if db.session.scalar(sa.select(ActivityUnit.id).where(ActivityUnit.group_id == group.id).limit(1)) is not None:
        raise Refusal(_l("活动方案中用到了“%(name)s”，不能删除。", name=group.name))
    record(user, "unit_group_deleted", group, name=group.name)
    db.session.delete(group)
    db.session.flush()


def add_default_groups() -> None:
    """The usual 统称 for a district that has none yet."""
    if db.session.scalar(sa.select(UnitGroup.id).limit(1)) is not None:
        return
    for order, (name, kind) in enumerate(DEFAULT_GROUPS, start=1):
        db.session.add(UnitGroup(name=name, unit_kind=kind, sort_order=order))
    db.session.flush()
