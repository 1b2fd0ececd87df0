"""Campaigns: document numbers, the form, status, the revision record, copying to a new year, access."""

import html
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from campaign.plan.copying import copy_campaign
from campaign.plan.models import Activity, ActivityUnit, Campaign, Slogan, Venue
from campaign.plan.services import check_doc_number, set_status
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.conftest import log_in


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _events(action: str | None = None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.campaign_id.is_not(None)).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _form(**overrides) -> dict:
    data = {
        "edition": "19",
        "year": "2025",
        "title": "江滨区第十九届“5·15政务公开日”活动方案",
        "theme": "坚持依法行政，深化政务公开，加强法治政府建设。",
        "first_day": "2025-05-15",
        "last_day": "2025-05-20",
        "issuing_office": "江滨区人民政府办公室",
        "doc_number": "江政办〔2025〕7号",
        "issue_date": "2025-05-08",
        "basis_title": "临州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知",
        "basis_number": "临政办〔2025〕12号",
        "addressees": "各镇（街道），区政府各部门、区直各单位：",
        "form_text": "采取线上与线下相结合的方式。",
        "closing_requirements": "加强组织领导。各单位要高度重视。\n注重活动实效。杜绝形式主义。",
        "deadline_date": "2025-05-18",
        "deadline_time": "17:30",
    }
    data.update(overrides)
    return data


# Document numbers


@pytest.mark.parametrize("number", ["江政办〔2025〕7号", "江政办〔2025〕12号", " 江政办〔2025〕 7号 ", "ABC〔2025〕100号"])
def test_good_document_numbers_pass(app, number):
    assert check_doc_number(number, 2025) == number.replace(" ", "")


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("江政办〔2025〕07号", "序号不编虚位"),
        ("江政办〔2025〕第7号", "不加“第”字"),
        ("江政办[2025]7号", "六角括号"),
        ("江政办(2025)7号", "六角括号"),
        ("江政办（2025）7号", "六角括号"),
        ("江政办〔25〕7号", "四位"),
        ("江政办〔2025〕7", "“号”字"),
        ("〔2025〕7号", "格式不正确"),
    ],
)
def test_bad_document_numbers_say_what_is_wrong_and_the_right_form(app, number, reason):
    with pytest.raises(Refusal) as caught:
        check_doc_number(number, 2025)
    message = str(caught.value)
    assert reason in message
    assert "文号格式应为：江政办〔2025〕7号（年份用六角括号〔〕，序号不编虚位、不加“第”字）" in message


def test_document_number_year_must_be_the_campaign_year(app):
    with pytest.raises(Refusal, match="2024.*2025"):
        check_doc_number("江政办〔2024〕7号", 2025)
    assert check_doc_number("临政办〔2024〕7号") == "临政办〔2024〕7号"  # the higher notice: any year


# The form


def test_new_form_suggests_the_next_edition_and_the_district(organizer_client, factory):
    factory.campaign(2090)  # a year after today's, whenever the test runs

    page = _text(organizer_client.get("/campaigns/new"))

    assert 'value="2091"' in page and 'value="85"' in page
    assert "江滨区第八十五届“5·15政务公开日”活动方案" in page and "江滨区人民政府办公室" in page


def test_organizer_creates_a_campaign_with_the_deadline_in_beijing_time(organizer_client, organizer):
    response = organizer_client.submit("/campaigns/new", _form())

    assert response.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}")
    assert (campaign.edition, campaign.year, campaign.doc_number) == (19, 2025, "江政办〔2025〕7号")
    assert campaign.basis_number == "临政办〔2025〕12号" and campaign.issue_date == date(2025, 5, 8)
    assert campaign.status == "draft" and campaign.revised_at is None
    assert campaign.summary_deadline == datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)
    assert campaign.summary_deadline.tzinfo is not None
    assert campaign.summary_deadline.astimezone(UTC).hour == 9  # stored as UTC
    assert campaign.closing_requirements.splitlines() == ["加强组织领导。各单位要高度重视。", "注重活动实效。杜绝形式主义。"]
    [event] = _events("campaign_created")
    assert event.user_id == organizer.id and event.campaign_id == campaign.id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"doc_number": "江政办〔2025〕07号"}, "序号不编虚位"),
        ({"doc_number": "江政办〔2024〕7号"}, "与活动年份（2025）不一致"),
        ({"basis_number": "临政办[2025]12号"}, "六角括号"),
        ({"last_day": "2025-05-14"}, "活动结束日期不能早于开始日期"),
        ({"title": ""}, "请填写方案标题"),
        ({"first_day": "15/05/2025"}, "请按“年-月-日”填写日期"),
        ({"deadline_date": ""}, "请填写截止日期"),
        ({"deadline_date": "2025-05-01"}, "不能早于活动开始日期"),
        ({"edition": "十九"}, "请填写整数"),
        ({"first_day": "2024-05-15", "last_day": "2024-05-20"}, "活动开始日期应在2025年内"),
    ],
)
def test_bad_campaign_input_is_refused_in_chinese_and_nothing_saved(organizer_client, overrides, message):
    response = organizer_client.submit("/campaigns/new", _form(**overrides))

    assert response.status_code == 200
    assert message in _text(response)
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_an_edition_is_used_once(organizer_client, factory):
    factory.campaign(2025)

    response = organizer_client.submit("/campaigns/new", _form(year="2026", first_day="2026-05-15",
                                                                last_day="2026-05-20", deadline_date="2026-05-18",
                                                                doc_number=""))

    assert "第十九届已有活动（2025年）" in _text(response)


