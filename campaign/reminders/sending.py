"""Sending the reminders that are due: who still owes something, on which channels, each send claimed first.

The claim: a ReminderSend row inserted (UNIQUE slot, recipient, channel) and committed before anything goes out, in
a transaction of its own; a second consumer doing the same at the same moment fails the insert and sends nothing. A
send that failed waits (RETRY_SECONDS × 4^attempts) and is claimed again by a conditional update (status 'retry' →
'claimed'), again by one consumer only; after MAX_ATTEMPTS it is 'failed', with its reason on the organizer's page.
A claim whose consumer died before writing the result (claimed longer than STALE_CLAIM ago) is taken for a failed
attempt: at least once rather than never, since the e-mail may or may not have left.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from campaign.booths.followup_reminders import Reminder, due_soon
from campaign.booths.followup_reminders import email_message as referral_email
from campaign.booths.models import Booth
from campaign.plan.models import STATUS_ISSUED, Campaign
from campaign.plan.tasks import unit_activities
from campaign.reminders import channels
from campaign.reminders.models import (
    CHANNEL_DINGTALK,
    CHANNEL_EMAIL,
    CHANNEL_SMS,
    CHANNEL_WECOM,
    SEND_CLAIMED,
    SEND_FAILED,
    SEND_RETRY,
    SEND_SENT,
    ReminderChannel,
    ReminderSend,
    ReminderSlot,
)
from campaign.reminders.schedule import SLOT_ISSUED, due_summary_slot, ensure_slots, referral_slot
from campaign.reminders.settings import unit_robots
from campaign.shared.mail import smtp_settings
from campaign.shared.timeutil import local_date, utcnow
from campaign.summaries.reminders import email_message as summary_email
from campaign.summaries.reminders import pending_rows, reminder_text, tasks_text
from campaign.web.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class Outgoing:
    """One reminder to send: its key (recipient, channel), where to, and how."""

    recipient: str
    channel: str
    address: str
    deliver: Callable[[], None]


def _link(path: str) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}{path}" if base else "登录系统后打开"


def _robots(campaign: Campaign) -> dict[str, ReminderChannel]:
    return {row.channel: row for row in db.session.scalars(
        sa.select(ReminderChannel).where(ReminderChannel.campaign_id == campaign.id))}


def _group_and_sms(robots: dict[str, ReminderChannel], group_text: Callable[[list], str],
                   per_unit: list[tuple]) -> list[Outgoing]:
    """Per robot channel: each unit with its own robot (settings.unit_robots) gets its message there, and the
    campaign's robot one message to the group about the others (`group_text` of their indexes in `per_unit`); then
    one SMS per unit with a phone number. `per_unit`: (unit, message)."""
    out = []
    own = unit_robots(unit.id for unit, _message in per_unit)
    for channel in (CHANNEL_WECOM, CHANNEL_DINGTALK):
        others = []
        for index, (unit, message) in enumerate(per_unit):
            robot_of_unit = own.get((unit.id, channel))
            if robot_of_unit is None:
                others.append(index)
            else:
                out.append(Outgoing(f"unit:{unit.id}", channel, robot_of_unit.url,
                                    partial(channels.send_robot, robot_of_unit.url, message)))
        robot = robots.get(channel)
        text = group_text(others) if robot is not None and others else ""
        if robot is not None and text:
            out.append(Outgoing("group", channel, robot.url, partial(channels.send_robot, robot.url, text)))
    sms = robots.get(CHANNEL_SMS)
    if sms is not None:
        for unit, message in per_unit:
            phone = (unit.contact_phone or "").strip()
            if phone:
                values = {"unit": unit.name, "contact": unit.contact_person, "phone": phone, "message": message}
                out.append(Outgoing(f"unit:{unit.id}", CHANNEL_SMS, phone,
                                    partial(channels.send_sms, sms.url, sms.template, **values)))
    return out


def summary_outgoing(campaign: Campaign, now: datetime, slot_key: str = "") -> list[Outgoing]:
    """Each unit that has not submitted: an e-mail (if it has an address) and an SMS; the robots' group text. When
    the plan is issued (SLOT_ISSUED) each unit's message gives its own tasks as well as the deadline."""
    rows = pending_rows(campaign, now)
    if not rows:
        return []
    settings = smtp_settings(current_app.config)
    link = _link(f"/summaries/{campaign.id}")
    issued = slot_key == SLOT_ISSUED
    tasks = {row.unit.id: tasks_text(campaign, row, unit_activities(row.unit.id, [campaign.id])[campaign.id], now)
             for row in rows} if issued else {}
    out = []
    for row in rows:
        address = (row.unit.contact_email or "").strip()
        if address:
            build = partial(summary_email, campaign=campaign, row=row, address=address, link=link, now=now,
                            tasks=tasks.get(row.unit.id, ""))
            out.append(Outgoing(f"unit:{row.unit.id}", CHANNEL_EMAIL, address,
                                partial(channels.send_email, settings, build)))
    per_unit = [(row.unit, tasks.get(row.unit.id) or reminder_text(campaign, [row], now)) for row in rows]
    group = partial(_summary_group_text, campaign, rows, now, issued)
    return out + _group_and_sms(_robots(campaign), group, per_unit)


