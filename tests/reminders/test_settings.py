"""The organizer's reminder settings: robots' webhooks and the SMS gateway's template checked before anything is
kept; a slot switched off; `flask reminders run-due` for cron."""

import sqlalchemy as sa

from campaign.reminders.models import ReminderChannel, ReminderSlot
from campaign.units.models import Unit
from campaign.web.extensions import db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"


def _channels() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return [(row.channel, row.url, row.template) for row in db.session.scalars(sa.select(ReminderChannel))]


def _post(client, campaign_id, **form):
    return client.submit(f"/campaigns/{campaign_id}/reminders/channels", form, follow_redirects=True) \
        .get_data(as_text=True)


def test_bad_webhooks_and_templates_are_refused_and_nothing_is_saved(organizer_client, district):
    campaign_id = district["campaign"].id
    page = _post(organizer_client, campaign_id, channel="wecom", url=WECOM.replace("https", "http"))
    assert "网址须以 https:// 开头。" in page
    page = _post(organizer_client, campaign_id, channel="dingtalk", url=WECOM)
    assert "这不是该群机器人的网址：应为 oapi.dingtalk.com 上的网址。" in page
    page = _post(organizer_client, campaign_id, channel="sms", url="https://sms.example.gov.cn/send",
                 template='{"mobile": "{phone}", "content": "{mesage}"}')
    assert "短信模板中有不认识的占位符：{mesage}。" in page
    page = _post(organizer_client, campaign_id, channel="fax", url=WECOM)
    assert "请选择提醒渠道。" in page
    assert _channels() == []

    page = _post(organizer_client, campaign_id, channel="wecom", url=WECOM)
    assert "已保存提醒渠道。" in page and f'value="{WECOM}"' in page.replace("&amp;", "&")
    template = '{"mobile": "{phone}", "content": "{message}"}'
    _post(organizer_client, campaign_id, channel="sms", url="https://sms.example.gov.cn/send", template=template)
    # Saved twice: still one row per channel.
    _post(organizer_client, campaign_id, channel="wecom", url=WECOM)
    assert sorted(_channels()) == [("sms", "https://sms.example.gov.cn/send", template), ("wecom", WECOM, "")]
    # An empty URL turns the channel off.
    _post(organizer_client, campaign_id, channel="wecom", url="")
    assert [row[0] for row in _channels()] == ["sms"]


def test_the_schedule_follows_the_plan_and_a_slot_can_be_switched_off(organizer_client, district):
    campaign_id = district["campaign"].id
    page = organizer_client.get(f"/campaigns/{campaign_id}/reminders").get_data(as_text=True)
    for label in ("方案印发时", "距截止时间过半", "截止前一天上午", "截止当天上午"):
        assert label in page
    slot = db.session.scalar(sa.select(ReminderSlot).where(ReminderSlot.key == "halfway"))
    organizer_client.submit(f"/campaigns/{campaign_id}/reminders/slots/{slot.id}", {"enabled": "0"})
    db.session.expire_all()
    assert db.session.get(ReminderSlot, slot.id).enabled is False


def test_run_due_from_cron(app, district, smtp_server):
    mailbox, settings = smtp_server
    app.config.update(SMTP_HOST=settings.host, SMTP_PORT=settings.port, SMTP_TLS="none", SMTP_FROM=settings.sender)
    # The district's deadline has long passed: the command runs, sends nothing and says so.
    result = app.test_cli_runner().invoke(args=["reminders", "run-due"])
    assert result.exit_code == 0 and result.output.strip() == "sent 0"
    assert mailbox.messages == []


def test_a_units_own_robot_refuses_bad_input_and_saves_nothing(organizer_client, district):
    from campaign.reminders.models import UnitRobot
    from campaign.shared.audit import AuditEvent

    campaign_id, units = district["campaign"].id, district["units"]
    url = f"/campaigns/{campaign_id}/reminders/unit-robots"

    def post(**form) -> str:
        form.setdefault("unit_id", str(units["draft"].id))
        return organizer_client.submit(url, form, follow_redirects=True).get_data(as_text=True)

    assert "网址须以 https:// 开头。" in post(channel="wecom", url=WECOM.replace("https", "http"))
    assert "这不是该群机器人的网址：应为 qyapi.weixin.qq.com 上的网址。" in post(
        channel="wecom", url="https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=1")
    assert "应为 oapi.dingtalk.com 上的网址" in post(channel="dingtalk", url=WECOM)
    assert "网址中缺少机器人的 access_token=…" in post(channel="dingtalk", url="https://oapi.dingtalk.com/robot/send")
    assert "网址中缺少机器人的 key=…" in post(channel="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=")
    assert "请选择企业微信或钉钉群机器人。" in post(channel="sms", url=WECOM)
    outsider = db.session.scalar(sa.select(Unit).where(Unit.name == "江滨区档案馆"))
    assert "请选择参加本次活动的单位。" in post(unit_id=str(outsider.id), channel="wecom", url=WECOM)
    assert "请选择参加本次活动的单位。" in post(unit_id="x", channel="wecom", url=WECOM)
    assert db.session.scalars(sa.select(UnitRobot)).all() == []

    page = post(channel="wecom", url=WECOM)
    assert "已保存该单位的群机器人。" in page and WECOM in page.replace("&amp;", "&")
    post(channel="wecom", url=WECOM)  # sent twice: one robot, one audit event
    robots = db.session.scalars(sa.select(UnitRobot)).all()
    assert [(robot.unit_id, robot.channel, robot.url) for robot in robots] == [(units["draft"].id, "wecom", WECOM)]
    assert len(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unit_robot_saved")).all()) == 1
    post(channel="wecom", url="")
    db.session.expire_all()
    assert db.session.scalars(sa.select(UnitRobot)).all() == []
