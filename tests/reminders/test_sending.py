"""Reminders sent by themselves: to the units that still owe a summary, by e-mail (aiosmtpd), the 企业微信 and 钉钉
robots and an SMS gateway (a local HTTP server, the bodies read back against the documented formats); once per slot
and recipient even with two consumers at once; a failed send retried after its wait and then shown with its reason."""

import json
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.reminders.models import ReminderChannel, ReminderSend, ReminderSlot
from campaign.reminders.sending import run_due
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.summaries.reminders import pending_rows, reminder_text
from campaign.web.extensions import db
from tests.queueutil import ConsumerThread, wait_for

SMS_TEMPLATE = '{"mobile": "{phone}", "sign": "江滨区政务公开办", "content": "{message}"}'
DAY_BEFORE = datetime(2025, 5, 17, 10, 0, tzinfo=LOCAL_TZ)


def _wire(app, campaign, smtp, hooks, **paths):
    mailbox, settings = smtp
    app.config.update(SMTP_HOST=settings.host, SMTP_PORT=settings.port, SMTP_TLS="none", SMTP_FROM=settings.sender,
                      REMINDER_RETRY_SECONDS=60)
    urls = {"wecom": "/wecom", "dingtalk": "/dingtalk", "sms": "/sms", **paths}
    for channel, path in urls.items():
        db.session.add(ReminderChannel(campaign_id=campaign.id, channel=channel, url=hooks.base + path,
                                       template=SMS_TEMPLATE if channel == "sms" else ""))
    db.session.commit()
    return mailbox


def _sends() -> list[ReminderSend]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ReminderSend).order_by(ReminderSend.id)))


def test_a_due_slot_reaches_each_pending_unit_once_on_every_channel(app, district, smtp_server, hooks):
    campaign, units = district["campaign"], district["units"]
    mailbox = _wire(app, campaign, smtp_server, hooks)
    pending = ("not_started", "draft", "returned")

    run_due(DAY_BEFORE)

    # E-mail: the three units that have not submitted, none of those that have (they have addresses too).
    assert sorted(to[0] for to, _message in mailbox.messages) == sorted(f"{state}@jiangbin.example" for state in pending)
    message = next(message for to, message in mailbox.messages if to == ["returned@jiangbin.example"])
    assert message["Subject"] == "【提醒】请报送第十九届“5·15政务公开日”活动总结（包含图片、视频等）"
    assert "请按退回意见" not in message.get_content() and "请补充活动照片。" in message.get_content()
    # The robots: one message to the group each, in their documented format, with the office's wording.
    expected = reminder_text(campaign, pending_rows(campaign, DAY_BEFORE), DAY_BEFORE)
    assert "江滨区教育局" not in expected and "5月18日17:30前" in expected
    for path in ("/wecom", "/dingtalk"):
        assert [json.loads(body) for body in hooks.bodies(path)] == [{"msgtype": "text", "text": {"content": expected}}]
    # SMS: one per pending unit with a phone number, the office's JSON template filled in.
    sms = sorted((json.loads(body) for body in hooks.bodies("/sms")), key=lambda body: body["mobile"])
    assert [body["mobile"] for body in sms] == sorted(units[state].contact_phone for state in pending)
    assert all(body["sign"] == "江滨区政务公开办" and body["content"].startswith("【提醒】") for body in sms)

    sends = _sends()
    assert len(sends) == 3 + 2 + 3 and {send.status for send in sends} == {"sent"}
    assert {send.slot.key for send in sends} == {"day_before"}

    # Run again, later the same day: the slot's recipients have had it; nothing goes twice.
    run_due(DAY_BEFORE + timedelta(hours=3))
    assert len(mailbox.messages) == 3 and len(hooks.bodies("/wecom")) == 1 and len(hooks.bodies("/sms")) == 3

    # A unit submits; the next morning's slot goes to the two still pending only.
    from campaign.summaries.models import UnitSummary
    summary = db.session.scalar(sa.select(UnitSummary).where(UnitSummary.unit_id == units["draft"].id))
    summary.status = "submitted"
    summary.submitted_at = DAY_BEFORE + timedelta(hours=4)
    db.session.commit()
    run_due(DAY_BEFORE + timedelta(days=1))
    later = [to[0] for to, _message in mailbox.messages[3:]]
    assert sorted(later) == ["not_started@jiangbin.example", "returned@jiangbin.example"]
    assert "临江镇" not in json.loads(hooks.bodies("/wecom")[-1])["text"]["content"]


def test_overdue_slots_do_not_pile_up_only_the_latest_goes(app, district, smtp_server, hooks):
    mailbox = _wire(app, district["campaign"], smtp_server, hooks)
    # The server was down from before the plan was issued until the day before: one reminder, not three.
    run_due(DAY_BEFORE)
    assert {send.slot.key for send in _sends()} == {"day_before"}
    assert len(mailbox.messages) == 3
    # A week after the deadline nothing more goes out on its own (the office chases by hand then).
    run_due(DAY_BEFORE + timedelta(days=8))
    assert len(mailbox.messages) == 3


