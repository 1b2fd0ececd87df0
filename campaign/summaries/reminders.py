"""Chasing the units that have not submitted: the list, a text to paste into the units' WeChat group, e-mail.

The pasted text and the e-mails go to the units, not to the user of the page, so they are written in Chinese
whatever the interface language, like the documents.

Where a unit's address comes from: `Unit.contact_email`, kept on the unit form; units without an address are
listed as such and get no e-mail.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.plan.models import ROLE_COOPERATING, ROLE_LEAD, ROLE_PARTICIPATING, ROLE_RESPONSIBLE, Campaign
from campaign.plan.tasks import Task
from campaign.shared.audit import AuditEvent, record, register_action_labels
from campaign.shared.formatting import cn_number, cn_span
from campaign.shared.mail import SmtpSettings as SmtpSettings
from campaign.shared.mail import connect as _connect
from campaign.shared.mail import smtp_settings as smtp_settings
from campaign.shared.timeutil import local, utcnow
from campaign.summaries.review import PENDING_STATES, OverviewRow, overview_rows
from campaign.summaries.workflow import STATE_NOT_STARTED, STATE_RETURNED
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

# The mail server (SmtpSettings, smtp_settings, connect) is in shared/mail.py, shared with the referrals.
ACTION_EMAILED = "summary_reminder_emailed"
ACTION_FAILED = "summary_reminder_failed"

register_action_labels(
    {
        ACTION_EMAILED: _l("发送总结催报邮件"),
        ACTION_FAILED: _l("催报邮件发送失败"),
    }
)


@dataclass
class SendResult:
    row: OverviewRow
    address: str
    ok: bool
    error: str = ""


def contact_email(unit) -> str:
    return (unit.contact_email or "").strip()


def pending_rows(campaign: Campaign, now: datetime | None = None) -> list[OverviewRow]:
    """The units that have not submitted: not started, still drafting, or returned to them."""
    return [row for row in overview_rows(campaign, now) if row.state in PENDING_STATES]


def _deadline_words(campaign: Campaign) -> str:
    deadline = local(campaign.summary_deadline)
    if deadline is None:
        return ""
    # A date-only deadline ("5月18日前") is the end of that day: its 23:59:59 is no time to print.
    if campaign.deadline_date_only:
        return f"{deadline.month}月{deadline.day}日"
    return f"{deadline.month}月{deadline.day}日{deadline:%H:%M}"


def _who(row: OverviewRow) -> str:
    person = row.unit.contact_person.strip()
    return f"{row.unit.label}（{person}）" if person else row.unit.label


def _what(campaign: Campaign) -> str:
    return f"第{cn_number(campaign.edition)}届“5·15政务公开日”活动总结（包含图片、视频等）"


def _by_deadline(campaign: Campaign, now: datetime, none: str, before: str, after: str, **values) -> str:
    """The wording for no deadline, before it (at it included) or after it, with {what} and {deadline} filled."""
    deadline = _deadline_words(campaign)
    if not deadline or campaign.summary_deadline is None:
        wording = none
    elif now <= campaign.summary_deadline:
        wording = before
    else:
        wording = after
    return wording.format(what=_what(campaign), deadline=deadline, **values)


def reminder_text(campaign: Campaign, rows: list[OverviewRow], now: datetime | None = None) -> str:
    """The message to paste into the units' WeChat group, naming each pending unit and its contact."""
    if not rows:
        return ""
    now = now or utcnow()
    names = "、".join(_who(row) for row in rows)
    text = _by_deadline(
        campaign, now,
        none="【提醒】请以下单位尽快报送{what}：{names}。",
        before="【提醒】请以下单位于{deadline}前报送{what}：{names}。",
        after="【提醒】{what}报送已于{deadline}截止，以下单位尚未报送，请尽快报送：{names}。",
        names=names,
    )
    returned = [row.unit.label for row in rows if row.state == STATE_RETURNED]
    if returned:
        text += f"其中{'、'.join(returned)}的总结已退回，请按退回意见修改后重新报送。"
    return text + "谢谢！"


# How a unit's task reads in the notice of an issued plan, by its role in the activity.
TASK_VERBS = {ROLE_LEAD: "牵头开展", ROLE_COOPERATING: "配合开展", ROLE_PARTICIPATING: "参加", ROLE_RESPONSIBLE: "负责开展"}


