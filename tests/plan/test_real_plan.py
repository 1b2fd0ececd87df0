"""A real district's plan entered through the pages as a clerk enters it, issued, and read back from the PDF and
the Word file: what the office wrote is what the documents say (issue 13's "done when").

Not the demo's district: 桥西区, its own units (one with a character outside the BMP), text as copied from a
government web page (ASCII commas and colons), a 责任单位-only activity, a 参加单位 list ending in 等, the group
各镇街, plain venues, a start without an end at noon, a date-only deadline, no 文号, a slogan with spaced halves.
"""

import io
import re
import subprocess

import pytest
import sqlalchemy as sa
from docx import Document

from campaign.booths.models import Booth
from campaign.plan.models import Activity, ActivityUnit, Campaign
from campaign.plan.participants import participants
from campaign.plan.tasks import unit_activities
from campaign.shared.audit import AuditEvent
from campaign.units.models import Unit
from campaign.web.extensions import db
from tests.plan.formreader import form_values

TOWNS = ("东风街道", "红旗镇", "𠮷祥镇")
SPACED_SLOGAN = "推进权力公开    建设服务政府"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def qiaoxi(factory):
    units = {
        "区政府办": factory.unit("桥西区人民政府办公室", short_name="区政府办"),
        "区发改局": factory.unit("桥西区发展和改革局", short_name="区发改局"),
        "区教育局": factory.unit("桥西区教育局", short_name="区教育局"),
        "区科技局": factory.unit("桥西区科学技术局", short_name="区科技局"),
        "区人社局": factory.unit("桥西区人力资源和社会保障局", short_name="区人社局"),
        "区营商局": factory.unit("桥西区营商环境建设局", short_name="区营商局"),
        "区档案馆": factory.unit("桥西区档案馆", short_name="区档案馆", kind="institution"),
    }
    for town in TOWNS:
        units[town] = factory.unit(town, kind="town")
    # A town closed down: the group 各镇街 no longer stands for it.
    factory.unit("旧城镇", kind="town", active=False)
    return units


def _enter_plan(client) -> Campaign:
    response = client.submit("/campaigns/new", {
        "year": "2022", "edition": "16",
        "title": "桥西区第十六届“5·15政务公开日”活动方案",
        "theme": "坚持依法行政，深化政务公开，加强法治政府建设。",
        "first_day": "2022-05-15", "last_day": "2022-05-20",
        "issuing_office": "桥西区人民政府办公室",
        "doc_number": "",
        "basis_title": "沈阳市人民政府办公室关于开展第十六届“5·15政务公开日”活动的通知",
        "basis_number": "",
        # As copied from the portal: ASCII comma and colon.
        "addressees": "各镇街,区政府各部门、区直各单位:",
        "form_text": "采取线上线下相结合的方式,集中宣传解读利企惠民政策。",
        "closing_requirements": "加强组织领导。各单位要高度重视,明确专人负责。",
        "deadline_date": "2022-05-18", "deadline_time": "",
        "time_style": "cn",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.year == 2022))
    assert client.submit("/units/groups/new", {"name": "各镇街", "unit_kind": "town"}).status_code == 302
    base = f"/campaigns/{campaign.id}"
    for title in ("线上主题宣传活动", "线下实地宣传"):
        client.submit(f"{base}/groups/new", {"title": title})
    online, onsite = [group.id for group in db.session.get(Campaign, campaign.id).groups]

    def activity(group_id, **fields):
        data = {
            "group_id": str(group_id), "description": "", "mode": "onsite", "all_day": None,
            "start_date": "2022-05-15", "start_time": "09:00", "end_date": "", "end_time": "",
            "venue_id": "", "new_venue_name": "", "new_venue_kind": "plain",
            "lead_units": "", "cooperating_units": "", "participating_units": "", "responsible_units": "",
            "requirements": "", "to_bring": "",
        }
        data.update(fields)
        response = client.submit(f"{base}/groups/{group_id}/activities/new",
                                 {key: value for key, value in data.items() if value is not None})
        assert response.status_code == 302, re.findall(r'class="error"[^>]*>([^<]+)', response.get_data(as_text=True))

    activity(online, title="开展“群众难题我来答”活动", mode="online", all_day="y", start_time="",
             # A leading 区 serving the whole list, as plans write it; ASCII commas as copied from a web page.
             end_date="2022-05-20", lead_units="区政府办", cooperating_units="区发改局,教育局,人社局")
    activity(onsite, title="开展“政务公开进广场”活动", start_time="09:00", end_time="11:30",
             new_venue_name="桥西区市民广场", new_venue_kind="main",
             lead_units="区营商局", participating_units="区科技局、区发改局、区教育局、区档案馆等")
    activity(onsite, title="开展机关内部政务公开宣传", start_date="2022-05-16", start_time="12:00",
             new_venue_name="区机关办公楼一楼大厅", responsible_units="区政府办")
    activity(onsite, title="开展分会场宣传活动", new_venue_name="各镇街自行选择", responsible_units="各镇街")
    client.submit(f"{base}/slogans", {"text": f"1. {SPACED_SLOGAN}\n2. 公开是常态　不公开是例外"})
    return db.session.get(Campaign, campaign.id)


