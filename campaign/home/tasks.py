"""A unit contact's task list: what the unit does in each issued campaign, when its summary is due and where it
stands. This module sits above the stages (plan, summaries), so it may read them all."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from campaign.booths.followup_lists import FollowUpCounts, follow_up_counts
from campaign.plan.models import (
    STATUS_CLOSED,
    STATUS_ISSUED,
    Campaign,
)
from campaign.plan.tasks import Task, unit_activities
from campaign.shared.timeutil import TimeLeft, time_left, utcnow
from campaign.summaries.status import SummaryStatus, summary_statuses
from campaign.web.extensions import db


@dataclass
class CampaignTasks:
    campaign: Campaign
    tasks: list[Task]
    deadline: TimeLeft | None
    # Where the unit's summary stands; None where the unit owes none (an issued plan that gives it no activity).
    summary: SummaryStatus | None = None
    # The referrals the unit must answer in this campaign (open and overdue); for issued campaigns.
    follow_ups: FollowUpCounts | None = None


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
    one the unit takes part in (plan/participants.py: the plan names it in an activity). Four queries whatever
    the size of the plan, and one per issued campaign for its referrals.
    """
    now = now or utcnow()
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(Campaign.status.in_((STATUS_ISSUED, STATUS_CLOSED)))
        .order_by(Campaign.year.desc(), Campaign.edition.desc(), Campaign.id.desc())
    ).all()
    by_campaign = unit_activities(unit_id, [campaign.id for campaign in campaigns])
    summaries = summary_statuses([campaign_id for campaign_id, tasks in by_campaign.items() if tasks], unit_id)
    current, past = [], []
    for campaign in campaigns:
        tasks = by_campaign[campaign.id]
        summary = summaries.get(campaign.id)
        if campaign.status == STATUS_ISSUED:
            current.append(CampaignTasks(
                campaign, tasks, time_left(campaign.summary_deadline, now), summary,
                follow_up_counts(campaign.id, unit_id),
            ))
        elif tasks:
            past.append(CampaignTasks(campaign, tasks, None, summary))
    return TaskList(current=current, past=past)
