"""The organizer's entries of a booth: listed (masked, newest first, filtered, paged), corrected, withdrawn and
restored after the phone's ten minutes, every change audit-logged and reflected in every count."""

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from campaign.booths import board, corrections, entries, followup_lists, followups
from campaign.booths.desk import today_counts
from campaign.booths.models import FollowUp, MaterialHandout
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.shared.workdays import add_working_days
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.statements import page_statements

DAY = date(2025, 5, 15)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def desk(factory):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign))
    unit = factory.unit("江滨区人社局", short_name="人社局")
    booth = factory.booth(activity, unit, public=True)
    other_booth = factory.booth(activity, factory.unit("江滨区医保局"))
    referred = factory.consultation(
        booth, recorded_at=at(9, 0), handling="转办", question="灵活就业人员养老保险怎么续缴？",
        person_name="张三丰", person_phone="13812341234", consent=True,
    )
    answered = factory.consultation(booth, recorded_at=at(9, 30), topic="就业创业")
    public = factory.consultation(booth, recorded_at=at(10, 0), source="public", kind="意见建议", topic="")
    handout = factory.handout(booth, "宣传单", 20, recorded_at=at(9, 45))
    stranger = factory.consultation(other_booth, recorded_at=at(9, 10))
    return dict(
        campaign=campaign, booth=booth, unit=unit, other_booth=other_booth, referred=referred, answered=answered,
        public=public, handout=handout, stranger=stranger,
    )


def entries_url(desk, suffix: str = "") -> str:
    return f"/campaigns/{desk['campaign'].id}/booths/{desk['booth'].id}/entries{suffix}"


def figures(desk) -> dict:
    return board.figures(desk["campaign"], today=DAY)["totals"]


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def positions(page: str, *needles: str) -> list[int]:
    return [page.index(needle) for needle in needles]


# The list --------------------------------------------------------------------------------------------------


def test_list_shows_every_entry_newest_first_with_phones_masked(organizer_client, desk):
    page = organizer_client.get(entries_url(desk)).get_data(as_text=True)
    rows = [f'id="consultation-{desk["public"].id}"', f'id="handout-{desk["handout"].id}"',
            f'id="consultation-{desk["answered"].id}"', f'id="consultation-{desk["referred"].id}"']
    assert positions(page, *rows) == sorted(positions(page, *rows))
    assert f'id="consultation-{desk["stranger"].id}"' not in page
    assert "138****1234" in page and "张**" in page
    assert "13812341234" not in page and "张三丰" not in page
    assert "公众留言" in page and "宣传单 20份" in page
    assert "转办：人社局" in page


def test_filters_and_pages(organizer_client, desk, factory):
    for minute in range(7):
        factory.consultation(desk["booth"], recorded_at=at(11, minute), topic="医疗保障")
    entries.withdraw_handout(desk["handout"], None)
    db.session.commit()

    handouts_only = organizer_client.get(entries_url(desk, "?show=handouts")).get_data(as_text=True)
    assert f'id="handout-{desk["handout"].id}"' in handouts_only and 'id="consultation-' not in handouts_only
    public_only = organizer_client.get(entries_url(desk, "?show=public")).get_data(as_text=True)
    assert re.findall(r'id="(consultation|handout)-\d+"', public_only) == ["consultation"]
    withdrawn = organizer_client.get(entries_url(desk, "?state=withdrawn")).get_data(as_text=True)
    assert re.findall(r'<tr id="(\w+-\d+)" class="withdrawn"', withdrawn) == [f"handout-{desk['handout'].id}"]
    live = organizer_client.get(entries_url(desk, "?state=live")).get_data(as_text=True)
    assert f'id="handout-{desk["handout"].id}"' not in live

    first = entries.booth_entries(desk["booth"], per_page=5)
    second = entries.booth_entries(desk["booth"], page=2, per_page=5)
    assert (first.total, first.pages) == (11, 3)
    times = [entry.row.recorded_at for entry in first.entries + second.entries]
    assert times == sorted(times, reverse=True)
    assert not {entry.row.id for entry in first.entries} & {entry.row.id for entry in second.entries}
    assert entries.booth_entries(desk["booth"], page=99, per_page=5).page == 3  # past the end: the last page
    assert first.counts == {"staff": 9, "public": 1, "handouts": 1, "all": 11, "withdrawn": 1}
    # Rubbish in the query string shows the whole list rather than failing.
    assert organizer_client.get(entries_url(desk, "?show=x&state=y&page=-3")).status_code == 200