def _summary_group_text(campaign: Campaign, rows: list, now: datetime, issued: bool, indexes: list[int]) -> str:
    text = reminder_text(campaign, [rows[index] for index in indexes], now)
    if issued and text:
        return f"【通知】《{campaign.title}》已印发，请各单位按方案分工开展活动，各单位的任务见系统“我的任务”。{text}"
    return text


def _referral_text(reminder: Reminder) -> str:
    items = "；".join(f"{(follow_up.consultation.question or '')[:30]}（{deadline.month}月{deadline.day}日）"
                     for follow_up, deadline in reminder.items)
    return f"【提醒】{reminder.unit.label}有{len(reminder.items)}件转办事项即将到期，请在期限内答复群众并办结：{items}。"


def referral_outgoing(campaign: Campaign, now: datetime) -> list[Outgoing]:
    """Each unit with this campaign's open referrals due within two working days."""
    booth_ids = set(db.session.scalars(sa.select(Booth.id).where(Booth.campaign_id == campaign.id)))
    reminders = []
    for reminder in due_soon(local_date(now)):
        items = [(f, d) for f, d in reminder.items if f.consultation.booth_id in booth_ids]
        if items:
            reminders.append(Reminder(reminder.unit, items, reminder.address))
    if not reminders:
        return []
    settings = smtp_settings(current_app.config)
    link = _link("/follow-ups/")
    out = []
    for reminder in reminders:
        if reminder.address:
            build = partial(referral_email, reminder=reminder, link=link, now=now)
            out.append(Outgoing(f"unit:{reminder.unit.id}", CHANNEL_EMAIL, reminder.address,
                                partial(channels.send_email, settings, build)))
    per_unit = [(reminder.unit, _referral_text(reminder)) for reminder in reminders]
    return out + _group_and_sms(_robots(campaign), lambda indexes: "\n".join(per_unit[i][1] for i in indexes),
                                per_unit)


def _claim_new(slot_id: int, item: Outgoing, now: datetime) -> int | None:
    """Insert the send row, committed; None when another consumer (or an earlier run) has it already."""
    try:
        with db.session.begin_nested():
            send = ReminderSend(slot_id=slot_id, recipient=item.recipient, channel=item.channel,
                                address=item.address[:500], status=SEND_CLAIMED, attempts=1, claimed_at=now)
            db.session.add(send)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return send.id


def _claim_again(send_id: int, now: datetime) -> bool:
    """A failed send whose wait is over, or a claim whose consumer died: claimed by exactly one consumer."""
    result = db.session.execute(
        sa.update(ReminderSend).where(
            ReminderSend.id == send_id,
            sa.or_(
                sa.and_(ReminderSend.status == SEND_RETRY, ReminderSend.next_try_at <= now),
                sa.and_(ReminderSend.status == SEND_CLAIMED, ReminderSend.claimed_at <= now - STALE_CLAIM),
            ),
        ).values(status=SEND_CLAIMED, claimed_at=now, attempts=ReminderSend.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's CursorResult


def _record(send_id: int, error: str, now: datetime) -> None:
    send = db.session.get_one(ReminderSend, send_id)
    db.session.refresh(send)
    if not error:
        send.status, send.error, send.sent_at = SEND_SENT, "", now
    elif send.attempts >= MAX_ATTEMPTS:
        send.status, send.error = SEND_FAILED, error
    else:
        wait = float(current_app.config.get("REMINDER_RETRY_SECONDS", 60)) * 4 ** (send.attempts - 1)
        send.status, send.error, send.next_try_at = SEND_RETRY, error, now + timedelta(seconds=wait)
    db.session.commit()


def _deliver(send_id: int, item: Outgoing) -> str:
    try:
        item.deliver()
    except channels.SendFailed as failure:
        return str(failure)
    except Exception as failure:  # an unexpected failure is one more failed attempt, not a dead consumer
        log.exception("reminder send %s failed", send_id)
        return type(failure).__name__
    return ""


def send_slot(slot: ReminderSlot, items: list[Outgoing], now: datetime) -> int:
    """Send each item not yet claimed for this slot; retry those whose wait is over. Returns how many went out."""
    existing = {(send.recipient, send.channel): send.id for send in db.session.scalars(
        sa.select(ReminderSend).where(ReminderSend.slot_id == slot.id))}
    slot_id = slot.id
    db.session.commit()
    sent = 0
    for item in items:
        send_id = existing.get((item.recipient, item.channel))
        if send_id is None:
            send_id = _claim_new(slot_id, item, now)
        elif not _claim_again(send_id, now):
            continue
        if send_id is None:
            continue
        error = _deliver(send_id, item)
        _record(send_id, error, now)
        sent += not error
    return sent


def run_due(now: datetime | None = None) -> int:
    """Every issued campaign's due reminders, sent. Commits as it goes (each claim before its send)."""
    now = now or utcnow()
    total = 0
    campaign_ids = list(db.session.scalars(
        sa.select(Campaign.id).where(Campaign.status == STATUS_ISSUED, Campaign.issued_at.is_not(None))))
    for campaign_id in campaign_ids:
        campaign = db.session.get_one(Campaign, campaign_id)
        slot = due_summary_slot(ensure_slots(campaign), now)
        db.session.commit()
        if slot is not None:
            total += send_slot(slot, summary_outgoing(campaign, now, slot.key), now)
        referrals = referral_slot(campaign, now)
        db.session.commit()
        if referrals.enabled and referrals.due_at <= now:
            items = referral_outgoing(campaign, now)
            if items:
                total += send_slot(referrals, items, now)
    return total
