"""The organizer's reminder settings: a channel's webhook (checked before it is kept), a unit's own group robot, and a
slot switched on or off. Services: plain arguments, refusals for bad input (nothing changed), flush; the request
commits."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.plan.models import Campaign
from campaign.plan.participants import participants
from campaign.reminders.channels import check_template, check_url
from campaign.reminders.models import CHANNEL_SMS, ReminderChannel, ReminderSend, ReminderSlot, UnitRobot
from campaign.reminders.schedule import ensure_slots, slot_label
from campaign.shared.audit import record, register_action_labels
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

ACTION_CHANNEL = "reminder_channel_saved"
ACTION_SLOT = "reminder_slot_switched"
ACTION_UNIT_ROBOT = "unit_robot_saved"
register_action_labels({ACTION_CHANNEL: _l("修改自动提醒渠道"), ACTION_SLOT: _l("开关自动提醒时间点"),
                        ACTION_UNIT_ROBOT: _l("修改单位的群机器人")})
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


def save_unit_robot(campaign: Campaign, user, unit_id: int | None, channel: str, url: str,
                    allowed_hosts: dict[str, str] | None = None) -> UnitRobot | None:
    """A unit's own 企业微信 or 钉钉 robot (an empty URL removes it): that unit's reminders go there, in every
    campaign, instead of to the campaign's group. Set from a campaign's page, for a unit taking part in it."""
    if channel not in ROBOT_CHANNELS:
        raise Refusal(_("请选择企业微信或钉钉群机器人。"), field="channel")
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.id not in {taking_part.id for taking_part in participants(campaign.id)}:
        raise Refusal(_("请选择参加本次活动的单位。"), field="unit_id")
    existing = db.session.scalar(sa.select(UnitRobot).where(UnitRobot.unit_id == unit.id, UnitRobot.channel == channel))
    if not url.strip():
        if existing is not None:
            db.session.delete(existing)
            record(user, ACTION_UNIT_ROBOT, unit, campaign_id=campaign.id, unit=unit.name, channel=channel,
                   removed=True)
        db.session.flush()
        return None
    if len(url.strip()) > 500:
        raise Refusal(_("网址太长。"), field="url")
    url = check_url(channel, url, allowed_hosts)
    if existing is not None and existing.url == url:
        return existing
    if existing is None:
        existing = UnitRobot(unit_id=unit.id, channel=channel, url=url)
        db.session.add(existing)
    existing.url = url
    record(user, ACTION_UNIT_ROBOT, unit, campaign_id=campaign.id, unit=unit.name, channel=channel)
    db.session.flush()
    return existing


def unit_robots(unit_ids) -> dict[tuple[int, str], UnitRobot]:
    """(unit id, channel) → the unit's own robot, for these units."""
    ids = list(unit_ids)
    if not ids:
        return {}
    return {(robot.unit_id, robot.channel): robot for robot in db.session.scalars(
        sa.select(UnitRobot).where(UnitRobot.unit_id.in_(ids)))}


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
    units = participants(campaign.id)
    robots = unit_robots(unit.id for unit in units)
    return {"slots": [(slot, slot_label(slot.key)) for slot in shown], "failures": failures, "channels": channels,
            "label": slot_label, "units": units,
            "unit_robots": sorted(robots.values(), key=lambda robot: (robot.unit.sort_order, robot.unit_id,
                                                                      robot.channel))}
