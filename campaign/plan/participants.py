"""The units taking part in a campaign: the units its plan names in any of its activities, in any role, directly
or through a unit group (各镇街).

Why this module: who takes part decides who owes a summary (summaries), whose figures are listed with zeros
when they recorded nothing (summaries' figures), who is missing from the report, who sees the campaign's
tasks and which booths the plan asks for. It is the plan that says so, so the rule lives here, once; later
stages read it. (The report also lists units outside the plan that actually ran a booth or sent a counted
summary: report/compile.py adds those to these.) A group is never a participant itself: its members are.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from campaign.plan.models import Activity, ActivityUnit
from campaign.units.models import Unit, UnitGroup, UnitGroupMember
from campaign.web.extensions import db


@dataclass(frozen=True)
class UnitInActivity:
    activity_id: int
    unit_id: int
    role: str


def _named(*where) -> sa.CompoundSelect:
    """(activity id, unit id, role, position, through a group) for every unit an activity names, a group's
    active members included."""
    links = sa.select(ActivityUnit).join(Activity, ActivityUnit.activity_id == Activity.id).where(*where).subquery()
    direct = sa.select(
        links.c.activity_id, links.c.unit_id, links.c.role, links.c.position, sa.literal(0).label("via_group")
    ).where(links.c.unit_id.is_not(None))
    by_kind = (
        sa.select(links.c.activity_id, Unit.id, links.c.role, links.c.position, sa.literal(1))
        .join(UnitGroup, UnitGroup.id == links.c.group_id)
        .join(Unit, sa.and_(Unit.kind == UnitGroup.unit_kind, Unit.active.is_(True)))
    )
    by_list = (
        sa.select(links.c.activity_id, UnitGroupMember.unit_id, links.c.role, links.c.position, sa.literal(1))
        .join(UnitGroup, sa.and_(UnitGroup.id == links.c.group_id, UnitGroup.unit_kind.is_(None)))
        .join(UnitGroupMember, UnitGroupMember.group_id == UnitGroup.id)
        .join(Unit, sa.and_(Unit.id == UnitGroupMember.unit_id, Unit.active.is_(True)))
    )
    return sa.union_all(direct, by_kind, by_list)


def units_in_activities(*where, unit_id: int | None = None) -> list[UnitInActivity]:
    """Each unit of the activities matching `where` (conditions on Activity) once per activity, in the plan's
    order; only `unit_id` if given. A unit named directly keeps that role; one in two groups of an activity takes
    the first group's."""
    named = _named(*where).subquery()
    query = sa.select(named).order_by(named.c.activity_id, named.c.via_group, named.c.position)
    if unit_id is not None:
        query = query.where(named.c.unit_id == unit_id)
    rows = db.session.execute(query).all()
    seen: set[tuple[int, int]] = set()
    result = []
    for row in rows:
        key = (int(row.activity_id), int(row.unit_id))
        if key not in seen:
            seen.add(key)
            result.append(UnitInActivity(*key, str(row.role)))
    return result


def participant_ids_query(campaign_id: int) -> sa.Select:
    """The ids of the units the plan names, as a subquery for `… .in_()`."""
    named = _named(Activity.campaign_id == campaign_id).subquery()
    return sa.select(named.c.unit_id).distinct()


def participant_pairs(campaign_ids: list[int]) -> set[tuple[int, int]]:
    """(campaign id, unit id) for each unit the plans of these campaigns name, in one query (a history of years)."""
    if not campaign_ids:
        return set()
    named = _named(Activity.campaign_id.in_(campaign_ids)).subquery()
    rows: Sequence[sa.Row[int, int]] = db.session.execute(
        sa.select(Activity.campaign_id, named.c.unit_id).join(Activity, Activity.id == named.c.activity_id).distinct()
    ).all()
    return {(campaign_id, unit_id) for campaign_id, unit_id in rows}


def participant_ids(campaign_id: int) -> set[int]:
    return set(db.session.scalars(participant_ids_query(campaign_id)))


def participants(campaign_id: int) -> list[Unit]:
    """The units taking part, each once, in the units' order."""
    return list(db.session.scalars(
        sa.select(Unit).where(Unit.id.in_(participant_ids_query(campaign_id))).order_by(Unit.sort_order, Unit.id)
    ))


def takes_part(campaign_id: int, unit_id: int) -> bool:
    """Whether the plan names the unit, itself or through a group: then it owes a summary."""
    named = _named(Activity.campaign_id == campaign_id).subquery()
    return bool(db.session.scalar(sa.select(sa.select(named).where(named.c.unit_id == unit_id).exists())))
