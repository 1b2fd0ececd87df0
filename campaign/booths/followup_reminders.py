"""Reminding a unit of its referrals before their deadlines: one e-mail per unit, through the mail server the
summary reminders use (shared/mail.py). Run daily by `flask booths remind-referrals` (cron or any scheduler).

The e-mails go to the units, so they are Chinese whatever the interface language. A unit is reminded once a day
at most: each sending is in the audit log with the day, and a second run that day skips it. Units without an
address are reported and skipped.
"""

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.booths import records
from campaign.booths.followups import OPEN_STATES
from campaign.booths.models import PENDING, Booth, Consultation, FollowUp
from campaign.shared.audit import AuditEvent, record, register_action_labels
from campaign.shared.mail import SmtpSettings, connect
from campaign.shared.timeutil import local_today, utcnow
from campaign.shared.workdays import add_working_days
from campaign.units.models import Unit
from campaign.web.extensions import db

ACTION = "follow_up_reminder_emailed"
ACTION_FAILED = "follow_up_reminder_failed"
# Reminded when the current deadline is within this many working days (today included).
AHEAD_DAYS = 2

register_action_labels({ACTION: _l("发送转办到期提醒邮件"), ACTION_FAILED: _l("转办到期提醒邮件发送失败")})


@dataclass
class Reminder:
    unit: Unit
    items: list[tuple[FollowUp, date]]  # each open referral with the deadline that runs now
    address: str
    sent: bool = False
    error: str = ""


def due_soon(today: date | None = None, ahead: int = AHEAD_DAYS) -> list[Reminder]:
    """Per unit, its open referrals (of live consultations) whose running deadline falls between today and
    `ahead` working days from now; overdue ones are on the board and in the unit's queue already."""
    today = today or local_today()
    horizon = add_working_days(today, ahead)
    running = sa.case((FollowUp.status == PENDING, FollowUp.due_date), else_=FollowUp.close_due_date)
    rows = db.session.scalars(
        sa.select(FollowUp).join(Consultation, FollowUp.consultation_id == Consultation.id)
        .join(Booth, Consultation.booth_id == Booth.id)
        .where(records.COUNTED_CONSULTATION, FollowUp.status.in_(OPEN_STATES), running >= today, running <= horizon)
        .order_by(FollowUp.unit_id, running, FollowUp.id)
    ).all()
    by_unit: defaultdict[int, list[tuple[FollowUp, date]]] = defaultdict(list)
    for follow_up in rows:
        by_unit[follow_up.unit_id].append(
            (follow_up, follow_up.due_date if follow_up.status == PENDING else follow_up.close_due_date)
        )
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.id.in_(by_unit)))}
    return [
        Reminder(units[unit_id], items, (units[unit_id].contact_email or "").strip())
        for unit_id, items in by_unit.items()
    ]


def _batch(today: date, unit_id: int) -> str:
    return f"referrals:{today.isoformat()}:{unit_id}"


def _sent_today(today: date) -> set[str]:
    """The batches (units) already reminded today: a second run the same day sends them nothing."""
    batch = AuditEvent.detail["batch"].as_string()
    return set(db.session.scalars(
        sa.select(batch).where(AuditEvent.action == ACTION, batch.like(f"referrals:{today.isoformat()}:%"))
    ))


def email_message(settings: SmtpSettings, reminder: Reminder, link: str, now) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = reminder.address
    message["Subject"] = f"【提醒】{len(reminder.items)}件转办事项即将到期"
    message["Date"] = formatdate(now.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    lines = [f"{reminder.unit.label}：", "", "您好！贵单位以下转办事项即将到期，请在期限内答复群众、回访并办结：", ""]
    for follow_up, deadline in reminder.items:
        step = "答复" if follow_up.status == PENDING else "办结"
        question = (follow_up.consultation.question or "（未填写问题摘要）")[:60]
        lines.append(f"· {question}（{step}期限：{deadline.month}月{deadline.day}日）")
    lines += ["", f"办理：{link}"]
    message.set_content("\n".join(lines))
    return message


def send(settings: SmtpSettings, reminders: list[Reminder], link: str, today: date | None = None) -> list[Reminder]:
    """E-mail each unit with an address not yet reminded today, over one connection; each result audit-logged.
    The caller commits."""
    today = today or local_today()
    already = _sent_today(today)
    targets = [r for r in reminders if r.address and _batch(today, r.unit.id) not in already]
    if not targets:
        return []
    now = utcnow()
    server = None
    connect_error = ""
    try:
        server = connect(settings)
    except (OSError, smtplib.SMTPException) as failure:
        connect_error = str(failure) or type(failure).__name__
    try:
        for reminder in targets:
            reminder.error = connect_error
            if server is not None:
                try:
                    server.send_message(email_message(settings, reminder, link, now))
                except (OSError, smtplib.SMTPException) as failure:
                    reminder.error = str(failure) or type(failure).__name__
            reminder.sent = not reminder.error
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()
    for reminder in targets:
        detail: dict[str, Any] = {"to": reminder.address, "batch": _batch(today, reminder.unit.id), "ok": reminder.sent,
                  "follow_ups": [follow_up.id for follow_up, _deadline in reminder.items]}
        if reminder.error:
            detail["error"] = reminder.error
        record(None, ACTION if reminder.sent else ACTION_FAILED, reminder.unit, **detail)
    db.session.flush()
    return targets
