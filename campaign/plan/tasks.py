"""What a unit does in a plan: the activities that name it (itself or through a group such as 各镇街), its role
in each, and the other units and groups beside it."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.models import ROLE_LEAD, UNIT_ROLES, Activity, ActivityGroup, ActivityUnit, printed_names
from campaign.plan.participants import units_in_activities
from campaign.web.extensions import db


@dataclass
class Task:
    """One activity the unit takes part in, seen from that unit."""

    activity: Activity
    role: str
    # The other units and groups of the activity by role (lead first), as the plan names them, without the unit.
    others: dict[str, list[str]] = field(default_factory=dict)

    @property
    def other_leads(self) -> list[str]:
        return self.others.get(ROLE_LEAD, [])

    @property
    def other_participants(self) -> list[str]:
        return [name for role, names in self.others.items() if role != ROLE_LEAD for name in names]


def unit_activities(unit_id: int, campaign_ids: list[int]) -> dict[int, list[Task]]:
    """The unit's tasks in each of these campaigns, in the plan's order, by campaign id."""
    by_campaign: dict[int, list[Task]] = {campaign_id: [] for campaign_id in campaign_ids}
    if not campaign_ids:
        return by_campaign
    roles = {
        named.activity_id: named.role
        for named in units_in_activities(Activity.campaign_id.in_(campaign_ids), unit_id=unit_id)
    }
    if not roles:
        return by_campaign
    activities = db.session.scalars(
        sa.select(Activity)
        .join(ActivityGroup, Activity.group_id == ActivityGroup.id)
        .where(Activity.id.in_(roles))
        .options(
            joinedload(Activity.group),
            joinedload(Activity.venue),
            selectinload(Activity.unit_links).joinedload(ActivityUnit.unit),
        )
        .order_by(ActivityGroup.sort_order, ActivityGroup.id, Activity.sort_order, Activity.id)
    ).unique().all()
    for activity in activities:
        by_campaign[activity.campaign_id].append(_task(activity, unit_id, roles[activity.id]))
    return by_campaign


def _task(activity: Activity, unit_id: int, own_role: str) -> Task:
    # In the order and the words of the plan's lists, as the contact will read them in the plan document.
    others = {
        role: printed_names(activity.links_in_role(role), left_out=lambda link: link.unit_id == unit_id)
        for role in UNIT_ROLES
    }
    return Task(activity, own_role, {role: names for role, names in others.items() if names})
