"""The live board's figures, its JSON, the venue screen, and the XLSX export with its masking."""

import re
from datetime import datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.booths import board
from campaign.booths.models import Consultation, MaterialHandout
from campaign.documents.xlsx import safe_text
from campaign.jobs.models import FileJob
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.factory import Factory
from tests.statements import page_statements

DAY = (2025, 5, 15)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(*DAY, hour, minute, tzinfo=LOCAL_TZ)


def add_consultation(booth, recorded_at, **fields) -> Consultation:
    return Factory().consultation(booth, recorded_at=recorded_at, **fields)


def add_handout(booth, material, quantity, recorded_at, **fields) -> MaterialHandout:
    return Factory().handout(booth, material, quantity, recorded_at=recorded_at, **fields)


@pytest.fixture
def day(factory):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign))
    education, social = factory.unit("江滨区教育和体育局", short_name="教育局"), factory.unit("江滨区人社局", short_name="人社局")
    edu_booth = factory.booth(activity, education)
    social_booth = factory.booth(activity, social, public=True)
    # 8:30 and 9:10 at the education desk (one referred); 9:45 and 10:05 at the social desk; 00:30 local is
    # still 14 May in UTC, so a wrong time zone would move it to another hour or day.
    add_consultation(edu_booth, at(8, 30), kind="办事咨询", topic="教育入学",
                     person_name="张三", person_phone="13812341234", consent=True)
    add_consultation(edu_booth, at(9, 10), topic="教育入学", handling="转办")
    add_consultation(social_booth, at(9, 45))
    add_consultation(social_booth, at(10, 5), kind="投诉", question="=HYPERLINK(\"http://evil\")",
                     person_name="欧阳娜娜", person_phone="0571-88886666", consent=True)
    add_consultation(social_booth, at(0, 30))
    # Withdrawn: counted nowhere. Public: shown apart from staff entries.
    add_consultation(edu_booth, at(9, 20), withdrawn_at=at(9, 25), handling="转办")
    add_consultation(social_booth, at(10, 15), source="public", kind="意见建议", topic="")
    add_consultation(social_booth, at(11, 40), source="public", kind="意见建议", topic="营商环境")
    add_handout(edu_booth, "宣传单", 10, at(8, 40))
    add_handout(edu_booth, "宣传单", 1, at(9, 0))
    add_handout(social_booth, "政策汇编", 25, at(10, 0))
    add_handout(social_booth, "宣传册", 5, at(10, 1), withdrawn_at=at(10, 2))
    return dict(campaign=campaign, edu_booth=edu_booth, social_booth=social_booth, education=education, social=social)


def by_name(rows, key="name"):
    return {row[key]: row for row in rows}


def test_figures_equal_the_rows_inserted(day):
    data = board.figures(day["campaign"], today=datetime(*DAY).date())
    totals = data["totals"]
    assert totals["consultations"] == 5 and totals["consultations_today"] == 5
    assert totals["public"] == 2 and totals["public_today"] == 2
    assert totals["handouts"] == 36
    assert totals["follow_ups_open"] == 1  # the withdrawn referral's follow-up was never opened
    assert {row["name"]: row["total"] for row in data["materials"]} == {"宣传单": 11, "政策汇编": 25}

    units = by_name(data["units"])
    assert (units["教育局"]["staff"], units["教育局"]["public"], units["教育局"]["handouts"]) == (2, 0, 11)
    assert (units["人社局"]["staff"], units["人社局"]["public"], units["人社局"]["handouts"]) == (3, 2, 25)
    booths = {row["id"]: row for row in data["booths"]}
    assert booths[day["social_booth"].id]["total"] == 5
    assert by_name(data["topics"])["教育入学"]["staff"] == 2
    assert by_name(data["topics"])[board.NO_TOPIC]["public"] == 1
    kinds = by_name(data["kinds"])
    assert (kinds["政策咨询"]["total"], kinds["办事咨询"]["total"], kinds["投诉"]["total"]) == (3, 1, 1)
    assert kinds["意见建议"] == {"name": "意见建议", "staff": 0, "public": 2, "total": 2, "max": 3}

    # Hours of the day in Asia/Shanghai.
    hours = {row["hour"]: (row["staff"], row["public"]) for row in data["hours"]}
    assert hours[0] == (1, 0) and hours[8] == (1, 0) and hours[9] == (2, 0)
    assert hours[10] == (1, 1) and hours[11] == (0, 1)
    assert list(hours) == list(range(0, 12))

    # Another day: today's counts drop, the campaign's stay.
    later = board.figures(day["campaign"], today=datetime(2025, 5, 16).date())
    assert later["totals"]["consultations_today"] == 0 and later["totals"]["consultations"] == 5
    assert later["day"] == "2025-05-16" and all(row["total"] == 0 for row in later["hours"])


def test_board_page_and_json(organizer_client, day):
    campaign_id = day["campaign"].id
    page = organizer_client.get(f"/campaigns/{campaign_id}/board?day=2025-05-15")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<meter" in html and "style=" not in html
    assert 'data-figure="consultations"' in html and "js/board.js" in html
    assert "教育局" in html and "人社局" in html

    response = organizer_client.get(f"/campaigns/{campaign_id}/board/data.json?day=2025-05-15")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    data = response.get_json()
    assert data["totals"]["consultations"] == 5 and data["totals"]["public"] == 2
    assert data["totals"]["handouts"] == 36
    assert {row["hour"]: row["total"] for row in data["hours"]}[9] == 2

    screen = organizer_client.get(f"/campaigns/{campaign_id}/board?screen=1").get_data(as_text=True)
    assert "board-screen" in screen and 'http-equiv="refresh"' in screen
    assert "mainnav" not in screen and "style=" not in screen


