"""When a campaign stops taking entries (issue 16.6, 19.1): the one rule for staff links and public cards.

Entries are taken until the grace period after the campaign's last day ends (BOOTH_GRACE_DAYS, default 3: a phone
that was offline at the venue still uploads its queue the next days) or the organizer closes the campaign, whichever
comes first. After that a new entry would move figures that units have already summarised and the organizer has
accepted, so it is refused; a copy of an entry stored before the close is still answered as stored (exactly-once).
"""

from datetime import UTC, datetime, time, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _

from campaign.plan.models import STATUS_CLOSED, Campaign
from campaign.shared.timeutil import LOCAL_TZ, utcnow

DEFAULT_GRACE_DAYS = 3
CLOSED_ERROR = "campaign_closed"


def grace_days() -> int:
    value = current_app.config.get("BOOTH_GRACE_DAYS", DEFAULT_GRACE_DAYS) if has_app_context() else None
    try:
        return max(0, int(value if value is not None else DEFAULT_GRACE_DAYS))
    except (TypeError, ValueError):
        return DEFAULT_GRACE_DAYS


def period_end(campaign: Campaign) -> datetime:
    """The end of the campaign's last day, Beijing time (in UTC): no entry is recorded later than this."""
    return datetime.combine(campaign.last_day + timedelta(days=1), time.min, LOCAL_TZ).astimezone(UTC)


def entries_end(campaign: Campaign) -> datetime:
    """When the grace period ends: entries arriving later are refused."""
    return period_end(campaign) + timedelta(days=grace_days())


def entries_closed(campaign: Campaign, now: datetime | None = None) -> bool:
    return campaign.status == STATUS_CLOSED or (now or utcnow()) >= entries_end(campaign)


def closed_message(campaign: Campaign) -> str:
    """Why an entry is refused and whom to ask: the office that issued the campaign's notice."""
    office = campaign.issuing_office or _("活动组织方")
    return _("本次活动已结束登记，不再接收新的记录。未上传的记录仍保留在这部手机上，请联系%(office)s处理。",
             office=office)


def public_closed_message(campaign: Campaign) -> str:
    office = campaign.issuing_office or _("活动组织方")
    return _("本次活动已结束，这张评价卡不再接收留言。如有问题，请联系%(office)s。", office=office)


def recorded_too_late(campaign: Campaign, recorded_at: datetime) -> str | None:
    """A time after the period and its grace (a phone whose clock is wrong): the field's message, else None."""
    if recorded_at.astimezone(UTC) >= entries_end(campaign):
        last = campaign.last_day
        return _("记录时间晚于活动结束（%(day)s），请核对手机的日期和时间后再保存。", day=f"{last.month}月{last.day}日")
    return None