def test_the_list_takes_the_same_number_of_queries_however_many_entries(organizer_client, desk, factory):
    def queries_for_list() -> int:
        return page_statements(organizer_client, entries_url(desk))

    few = queries_for_list()
    for minute in range(30):
        factory.consultation(desk["booth"], recorded_at=at(12, minute), handling="需回访")
        factory.handout(desk["booth"], recorded_at=at(12, minute))
    assert queries_for_list() == few


def test_booth_list_and_board_link_to_the_entries(organizer_client, desk):
    url = entries_url(desk)
    assert url in organizer_client.get(f"/campaigns/{desk['campaign'].id}/booths/").get_data(as_text=True)
    assert f'href="{url}"' in organizer_client.get(f"/campaigns/{desk['campaign'].id}/board").get_data(as_text=True)
    data = organizer_client.get(f"/campaigns/{desk['campaign'].id}/board/data.json").get_json()
    assert {row["id"]: row["entries_url"] for row in data["booths"]}[desk["booth"].id] == url


def test_only_organizers_and_only_this_booths_entries(client, unit_contact, organizer_client, desk):
    stranger = desk["stranger"]
    assert organizer_client.get(entries_url(desk, f"/consultations/{stranger.id}/edit")).status_code == 404
    response = organizer_client.submit(entries_url(desk, f"/consultations/{stranger.id}/withdraw"))
    assert response.status_code == 404
    wrong_campaign = f"/campaigns/{desk['campaign'].id + 1}/booths/{desk['booth'].id}/entries"
    assert organizer_client.get(wrong_campaign).status_code == 404
    db.session.expire_all()
    assert stranger.withdrawn_at is None


def test_posts_need_the_csrf_token(organizer_client, desk):
    response = organizer_client.post(entries_url(desk, f"/consultations/{desk['answered'].id}/withdraw"))
    assert response.status_code == 400
    db.session.expire_all()
    assert desk["answered"].withdrawn_at is None and audit_events("consultation_withdrawn") == []


# Withdrawing and restoring ---------------------------------------------------------------------------------


def test_withdrawing_twice_is_once_and_restoring_brings_it_back_everywhere(organizer_client, desk):
    answered = desk["answered"]
    before = figures(desk)
    url = entries_url(desk, f"/consultations/{answered.id}/withdraw")
    first = organizer_client.submit(url, {"show": "staff", "page": "1"})
    assert first.status_code == 302 and "show=staff" in first.headers["Location"]
    assert first.headers["Location"].endswith(f"#consultation-{answered.id}")
    organizer_client.submit(url)
    db.session.expire_all()
    assert answered.withdrawn_at is not None
    assert len(audit_events("consultation_withdrawn")) == 1
    assert figures(desk)["consultations"] == before["consultations"] - 1
    booths = {row["id"]: row for row in board.figures(desk["campaign"], today=DAY)["booths"]}
    assert booths[desk["booth"].id]["staff"] == 1

    page = organizer_client.get(entries_url(desk)).get_data(as_text=True)
    assert f'<tr id="consultation-{answered.id}" class="withdrawn">' in page
    assert "已撤回" in page

    restore = entries_url(desk, f"/consultations/{answered.id}/restore")
    organizer_client.submit(restore)
    organizer_client.submit(restore)
    db.session.expire_all()
    assert answered.withdrawn_at is None
    assert len(audit_events("consultation_restored")) == 1
    assert figures(desk) == before


def test_the_staff_pages_counts_follow_withdrawal_and_restoring(organizer, desk, factory):
    booth = desk["booth"]
    today = factory.consultation(booth, recorded_at=utcnow())
    handout = factory.handout(booth, "宣传册", 7, recorded_at=utcnow())
    assert today_counts(booth) == (1, {"宣传单": 0, "宣传册": 7, "政策汇编": 0, "征求意见卡": 0})
    entries.withdraw_consultation(today, organizer)
    entries.withdraw_handout(handout, organizer)
    assert today_counts(booth) == (0, {"宣传单": 0, "宣传册": 0, "政策汇编": 0, "征求意见卡": 0})
    entries.restore_consultation(today, organizer)
    entries.restore_handout(handout, organizer)
    assert today_counts(booth) == (1, {"宣传单": 0, "宣传册": 7, "政策汇编": 0, "征求意见卡": 0})


