"""The organizer's booths: made from the plan, edited, their links rotated and switched; the per-campaign settings."""

import re
import uuid

import pytest
import sqlalchemy as sa

from campaign.booths import services
from campaign.booths import settings as booth_settings
from campaign.booths.models import (
    DEFAULT_TOPICS,
    Booth,
    BoothSettings,
    Consultation,
    MaterialHandout,
    PinFailure,
)
from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.conftest import log_in


@pytest.fixture
def plan(factory):
    """Two on-site activities with three units each, and one online activity whose units get no booth."""
    campaign = factory.campaign()
    group = factory.group(campaign)
    units = [factory.unit(f"江滨区测试{n}局") for n in range(5)]
    first = factory.activity(group, units={units[0]: "lead", units[1]: "cooperating", units[2]: "cooperating"})
    second = factory.activity(group, units={units[2]: "lead", units[3]: "cooperating", units[4]: "cooperating"})
    online = factory.activity(factory.group(campaign, "线上主题宣传活动"), mode="online", units={units[0]: "lead"})
    return dict(campaign=campaign, units=units, activities=[first, second], online=online)


def _booths(campaign_id: int) -> list[Booth]:
    return list(db.session.scalars(sa.select(Booth).where(Booth.campaign_id == campaign_id)))


def test_generating_from_the_plan_makes_one_booth_per_unit_of_each_onsite_activity_once(plan):
    campaign = plan["campaign"]
    assert services.generate_booths_from_plan(campaign) == 6
    assert services.generate_booths_from_plan(campaign) == 0
    booths = _booths(campaign.id)
    assert len(booths) == 6
    assert {booth.activity_id for booth in booths} == {activity.id for activity in plan["activities"]}
    assert len({booth.staff_token for booth in booths}) == 6
    assert all(re.fullmatch(r"\d{6}", booth.pin) for booth in booths)


def test_generate_button_reports_how_many_and_the_list_shows_links_and_pins(organizer_client, plan):
    campaign = plan["campaign"]
    url = f"/campaigns/{campaign.id}/booths/generate"
    page = organizer_client.submit(url, follow_redirects=True).get_data(as_text=True)
    assert "已生成 6 个咨询台" in page
    page = organizer_client.submit(url, follow_redirects=True).get_data(as_text=True)
    assert "已生成 0 个咨询台" in page
    assert len(_booths(campaign.id)) == 6

    booth = _booths(campaign.id)[0]
    db.session.add(Consultation(client_uuid=str(uuid.uuid4()), booth_id=booth.id, kind="政策咨询"))
    db.session.add(MaterialHandout(client_uuid=str(uuid.uuid4()), booth_id=booth.id, material="宣传单", quantity=30))
    db.session.commit()
    page = organizer_client.get(f"/campaigns/{campaign.id}/booths/").get_data(as_text=True)
    assert "1人次" in page and "资料30份" in page
    assert f"http://localhost/b/{booth.staff_token}" in page
    assert booth.pin in page
    assert plan["activities"][0].title in page and plan["activities"][1].title in page
    assert f"/campaigns/{campaign.id}/board" in page
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "booths_generated")) == 1


def test_a_unit_has_one_booth_per_activity(organizer_client, plan):
    campaign, activity, unit = plan["campaign"], plan["activities"][0], plan["units"][0]
    url = f"/campaigns/{campaign.id}/booths/new"
    response = organizer_client.submit(url, {"unit_id": unit.id, "activity_id": activity.id, "name": ""})
    assert response.status_code == 302
    response = organizer_client.submit(url, {"unit_id": unit.id, "activity_id": activity.id, "name": "第二个"})
    assert response.status_code == 200
    assert "一个单位在一项活动中只设一个" in response.get_data(as_text=True)
    assert len(_booths(campaign.id)) == 1

    with pytest.raises(Refusal):
        services.create_booth(campaign, unit.id, activity.id)
    db.session.rollback()
    # The same unit at another activity, or without one, is fine.
    services.create_booth(campaign, unit.id, plan["activities"][1].id)
    services.create_booth(campaign, unit.id, None, name="流动咨询点")
    assert len(_booths(campaign.id)) == 3


def test_editing_a_booth_into_a_clash_is_refused_and_changes_nothing(organizer_client, factory, plan):
    campaign, activity = plan["campaign"], plan["activities"][0]
    first = factory.booth(activity, plan["units"][0])
    second = factory.booth(activity, plan["units"][1])
    url = f"/campaigns/{campaign.id}/booths/{second.id}/edit"
    response = organizer_client.submit(url, {"unit_id": first.unit_id, "activity_id": activity.id, "name": ""})
    assert response.status_code == 200
    assert "已有咨询台" in response.get_data(as_text=True)
    assert db.session.get(Booth, second.id).unit_id == plan["units"][1].id

    response = organizer_client.submit(url, {"unit_id": plan["units"][3].id, "activity_id": "", "name": "广场东侧"})
    assert response.status_code == 302
    booth = db.session.get(Booth, second.id)
    assert (booth.unit_id, booth.activity_id, booth.name) == (plan["units"][3].id, None, "广场东侧")


