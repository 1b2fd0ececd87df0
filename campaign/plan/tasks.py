"""What a unit does in a plan: the activities that name it, its role in each, and the other units beside it."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.models import ROLE_LEAD, UNIT_ROLES, Activity, ActivityGroup, ActivityUnit
from campaign.units.models import Unit
from campaign.web.extensions import db


@dataclass
class Task:
    """One activity the unit takes part in, seen from that unit."""

    activity: Activity
    role: str
    # The other units of the activity by role (lead first), without the unit itself.
    others: dict[str, list] = field(default_factory=dict)

    @property
    def other_leads(self) -> list:
        return self.others.get(ROLE_LEAD, [])

    @property
    def other_participants(self) -> list:
        return [unit for role, units in self.others.items() if role != ROLE_LEAD for unit in units]


def unit_activities(unit_id: int, campaign_ids: list[int]) -> dict[int, list[Task]]:
    """The unit's tasks in each of these campaigns, in the plan's order, by campaign id: one query for them all."""
    by_campaign: dict[int, list[Task]] = {campaign_id: [] for campaign_id in campaign_ids}
    if not campaign_ids:
        return by_campaign
    activities = db.session.scalars(
        sa.select(Activity)
        .join(ActivityGroup, Activity.group_id == ActivityGroup.id)
        .where(
            Activity.campaign_id.in_(campaign_ids),
            Activity.id.in_(sa.select(ActivityUnit.activity_id).where(ActivityUnit.unit_id == unit_id)),
        )
        .options(
            joinedload(Activity.group),
            joinedload(Activity.venue),
            selectinload(Activity.unit_links).joinedload(ActivityUnit.unit),
        )
        .order_by(ActivityGroup.sort_order, ActivityGroup.id, Activity.sort_order, Activity.id)
    ).unique().all()
    for activity in activities:
        by_campaign[activity.campaign_id].append(_task(activity, unit_id))
    return by_campaign


def _task(activity: Activity, unit_id: int) -> Task:
    own_role = next(link.role for link in activity.unit_links if link.unit_id == unit_id)
    others: dict[str, list[Unit]] = {role: [] for role in UNIT_ROLES}
    # In the order the plan lists them, as the contact will read them in the plan document.
    for link in activity.unit_links:
        if link.unit_id != unit_id:
            others[link.role].append(link.unit)
    return Task(activity, own_role, {role: units for role, units in others.items() if units})