def test_two_consumers_at_the_same_moment_send_each_reminder_once(app, district, smtp_server, hooks):
    campaign = district["campaign"]
    now = utcnow()
    campaign.issued_at = now - timedelta(minutes=5)
    campaign.summary_deadline = now + timedelta(days=10)
    db.session.commit()
    mailbox = _wire(app, campaign, smtp_server, hooks)
    app.config.update(REMINDER_CHECK_SECONDS=0.05, JOB_REAP_SECONDS=3600)

    with ConsumerThread(app), ConsumerThread(app):
        wait_for(lambda: len(_sends()) == 8 and all(send.status == "sent" for send in _sends()), 30, 0.05)
        wait_for(lambda: len(mailbox.messages) >= 3, 10)
        # Both consumers kept checking for a while after: still nothing twice.
        import time
        time.sleep(0.5)

    addresses = [to[0] for to, _message in mailbox.messages]
    assert sorted(addresses) == sorted(set(addresses)) and len(addresses) == 3
    assert len(hooks.bodies("/wecom")) == 1 and len(hooks.bodies("/dingtalk")) == 1 and len(hooks.bodies("/sms")) == 3
    assert {send.slot.key for send in _sends()} == {"issued"} and all(send.attempts == 1 for send in _sends())


def test_a_failed_send_is_retried_after_its_wait_then_given_up_and_shown(app, district, smtp_server, hooks,
                                                                          organizer_client):
    campaign = district["campaign"]
    _wire(app, campaign, smtp_server, hooks)
    busy = (200, json.dumps({"errcode": 45009, "errmsg": "api freq out of limit"}).encode())
    hooks.answers["/wecom"] = [busy, (200, b'{"errcode": 0, "errmsg": "ok"}')]
    hooks.answers["/sms"] = [(503, b"gateway down")]

    run_due(DAY_BEFORE)
    robot = next(send for send in _sends() if send.channel == "wecom")
    assert (robot.status, robot.attempts) == ("retry", 1)
    assert robot.error == "群机器人拒绝：45009 api freq out of limit"
    # Within the wait nothing is tried again …
    run_due(DAY_BEFORE + timedelta(seconds=30))
    assert len(hooks.bodies("/wecom")) == 1
    # … after it, the robot takes the message; the SMS gateway fails twice more (waits of 60 s, then 240 s).
    run_due(DAY_BEFORE + timedelta(seconds=61))
    run_due(DAY_BEFORE + timedelta(seconds=61 + 241))
    run_due(DAY_BEFORE + timedelta(hours=1))
    sends = _sends()
    robot = next(send for send in sends if send.channel == "wecom")
    assert (robot.status, robot.attempts, robot.error) == ("sent", 2, "")
    sms = [send for send in sends if send.channel == "sms"]
    assert len(sms) == 3 and all((send.status, send.attempts) == ("failed", 3) for send in sms)
    assert len(hooks.bodies("/sms")) == 9
    assert all(send.error == "对方回答 HTTP 503" for send in sms)

    page = organizer_client.get(f"/campaigns/{campaign.id}/reminders").get_data(as_text=True)
    assert "发送失败（3条）" in page and page.count("对方回答 HTTP 503") == 3
    assert district["units"]["draft"].contact_phone in page


def test_nothing_goes_to_a_campaign_still_in_draft_or_without_a_deadline(app, factory, smtp_server, hooks):
    campaign = factory.campaign(status="draft")
    mailbox = _wire(app, campaign, smtp_server, hooks)
    unit = factory.unit("江滨区司法局", contact_email="sfj@jiangbin.example")
    factory.activity(factory.group(campaign), units={unit: "lead"})
    run_due(DAY_BEFORE)
    assert mailbox.messages == [] and _sends() == []
    assert db.session.scalar(sa.select(sa.func.count(ReminderSlot.id))) == 0


def test_referrals_due_soon_remind_their_unit_once_that_morning(app, district, smtp_server, hooks):
    from campaign.booths.followups import ensure_follow_up
    from campaign.booths.models import Booth, Consultation
    from campaign.shared.timeutil import local_date

    campaign, units = district["campaign"], district["units"]
    mailbox = _wire(app, campaign, smtp_server, hooks)
    booth = db.session.scalar(sa.select(Booth).where(Booth.campaign_id == campaign.id))
    morning = datetime(2025, 5, 20, 10, 0, tzinfo=LOCAL_TZ)
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.booth_id == booth.id))
    consultation.handling = "转办"
    consultation.question = "灵活就业人员社保缴费基数如何确定"
    follow_up = ensure_follow_up(consultation, units["submitted"].id)
    follow_up.due_date = local_date(morning)
    db.session.commit()

    run_due(morning)
    run_due(morning + timedelta(hours=2))
    referral_mail = [(to, message) for to, message in mailbox.messages if "转办" in message["Subject"]]
    assert [to for to, _message in referral_mail] == [["submitted@jiangbin.example"]]
    assert "灵活就业人员社保缴费基数如何确定（答复期限：5月20日）" in referral_mail[0][1].get_content()
    robot = [json.loads(body)["text"]["content"] for body in hooks.bodies("/wecom")]
    assert len(robot) == 1 and robot[0].startswith("【提醒】江滨区教育局有1件转办事项即将到期")
    assert {send.slot.key for send in _sends()} == {"referrals-2025-05-20"}