def test_withdrawing_a_referral_hides_its_follow_up_and_restoring_gives_it_back_as_it_was(organizer, desk, factory):
    referred = desk["referred"]
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == referred.id))
    elsewhere = factory.unit("江滨区信访局")
    factory.activity(factory.group(desk["campaign"]), units={elsewhere: "cooperating"})  # it takes part
    followups.reassign(follow_up, elsewhere.id, organizer)
    campaign_id = desk["campaign"].id
    assert followup_lists.follow_up_counts(campaign_id, today=DAY).open == 1

    assert entries.withdraw_consultation(referred, organizer)
    assert followup_lists.follow_up_counts(campaign_id, today=DAY).open == 0
    assert followup_lists.unit_queue(elsewhere.id, campaign_id).items == []

    assert entries.restore_consultation(referred, organizer)
    queue = followup_lists.unit_queue(elsewhere.id, campaign_id).items
    assert [item.id for item in queue] == [follow_up.id]  # the same follow-up, still with the unit it went to
    assert followup_lists.follow_up_counts(campaign_id, today=DAY).open == 1


def test_restoring_what_the_phone_withdrew_opens_its_follow_up_again(organizer, desk, factory):
    consultation = factory.consultation(desk["booth"], recorded_at=at(11, 0), handling="需回访")
    corrections.withdraw_consultation(consultation)  # the phone's withdrawal deletes a follow-up nobody started on
    assert db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id)) is None

    entries.restore_consultation(consultation, organizer)
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))
    assert follow_up is not None and follow_up.status == "pending" and follow_up.unit_id == desk["unit"].id
    assert follow_up.due_date == add_working_days(DAY, 3)  # a call-back: 3 working days to reply
    event_ = audit_events("consultation_restored")[0]
    assert event_.detail["follow_up_id"] == follow_up.id


def test_handouts_withdraw_and_restore(organizer_client, desk):
    handout = desk["handout"]
    assert figures(desk)["handouts"] == 20
    withdraw = entries_url(desk, f"/handouts/{handout.id}/withdraw")
    organizer_client.submit(withdraw)
    assert "已经撤回" in organizer_client.submit(withdraw, follow_redirects=True).get_data(as_text=True)
    assert figures(desk)["handouts"] == 0
    assert len(audit_events("handout_withdrawn")) == 1
    assert audit_events("handout_withdrawn")[0].detail == {
        "booth_id": desk["booth"].id, "material": "宣传单", "quantity": 20,
    }
    organizer_client.submit(entries_url(desk, f"/handouts/{handout.id}/restore"))
    assert figures(desk)["handouts"] == 20
    db.session.expire_all()
    assert db.session.get(MaterialHandout, handout.id).withdrawn_at is None


# Correcting ------------------------------------------------------------------------------------------------


def correction(**fields) -> dict:
    values = dict(kind="政策咨询", topic="社会保险", question="灵活就业人员养老保险怎么续缴？", asker_type="群众",
                  handling="转办", satisfaction="", person_name="", person_phone="", consent="y")
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


def test_edit_page_shows_the_contact_masked(organizer_client, desk):
    page = organizer_client.get(entries_url(desk, f"/consultations/{desk['referred'].id}/edit")).get_data(as_text=True)
    assert "138****1234" in page and "张**" in page
    assert "13812341234" not in page and "张三丰" not in page
    assert '<input checked id="handling-1" name="handling" type="radio" value="转办">' in page