def test_a_real_plan_entered_through_the_pages_reads_back_as_written(organizer_client, qiaoxi):
    campaign = _enter_plan(organizer_client)
    base = f"/campaigns/{campaign.id}"

    refused = organizer_client.submit(f"{base}/status", {"status": "issued"}, follow_redirects=True)
    assert "方案还没有文号" in refused.get_data(as_text=True)
    organizer_client.submit(f"{base}/status", {"status": "issued", "without_number": "1"})
    assert db.session.get(Campaign, campaign.id).status == "issued"

    pdf = organizer_client.get(f"{base}/plan/pdf").data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    docx = Document(io.BytesIO(organizer_client.get(f"{base}/plan/docx").data))
    docx_text = "\n".join(paragraph.text for paragraph in docx.paragraphs)
    for document in (text, docx_text):
        flat = _flat(document)
        lines = [
            "牵头单位：区政府办",
            # As typed: the list's one 区 is not repeated.
            "配合单位：区发改局、教育局、人社局",
            # In the clerk's order, not the unit list's, with its 等.
            "参加单位：区科技局、区发改局、区教育局、区档案馆等",
            "活动地点：桥西区市民广场（主会场）",
            "活动时间：5月15日上午9时至11时30分",
            # 责任单位 alone; a plain venue without a label; noon as 中午, no end time.
            "活动时间：5月16日中午12时",
            "活动地点：区机关办公楼一楼大厅",
            "责任单位：区政府办",
            "活动时间：5月15日上午9时",
            "活动地点：各镇街自行选择",
            "责任单位：各镇街",
            "请各单位于5月18日前报送活动总结报告",
            "附件：第十六届“5·15政务公开日”活动宣传标语",
            "各镇街,区政府各部门、区直各单位:",
            "今年5月15日是第十六届“5·15政务公开日”",
        ]
        for line in lines:
            assert _flat(line) in flat, line
        assert "会场）" not in flat.split("区机关办公楼一楼大厅")[1][:3]
        assert "各镇街自行选择（" not in flat and "（分会场）" not in flat
        assert "〔2022〕" not in flat
        assert flat.index("区科技局、区发改局") < flat.index("附件：")
    assert SPACED_SLOGAN in docx_text

    # The group is never a participant: its active member towns are, and each owes its task and summary.
    taking_part = {unit.name for unit in participants(campaign.id)}
    assert set(TOWNS) <= taking_part and "旧城镇" not in taking_part and "各镇街" not in taking_part
    town = qiaoxi["𠮷祥镇"]
    [task] = unit_activities(town.id, [campaign.id])[campaign.id]
    assert task.activity.title == "开展分会场宣传活动" and task.role == "responsible"
    assert organizer_client.submit(f"{base}/booths/generate").status_code == 302
    group_activity = db.session.scalar(sa.select(Activity).where(Activity.title == "开展分会场宣传活动"))
    booth_units = set(db.session.scalars(
        sa.select(Unit.name).join(Booth, Booth.unit_id == Unit.id).where(Booth.activity_id == group_activity.id)
    ))
    assert booth_units == set(TOWNS)


def test_the_campaign_form_keeps_a_written_notice_body_and_follows_the_fields_while_drafted(organizer_client, qiaoxi):
    campaign = _enter_plan(organizer_client)
    url = f"/campaigns/{campaign.id}/edit"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "按照《沈阳市人民政府办公室关于开展第十六届“5·15政务公开日”活动的通知》精神" in page
    form = {
        "year": "2022", "edition": "16", "title": campaign.title, "theme": campaign.theme,
        "first_day": "2022-05-15", "last_day": "2022-05-20", "issuing_office": campaign.issuing_office,
        "basis_title": "辽宁省人民政府办公厅关于开展第十六届“5·15政务公开日”活动的通知",
        "addressees": campaign.addressees, "deadline_date": "2022-05-18", "time_style": "colon",
        # Left as drafted from the old basis title: the body is stored empty and follows the new one.
        "notice_body": "按照《沈阳市人民政府办公室关于开展第十六届“5·15政务公开日”活动的通知》精神，"
                       f"现将《{campaign.title}》印发给你们，请结合实际，认真组织实施。",
        "opening_text": "今年5月15日是全省第十六届“政务公开日”，为做好我区活动，特制定活动方案如下：",
    }
    assert organizer_client.submit(url, form).status_code == 302
    campaign = db.session.get(Campaign, campaign.id)
    assert campaign.notice_body == "" and campaign.opening_text.startswith("今年5月15日是全省")
    text = _flat(organizer_client.get(f"/campaigns/{campaign.id}/plan").get_data(as_text=True))
    assert _flat("按照《辽宁省人民政府办公厅关于开展第十六届“5·15政务公开日”活动的通知》精神") in text
    assert _flat("今年5月15日是全省第十六届“政务公开日”，为做好我区活动，特制定活动方案如下：") in text
    # 9:00 style chosen by the campaign.
    assert "5月15日上午9:00至11:30" in text


