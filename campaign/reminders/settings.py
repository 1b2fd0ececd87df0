"""The organizer's reminder settings: a channel's webhook (checked before it is kept) and a slot switched on or off.
Services: plain arguments, refusals for bad input, flush; the request commits."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.plan.models import Campaign
from campaign.reminders.channels import check_template, check_url
from campaign.reminders.models import CHANNEL_SMS, ReminderChannel, ReminderSend, ReminderSlot
from campaign.reminders.schedule import ensure_slots, slot_label
from campaign.shared.audit import record, register_action_labels
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

ACTION_CHANNEL = "reminder_channel_saved"
ACTION_SLOT = "reminder_slot_switched"
register_action_labels({ACTION_CHANNEL: _l("修改自动提醒渠道"), ACTION_SLOT: _l("开关自动提醒时间点")})
ROBOT_CHANNELS = ("wecom", "dingtalk")


def save_channel(campaign: Campaign, user, channel: str, url: str, template: str = "",
                 allowed_hosts: dict[str, str] | None = None) -> ReminderChannel | None:
    """Keep (or with an empty URL remove) a robot's or the SMS gateway's settings; bad input changes nothing."""
    if channel not in (*ROBOT_CHANNELS, CHANNEL_SMS):
        raise Refusal(_("请选择提醒渠道。"))
    existing = db.session.scalar(sa.select(ReminderChannel).where(ReminderChannel.campaign_id == campaign.id,
                                                                  ReminderChannel.channel == channel))
    if not url.strip():
        if existing is not None:
            db.session.delete(existing)
            record(user, ACTION_CHANNEL, campaign, campaign_id=campaign.id, channel=channel, removed=True)
        db.session.flush()
        return None
    if len(url.strip()) > 500:
        raise Refusal(_("网址太长。"), field="url")
    url = check_url(channel, url, allowed_hosts)
    template = check_template(template.strip()) if channel == CHANNEL_SMS else ""
    if existing is None:
        existing = ReminderChannel(campaign_id=campaign.id, channel=channel, url=url, template=template)
        db.session.add(existing)
    else:
        existing.url, existing.template = url, template
    record(user, ACTION_CHANNEL, campaign, campaign_id=campaign.id, channel=channel)
    db.session.flush()
    return existing


def switch_slot(campaign: Campaign, user, slot_id: int, enabled: bool) -> ReminderSlot:
    slot = db.session.get(ReminderSlot, slot_id)
    if slot is None or slot.campaign_id != campaign.id:
        raise Refusal(_("没有这个提醒时间点。"))
    if slot.enabled != enabled:
        slot.enabled = enabled
        record(user, ACTION_SLOT, campaign, campaign_id=campaign.id, slot=slot.key, enabled=enabled)
    db.session.flush()
    return slot


def schedule_view(campaign: Campaign) -> dict:
    """The slots with their sends, the failures first-class, and the channels set."""
    slots = ensure_slots(campaign)
    referral_slots = list(db.session.scalars(
        sa.select(ReminderSlot).where(ReminderSlot.campaign_id == campaign.id, ReminderSlot.key.like("referrals-%"))
        .order_by(ReminderSlot.due_at.desc()).limit(10)))
    shown = slots + [slot for slot in referral_slots if slot not in slots]
    failures = list(db.session.scalars(
        sa.select(ReminderSend).join(ReminderSlot).where(ReminderSlot.campaign_id == campaign.id,
                                                         ReminderSend.status.in_(("failed", "retry")))
        .order_by(ReminderSend.id)))
    channels = {row.channel: row for row in db.session.scalars(
        sa.select(ReminderChannel).where(ReminderChannel.campaign_id == campaign.id))}
    return {"slots": [(slot, slot_label(slot.key)) for slot in shown], "failures": failures, "channels": channels,
            "label": slot_label}