def test_editing_shows_and_keeps_the_beijing_deadline(organizer_client, factory):
    campaign = factory.campaign()

    page = _text(organizer_client.get(f"/campaigns/{campaign.id}/edit"))
    assert 'value="2025-05-18"' in page and 'value="17:30"' in page

    response = organizer_client.submit(f"/campaigns/{campaign.id}/edit", _form(title="江滨区第十九届活动方案（修改）"))

    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.title == "江滨区第十九届活动方案（修改）"
    assert campaign.summary_deadline == datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)
    assert campaign.revised_at is None  # a draft has no revisions
    [event] = _events("campaign_updated")
    assert event.detail["changes"]["title"][1] == "江滨区第十九届活动方案（修改）"


# Status and the revision record


def test_status_moves_draft_issued_closed_and_reopens(organizer_client, factory):
    campaign = factory.campaign()
    factory.activity(factory.group(campaign))
    url = f"/campaigns/{campaign.id}/status"

    organizer_client.submit(url, {"status": "issued"})
    db.session.refresh(campaign)
    assert campaign.status == "issued" and campaign.issued_at is not None
    issued_at = campaign.issued_at

    page = _text(organizer_client.submit(url, {"status": "draft"}, follow_redirects=True))
    db.session.refresh(campaign)
    assert campaign.status == "issued" and "不能退回草稿" in page

    organizer_client.submit(url, {"status": "closed"})
    db.session.refresh(campaign)
    assert campaign.status == "closed"

    organizer_client.submit(url, {"status": "issued"})
    db.session.refresh(campaign)
    assert campaign.status == "issued" and campaign.issued_at == issued_at
    assert [e.action for e in _events()] == ["campaign_issued", "campaign_closed", "campaign_reopened"]
    assert campaign.revised_at is None  # a change of status is no revision of the text


def test_illegal_transitions_are_refused(app, factory, organizer):
    campaign = factory.campaign()
    factory.activity(factory.group(campaign))
    with pytest.raises(Refusal, match="不能从“草稿”改为“已结束”"):
        set_status(organizer, campaign, "closed")
    with pytest.raises(Refusal, match="未知的状态"):
        set_status(organizer, campaign, "published")
    assert db.session.get(Campaign, campaign.id).status == "draft"


def test_issuing_needs_a_document_number_and_an_activity(app, factory, organizer):
    without_number = factory.campaign(doc_number="")
    factory.activity(factory.group(without_number))
    empty = factory.campaign(2026)
    with pytest.raises(Refusal, match="方案还没有文号"):
        set_status(organizer, without_number, "issued")
    # Many published notices carry no 文号: issued when the organizer says so.
    set_status(organizer, without_number, "issued", without_number=True)
    assert without_number.status == "issued"
    with pytest.raises(Refusal, match="还没有活动"):
        set_status(organizer, empty, "issued")


def test_a_change_after_issue_is_audited_and_dates_the_revision(organizer_client, factory, organizer):
    campaign = factory.campaign(status="issued")

    response = organizer_client.submit(f"/campaigns/{campaign.id}/edit", _form(theme="新的主题。"),
                                       follow_redirects=True)

    db.session.refresh(campaign)
    assert campaign.revised_at is not None
    assert "本次修改已记入修订记录" in _text(response)
    [event] = _events("campaign_updated")
    assert event.user_id == organizer.id and event.campaign_id == campaign.id
    assert event.detail["changes"]["theme"] == ["坚持依法行政，深化政务公开，加强法治政府建设。", "新的主题。"]

    refused = _text(organizer_client.submit(f"/campaigns/{campaign.id}/edit", _form(doc_number="")))
    assert "文号不能删除" in refused and db.session.get(Campaign, campaign.id).doc_number == "江政办〔2025〕7号"

    audit = _text(organizer_client.get(f"/campaigns/{campaign.id}/audit"))
    assert "修改活动信息" in audit and "测试用户" in audit and "新的主题。" in audit and "活动主题" in audit


# Copying to a new year


