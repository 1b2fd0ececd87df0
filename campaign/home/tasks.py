"""A unit contact's task list: what the unit does in each issued campaign, and when its summary is due."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
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
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db


@dataclass
class TimeLeft:
    """What remains until a deadline, cut down to whole minutes."""

    passed: bool
    days: int = 0
    hours: int = 0
    minutes: int = 0
    under_a_minute: bool = False

    @property
    def urgent(self) -> bool:
        return not self.passed and self.days == 0

    @property
    def text(self) -> str:
        if self.passed:
            return _("已过截止时间")
        if self.days:
            return _("还有 %(days)d 天 %(hours)d 小时", days=self.days, hours=self.hours)
        if self.hours:
            return _("还有 %(hours)d 小时 %(minutes)d 分钟", hours=self.hours, minutes=self.minutes)
        if self.under_a_minute:
            return _("还有不到 1 分钟")
        return _("还有 %(minutes)d 分钟", minutes=self.minutes)


def time_left(deadline: datetime | None, now: datetime) -> TimeLeft | None:
    """None when there is no deadline. A naive `now` is read as Beijing time, as people here speak it."""
    if deadline is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=LOCAL_TZ)
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return TimeLeft(passed=True)
    minutes_total = seconds // 60
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return TimeLeft(passed=False, days=days, hours=hours, minutes=minutes, under_a_minute=minutes_total == 0)


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


@dataclass
class TaskList:
    current: list[CampaignTasks]
    past: list[CampaignTasks]

    @property
    def has_any_task(self) -> bool:
        return any(entry.tasks for entry in self.current + self.past)


def unit_tasks(unit_id: int, now: datetime | None = None) -> TaskList:
    """The unit's activities in issued campaigns (current) and closed ones (past); drafts are not shown.

    Every issued campaign is listed, even without activities for the unit, so that the unit reads that it has
    nothing to do and no summary to send; closed campaigns only where the unit took part. A campaign with tasks is
    one the unit takes part in (plan/participants.py: the plan names it in an activity). Three queries whatever
    the size of the plan.
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

    current, past = [], []
    for campaign in campaigns:
        tasks = by_campaign[campaign.id]
        if campaign.status == STATUS_ISSUED:
            current.append(CampaignTasks(campaign, tasks, time_left(campaign.summary_deadline, now)))
        elif tasks:
            past.append(CampaignTasks(campaign, tasks, None))
    return TaskList(current=current, past=past)


def _task(activity: Activity, unit_id: int) -> Task:
    own_role = next(link.role for link in activity.unit_links if link.unit_id == unit_id)
    others = {role: [] for role in UNIT_ROLES}
    # In the order the plan lists them, as the contact will read them in the plan document.
    for link in activity.unit_links:
        if link.unit_id != unit_id:
            others[link.role].append(link.unit)
    return Task(activity, own_role, {role: units for role, units in others.items() if units})
