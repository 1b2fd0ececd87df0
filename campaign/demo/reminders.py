"""The demo's automatic reminders: the schedule of the issued campaign, a 企业微信 robot and an SMS gateway set (and
区住建局's own robot, its reminders going to its own group), and
the sends as they went out (e-mail to the units still pending, one SMS the gateway refused), so the organizer's
page shows results and a failure with its reason. All in the past: `make run`'s consumer sends nothing new."""

from datetime import timedelta

import sqlalchemy as sa

from campaign.plan.models import Campaign
from campaign.reminders.models import (
    CHANNEL_EMAIL,
    CHANNEL_SMS,
    CHANNEL_WECOM,
    SEND_FAILED,
    SEND_SENT,
    ReminderChannel,
    ReminderSend,
    UnitRobot,
)
from campaign.reminders.schedule import ensure_slots
from campaign.summaries.reminders import pending_rows
from campaign.units.models import Unit
from campaign.web.extensions import db

SMS_TEMPLATE = '{"mobile": "{phone}", "sign": "江滨区政务公开办", "content": "{message}"}'


def load_demo_reminders(campaign: Campaign) -> None:
    db.session.add(ReminderChannel(campaign_id=campaign.id, channel=CHANNEL_WECOM,
                                   url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-0000-jiangbin"))
    db.session.add(ReminderChannel(campaign_id=campaign.id, channel=CHANNEL_SMS,
                                   url="https://sms.jiangbin.gov.cn/api/send", template=SMS_TEMPLATE))
    housing = db.session.scalar(sa.select(Unit).where(Unit.short_name == "区住建局"))
    if housing is not None and not db.session.scalar(sa.select(UnitRobot.id).where(UnitRobot.unit_id == housing.id)):
        db.session.add(UnitRobot(unit_id=housing.id, channel=CHANNEL_WECOM,
                                 url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo-0000-zhujian"))
    rows = pending_rows(campaign)
    for slot in ensure_slots(campaign):
        at = slot.due_at + timedelta(seconds=20)
        db.session.add(ReminderSend(slot_id=slot.id, recipient="group", channel=CHANNEL_WECOM, address="",
                                    status=SEND_SENT, attempts=1, claimed_at=at, sent_at=at))
        for row in rows:
            if row.unit.contact_email:
                db.session.add(ReminderSend(slot_id=slot.id, recipient=f"unit:{row.unit.id}", channel=CHANNEL_EMAIL,
                                            address=row.unit.contact_email, status=SEND_SENT, attempts=1,
                                            claimed_at=at, sent_at=at))
        if slot.key == "deadline" and rows:
            unit = rows[0].unit
            db.session.add(ReminderSend(slot_id=slot.id, recipient=f"unit:{unit.id}", channel=CHANNEL_SMS,
                                        address=unit.contact_phone or "0571-88000000", status=SEND_FAILED,
                                        attempts=3, claimed_at=at, error="对方回答 HTTP 503"))
    db.session.flush()