@pytest.fixture
def plan_2025(factory):
    lead, cooperating, retired = factory.unit("区政府办"), factory.unit("区人社局"), factory.unit("区旧局")
    campaign = factory.campaign(
        status="issued",
        title="江滨区第十九届“5·15政务公开日”活动方案",
        basis_number="临政办〔2025〕12号",
        closing_requirements="及时报送总结。各单位于2025年5月18日17:30前报送。",
        issue_date=date(2025, 5, 8),
    )
    onsite = factory.group(campaign, "线下实地宣传")
    online = factory.group(campaign, "线上主题宣传活动")
    main = factory.venue(campaign, "江滨区市民广场", is_main=True)
    factory.activity(onsite, units={lead: "lead", cooperating: "cooperating", retired: "cooperating"},
                     title="主会场咨询", venue_id=main.id)
    factory.activity(online, units={lead: "responsible"}, mode="online", all_day=True,
                     starts_at=datetime(2025, 5, 15, 0, 0, tzinfo=LOCAL_TZ),
                     ends_at=datetime(2025, 5, 20, 23, 59, tzinfo=LOCAL_TZ), title="群众难题我来答")
    factory.slogan(campaign, "公开是常态　不公开是例外")
    factory.slogan(campaign, "推进政务公开　优化营商环境")
    retired.active = False
    db.session.commit()
    return campaign


def test_copy_brings_the_whole_plan_to_the_new_year(organizer_client, plan_2025):
    source_id = plan_2025.id
    page = _text(organizer_client.get(f"/campaigns/{source_id}/copy"))
    assert 'value="2026"' in page and 'value="20"' in page

    response = organizer_client.submit(f"/campaigns/{source_id}/copy", {"year": "2026", "edition": "20"})

    assert response.status_code == 302
    new = db.session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    assert response.headers["Location"].endswith(f"/campaigns/{new.id}")
    assert new.status == "draft" and new.doc_number == "" and new.basis_number == "" and new.issue_date is None
    assert new.issued_at is None and new.revised_at is None
    assert new.title == "江滨区第二十届“5·15政务公开日”活动方案"
    assert (new.first_day, new.last_day) == (date(2026, 5, 15), date(2026, 5, 20))
    assert new.summary_deadline == datetime(2026, 5, 18, 17, 30, tzinfo=LOCAL_TZ)
    assert "2026年5月18日" in new.closing_requirements
    assert [g.title for g in new.groups] == ["线下实地宣传", "线上主题宣传活动"]
    onsite, online = new.groups[0].activities[0], new.groups[1].activities[0]
    assert onsite.local_start.replace(tzinfo=None) == datetime(2026, 5, 15, 9, 0)
    assert onsite.local_end.replace(tzinfo=None) == datetime(2026, 5, 15, 11, 30)
    assert onsite.venue.campaign_id == new.id and onsite.venue.name == "江滨区市民广场" and onsite.venue.kind == "main"
    assert sorted((u.name, role) for role in ("lead", "cooperating") for u in (link.unit for link in onsite.links_in_role(role))) == [
        ("区人社局", "cooperating"), ("区政府办", "lead")]  # the deactivated unit is left out
    assert online.all_day and [link.unit.name for link in online.links_in_role("responsible")] == ["区政府办"]
    assert online.local_end.replace(tzinfo=None) == datetime(2026, 5, 20, 23, 59)
    assert [s.text for s in new.slogans] == ["公开是常态　不公开是例外", "推进政务公开　优化营商环境"]

    source = db.session.get(Campaign, source_id)
    assert source.status == "issued" and source.year == 2025 and source.doc_number == "江政办〔2025〕7号"
    assert db.session.scalar(sa.select(sa.func.count(Activity.id)).where(Activity.campaign_id == source_id)) == 2
    assert db.session.scalar(sa.select(sa.func.count(Venue.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Slogan.id))) == 4
    assert db.session.scalar(sa.select(sa.func.count(ActivityUnit.id))) == 4 + 3


def test_copy_refuses_an_edition_already_used(app, plan_2025, organizer):
    with pytest.raises(Refusal, match="第十九届已有活动"):
        copy_campaign(plan_2025, 2026, 19, organizer)
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 1


# Pages and access


def test_list_and_workspace_show_the_plan(organizer_client, plan_2025):
    listing = _text(organizer_client.get("/campaigns/"))
    assert "第十九届" in listing and "已印发" in listing and "5月15日至5月20日" in listing
    assert "2025-05-18 17:30" in listing and f"/campaigns/{plan_2025.id}/copy" in listing

    page = _text(organizer_client.get(f"/campaigns/{plan_2025.id}"))
    assert page.index("线下实地宣传") < page.index("线上主题宣传活动")
    assert "5月15日上午9时至11时30分" in page and "江滨区市民广场（主会场）" in page
    assert "牵头单位" in page and "区政府办" in page and "5月15日至5月20日" in page
    assert f'href="/campaigns/{plan_2025.id}/plan"' in page


def test_unit_contacts_and_strangers_are_kept_out(client, unit_contact, plan_2025):
    for url in ("/campaigns/", "/campaigns/new", f"/campaigns/{plan_2025.id}", f"/campaigns/{plan_2025.id}/audit"):
        assert client.get(url).status_code == 302
    log_in(client, unit_contact)
    for url in ("/campaigns/", "/campaigns/new", f"/campaigns/{plan_2025.id}", f"/campaigns/{plan_2025.id}/copy"):
        assert client.get(url).status_code == 403
    assert client.submit(f"/campaigns/{plan_2025.id}/status", {"status": "closed"}).status_code == 403
    assert db.session.get(Campaign, plan_2025.id).status == "issued"