def test_a_unit_with_its_own_robot_is_reminded_there_instead_of_in_the_campaigns_group(
        app, organizer_client, district, smtp_server, hooks):
    """Two pending units set their own robots through the organizer's page (the local server standing in for
    qyapi.weixin.qq.com and oapi.dingtalk.com); their reminders go there, the campaign's groups hear of the rest."""
    from campaign.reminders.models import UnitRobot

    campaign, units = district["campaign"], district["units"]
    _wire(app, campaign, smtp_server, hooks)
    app.config["REMINDER_ROBOT_HOSTS"] = {"wecom": "127.0.0.1", "dingtalk": "127.0.0.1"}
    page = f"/campaigns/{campaign.id}/reminders"
    for state, channel, path in (("returned", "wecom", "/baisha-wecom?key=bs-1"),
                                 ("draft", "dingtalk", "/linjiang-ding?access_token=lj-1")):
        answer = organizer_client.submit(f"{page}/unit-robots", {"unit_id": str(units[state].id), "channel": channel,
                                                                  "url": hooks.base + path}, follow_redirects=True)
        assert "已保存该单位的群机器人。" in answer.get_data(as_text=True)
    assert len(db.session.scalars(sa.select(UnitRobot)).all()) == 2

    run_due(DAY_BEFORE)

    rows = {row.unit.id: row for row in pending_rows(campaign, DAY_BEFORE)}
    own_wecom = [json.loads(body) for body in hooks.bodies("/baisha-wecom?key=bs-1")]
    assert own_wecom == [{"msgtype": "text", "text": {
        "content": reminder_text(campaign, [rows[units["returned"].id]], DAY_BEFORE)}}]
    own_ding = [json.loads(body) for body in hooks.bodies("/linjiang-ding?access_token=lj-1")]
    assert own_ding == [{"msgtype": "text", "text": {
        "content": reminder_text(campaign, [rows[units["draft"].id]], DAY_BEFORE)}}]
    # The campaign's 企业微信 group: the two without their own 企业微信 robot, not 白沙镇.
    group_wecom = json.loads(hooks.bodies("/wecom")[0])["text"]["content"]
    assert group_wecom == reminder_text(
        campaign, [rows[units["not_started"].id], rows[units["draft"].id]], DAY_BEFORE)
    assert "白沙镇" not in group_wecom and "临江镇" in group_wecom
    group_ding = json.loads(hooks.bodies("/dingtalk")[0])["text"]["content"]
    assert "临江镇" not in group_ding and "白沙镇" in group_ding
    sends = {(send.recipient, send.channel): send for send in _sends()}
    assert sends[(f"unit:{units['returned'].id}", "wecom")].status == "sent"
    assert sends[(f"unit:{units['draft'].id}", "dingtalk")].status == "sent"
    # Nothing to the units that have submitted, on their robots or anywhere.
    run_due(DAY_BEFORE + timedelta(hours=1))
    assert len(hooks.bodies("/baisha-wecom?key=bs-1")) == 1 and len(hooks.bodies("/wecom")) == 1


def test_when_the_plan_is_issued_each_unit_is_told_its_own_tasks_and_the_deadline(app, district, smtp_server, hooks):
    campaign, units = district["campaign"], district["units"]
    mailbox = _wire(app, campaign, smtp_server, hooks)
    activity = district["activity"]

    run_due(campaign.issued_at + timedelta(minutes=5))

    assert {send.slot.key for send in _sends()} == {"issued"}
    message = next(message for to, message in mailbox.messages if to == ["not_started@jiangbin.example"])
    assert message["Subject"] == f"【通知】{campaign.title}"
    body = message.get_content()
    assert f"贵单位的任务：配合开展“{activity.title}”" in body and "5月18日17:30前报送" in body
    # The SMS carries the same unit's own tasks; the group robot names the plan and who still owes a summary.
    sms = [json.loads(body) for body in hooks.bodies("/sms")]
    ours = next(item for item in sms if item["mobile"] == units["not_started"].contact_phone)
    assert ours["content"].startswith("【通知】") and f"配合开展“{activity.title}”" in ours["content"]
    group = json.loads(hooks.bodies("/wecom")[0])["text"]["content"]
    assert group.startswith(f"【通知】《{campaign.title}》已印发") and "5月18日17:30前" in group
    # The slots after it go back to reminding of the summary only.
    first = len(mailbox.messages)
    run_due(DAY_BEFORE)
    later = next(message for to, message in mailbox.messages[first:] if to == ["not_started@jiangbin.example"])
    assert later["Subject"].startswith("【提醒】")
