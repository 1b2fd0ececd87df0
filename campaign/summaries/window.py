"""The organizer closes a campaign to further summaries, and may open it again; late ones are still marked late."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from campaign.plan.models import Campaign
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.summaries.models import SummaryWindow
from campaign.web.extensions import db

register_action_labels(
    {
        "summary_window_closed": _l("关闭总结报送"),
        "summary_window_reopened": _l("重新开放总结报送"),
    }
)


def window_closed(campaign: Campaign) -> bool:
    window = db.session.get(SummaryWindow, campaign.id)
    return window is not None and window.closed_at is not None


def close_window(campaign: Campaign, user, now: datetime | None = None) -> bool:
    """No more submissions for the campaign. Closing a closed window changes nothing (False)."""
    now = now or utcnow()
    window = db.session.get(SummaryWindow, campaign.id)
    if window is not None and window.closed_at is not None:
        return False
    if window is None:
        window = SummaryWindow(campaign_id=campaign.id)
        db.session.add(window)
    window.closed_at = now
    window.closed_by_id = getattr(user, "id", None)
    record(user, "summary_window_closed", campaign, campaign_id=campaign.id)
    db.session.flush()
    return True


def reopen_window(campaign: Campaign, user) -> bool:
    """Submissions taken again (late ones marked late). Reopening an open window changes nothing (False)."""
    window = db.session.get(SummaryWindow, campaign.id)
    if window is None or window.closed_at is None:
        return False
    window.closed_at = None
    window.closed_by_id = None
    record(user, "summary_window_reopened", campaign, campaign_id=campaign.id)
    db.session.flush()
    return True