def test_correction_is_audited_with_before_and_after(organizer_client, desk):
    referred = desk["referred"]
    response = organizer_client.submit(
        entries_url(desk, f"/consultations/{referred.id}/edit"),
        correction(topic="就业创业", handling="当场解答", satisfaction="满意", person_phone="13900001111"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (referred.topic, referred.handling, referred.satisfaction) == ("就业创业", "当场解答", "满意")
    assert referred.person_name == "张三丰"  # left empty on the form: kept
    assert referred.person_phone == "13900001111" and referred.updated_at is not None
    (event_,) = audit_events("consultation_corrected")
    assert event_.detail["before"] == {
        "topic": "社会保险", "handling": "转办", "satisfaction": "", "person_phone": "138****1234",
    }
    assert event_.detail["after"] == {
        "topic": "就业创业", "handling": "当场解答", "satisfaction": "满意", "person_phone": "139****1111",
    }
    # No longer a referral: its untouched follow-up goes, from the queue and from the board.
    assert db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == referred.id)) is None
    assert figures(desk)["follow_ups_open"] == 0
    topics = {row["name"]: row["staff"] for row in board.figures(desk["campaign"], today=DAY)["topics"]}
    assert topics == {"就业创业": 2, "社会保险": 1, board.NO_TOPIC: 0}  # 社会保险: the other booth's


def test_a_correction_that_changes_nothing_logs_nothing(organizer_client, desk):
    referred = desk["referred"]
    response = organizer_client.submit(entries_url(desk, f"/consultations/{referred.id}/edit"), correction())
    assert response.status_code == 302
    assert audit_events("consultation_corrected") == []


def test_answered_becomes_a_referral_with_a_follow_up(organizer_client, desk):
    answered = desk["answered"]
    organizer_client.submit(
        entries_url(desk, f"/consultations/{answered.id}/edit"),
        correction(topic="就业创业", handling="需回访", question="", consent=None),
    )
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == answered.id))
    assert follow_up is not None and follow_up.unit_id == desk["unit"].id
    assert figures(desk)["follow_ups_open"] == 2


def test_wrong_fields_are_refused_in_chinese_and_change_nothing(organizer_client, desk):
    referred = desk["referred"]
    response = organizer_client.submit(
        entries_url(desk, f"/consultations/{referred.id}/edit"),
        correction(kind="闲聊", person_phone="12345", topic="不存在的主题"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请选择咨询类别。" in page and "请从列表中选择咨询主题。" in page and "请填写正确的手机号" in page
    db.session.expire_all()
    assert (referred.kind, referred.topic, referred.person_phone) == ("政策咨询", "社会保险", "13812341234")
    assert audit_events("consultation_corrected") == []


def test_contact_can_be_removed_and_new_contact_needs_consent(organizer_client, desk):
    referred, answered = desk["referred"], desk["answered"]
    refused = organizer_client.submit(
        entries_url(desk, f"/consultations/{answered.id}/edit"),
        correction(topic="就业创业", handling="当场解答", person_name="李四", consent=None),
    )
    assert "留存姓名或电话须经本人同意" in refused.get_data(as_text=True)
    organizer_client.submit(
        entries_url(desk, f"/consultations/{referred.id}/edit"), correction(clear_contact="y", consent=None)
    )
    db.session.expire_all()
    assert (referred.person_name, referred.person_phone, referred.consent) == ("", "", False)
    (event_,) = audit_events("consultation_corrected")
    assert event_.detail["before"]["person_name"] == "张**" and event_.detail["after"]["person_name"] == ""


def test_a_withdrawn_entry_must_be_restored_before_it_is_corrected(organizer_client, organizer, desk):
    answered = desk["answered"]
    entries.withdraw_consultation(answered, organizer)
    db.session.commit()
    url = entries_url(desk, f"/consultations/{answered.id}/edit")
    assert organizer_client.get(url).status_code == 302
    organizer_client.submit(url, correction(topic="医疗保障", handling="当场解答"))
    db.session.expire_all()
    assert answered.topic == "就业创业" and audit_events("consultation_corrected") == []


def test_public_entries_are_corrected_with_the_public_rules(organizer_client, desk):
    public = desk["public"]
    response = organizer_client.submit(
        entries_url(desk, f"/consultations/{public.id}/edit"),
        correction(kind="意见建议", topic="", handling="当场解答", question="建议周末也设咨询点", consent=None),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert public.question == "建议周末也设咨询点" and public.source == "public"


def test_a_withdrawn_entrys_follow_up_says_so_to_the_organizer(client, organizer, desk):
    referred = desk["referred"]
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == referred.id))
    entries.withdraw_consultation(referred, organizer)
    db.session.commit()
    log_in(client, organizer)
    page = client.get(f"/follow-ups/{follow_up.id}").get_data(as_text=True)
    assert "这条咨询登记已于" in page and "state=withdrawn" in page