def test_a_date_only_deadline_is_the_end_of_that_day_everywhere(organizer_client, factory, qiaoxi):
    campaign = _enter_plan(organizer_client)
    assert campaign.deadline_date_only
    assert campaign.local_deadline.strftime("%Y-%m-%d %H:%M:%S") == "2022-05-18 23:59:59"
    page = organizer_client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "总结截止 2022-05-18（当天）" in page and "23:59" not in page


def test_an_activity_on_a_weekend_is_flagged_and_saved(organizer_client, factory, qiaoxi):
    campaign = _enter_plan(organizer_client)
    group_id = campaign.groups[1].id
    response = organizer_client.submit(f"/campaigns/{campaign.id}/groups/{group_id}/activities/new", {
        "group_id": str(group_id), "title": "周末咨询", "mode": "onsite", "start_date": "2022-05-21",
        "start_time": "09:00", "new_venue_name": "桥西区图书馆", "new_venue_kind": "plain",
        "lead_units": "区政府办",
    }, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "活动日期5月21日是星期六，请确认" in text and "不在活动期间" in text
    assert db.session.scalar(sa.select(Activity).where(Activity.title == "周末咨询")) is not None


def _activity(title: str) -> Activity:
    return db.session.scalar(sa.select(Activity).where(Activity.title == title))


def test_a_typed_list_keeps_its_words_through_the_activity_form(organizer_client, qiaoxi):
    campaign = _enter_plan(organizer_client)
    online = _activity("开展“群众难题我来答”活动")
    assert [(link.unit.short_name, link.written) for link in online.links_in_role("cooperating")] == [
        ("区发改局", ""), ("区教育局", "教育局"), ("区人社局", "人社局")]
    url = f"/campaigns/{campaign.id}/activities/{online.id}/edit"
    form = form_values(organizer_client.get(url).get_data(as_text=True), None)
    assert form["cooperating_units"] == "区发改局、教育局、人社局"
    plan_page = _flat(organizer_client.get(f"/campaigns/{campaign.id}").get_data(as_text=True))
    assert "区发改局、教育局、人社局" in plan_page

    # Saved again as shown: nothing changes, nothing is recorded as changed.
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    assert organizer_client.submit(url, form).status_code == 302
    db.session.expire_all()
    assert _activity("开展“群众难题我来答”活动").role_text("cooperating") == "区发改局、教育局、人社局"
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "activity_updated")) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events

    # A unit tapped in from the list (its label) prints as the unit is called; a full name typed prints as typed.
    form["cooperating_units"] = "区发改局、教育局、人社局、区档案馆、桥西区科学技术局"
    assert organizer_client.submit(url, form).status_code == 302
    db.session.expire_all()
    online = _activity("开展“群众难题我来答”活动")
    assert [link.written for link in online.links_in_role("cooperating")] == [
        "", "教育局", "人社局", "", "桥西区科学技术局"]
    assert online.role_text("cooperating") == "区发改局、教育局、人社局、区档案馆、桥西区科学技术局"

    # A unit's tasks name the others in the plan's words; without the unit that lent its 区, the next name takes
    # the 区 back, so it never reads as another unit's name.
    def others(unit: str) -> list[str]:
        tasks = unit_activities(qiaoxi[unit].id, [campaign.id])[campaign.id]
        return next(task for task in tasks if task.activity.id == online.id).others["cooperating"]

    assert others("区发改局") == ["区教育局", "人社局", "区档案馆", "桥西区科学技术局"]
    assert others("区人社局") == ["区发改局", "教育局", "区档案馆", "桥西区科学技术局"]


def test_a_copy_keeps_the_lists_as_written(organizer_client, qiaoxi):
    campaign = _enter_plan(organizer_client)
    assert organizer_client.submit(f"/campaigns/{campaign.id}/copy", {"year": "2023", "edition": "17"}).status_code == 302
    copy = db.session.scalar(sa.select(Campaign).where(Campaign.year == 2023))
    [online] = copy.groups[0].activities
    assert online.role_text("cooperating") == "区发改局、教育局、人社局"
    participating = copy.groups[1].activities[0]
    assert participating.role_text("participating") == "区科技局、区发改局、区教育局、区档案馆等"

    # 区发改局 closed since: the copy leaves it out, and 教育局 takes back the 区 the list lent it.
    qiaoxi["区发改局"].active = False
    db.session.commit()
    assert organizer_client.submit(f"/campaigns/{campaign.id}/copy", {"year": "2024", "edition": "18"}).status_code == 302
    later = db.session.scalar(sa.select(Campaign).where(Campaign.year == 2024))
    [online] = later.groups[0].activities
    assert online.role_text("cooperating") == "区教育局、人社局"
    assert [link.written for link in online.links_in_role("cooperating")] == ["", "人社局"]
    assert db.session.scalar(sa.select(sa.func.count(ActivityUnit.id)).where(
        ActivityUnit.unit_id == qiaoxi["区发改局"].id, ActivityUnit.activity_id == online.id)) == 0
