"""Reminders to the units that have not submitted: the list, the text for the WeChat group, and e-mail sent to
a real SMTP server (aiosmtpd on a loopback port)."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.reminders import (
    SmtpSettings,
    pending_rows,
    reminder_text,
    send_reminders,
    smtp_settings,
)
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.browsing import SHOTS
from tests.factory import PASSWORD
from tests.mailserver import REFUSED
from tests.serverutil import free_port
from tests.summaries.helpers import DEADLINE


def test_reminder_list_holds_exactly_the_units_that_have_not_submitted(organizer_client, district):
    units = district["units"]
    pending = {units[state].id for state in ("not_started", "draft", "returned")}
    assert {row.unit.id for row in pending_rows(district["campaign"])} == pending

    page = organizer_client.get(f"/campaigns/{district['campaign'].id}/summaries/reminders").get_data(as_text=True)
    assert {int(unit) for unit in re.findall(r'<tr data-unit="(\d+)"', page)} == pending
    for state in ("not_started", "draft", "returned"):
        unit = units[state]
        assert unit.name in page and unit.contact_person in page and unit.contact_phone in page
    assert f'href="tel:{units["draft"].contact_phone}"' in page
    for state in ("submitted", "late", "accepted"):
        assert units[state].contact_person not in page
    # The copy button is there for the script to show; the text can be copied by hand without it.
    assert 'data-copy-target="reminder-text"' in page and "js/review.js" in page
    assert "未配置邮件服务器" in page


def test_reminder_text_to_paste_names_each_unit_and_contact(district):
    campaign = district["campaign"]
    rows = pending_rows(campaign)
    before = reminder_text(campaign, rows, now=DEADLINE - timedelta(days=1))
    assert before == (
        "【提醒】请以下单位于5月18日17:30前报送第十九届“5·15政务公开日”活动总结（包含图片、视频等）："
        "江滨区发展和改革局（赵磊）、临江镇人民政府（李喆）、白沙镇人民政府（黄文斌）。"
        "其中白沙镇人民政府的总结已退回，请按退回意见修改后重新报送。谢谢！"
    )

    after = reminder_text(campaign, rows, now=DEADLINE + timedelta(seconds=1))
    assert after.startswith("【提醒】第十九届“5·15政务公开日”活动总结（包含图片、视频等）报送已于5月18日17:30截止")
    assert "（李喆）" in after and "（黄文斌）" in after

    assert reminder_text(campaign, [], now=DEADLINE) == ""


def test_each_unit_gets_one_email_and_each_result_is_logged(app, district, organizer, smtp_server):
    mailbox, settings = smtp_server
    campaign, units = district["campaign"], district["units"]
    rows = pending_rows(campaign)
    addresses = {
        units["not_started"].id: "fgj@jiangbin.example",
        units["draft"].id: "linjiang@jiangbin.example",
        units["returned"].id: REFUSED,
    }
    link = "https://gongkai.jiangbin.example/summaries/1"
    now = datetime(2025, 5, 17, 9, 0, tzinfo=LOCAL_TZ)

    results = send_reminders(settings, campaign, rows, organizer, {row.unit.id: link for row in rows}, "batch-1",
                             addresses=addresses, now=now)

    outcome = {result.row.unit.id: (result.ok, result.error) for result in results}
    assert outcome[units["not_started"].id] == (True, "")
    assert outcome[units["draft"].id] == (True, "")
    assert outcome[units["returned"].id][0] is False and "拒收" in outcome[units["returned"].id][1]

    received = {tuple(to): message for to, message in mailbox.messages}
    assert set(received) == {("fgj@jiangbin.example",), ("linjiang@jiangbin.example",)}
    message = received[("linjiang@jiangbin.example",)]
    assert message["From"] == "gongkai@jiangbin.example"
    assert "活动总结" in message["Subject"] and message["Message-ID"]
    body = message.get_content()
    assert body.startswith("临江镇人民政府（李喆）：") and "5月18日17:30前" in body and link in body and "草稿" in body
    assert "尚未开始填写" in received[("fgj@jiangbin.example",)].get_content()

    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.campaign_id == campaign.id,
                                                            AuditEvent.action.like("summary_reminder%"))).all()
    logged = {(event.object_id, event.action, event.detail["to"]) for event in events}
    assert logged == {
        (units["not_started"].id, "summary_reminder_emailed", "fgj@jiangbin.example"),
        (units["draft"].id, "summary_reminder_emailed", "linjiang@jiangbin.example"),
        (units["returned"].id, "summary_reminder_failed", REFUSED),
    }

    # The same batch again (a double click, a resent form) sends nothing.
    with pytest.raises(Refusal, match="已经发送过"):
        send_reminders(settings, campaign, rows, organizer, {}, "batch-1", addresses=addresses, now=now)
    assert len(mailbox.messages) == 2


def test_a_mail_server_that_cannot_be_reached_is_reported_per_unit(app, district, organizer):
    campaign = district["campaign"]
    rows = pending_rows(campaign)[:2]
    settings = SmtpSettings("127.0.0.1", free_port(), "", "", "gongkai@jiangbin.example", "none")
    results = send_reminders(settings, campaign, rows, organizer, {}, "batch-2",
                             addresses={row.unit.id: f"u{row.unit.id}@jiangbin.example" for row in rows})
    assert len(results) == 2 and not any(result.ok for result in results)
    assert all("无法连接邮件服务器" in result.error for result in results)
    failed = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "summary_reminder_failed")
    assert db.session.scalar(failed) == 2


def test_without_smtp_or_addresses_nothing_is_sent_and_the_page_says_why(app, organizer_client, district,
                                                                           smtp_server):
    mailbox, settings = smtp_server
    url = f"/campaigns/{district['campaign'].id}/summaries/reminders"
    page = organizer_client.submit(f"{url}/email", {"batch": "b1"}, follow_redirects=True).get_data(as_text=True)
    assert "未配置邮件服务器（SMTP_HOST）" in page

    app.config.update(SMTP_HOST=settings.host, SMTP_PORT=settings.port, SMTP_TLS="none",
                      SMTP_FROM=settings.sender)
    assert smtp_settings(app.config) == settings
    page = organizer_client.get(url).get_data(as_text=True)
    # No unit has an e-mail address on record (there is no column for one yet), so no button either.
    assert "都没有登记邮箱" in page and "发送提醒邮件" not in page
    page = organizer_client.submit(f"{url}/email", {"batch": "b2"}, follow_redirects=True).get_data(as_text=True)
    assert "没有登记邮箱，没有发送邮件" in page
    assert mailbox.messages == []


def test_smtp_settings_from_config():
    assert smtp_settings({"SMTP_HOST": ""}) is None
    settings = smtp_settings({"SMTP_HOST": "smtp.example.org", "SMTP_PORT": 465, "SMTP_USER": "gk@example.org",
                              "SMTP_PASSWORD": "p", "SMTP_FROM": "", "SMTP_TLS": "SSL"})
    assert (settings.port, settings.tls, settings.sender) == (465, "ssl", "gk@example.org")
    assert smtp_settings({"SMTP_HOST": "h", "SMTP_TLS": "bogus"}).tls == "starttls"


@pytest.mark.browser
def test_copy_button_puts_the_reminder_text_on_the_clipboard(server, district, organizer, chromium):
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    expected = reminder_text(district["campaign"], pending_rows(district["campaign"]))
    with chromium as browser:
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="zh-CN", timezone_id="Asia/Shanghai")
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{server}/auth/login")
            page.fill("#username", organizer.username)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_url(lambda url: "/auth/login" not in url)
            page.goto(f"{server}/campaigns/{district['campaign'].id}/summaries/reminders")
            button = page.locator("[data-copy-target]")
            expect(button).to_be_visible()  # hidden until the script is there to make it work
            button.click()
            expect(page.locator(".copy-status")).to_have_text("已复制")
            assert page.evaluate("navigator.clipboard.readText()") == expected
            page.screenshot(path=str(SHOTS / "summary-reminders.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