def tasks_text(campaign: Campaign, row: OverviewRow, tasks: list[Task], now: datetime) -> str:
    """The message when the plan is issued: the unit's own tasks in the plan's order, and when its summary is due."""
    lines = [f"【通知】{_who(row)}：《{campaign.title}》已印发。"]
    if tasks:
        parts = []
        for task in tasks:
            when = cn_span(task.activity.starts_at, task.activity.ends_at, task.activity.all_day, campaign.time_style)
            where = task.activity.venue.name if task.activity.venue is not None else ""
            detail = "，".join(part for part in (when, where) if part)
            parts.append(f"{TASK_VERBS.get(task.role, '参加')}“{task.activity.title.strip()}”"
                         + (f"（{detail}）" if detail else ""))
        lines.append(f"贵单位的任务：{'；'.join(parts)}。")
    lines.append(_by_deadline(
        campaign, now,
        none="活动结束后请报送{what}。",
        before="活动结束后，请于{deadline}前报送{what}。",
        after="{what}报送已于{deadline}截止，请尽快报送。",
    ))
    return "".join(lines) + "谢谢！"


def email_message(settings: SmtpSettings, campaign: Campaign, row: OverviewRow, address: str, link: str,
                  now: datetime, tasks: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = address
    message["Subject"] = f"【通知】{campaign.title}" if tasks else f"【提醒】请报送{_what(campaign)}"
    message["Date"] = formatdate(now.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    ask = _by_deadline(
        campaign, now,
        none="请尽快登录系统报送{what}。",
        before="请于{deadline}前登录系统报送{what}。",
        after="{what}报送已于{deadline}截止，贵单位尚未报送，请尽快登录系统报送。",
    )
    if row.state == STATE_NOT_STARTED:
        status = "贵单位尚未开始填写。"
    elif row.state == STATE_RETURNED and row.summary is not None:
        status = f"贵单位的总结已退回，退回意见：{row.summary.review_note}"
    else:
        status = "贵单位的总结尚在草稿中，填写完成后请点击“报送”。"
    if tasks:  # the plan has just been issued: its tasks, then the deadline
        lines = [f"{_who(row)}：", "", f"您好！{tasks}", "", f"任务和总结报送：{link}", "", campaign.issuing_office]
    else:
        lines = [f"{_who(row)}：", "", f"您好！{ask}", status, "", f"填写和报送：{link}", "", campaign.issuing_office]
    message.set_content("\n".join(lines))
    return message


def _already_sent(campaign_id: int, batch: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.campaign_id == campaign_id,
                AuditEvent.action.in_((ACTION_EMAILED, ACTION_FAILED)),
                AuditEvent.detail["batch"].as_string() == batch,
            )
        )
    )


def send_reminders(
    settings: SmtpSettings | None,
    campaign: Campaign,
    rows: list[OverviewRow],
    user,
    links: dict[int, str],
    batch: str,
    addresses: dict[int, str] | None = None,
    now: datetime | None = None,
) -> list[SendResult]:
    """One e-mail per pending unit with an address, over one connection; each result audit-logged. Commits.

    `links`: unit id → the summary page to open; `addresses`: unit id → address (default: `contact_email`).
    `batch` names one press of the button: the same batch sent again (a double click, a reloaded POST) is
    refused, so no unit gets the same reminder twice by accident.
    """
    if settings is None:
        raise Refusal(_("未配置邮件服务器（SMTP_HOST），无法发送邮件。可复制上面的提醒文字发到工作群。"))
    if not settings.sender:
        raise Refusal(_("未配置发件人地址（SMTP_FROM），无法发送邮件。"))
    if not batch or len(batch) > 64:
        raise Refusal(_("页面已过期，请刷新页面后再发送。"))
    if _already_sent(campaign.id, batch):
        raise Refusal(_("这批提醒邮件已经发送过了。如需再次发送，请刷新页面后重新点击发送。"))
    now = now or utcnow()
    addresses = addresses if addresses is not None else {row.unit.id: contact_email(row.unit) for row in rows}
    targets = [(row, addresses.get(row.unit.id, "")) for row in rows if addresses.get(row.unit.id)]
    if not targets:
        raise Refusal(_("这些单位都没有登记邮箱，没有发送邮件。"))

    results = []
    server = None
    connect_error = ""
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException) as failure:
        connect_error = _("无法连接邮件服务器：%(error)s", error=str(failure) or type(failure).__name__)
    try:
        for row, address in targets:
            error = connect_error
            if server is not None:
                try:
                    message = email_message(settings, campaign, row, address, links.get(row.unit.id, ""), now)
                    server.send_message(message)
                except smtplib.SMTPRecipientsRefused:
                    error = _("收件地址被邮件服务器拒收")
                except (OSError, smtplib.SMTPException) as failure:
                    error = str(failure) or type(failure).__name__
            results.append(SendResult(row, address, ok=not error, error=error))
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()

    for result in results:
        detail = {"to": result.address, "batch": batch, "ok": result.ok}
        if result.error:
            detail["error"] = result.error
        action = ACTION_EMAILED if result.ok else ACTION_FAILED
        record(user, action, result.row.unit, campaign_id=campaign.id, **detail)
    db.session.flush()
    return results
