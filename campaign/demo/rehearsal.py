"""The demo's rehearsal: the issued campaign rehearsed three days before the day, and its records kept, so the
organizer's 演练 page shows which desks were ready — most opened, entered the PIN and sent a test entry from
WeChat or a browser, two sent one from the phone's queue, a few never opened their link. Ending the rehearsal on
that page deletes them, as it would in a real office."""

import uuid
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from campaign.booths.models import (
    REHEARSAL_CONSULTATION,
    REHEARSAL_HANDOUT,
    REHEARSAL_OPENED,
    REHEARSAL_PIN,
    Booth,
    RehearsalRecord,
)
from campaign.plan.models import Campaign
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db

AGENTS = (
    "Mozilla/5.0 (Linux; Android 13; V2185A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
    "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Linux; Android 14; PJZ110) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 "
    "Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 "
    "Mobile/15E148 Safari/604.1",
)


def load_demo_rehearsal(campaign: Campaign) -> None:
    booths = list(db.session.scalars(sa.select(Booth).where(Booth.campaign_id == campaign.id).order_by(Booth.id)))
    start = datetime.combine(campaign.first_day - timedelta(days=3), time(9, 30), LOCAL_TZ)
    campaign.rehearsal_started_at = start
    for number, booth in enumerate(booths):
        if number % 7 == 6:
            continue  # never opened its link
        at = start + timedelta(minutes=7 * number)
        device = str(uuid.UUID(int=booth.id))
        agent = AGENTS[number % len(AGENTS)]

        def add(kind, when, details=None, recorded=None, booth=booth, device=device, agent=agent):
            db.session.add(RehearsalRecord(
                campaign_id=campaign.id, booth_id=booth.id, kind=kind, device_id=device, user_agent=agent,
                details=details or {}, recorded_at=recorded or when, received_at=when,
                client_uuid=str(uuid.uuid4()) if kind in (REHEARSAL_CONSULTATION, REHEARSAL_HANDOUT) else None,
            ))

        add(REHEARSAL_OPENED, at)
        if number % 7 == 5:
            continue  # opened, but the PIN was not passed on to the desk
        add(REHEARSAL_PIN, at + timedelta(minutes=1))
        add(REHEARSAL_CONSULTATION, at + timedelta(minutes=3),
            {"kind": "政策咨询", "topic": "社会保险", "question": "演练：测试记录", "handling": "当场解答"})
        if number % 3 == 0:
            add(REHEARSAL_HANDOUT, at + timedelta(minutes=4), {"material": "宣传单", "quantity": 1})
        if number % 4 == 1:  # logged with the network off, sent when it came back
            add(REHEARSAL_CONSULTATION, at + timedelta(minutes=12),
                {"kind": "办事咨询", "topic": "企业开办", "question": "演练：离线记录", "handling": "当场解答"},
                recorded=at + timedelta(minutes=6))