def test_bad_choices_get_a_chinese_message(organizer_client, plan, factory):
    campaign = plan["campaign"]
    url = f"/campaigns/{campaign.id}/booths/new"
    page = organizer_client.submit(url, {"unit_id": "", "activity_id": ""}).get_data(as_text=True)
    assert "请选择单位" in page
    page = organizer_client.submit(url, {"unit_id": plan["units"][0].id, "activity_id": plan["online"].id}).get_data(
        as_text=True
    )
    assert "请选择本次活动中的一项现场活动" in page
    other = factory.activity(factory.group(factory.campaign(2024)))
    page = organizer_client.submit(url, {"unit_id": plan["units"][0].id, "activity_id": other.id}).get_data(
        as_text=True
    )
    assert "请选择本次活动中的一项现场活动" in page
    assert _booths(campaign.id) == []


def test_rotating_kills_the_old_link_at_once(organizer_client, factory, plan):
    campaign = plan["campaign"]
    booth = factory.booth(plan["activities"][0], plan["units"][0])
    old_token, old_pin = booth.staff_token, booth.pin
    db.session.add(PinFailure(booth_id=booth.id, client_key="device", failures=4))
    db.session.commit()
    assert services.booth_by_staff_token(old_token).id == booth.id

    response = organizer_client.submit(f"/campaigns/{campaign.id}/booths/{booth.id}/rotate")
    assert response.status_code == 302
    booth = db.session.get(Booth, booth.id)
    assert services.booth_by_staff_token(old_token) is None
    assert services.booth_by_staff_token(booth.staff_token).id == booth.id
    assert booth.staff_token != old_token
    assert booth.pin != old_pin and re.fullmatch(r"\d{6}", booth.pin)
    assert booth.token_rotated_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PinFailure)) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "booth_token_rotated"))
    assert (event.object_id, event.campaign_id, event.user.username) == (booth.id, campaign.id, "organizer")


def test_public_card_switches_on_and_off(organizer_client, factory, plan):
    campaign = plan["campaign"]
    booth = factory.booth(plan["activities"][0], plan["units"][0])
    url = f"/campaigns/{campaign.id}/booths/{booth.id}/public"
    assert organizer_client.submit(url, {"enable": "1"}).status_code == 302
    token = db.session.get(Booth, booth.id).public_token
    assert token and services.booth_by_public_token(token).id == booth.id
    # Asking again for what is already so changes nothing: a double click does not switch it back off.
    organizer_client.submit(url, {"enable": "1"})
    assert db.session.get(Booth, booth.id).public_token == token

    organizer_client.submit(f"/campaigns/{campaign.id}/booths/{booth.id}/public/rotate")
    rotated = db.session.get(Booth, booth.id).public_token
    assert rotated != token and services.booth_by_public_token(token) is None

    organizer_client.submit(url, {"enable": "0"})
    assert db.session.get(Booth, booth.id).public_token is None
    assert services.booth_by_public_token(rotated) is None
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "Booth").order_by(AuditEvent.id)
    ).all()
    assert actions == ["booth_public_enabled", "booth_public_rotated", "booth_public_disabled"]


def test_a_switched_off_booth_opens_nothing(organizer_client, factory, plan):
    campaign = plan["campaign"]
    booth = factory.booth(plan["activities"][0], plan["units"][0], public=True)
    url = f"/campaigns/{campaign.id}/booths/{booth.id}/active"
    organizer_client.submit(url, {"active": "0"})
    assert services.booth_by_staff_token(booth.staff_token) is None
    assert services.booth_by_public_token(booth.public_token) is None
    assert "已停用" in organizer_client.get(f"/campaigns/{campaign.id}/booths/").get_data(as_text=True)
    organizer_client.submit(url, {"active": "1"})
    assert services.booth_by_staff_token(booth.staff_token).id == booth.id


