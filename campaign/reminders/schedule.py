"""A campaign's reminder schedule: the default moments, made once the plan is issued with a deadline.

Defaults, as offices chase: when the plan is issued, halfway to the deadline, 9:00 the day before, 9:00 the morning
of the deadline; and each working morning at 9:00 for referrals due within two working days. A slot's moment follows
the deadline while nothing of it has been sent. Only the latest due summary slot is sent: a server that was down
for a week does not send four reminders at once, and a slot more than GRACE late is skipped.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.plan.models import Campaign
from campaign.reminders.models import ReminderSend, ReminderSlot
from campaign.shared.timeutil import local_date, local_datetime
from campaign.web.extensions import db

MORNING = time(9, 0)
GRACE = timedelta(hours=36)
SLOT_ISSUED = "issued"
SLOT_HALFWAY = "halfway"
SLOT_DAY_BEFORE = "day_before"
SLOT_DEADLINE = "deadline"
REFERRALS_PREFIX = "referrals-"
SUMMARY_SLOTS = (SLOT_ISSUED, SLOT_HALFWAY, SLOT_DAY_BEFORE, SLOT_DEADLINE)
SLOT_LABELS = {
    SLOT_ISSUED: _l("方案印发时"),
    SLOT_HALFWAY: _l("距截止时间过半"),
    SLOT_DAY_BEFORE: _l("截止前一天上午"),
    SLOT_DEADLINE: _l("截止当天上午"),
}


def slot_label(key: str) -> str:
    if key.startswith(REFERRALS_PREFIX):
        return str(_l("转办到期提醒（%(day)s）", day=key.removeprefix(REFERRALS_PREFIX)))
    return str(SLOT_LABELS.get(key, key))


def default_moments(campaign: Campaign) -> dict[str, datetime]:
    """The summary slots' moments (UTC); none before the plan is issued with a deadline."""
    if campaign.issued_at is None or campaign.summary_deadline is None:
        return {}
    issued, deadline = campaign.issued_at, campaign.summary_deadline
    last_day = local_date(deadline)
    moments = {
        SLOT_ISSUED: issued,
        SLOT_HALFWAY: issued + (deadline - issued) / 2,
        SLOT_DAY_BEFORE: local_datetime(last_day - timedelta(days=1), MORNING),
        SLOT_DEADLINE: min(local_datetime(last_day, MORNING), deadline),
    }
    # A moment before the plan was issued (a deadline two days away) is folded into the issuing.
    return {key: moment for key, moment in moments.items() if key == SLOT_ISSUED or moment > issued}


def ensure_slots(campaign: Campaign) -> list[ReminderSlot]:
    """The campaign's summary slots, added or moved to follow the plan; a slot already (partly) sent stays."""
    slots = {slot.key: slot for slot in db.session.scalars(
        sa.select(ReminderSlot).where(ReminderSlot.campaign_id == campaign.id))}
    for key, moment in default_moments(campaign).items():
        slot = slots.get(key)
        if slot is None:
            slot = slots[key] = ReminderSlot(campaign_id=campaign.id, key=key, due_at=moment)
            db.session.add(slot)
        elif slot.due_at != moment and not _has_sends(slot):
            slot.due_at = moment
    db.session.flush()
    return sorted(slots.values(), key=lambda slot: slot.due_at)


def referral_slot(campaign: Campaign, now: datetime) -> ReminderSlot:
    """Today's referral slot (9:00 local), made on first use."""
    today = local_date(now)
    key = f"{REFERRALS_PREFIX}{today.isoformat()}"
    slot = db.session.scalar(sa.select(ReminderSlot).where(ReminderSlot.campaign_id == campaign.id,
                                                           ReminderSlot.key == key))
    if slot is None:
        slot = ReminderSlot(campaign_id=campaign.id, key=key, due_at=local_datetime(today, MORNING))
        db.session.add(slot)
        db.session.flush()
    return slot


def _has_sends(slot: ReminderSlot) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(ReminderSend.id)).where(ReminderSend.slot_id == slot.id)))


def due_summary_slot(slots: list[ReminderSlot], now: datetime) -> ReminderSlot | None:
    """The latest summary slot whose moment has come, unless it is more than GRACE late."""
    due = [slot for slot in slots if slot.key in SUMMARY_SLOTS and slot.enabled and slot.due_at <= now]
    if not due:
        return None
    latest = max(due, key=lambda slot: slot.due_at)
    return latest if now - latest.due_at <= GRACE else None
