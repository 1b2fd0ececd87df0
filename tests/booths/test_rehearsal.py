"""A rehearsal before the day (issue 16.7): every card and PIN works, the entries count nowhere, a readiness page
shows each desk, and ending it deletes them with an audit record."""

import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.booths import rehearsal
from campaign.booths.board import figures as board_figures
from campaign.booths.models import Consultation, FollowUp, MaterialHandout, RehearsalRecord
from campaign.booths.tallies import ConsultationTally
from campaign.plan.models import STATUS_ISSUED
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ, local_today, utcnow
from campaign.summaries.figures import recorded_figures
from campaign.web.extensions import db
from tests.booths.public_card import send
from tests.booths.staff import PIN, count, entry, rehearsing_booth, sign_in

WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2185A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2246 "
          "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64")


def test_rehearsal_entries_are_stored_once_and_counted_nowhere(client, factory, organizer):
    booth = rehearsing_booth(factory, organizer)
    campaign = booth.campaign
    page = client.get(f"/b/{booth.staff_token}", headers={"User-Agent": WECHAT}).get_data(as_text=True)
    assert "演练中" in page  # the PIN page says so too
    sign_in(client, booth)
    assert "演练中" in client.get(f"/b/{booth.staff_token}").get_data(as_text=True)

    sent = entry(handling="转办", topic="社会保险")
    referral_unit = booth.unit_id
    sent["referral_unit_id"] = referral_unit
    for _ in range(2):  # the phone resends: one record
        answer = client.post(f"/b/{booth.staff_token}/api/consultations", json=sent, headers={"User-Agent": WECHAT})
        assert answer.status_code == 200 and answer.json["ok"] and answer.json["receipt"]
    handout = {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 30}
    assert client.post(f"/b/{booth.staff_token}/api/handouts", json=handout).json["ok"]
    assert send(client, booth).status_code == 302  # the public card works as well

    kinds = dict(db.session.execute(sa.select(RehearsalRecord.kind, sa.func.count()).group_by(RehearsalRecord.kind)
                                    ).all())
    # Opened twice: before the PIN (a phone not yet known) and after it, as the device it now is.
    assert kinds == {"opened": 2, "pin": 1, "consultation": 2, "handout": 1}
    # Counted nowhere: no consultation, handout or referral, no tally, nothing on the board or in the summary.
    assert (count(Consultation), count(MaterialHandout), count(FollowUp)) == (0, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationTally)) == 0
    assert board_figures(campaign)["totals"]["consultations"] == 0
    assert recorded_figures(campaign.id, booth.unit_id).get("consultations", 0) == 0


def test_the_readiness_page_shows_each_desk_and_ending_deletes_with_an_audit_record(
        organizer_client, factory, organizer, client):
    booth = rehearsing_booth(factory, organizer)
    other = factory.unit("滨海市𠮷安区医保局")
    idle = factory.booth(factory.activity(factory.group(booth.campaign, "线上"), units={other: "lead"}), other, pin=PIN)
    campaign = booth.campaign
    client.get(f"/b/{booth.staff_token}", headers={"User-Agent": WECHAT})
    client.submit(f"/b/{booth.staff_token}/pin", {"pin": PIN}, headers={"User-Agent": WECHAT})
    # One sent at once, one that waited on the phone for five minutes (recorded offline, sent when back online).
    assert client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(), headers={"User-Agent": WECHAT}).json["ok"]
    waited = (utcnow() - timedelta(minutes=5)).astimezone(LOCAL_TZ).isoformat()
    assert client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(recorded_at=waited),
                       headers={"User-Agent": WECHAT}).json["ok"]

    page = organizer_client.get(f"/campaigns/{campaign.id}/booths/rehearsal").get_data(as_text=True)
    assert "演练中" in page and "结束演练并删除演练记录" in page
    row = page[page.index(f'id="booth-{booth.id}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-ready="yes"' in row and "微信 8.0.47.2560" in row and "已到达" in row and ">2<" in row
    idle_row = page[page.index(f'id="booth-{idle.id}"'):]
    assert 'data-ready="no"' in idle_row[:idle_row.index("</tr>")]

    response = organizer_client.submit(f"/campaigns/{campaign.id}/booths/rehearsal/end", {})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RehearsalRecord)) == 0
    db.session.refresh(campaign)
    assert campaign.rehearsal_started_at is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "rehearsal_ended"))
    assert event.detail == {"consultations": 2, "handouts": 0, "links_opened": 1, "pins_entered": 1}
    # A second click changes nothing and records nothing.
    organizer_client.submit(f"/campaigns/{campaign.id}/booths/rehearsal/end", {})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "rehearsal_ended")) == 1
    # After it: entries are the day's again (here refused as too early: the campaign is ten days away).
    answer = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert answer.status_code == 400 and "recorded_at" in answer.json["errors"]
    assert "演练中" not in client.get(f"/b/{booth.staff_token}").get_data(as_text=True)


def test_the_rehearsal_stops_by_itself_when_the_day_begins(client, factory, organizer):
    booth = rehearsing_booth(factory, organizer, days_ahead=1)
    campaign = booth.campaign
    sign_in(client, booth)
    assert client.post(f"/b/{booth.staff_token}/api/consultations", json=entry()).json["ok"]
    assert count(Consultation) == 0
    # The organizer forgot to end it; the first day comes.
    campaign.first_day = local_today()
    db.session.commit()
    assert not rehearsal.rehearsing(campaign)
    assert client.post(f"/b/{booth.staff_token}/api/consultations", json=entry()).json["ok"]
    assert count(Consultation) == 1  # the day's entry counts
    assert board_figures(campaign)["totals"]["consultations"] == 1


def test_a_rehearsal_cannot_start_for_a_draft_or_once_the_day_has_begun(organizer_client, factory, organizer):
    draft = factory.campaign(first_day=local_today() + timedelta(days=5), last_day=local_today() + timedelta(days=6))
    response = organizer_client.submit(f"/campaigns/{draft.id}/booths/rehearsal/start", {})
    assert response.status_code == 302
    assert "方案下发后才能演练" in organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    started = factory.campaign(2024, status=STATUS_ISSUED)  # May 2024: long begun
    organizer_client.submit(f"/campaigns/{started.id}/booths/rehearsal/start", {})
    for campaign in (draft, started):
        db.session.refresh(campaign)
        assert campaign.rehearsal_started_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "rehearsal_started")) == 0


def test_browser_labels_from_user_agents():
    assert rehearsal.browser_label(WECHAT) == "微信 8.0.47.2560"
    assert rehearsal.browser_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                                   "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1") == "Safari 17.1"
    assert rehearsal.browser_label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                   "Chrome/131.0.0.0 Safari/537.36") == "Chrome 131"
    assert rehearsal.browser_label("") == ""
    assert rehearsal.browser_label("curl/8.5") == "其他浏览器"


def test_the_day_begins_at_midnight_beijing_time(factory):
    campaign = factory.campaign()
    assert rehearsal.day_begins(campaign) == datetime(2025, 5, 15, tzinfo=LOCAL_TZ)