def test_settings_start_from_the_defaults_and_refuse_bad_input(organizer_client, plan):
    campaign = plan["campaign"]
    url = f"/campaigns/{campaign.id}/booths/settings"
    page = organizer_client.get(url).get_data(as_text=True)
    assert DEFAULT_TOPICS[0] in page
    settings = db.session.get(BoothSettings, campaign.id)
    assert list(settings.topics) == list(DEFAULT_TOPICS)
    assert settings.deadlines == {"转办": {"reply": 5, "close": 15}, "需回访": {"reply": 3, "close": 10}}

    good = {"topics": "社会保险\n\n 医疗保障 \n社会保险\n", "materials": "宣传单\n政策汇编",
            "referral_reply_days": "4", "referral_close_days": "20", "call_back_reply_days": "2",
            "call_back_close_days": "8"}
    assert organizer_client.submit(url, good).status_code == 302
    settings = db.session.get(BoothSettings, campaign.id)
    expected = {"转办": {"reply": 4, "close": 20}, "需回访": {"reply": 2, "close": 8}}
    assert (settings.topics, settings.materials, settings.deadlines) == (
        ["社会保险", "医疗保障"], ["宣传单", "政策汇编"], expected
    )

    for bad, message in (
        ({**good, "topics": " \n \n"}, "请至少填写一项咨询主题"),
        ({**good, "materials": ""}, "请至少填写一项宣传资料"),
        ({**good, "referral_reply_days": "0"}, "期限应在1到90个工作日之间"),
        ({**good, "call_back_close_days": "91"}, "期限应在1到90个工作日之间"),
        ({**good, "referral_close_days": "十五"}, "请填写整数"),
        ({**good, "referral_close_days": "3"}, "办结期限不能早于答复期限"),
        ({**good, "topics": "很" * 41}, "每项不超过40个字"),
    ):
        response = organizer_client.submit(url, bad)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    settings = db.session.get(BoothSettings, campaign.id)
    assert (settings.topics, settings.deadlines) == (["社会保险", "医疗保障"], expected)

    with pytest.raises(Refusal):
        booth_settings.update_settings(campaign.id, "a", "b", {})


def _all_booth_urls(campaign_id: int, booth_id: int) -> tuple[list[str], list[str]]:
    base = f"/campaigns/{campaign_id}/booths"
    gets = [
        f"{base}/", f"{base}/new", f"{base}/settings", f"{base}/{booth_id}/edit",
        f"{base}/{booth_id}/card.pdf?pin=1", f"{base}/{booth_id}/qr.svg", f"{base}/{booth_id}/qr.png",
    ]
    posts = [
        f"{base}/generate", f"{base}/new", f"{base}/settings", f"{base}/{booth_id}/edit", f"{base}/{booth_id}/rotate",
        f"{base}/{booth_id}/public", f"{base}/{booth_id}/public/rotate", f"{base}/{booth_id}/active", f"{base}/cards",
    ]
    return gets, posts


def test_unit_contacts_may_not_manage_booths_even_their_own(client, factory, unit_contact):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    booth = factory.booth(activity, unit_contact.unit, public=True)
    token, pin = booth.staff_token, booth.pin
    log_in(client, unit_contact)
    gets, posts = _all_booth_urls(campaign.id, booth.id)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.submit(url, {"enable": "0", "active": "0"}).status_code == 403, url
    booth = db.session.get(Booth, booth.id)
    assert (booth.staff_token, booth.pin, booth.active) == (token, pin, True)
    assert booth.public_token is not None


def test_a_booth_of_another_campaign_is_not_found(organizer_client, factory, plan):
    other = factory.campaign(2024)
    booth = factory.booth(plan["activities"][0], plan["units"][0])
    gets, posts = _all_booth_urls(other.id, booth.id)
    for url in gets:
        if f"/{booth.id}/" in url:
            assert organizer_client.get(url).status_code == 404, url
    for url in posts:
        if f"/{booth.id}/" in url:
            assert organizer_client.submit(url).status_code == 404, url
    assert organizer_client.get("/campaigns/9999/booths/").status_code == 404
    assert db.session.get(Booth, booth.id).staff_token == booth.staff_token


def test_the_booth_list_is_paged_and_filtered_with_counts_for_the_page_only(organizer_client, factory):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign))
    booths = [factory.booth(activity, factory.unit(f"江滨区分页局{n:02d}")) for n in range(55)]
    factory.consultation(booths[51])
    booths[3].active = False
    db.session.commit()
    base = f"/campaigns/{campaign.id}/booths/"

    def listed(page: str) -> list[str]:
        return re.findall(r"<strong>(江滨区分页局\d+)</strong>", page)

    first = organizer_client.get(base).get_data(as_text=True)
    assert listed(first) == [f"江滨区分页局{n:02d}" for n in range(50)]
    assert "第 1 / 2 页，共 55 条" in first
    second = organizer_client.get(base + "?page=2").get_data(as_text=True)
    assert listed(second) == [f"江滨区分页局{n:02d}" for n in range(50, 55)]
    assert "1人次" in second  # the counts of the page's booths
    assert listed(organizer_client.get(base + "?q=分页局07").get_data(as_text=True)) == ["江滨区分页局07"]
    assert listed(organizer_client.get(base + "?state=inactive").get_data(as_text=True)) == ["江滨区分页局03"]
    nothing = organizer_client.get(base + "?q=没有这个").get_data(as_text=True)
    assert "没有符合条件的咨询台" in nothing and "还没有咨询台" not in nothing
    # The page links keep the filter.
    active = organizer_client.get(base + "?state=active").get_data(as_text=True)
    assert re.search(r'rel="next" href="[^"]*state=active[^"]*page=2|rel="next" href="[^"]*page=2[^"]*state=active', active)
