"""A unit contact's task list: what the unit does in each issued campaign, when its summary is due and where it
stands. This module sits above the stages (plan, summaries), so it may read them all."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.models import (
    ROLE_LEAD,
    STATUS_CLOSED,
    STATUS_ISSUED,
    UNIT_ROLES,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
)
from campaign.shared.timeutil import TimeLeft, time_left, utcnow
from campaign.summaries.status import SummaryStatus, summary_statuses
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


@dataclass
class CampaignTasks:
    campaign: Campaign
    tasks: list[Task]
    deadline: TimeLeft | None
    # Where the unit's summary stands; None where the unit owes none (an issued plan that gives it no activity).
    summary: SummaryStatus | None = None


@dataclass
class TaskList:
    current: list[CampaignTasks]
    past: list[CampaignTasks]

    @property
    def has_any_task(self) -> bool:
        return any(entry.tasks for entry in self.current + self.past)


def unit_tasks(unit_id: int, now: datetime | None = None) -> TaskList:
    """The unit's activities in issued campaigns (current) and closed ones (past); drafts are not shown.

    Every issued campaign is listed, even without activities for the unit, because every unit owes its
    summary; closed campaigns only where the unit took part. Four queries whatever the size of the plan.
    """
    now = now or utcnow()
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(Campaign.status.in_((STATUS_ISSUED, STATUS_CLOSED)))
        .order_by(Campaign.year.desc(), Campaign.edition.desc(), Campaign.id.desc())
    ).all()
    by_campaign: dict[int, list[Task]] = {campaign.id: [] for campaign in campaigns}
    if campaigns:
        activities = db.session.scalars(
            sa.select(Activity)
            .join(ActivityGroup, Activity.group_id == ActivityGroup.id)
            .where(
                Activity.campaign_id.in_(by_campaign),
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

    summaries = summary_statuses([campaign_id for campaign_id, tasks in by_campaign.items() if tasks], unit_id)
    current, past = [], []
    for campaign in campaigns:
        tasks = by_campaign[campaign.id]
        summary = summaries.get(campaign.id)
        if campaign.status == STATUS_ISSUED:
            current.append(CampaignTasks(campaign, tasks, time_left(campaign.summary_deadline, now), summary))
        elif tasks:
            past.append(CampaignTasks(campaign, tasks, None, summary))
    return TaskList(current=current, past=past)


def _task(activity: Activity, unit_id: int) -> Task:
    own_role = next(link.role for link in activity.unit_links if link.unit_id == unit_id)
    others = {role: [] for role in UNIT_ROLES}
    # In the order the plan lists them, as the contact will read them in the plan document.
    for link in activity.unit_links:
        if link.unit_id != unit_id:
            others[link.role].append(link.unit)
    return Task(activity, own_role, {role: units for role, units in others.items() if units})
