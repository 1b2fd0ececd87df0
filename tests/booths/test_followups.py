"""Follow-ups: made from referred consultations, answered and closed by the unit, reassigned by the organizer."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from campaign.booths import followups
from campaign.booths.models import BoothSettings, Consultation, FollowUp
from campaign.booths.privacy import mask_name, mask_phone
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.factory import Factory


@pytest.fixture
def setup(factory, unit_contact):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign))
    other_unit = factory.unit("江滨区人社局")
    booth = factory.booth(activity, unit_contact.unit)
    other_booth = factory.booth(activity, other_unit)
    return dict(
        campaign=campaign, booth=booth, other_booth=other_booth, unit=unit_contact.unit, other_unit=other_unit,
        other_contact=factory.user("unit", unit=other_unit, username="other"),
    )


def consult(booth, handling="转办", recorded_at=None, **fields) -> Consultation:
    fields.setdefault("topic", "教育入学")
    fields.setdefault("question", "孩子入学需要哪些材料？")
    return Factory().consultation(booth, handling=handling, recorded_at=recorded_at or utcnow(), **fields)


def follow_up_of(consultation) -> FollowUp:
    return db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))


def test_a_referral_becomes_a_follow_up_for_the_booths_unit_due_after_the_configured_days(setup):
    recorded = datetime(2025, 5, 15, 23, 30, tzinfo=LOCAL_TZ)  # 15:30 UTC: the local date is what counts
    consultation = consult(setup["booth"], recorded_at=recorded)
    follow_up = follow_up_of(consultation)
    assert follow_up.unit_id == setup["unit"].id
    assert follow_up.status == "open"
    assert follow_up.due_date == date(2025, 5, 30)

    db.session.add(BoothSettings(campaign_id=setup["campaign"].id, follow_up_days=5))
    db.session.commit()
    assert follow_up_of(consult(setup["booth"], recorded_at=recorded)).due_date == date(2025, 5, 20)
    assert follow_up_of(consult(setup["booth"], handling="当场解答")) is None


def test_lifecycle_queue_reply_close_and_reopen(setup, client, unit_contact, organizer):
    consultation = consult(setup["booth"], question="社保断缴怎么补？")
    follow_up = follow_up_of(consultation)
    log_in(client, unit_contact)
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "社保断缴怎么补？" in page
    assert "待办理" in page

    url = f"/follow-ups/{follow_up.id}"
    page = client.submit(url, {"action": "close", "reply": "  "}).get_data(as_text=True)
    assert "请填写答复或办理结果后再办结。" in page
    assert db.session.get(FollowUp, follow_up.id).status == "open"

    response = client.submit(url, {"action": "save", "reply": "已电话联系，待核实"})
    assert response.status_code == 302
    saved = db.session.get(FollowUp, follow_up.id)
    assert (saved.status, saved.reply) == ("open", "已电话联系，待核实")

    response = client.submit(url, {"action": "close", "reply": "已电话答复：可在网上补缴。"})
    assert response.status_code == 302
    closed = db.session.get(FollowUp, follow_up.id)
    assert closed.status == "closed"
    assert closed.reply == "已电话答复：可在网上补缴。"
    assert closed.closed_by_id == unit_contact.id and closed.closed_at is not None
    page = client.get(url).get_data(as_text=True)
    assert "已办结" in page and "保存并办结" not in page

    # Only the organizer reopens.
    assert client.submit(url, {"action": "reopen"}).status_code == 403
    client.submit("/auth/logout")
    log_in(client, organizer)
    assert client.submit(url, {"action": "reopen"}).status_code == 302
    reopened = db.session.get(FollowUp, follow_up.id)
    assert (reopened.status, reopened.closed_at, reopened.reply) == ("open", None, "已电话答复：可在网上补缴。")
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == follow_up.id)))
    assert {"follow_up_closed", "follow_up_reopened"} <= actions


def test_overdue_follow_ups_stand_out(setup, client, unit_contact, organizer):
    consultation = consult(setup["booth"], recorded_at=utcnow() - timedelta(days=18), question="老问题")
    follow_up = follow_up_of(consultation)
    consult(setup["booth"], question="新问题")
    assert followups.overdue_days(follow_up) == 3
    assert [item.id for item in followups.overdue_follow_ups(setup["campaign"].id)] == [follow_up.id]

    page = log_in(client, unit_contact).get("/follow-ups/").get_data(as_text=True)
    assert "已逾期 3 天" in page
    assert page.index("老问题") < page.index("新问题")  # the most urgent first
    client.submit("/auth/logout")

    log_in(client, organizer)
    page = client.get(f"/follow-ups/?campaign_id={setup['campaign'].id}&overdue=1").get_data(as_text=True)
    assert "老问题" in page and "新问题" not in page


def test_organizer_reassigns_and_only_the_new_unit_sees_it(setup, client, unit_contact, organizer):
    follow_up = follow_up_of(consult(setup["booth"], question="企业开办流程"))
    log_in(client, organizer)
    page = client.get("/follow-ups/").get_data(as_text=True)  # the latest campaign by default
    assert "企业开办流程" in page
    response = client.submit(f"/follow-ups/{follow_up.id}/reassign", {"unit_id": setup["other_unit"].id})
    assert response.status_code == 302
    assert db.session.get(FollowUp, follow_up.id).unit_id == setup["other_unit"].id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "follow_up_reassigned"))
    assert event.detail == {"from_unit_id": setup["unit"].id, "to_unit_id": setup["other_unit"].id}
    client.submit("/auth/logout")

    log_in(client, unit_contact)
    assert "企业开办流程" not in client.get("/follow-ups/").get_data(as_text=True)
    assert client.get(f"/follow-ups/{follow_up.id}").status_code == 403
    client.submit("/auth/logout")
    log_in(client, setup["other_contact"])
    assert "企业开办流程" in client.get("/follow-ups/").get_data(as_text=True)


def test_a_unit_cannot_read_or_change_another_units_follow_up(setup, client, unit_contact):
    other = follow_up_of(consult(setup["other_booth"], question="别的单位的问题"))
    log_in(client, unit_contact)
    assert "别的单位的问题" not in client.get("/follow-ups/").get_data(as_text=True)
    assert client.get(f"/follow-ups/{other.id}").status_code == 403
    assert client.submit(f"/follow-ups/{other.id}", {"action": "close", "reply": "越权"}).status_code == 403
    assert client.submit(f"/follow-ups/{other.id}/reassign", {"unit_id": unit_contact.unit_id}).status_code == 403
    assert db.session.get(FollowUp, other.id).status == "open"


def test_unit_sees_the_full_phone_only_for_a_consented_call_back_and_the_view_is_audited(setup, client, unit_contact):
    call_back = follow_up_of(consult(
        setup["booth"], handling="需回访", person_name="欧阳娜娜", person_phone="13812341234", consent=True,
    ))
    referral = follow_up_of(consult(
        setup["booth"], handling="转办", person_name="张三", person_phone="13900001111", consent=True,
    ))
    log_in(client, unit_contact)
    listing = client.get("/follow-ups/").get_data(as_text=True)
    assert "138****1234" in listing and "13812341234" not in listing

    page = client.get(f"/follow-ups/{call_back.id}").get_data(as_text=True)
    assert "13812341234" in page and "欧阳娜娜" in page
    viewed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "follow_up_phone_viewed")).all()
    assert [(event.object_id, event.user_id) for event in viewed] == [(call_back.id, unit_contact.id)]

    page = client.get(f"/follow-ups/{referral.id}").get_data(as_text=True)
    assert "13900001111" not in page and "139****1111" in page and "张*" in page


def test_organizer_sees_masked_until_revealing_with_a_post(setup, client, organizer):
    follow_up = follow_up_of(consult(setup["booth"], handling="需回访", person_phone="0571-88886666", consent=True))
    log_in(client, organizer)
    url = f"/follow-ups/{follow_up.id}"
    page = client.get(url).get_data(as_text=True)
    assert "0571-****6666" in page and "88886666" not in page
    page = client.submit(url, {"action": "reveal"}).get_data(as_text=True)
    assert "0571-88886666" in page
    assert db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "follow_up_phone_viewed", AuditEvent.user_id == organizer.id)
    ) == 1


def test_withdrawn_consultations_leave_the_queue(setup, unit_contact):
    consultation = consult(setup["booth"])
    assert len(followups.unit_queue(unit_contact.unit_id)) == 1
    consultation.withdrawn_at = utcnow()
    db.session.commit()
    assert followups.unit_queue(unit_contact.unit_id) == []
    assert followups.follow_up_counts(setup["campaign"].id).open == 0


def test_masking():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0571-88886666") == "0571-****6666"
    assert mask_phone("01012345678") == "010-****5678"
    assert mask_phone("") == ""
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("王小明") == "王**"
