"""Reminders to a unit before its referrals fall due: e-mail to a real SMTP server (aiosmtpd on a loopback port),
once a day per unit, through `flask booths remind-referrals`."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaign.booths import followup_reminders
from campaign.booths.models import FollowUp
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import local_today, utcnow
from campaign.shared.workdays import add_working_days
from campaign.web.extensions import db


@pytest.fixture
def mailbox(app, smtp_server):
    box, settings = smtp_server
    app.config.update(SMTP_HOST=settings.host, SMTP_PORT=settings.port, SMTP_TLS="none", SMTP_FROM=settings.sender)
    return box


def test_a_unit_is_reminded_once_a_day_of_referrals_about_to_fall_due(app, factory, mailbox):
    campaign = factory.campaign(status="issued")
    labour = factory.unit("江滨区人力资源和社会保障局", short_name="区人社局", contact_email="renshe@jiangbin.example")
    silent = factory.unit("江滨区民政局", short_name="区民政局")
    activity = factory.activity(factory.group(campaign), units={labour: "lead", silent: "cooperating"})
    booth, quiet_booth = factory.booth(activity, labour), factory.booth(activity, silent)
    soon = factory.consultation(booth, handling="转办", question="养老保险怎么续缴？", recorded_at=utcnow())
    later = factory.consultation(booth, handling="转办", question="还早的问题", recorded_at=utcnow())
    late = factory.consultation(booth, handling="转办", question="已经逾期的问题", recorded_at=utcnow())
    factory.consultation(quiet_booth, handling="转办", question="没有邮箱的单位", recorded_at=utcnow())
    rows = {f.consultation_id: f for f in db.session.scalars(sa.select(FollowUp))}
    tomorrow = add_working_days(local_today(), 1)
    rows[soon.id].due_date = tomorrow
    rows[later.id].due_date = add_working_days(local_today(), 4)
    rows[late.id].due_date = local_today() - timedelta(days=1)
    for follow_up in rows.values():
        if follow_up.consultation_id not in (later.id, late.id):
            follow_up.due_date = tomorrow
    db.session.commit()

    runner = app.test_cli_runner()
    result = runner.invoke(args=["booths", "remind-referrals", "--url", "https://gongkai.example"])
    assert result.exit_code == 0, result.output
    assert "江滨区民政局：1 件即将到期，未登记邮箱" in result.output
    [(to, message)] = mailbox.messages
    assert to == ["renshe@jiangbin.example"]
    body = message.get_content()
    assert "养老保险怎么续缴？" in body and f"答复期限：{tomorrow.month}月{tomorrow.day}日" in body
    assert "还早的问题" not in body and "已经逾期的问题" not in body
    assert "https://gongkai.example/follow-ups/" in body
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == followup_reminders.ACTION)) == 1

    # The same day again: nothing more.
    result = runner.invoke(args=["booths", "remind-referrals"])
    assert result.exit_code == 0 and len(mailbox.messages) == 1


def test_without_a_mail_server_the_command_says_so(app, factory):
    campaign = factory.campaign(status="issued")
    unit = factory.unit("江滨区人力资源和社会保障局", contact_email="renshe@jiangbin.example")
    booth = factory.booth(factory.activity(factory.group(campaign), units={unit: "lead"}), unit)
    consultation = factory.consultation(booth, handling="转办", recorded_at=utcnow())
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))
    follow_up.due_date = local_today()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["booths", "remind-referrals"])
    assert result.exit_code == 1 and "未配置邮件服务器" in result.output
