"""Referrals (转办) and call-backs (回访): routed to the competent unit, answered on a clock, called back, closed."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from campaign.booths import followup_lists, followups, routing
from campaign.booths.models import BoothSettings, Consultation, FollowUp, ReferralRoute
from campaign.booths.privacy import mask_name, mask_phone
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ, local_today
from campaign.shared.workdays import WORKDAY, OfficeDay, add_working_days
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.booths.referrals import consult, follow_up_of, log_out, referral_desks
from tests.booths.staff import entry, sign_in
from tests.conftest import log_in


@pytest.fixture
def setup(factory, unit_contact):
    return referral_desks(factory, unit_contact)


# Routing ---------------------------------------------------------------------------------------------------


def test_routing_by_topic_defaults_from_unit_kinds_and_the_organizers_table(setup, organizer, client):
    campaign = setup["campaign"]
    table = routing.routing_table(campaign.id, ["社会保险", "教育入学", "其他"])
    # 社会保险 → the bureau whose name says 人力资源/社会保障; never a town, never a unit not taking part.
    assert table == {"社会保险": [setup["labour"].id], "教育入学": [setup["education"].id], "其他": []}

    log_in(client, organizer)
    url = f"/campaigns/{campaign.id}/referral-routes"
    page = client.get(url).get_data(as_text=True)
    assert "社会保险" in page and "江滨区人力资源和社会保障局" in page and "江滨区统计局" not in page
    index = campaign_topics(campaign).index("其他")
    response = client.submit(url, {f"route_{index}": [setup["town"].id, setup["labour"].id]})
    assert response.status_code == 302
    assert routing.routing_table(campaign.id, ["其他"]) == {"其他": [setup["town"].id, setup["labour"].id]}

    # A unit not taking part is refused and nothing changes.
    page = client.submit(url, {f"route_{index}": [setup["outsider"].id]}, follow_redirects=True).get_data(as_text=True)
    assert "只能转给参加本次活动的单位" in page
    assert routing.routing_table(campaign.id, ["其他"]) == {"其他": [setup["town"].id, setup["labour"].id]}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralRoute)) == 2


def campaign_topics(campaign) -> list[str]:
    from campaign.booths.recording import topics_for

    return topics_for(campaign.id)


def test_a_referral_without_a_chosen_unit_follows_the_route_and_a_call_back_stays_with_the_desk(setup):
    booth = setup["booth"]
    assert routing.responsible_unit_id(booth, "转办", "社会保险", None) == setup["labour"].id
    assert routing.responsible_unit_id(booth, "转办", "其他", None) == setup["education"].id
    assert routing.responsible_unit_id(booth, "需回访", "社会保险", "") == setup["education"].id
    assert routing.responsible_unit_id(booth, "当场解答", "社会保险", setup["labour"].id) is None
    with pytest.raises(Refusal) as refused:
        routing.responsible_unit_id(booth, "转办", "社会保险", setup["outsider"].id)
    assert "没有参加本次活动" in refused.value.errors["referral_unit_id"]


# From the desk to the competent unit -----------------------------------------------------------------------


def test_a_referral_from_the_education_desk_lands_with_labour_which_alone_sees_the_full_number(
    setup, client, unit_contact, organizer
):
    booth, labour = setup["booth"], setup["labour"]
    # The phone without JavaScript: 转办 without a unit asks for one, with the topic's suggestions.
    sign_in(client, booth)
    form = {**entry(topic="社会保险", handling="转办", question="高龄津贴怎么领取？", person_name="欧阳娜娜",
                    person_phone="13912340756", consent="y"), "csrf_token": client.csrf_token()}
    page = client.post(f"/b/{booth.staff_token}/consultations", data=form).get_data(as_text=True)
    assert "请选择转给哪个单位" in page
    assert f'name="referral_unit_id" value="{labour.id}"' in page  # the suggestion for 社会保险
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0
    # The second tap: the suggested unit.
    response = client.post(f"/b/{booth.staff_token}/consultations", data={**form, "referral_unit_id": labour.id})
    assert response.status_code == 302
    follow_up = db.session.scalar(sa.select(FollowUp))
    assert follow_up.unit_id == labour.id and follow_up.status == "pending"

    # 区人社局's contact: on 我的任务 at once, then in the queue with the full number as a tel: link, audit-logged.
    log_in(client, setup["labour_contact"])
    tasks = client.get("/tasks/").get_data(as_text=True)
    assert 'data-open="1"' in tasks
    queue = client.get("/follow-ups/").get_data(as_text=True)
    assert "高龄津贴怎么领取？" in queue and 'href="tel:13912340756"' in queue and "欧阳娜娜" in queue
    assert booth.label in queue
    page = client.get(f"/follow-ups/{follow_up.id}").get_data(as_text=True)
    assert 'href="tel:13912340756"' in page
    viewed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "follow_up_phone_viewed")).all()
    assert [(event.object_id, event.user_id) for event in viewed] == [(follow_up.id, setup["labour_contact"].id)] * 2
    log_out(client)

    # The referring desk's unit no longer sees it: not in its queue, 403 on the page.
    log_in(client, unit_contact)
    assert "高龄津贴怎么领取？" not in client.get("/follow-ups/").get_data(as_text=True)
    assert client.get(f"/follow-ups/{follow_up.id}").status_code == 403
    log_out(client)

    # The organizer sees it masked.
    log_in(client, organizer)
    page = client.get(f"/follow-ups/{follow_up.id}").get_data(as_text=True)
    assert mask_phone("13912340756") in page and "13912340756" not in page and mask_name("欧阳娜娜") in page
    assert db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "follow_up_phone_viewed")
    ) == 2


def test_the_json_api_takes_the_unit_and_refuses_one_not_taking_part_with_a_final_400(setup, client):
    booth = setup["booth"]
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    refused = client.post(url, json=entry(handling="转办", referral_unit_id=setup["outsider"].id))
    assert refused.status_code == 400 and refused.json["ok"] is False
    assert "没有参加本次活动" in refused.json["errors"]["referral_unit_id"]
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0
    assert client.post(url, json=entry(handling="转办", referral_unit_id="x")).status_code == 400

    data = entry(handling="转办", referral_unit_id=setup["labour"].id)
    first = client.post(url, json=data)
    again = client.post(url, json=data)  # the phone's retry: the same record, one referral
    assert first.status_code == again.status_code == 200 and first.json == again.json
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 1
    assert db.session.scalar(sa.select(FollowUp.unit_id)) == setup["labour"].id
    # Queued on a phone before the desk could choose (no unit in the payload): routed by topic.
    assert client.post(url, json=entry(handling="转办", topic="社会保险")).status_code == 200
    # 需回访 without a unit: the desk's own.
    client.post(url, json=entry(handling="需回访", question="回访我"))
    units = dict(db.session.execute(sa.select(Consultation.question, FollowUp.unit_id).join(FollowUp)).all())
    assert units["回访我"] == setup["education"].id


# The clock -------------------------------------------------------------------------------------------------


def test_deadlines_are_working_days_from_the_local_day_per_kind(setup):
    # Friday 16 May 2025, 23:30 in Beijing — 15:30 UTC the same day; a minute past midnight is still Friday in UTC.
    friday_night = datetime(2025, 5, 16, 23, 30, tzinfo=LOCAL_TZ)
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=friday_night))
    # 15 working days to close: 端午 (31 May – 2 June 2025) falls inside, so not 6 June but 9 June.
    assert (follow_up.due_date, follow_up.close_due_date) == (date(2025, 5, 23), date(2025, 6, 9))
    saturday_early = datetime(2025, 5, 17, 0, 30, tzinfo=LOCAL_TZ)  # Friday 16:30 UTC: Saturday here
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=saturday_early, handling="需回访"))
    assert (follow_up.due_date, follow_up.close_due_date) == (date(2025, 5, 21), date(2025, 5, 30))

    settings = BoothSettings(campaign_id=setup["campaign"].id, deadlines={"转办": {"reply": 2, "close": 4}})
    db.session.add(settings)
    db.session.commit()
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=friday_night))
    assert (follow_up.due_date, follow_up.close_due_date) == (date(2025, 5, 20), date(2025, 5, 22))
    assert add_working_days(date(2025, 5, 16), 1) == date(2025, 5, 19)


def test_deadlines_count_may_day_and_its_weekend_worked_in_lieu(setup):
    # 2026: 1–5 May off, Saturday 9 May worked in their place (调休). Recorded Thursday 30 April, 5 working days to
    # reply: 6, 7, 8, 9 (the Saturday) and 11 May — not 7 May as Monday to Friday would have it.
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=datetime(2026, 4, 30, 10, tzinfo=LOCAL_TZ)))
    assert follow_up.due_date == date(2026, 5, 11)
    assert add_working_days(date(2026, 5, 8), 1) == date(2026, 5, 9)


def test_the_offices_table_overrides_the_library_for_new_referrals(setup):
    # The office works Monday 2 June 2025 (端午 in the library): the 15th working day from 16 May is 6 June again.
    db.session.add(OfficeDay(day=date(2025, 6, 2), kind=WORKDAY, note="本区安排上班"))
    db.session.commit()
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=datetime(2025, 5, 16, 10, tzinfo=LOCAL_TZ)))
    assert follow_up.close_due_date == date(2025, 6, 6)


def test_days_overdue_are_working_days_as_the_deadlines_are(setup):
    # Due Thursday 22 May 2025. Friday is the first day late; the weekend adds nothing; Monday is the second.
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=datetime(2025, 5, 15, 10, tzinfo=LOCAL_TZ)))
    due = follow_up.due_date
    assert due == date(2025, 5, 22)
    late = [followups.overdue_days(follow_up, due + timedelta(days=n)) for n in range(6)]
    assert late == [0, 1, 1, 1, 2, 3]
    # Due on a Friday: overdue on Saturday all the same, by one day, and still one on Sunday.
    follow_up.due_date = date(2025, 5, 23)
    assert [followups.overdue_days(follow_up, date(2025, 5, day)) for day in (24, 25, 26)] == [1, 1, 1]
    # A holiday between counts for nothing: due 30 April 2025, 劳动节 1–5 May, back on Tuesday 6 May.
    follow_up.due_date = date(2025, 4, 30)
    assert followups.overdue_days(follow_up, date(2025, 5, 5)) == 1
    assert followups.overdue_days(follow_up, date(2025, 5, 6)) == 1
    assert followups.overdue_days(follow_up, date(2025, 5, 7)) == 2


def test_overdue_and_in_time_are_counted_in_asia_shanghai(setup):
    follow_up = follow_up_of(consult(setup["booth"], recorded_at=datetime(2025, 5, 15, 10, tzinfo=LOCAL_TZ)))
    due = follow_up.due_date  # Thursday 22 May
    assert not followups.is_overdue(follow_up, due) and followups.overdue_days(follow_up, due) == 0
    # Replied at 00:30 on the day after the due date in Beijing: still the due date in UTC, late all the same.
    follow_up.replied_at = datetime.combine(due + timedelta(days=1), time(0, 30), LOCAL_TZ)
    follow_up.status = "replied"
    db.session.commit()
    assert follow_up.replied_at.astimezone(UTC).date() == due
    assert followups.replied_in_time(follow_up) is False
    counts = followup_lists.follow_up_counts(setup["campaign"].id, today=due)
    assert (counts.replied, counts.replied_late, counts.replied_in_time, counts.overdue) == (1, 1, 0, 0)
    # After the reply, the closing deadline is the one that runs.
    after = follow_up.close_due_date + timedelta(days=1)
    assert followup_lists.follow_up_counts(setup["campaign"].id, today=after).overdue == 1
    follow_up.replied_at = datetime.combine(due, time(23, 59), LOCAL_TZ)
    db.session.commit()
    assert followups.replied_in_time(follow_up) is True


# The state machine -----------------------------------------------------------------------------------------


def test_the_state_machine_allows_the_table_and_refuses_illegal_moves(setup, organizer):
    labour_contact = setup["labour_contact"]
    follow_up = follow_up_of(consult(setup["booth"], unit=setup["labour"]))
    assert set(followups.TRANSITIONS) == {"reply", "call_back", "call_back_missed", "close", "reopen"}

    def refused(action, *args, user=labour_contact):
        before = (follow_up.status, follow_up.reply, follow_up.replied_at, follow_up.call_back_satisfaction)
        with pytest.raises(Refusal):
            action(follow_up, *args, user)
        db.session.rollback()
        assert (follow_up.status, follow_up.reply, follow_up.replied_at, follow_up.call_back_satisfaction) == before

    # 待办理: no call-back, no closing, no reopen; a reply of only spaces is no reply.
    refused(followups.call_back, True, "满意", "")
    refused(followups.close)
    refused(followups.reopen, user=organizer)
    refused(followups.reply, " \u3000\n ")
    refused(followups.reply, "组织方不替单位答复", user=organizer)
    followups.reply(follow_up, "已电话答复：可在网上申请。", labour_contact)
    db.session.commit()
    assert follow_up.status == "replied" and follow_up.replied_by_id == labour_contact.id
    refused(followups.reply, "再答复一次")
    refused(followups.call_back, None, "", "")  # reached or not must be said
    refused(followups.call_back, True, "还行", "")  # not one of 满意/基本满意/不满意

    # Not reached: noted, still 已答复; then reached and unsatisfied: before the organizer, the unit cannot close.
    followups.call_back(follow_up, False, "", "无人接听", labour_contact)
    db.session.commit()
    assert follow_up.status == "replied" and follow_up.call_back_reached is False
    # Not called back yet: the unit cannot close it (the organizer could, for a citizen never reached).
    assert not followups.may(labour_contact, "close", follow_up) and followups.may(organizer, "close", follow_up)
    refused(followups.close)
    followups.call_back(follow_up, True, "不满意", "嫌太慢", labour_contact)
    db.session.commit()
    assert (follow_up.status, follow_up.awaiting_decision) == ("called_back", True)
    assert not followups.may(labour_contact, "close", follow_up)
    refused(followups.close)
    refused(followups.reopen)  # only the organizer reopens
    followups.reopen(follow_up, organizer)
    assert (follow_up.status, follow_up.replied_at, follow_up.awaiting_decision) == ("pending", None, False)
    assert follow_up.reply == "已电话答复：可在网上申请。"  # kept, so the unit sees what was found wanting
    db.session.commit()

    # Again, satisfied this time, closed by the unit; then nothing but reopen.
    followups.reply(follow_up, "已重新核实并答复。", labour_contact)
    followups.call_back(follow_up, True, "满意", "", labour_contact)
    followups.close(follow_up, labour_contact)
    assert follow_up.status == "closed" and followups.closed_in_time(follow_up) is True
    for action in ("reply", "call_back", "call_back_missed", "close"):
        assert not followups.may(labour_contact, action, follow_up)
        assert not followups.may(organizer, action, follow_up)
    db.session.commit()
    actions = [event.action for event in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "FollowUp").order_by(AuditEvent.id)
    )]
    assert actions == ["follow_up_reply", "follow_up_call_back_missed", "follow_up_call_back", "follow_up_reopen",
                       "follow_up_reply", "follow_up_call_back", "follow_up_close"]


def test_the_unit_replies_calls_back_and_closes_through_its_pages_and_bad_input_changes_nothing(setup, client):
    follow_up = follow_up_of(consult(setup["booth"], unit=setup["labour"], question="社保断缴怎么补？"))
    url = f"/follow-ups/{follow_up.id}"
    log_in(client, setup["labour_contact"])
    page = client.submit(url, {"action": "reply", "reply": "   \u3000 "}).get_data(as_text=True)
    assert "请填写答复内容" in page
    assert db.session.get(FollowUp, follow_up.id).status == "pending"
    assert client.submit(url, {"action": "save", "reply": "草稿"}).status_code == 302
    assert (db.session.get(FollowUp, follow_up.id).status, db.session.get(FollowUp, follow_up.id).reply) == ("pending", "草稿")
    assert client.submit(url, {"action": "reply", "reply": "已电话答复：可在网上补缴。"}).status_code == 302
    page = client.submit(url, {"action": "call_back", "reached": "1"}).get_data(as_text=True)
    assert "请选择群众的满意度" in page
    assert db.session.get(FollowUp, follow_up.id).status == "replied"
    response = client.submit(url, {"action": "call_back", "reached": "1", "satisfaction": "满意", "note": "已解决"})
    assert response.status_code == 302
    assert client.submit(url, {"action": "close"}).status_code == 302
    done = db.session.get(FollowUp, follow_up.id)
    assert (done.status, done.call_back_satisfaction, done.call_back_note) == ("closed", "满意", "已解决")
    # Only the organizer changes deadlines or reopens.
    assert client.submit(url, {"action": "due", "due_date": "2099-01-01", "close_due_date": "2099-01-02"}).status_code == 403
    page = client.submit(url, {"action": "reopen"}).get_data(as_text=True)
    assert "不能这样操作" in page
    assert db.session.get(FollowUp, follow_up.id).status == "closed"


def test_the_organizer_cannot_set_a_due_date_in_the_past(setup, client, organizer):
    follow_up = follow_up_of(consult(setup["booth"], unit=setup["labour"]))
    before = (follow_up.due_date, follow_up.close_due_date)
    log_in(client, organizer)
    url = f"/follow-ups/{follow_up.id}"
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    later = (local_today() + timedelta(days=30)).isoformat()
    page = client.submit(url, {"action": "due", "due_date": yesterday, "close_due_date": later}).get_data(as_text=True)
    assert "期限不能早于今天" in page
    db.session.expire_all()
    assert (db.session.get(FollowUp, follow_up.id).due_date, db.session.get(FollowUp, follow_up.id).close_due_date) == before
    soon = (local_today() + timedelta(days=3)).isoformat()
    assert client.submit(url, {"action": "due", "due_date": soon, "close_due_date": later}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, follow_up.id).due_date.isoformat() == soon


def test_reassigning_only_to_a_unit_taking_part(setup, client, organizer):
    follow_up = follow_up_of(consult(setup["booth"]))
    log_in(client, organizer)
    page = client.submit(f"/follow-ups/{follow_up.id}/reassign", {"unit_id": setup["outsider"].id},
                         follow_redirects=True).get_data(as_text=True)
    assert "请选择参加本次活动的单位" in page
    assert db.session.get(FollowUp, follow_up.id).unit_id == setup["education"].id
    client.submit(f"/follow-ups/{follow_up.id}/reassign", {"unit_id": setup["labour"].id})
    assert db.session.get(FollowUp, follow_up.id).unit_id == setup["labour"].id
