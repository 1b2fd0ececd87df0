"""Who may read a unit's summary, and when it may still be changed: the summaries' access rules, once.

Why this module: the unit's page, the photos, the documents, the task list and the workflow each asked these two
questions with their own copy of the answer; views and services now ask here.
"""

from campaign.summaries.models import STATUS_DRAFT, STATUS_RETURNED

# A summary may be changed while it is a draft or has been returned; once submitted or accepted it is fixed
# until the organizer returns it.
EDITABLE_STATUSES = (STATUS_DRAFT, STATUS_RETURNED)


def is_editable(summary) -> bool:
    """The summary exists and its unit may change it."""
    return summary is not None and summary.status in EDITABLE_STATUSES


def open_for_writing(summary) -> bool:
    """A summary not started yet counts too: the unit's first save creates it."""
    return summary is None or is_editable(summary)


def is_organizer_or_own_unit(user, summary) -> bool:
    """Organizers see every summary; a unit contact only their own unit's."""
    if getattr(user, "is_organizer", False):
        return True
    unit_id = getattr(user, "unit_id", None)
    return unit_id is not None and unit_id == summary.unit_id
