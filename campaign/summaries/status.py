"""Where a unit's summary stands, for pages above this module (the contact's task list in campaign/home/)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from campaign.summaries import access, workflow
from campaign.summaries.models import UnitSummary
from campaign.web.extensions import db


@dataclass(frozen=True)
class SummaryStatus:
    state: str
    # access.open_for_writing: a summary not started counts, the first save creates it.
    editable: bool
    note: str = ""
    returned_at: datetime | None = None

    @property
    def label(self) -> str:
        return str(workflow.STATE_LABELS[self.state])

    @property
    def returned(self) -> bool:
        return self.state == workflow.STATE_RETURNED


def summary_statuses(campaign_ids: list[int], unit_id: int) -> dict[int, SummaryStatus]:
    """The unit's summary state in each of these campaigns, by campaign id: one query for them all. The note only
    for a returned summary: an old note must not outlive the resubmission."""
    found = {}
    if campaign_ids:
        found = {
            summary.campaign_id: summary
            for summary in db.session.scalars(
                sa.select(UnitSummary).where(UnitSummary.campaign_id.in_(campaign_ids), UnitSummary.unit_id == unit_id)
            )
        }
    statuses = {}
    for campaign_id in campaign_ids:
        summary = found.get(campaign_id)
        state = workflow.summary_state(summary)
        editable = access.open_for_writing(summary)
        if state == workflow.STATE_RETURNED and summary is not None:
            statuses[campaign_id] = SummaryStatus(state, editable, summary.review_note or "", summary.returned_at)
        else:
            statuses[campaign_id] = SummaryStatus(state, editable)
    return statuses