def sheet_rows(body: bytes, title: str) -> list[tuple]:
    workbook = load_workbook(BytesIO(body))
    return list(workbook[title].iter_rows(values_only=True))


def test_export_masks_names_and_phones_by_default(organizer_client, day, finished_export):
    state, body = finished_export(organizer_client, f"/campaigns/{day['campaign'].id}/exports", {"what": "board"})
    assert state["kind"] == "board_xlsx" and state["file_name"].endswith("咨询登记.xlsx")
    workbook = load_workbook(BytesIO(body))
    assert workbook.sheetnames == ["咨询登记", "资料发放", "汇总"]

    rows = sheet_rows(body, "咨询登记")
    header, entries = rows[0], rows[1:]
    assert len(entries) == 7  # withdrawn excluded, public included
    column = {name: index for index, name in enumerate(header)}
    first = entries[0]
    assert first[column["时间"]] == datetime(*DAY, 0, 30)  # local wall clock
    phones = {row[column["电话"]] for row in entries}
    names = {row[column["姓名"]] for row in entries}
    assert {"138****1234", "0571-****6666"} <= phones
    assert {"张*", "欧阳**"} <= names
    text = repr(rows)
    assert "13812341234" not in text and "88886666" not in text and "娜娜" not in text
    assert sorted(row[column["来源"]] for row in entries).count("公众") == 2
    # The formula typed into a question stays text.
    assert "'=HYPERLINK(\"http://evil\")" in {row[column["问题"]] for row in entries}

    handouts = sheet_rows(body, "资料发放")
    assert sorted(row[4] for row in handouts[1:]) == [1, 10, 25]
    summary = sheet_rows(body, "汇总")
    assert summary[-1] == ("合计", 2, 5, 2, 36)
    assert ("江滨区人社局", 1, 3, 2, 25) in summary


def test_full_export_needs_the_confirmed_post_and_is_audited(organizer_client, day, finished_export):
    url = f"/campaigns/{day['campaign'].id}/exports"
    response = organizer_client.submit(url, {"full": "1", "what": "board"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "board_export_full")) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FileJob)) == 0
    # Without the CSRF token the POST is refused.
    assert organizer_client.post(url, data={"confirm": "y", "full": "1"}).status_code == 400

    _state, body = finished_export(organizer_client, url, {"confirm": "y", "full": "1", "what": "board"})
    rows = sheet_rows(body, "咨询登记")
    text = repr(rows)
    assert "13812341234" in text and "0571-88886666" in text and "欧阳娜娜" in text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "board_export_full"))
    assert event.campaign_id == day["campaign"].id and event.user_id is not None


def test_formula_guard():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("+8613812341234") == "'+8613812341234"
    assert safe_text("-5") == "'-5"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("社保") == "社保"
    assert safe_text(5) == 5


def test_unit_contacts_and_strangers_are_kept_out(client, unit_contact, day):
    campaign_id = day["campaign"].id
    urls = [f"/campaigns/{campaign_id}/board", f"/campaigns/{campaign_id}/board/data.json",
            f"/campaigns/{campaign_id}/exports"]
    for url in urls:
        assert client.get(url).status_code in (302, 401)
    log_in(client, unit_contact)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "您没有权限访问此页面" in response.get_data(as_text=True), url
    assert client.submit(f"/campaigns/{campaign_id}/exports", {"confirm": "y", "full": "1"}).status_code == 403
    # No unmasked export went out, so none was logged.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "board_export_full")) == 0


def test_a_units_desks_at_several_activities_are_told_apart_in_a_fixed_number_of_queries(organizer_client, factory):
    campaign = factory.campaign()
    group = factory.group(campaign)
    square = factory.activity(group, title="主会场集中宣传咨询活动", venue_id=factory.venue(campaign, "市民广场").id)
    town = factory.activity(group, title="临江镇分会场宣传活动", venue_id=factory.venue(campaign, "临江镇便民服务中心").id)
    hall = factory.activity(group, title="政府开放日", venue_id=square.venue_id)  # a second activity there
    social = factory.unit("江滨区人社局", short_name="人社局")
    for activity in (square, town, hall):
        factory.booth(activity, social)

    places = [row["place"] for row in board.figures(campaign)["booths"]]
    # The venue where it tells the desks apart, else the activity.
    assert places == ["主会场集中宣传咨询活动", "临江镇便民服务中心", "政府开放日"]
    page = organizer_client.get(f"/campaigns/{campaign.id}/board").get_data(as_text=True)
    assert "<td>临江镇便民服务中心</td>" in page

    def queries() -> int:
        return page_statements(organizer_client, f"/campaigns/{campaign.id}/board")

    before = queries()
    for n in range(4):
        activity = factory.activity(group, venue_id=factory.venue(campaign, f"分会场{n}").id)
        factory.booth(activity, factory.unit())
    assert queries() == before


def test_the_refresh_is_compact_and_carries_what_the_tables_show(organizer_client, day):
    campaign_id = day["campaign"].id
    response = organizer_client.get(f"/campaigns/{campaign_id}/board/data.json")
    body = response.get_data()
    # UTF-8, not \\u escapes (six bytes a Chinese character), and no spaces between items.
    assert b"\\u" not in body and b'", "' not in body and "人社局".encode() in body
    data = response.get_json()
    page = organizer_client.get(f"/campaigns/{campaign_id}/board").get_data(as_text=True)
    for table in ("booths", "units"):
        section = page.split(f'data-list="{table}"')[1].split("</thead>")[0]
        shown = set(re.findall(r'data-(?:key|link|meter)="([^"]+)"', section)) - {"total"}
        for row in data[table]:
            assert shown <= set(row), (table, shown - set(row))
            assert not {"unit", "activity", "full_name"} & set(row)
