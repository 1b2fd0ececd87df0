"""Where a unit's summary stands, for pages outside this module (the contact's task list).

The plan module may not import the summaries, yet its task list must say when a summary was returned; the
summaries blueprint hands this to the templates as a global instead (views.py).
"""

from dataclasses import dataclass
from datetime import datetime

from campaign.summaries import access, workflow


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


def summary_status(campaign_id: int, unit_id: int) -> SummaryStatus:
    """One query. The note only for a returned summary: an old note must not outlive the resubmission."""
    summary = workflow.find_summary(campaign_id, unit_id)
    state = workflow.summary_state(summary)
    if state != workflow.STATE_RETURNED:
        return SummaryStatus(state, access.open_for_writing(summary))
    return SummaryStatus(state, access.open_for_writing(summary), summary.review_note or "", summary.returned_at)
