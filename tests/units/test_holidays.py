"""The page 节假日与调休: a year's days from the library and the office's table, setting and removing a day, and the
State Council's notice read, shown, then saved."""

from datetime import date

import sqlalchemy as sa

from campaign.shared.workdays import HOLIDAY, WORKDAY, OfficeDay
from campaign.units.holiday_notice import read_notice
from campaign.web.extensions import db
from tests.units.helpers import NOTICE_2026, audit_events, page_text

URL = "/units/holidays/"

# Two paragraphs as published: the 2025 notice with full-width punctuation, and the 2026 notice's as a web page
# copies them, in ASCII punctuation, on one line.
NOTICE_2025 = """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。"""

def rows() -> dict[date, tuple[str, str]]:
    return {row.day: (row.kind, row.note) for row in db.session.scalars(sa.select(OfficeDay))}


def test_the_notice_reader_on_full_width_and_ascii_paragraphs(app):
    import chinese_calendar

    read = read_notice(NOTICE_2025, 2025)
    assert not read.problems
    days = {entry.day: (entry.kind, entry.note) for entry in read.days}
    assert len(days) == 33  # 1 + 8 + 2 + 3 + 1 + 5 + 3 + 8 + 2
    assert days[date(2025, 4, 27)] == (WORKDAY, "劳动节调休上班")
    assert days[date(2025, 6, 2)] == (HOLIDAY, "端午节")  # a span across the month: 5月31日至6月2日
    assert days[date(2025, 10, 8)] == (HOLIDAY, "国庆节、中秋节")  # 至8日: the month of the span's start
    # What the reader got agrees with the library's data, day by day.
    assert all(chinese_calendar.is_workday(day) == (kind == WORKDAY) for day, (kind, _) in days.items())

    read = read_notice(NOTICE_2026, 2026)
    assert not read.problems
    days = {entry.day: (entry.kind, entry.note) for entry in read.days}
    assert sorted(day for day, (kind, _) in days.items() if kind == WORKDAY) == [
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28)]
    assert sorted(day for day, (kind, _) in days.items() if kind == HOLIDAY) == (
        [date(2026, 1, n) for n in (1, 2, 3)] + [date(2026, 2, n) for n in range(15, 24)])
    assert days[date(2026, 2, 15)] == (HOLIDAY, "春节")
    assert all(chinese_calendar.is_workday(day) == (kind == WORKDAY) for day, (kind, _) in days.items())

    # What it cannot read, it says.
    read = read_notice("三、清明节：4月4日至2月30日放假，共3天。", 2025)
    assert read.days == [] and read.problems


def test_the_page_lists_the_librarys_year_and_says_when_a_year_is_unknown(organizer_client):
    page = page_text(organizer_client.get(URL + "?year=2025"))
    assert "2025年节假日与调休" in page and "取自节假日数据" in page
    assert 'id="day-2025-04-27"' in page and "劳动节调休上班" in page and 'id="day-2025-06-02"' in page
    page = page_text(organizer_client.get(URL + "?year=2027"))
    assert "这一年的工作日按周一至周五计算" in page and "这一年还没有节假日或调休上班日" in page
    # A year that is no year falls back to this one, not to an error.
    assert organizer_client.get(URL + "?year=abc").status_code == 200


def test_setting_a_day_is_audited_idempotent_and_removable(organizer_client):
    fields = {"day": "2027-05-03", "kind": HOLIDAY, "note": "劳动节"}
    response = organizer_client.submit(URL + "days", fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("year=2027")
    assert organizer_client.submit(URL + "days", fields).status_code == 302  # the same again: nothing new
    assert rows() == {date(2027, 5, 3): (HOLIDAY, "劳动节")}
    assert len(audit_events("office_day_saved")) == 1
    page = page_text(organizer_client.get(URL + "?year=2027"))
    assert 'id="day-2027-05-03"' in page and "本单位设置" in page and "下表只有本单位设置的日期" in page

    # Over the library: Monday 2 June 2025 worked after all; the page says what the library had.
    organizer_client.submit(URL + "days", {"day": "2025-06-02", "kind": WORKDAY, "note": "本区安排上班"})
    page = page_text(organizer_client.get(URL + "?year=2025"))
    assert "节假日数据为：放假" in page
    assert organizer_client.submit(URL + "days/remove?year=2025", {"day": "2025-06-02"}).status_code == 302
    assert organizer_client.submit(URL + "days/remove?year=2025", {"day": "2025-06-02"}).status_code == 302
    assert set(rows()) == {date(2027, 5, 3)}
    assert len(audit_events("office_day_removed")) == 1


def test_bad_input_is_refused_with_a_message_and_changes_nothing(organizer_client):
    cases = [
        ({"day": "2025-02-30", "kind": HOLIDAY}, "请按“2025-05-31”的格式填写日期。"),
        ({"day": "五月一日", "kind": HOLIDAY}, "请按“2025-05-31”的格式填写日期。"),
        ({"day": "1999-05-01", "kind": HOLIDAY}, "年份应在2004到2100之间。"),
        ({"day": "2025-05-01", "kind": "maybe"}, "请选择放假或上班。"),
        ({"day": "2025-05-01", "kind": HOLIDAY, "note": "长" * 41}, "说明不能超过40个字。"),
    ]
    for fields, message in cases:
        response = organizer_client.submit(URL + "days", fields)
        assert response.status_code == 200 and message in page_text(response), fields
    assert organizer_client.submit(URL + "days/remove", {"day": "not a day"}).status_code == 302
    notices = [
        ({"year": "2025", "text": "  "}, "请粘贴放假通知的正文。"),
        ({"year": "二〇二五", "text": NOTICE_2025}, "请填写年份，如 2025。"),
        ({"year": "2025", "text": "经国务院批准，现将放假安排通知如下。"}, "没有读出放假或上班的日期"),
        ({"year": "2025", "text": "四、劳动节：5月1日至5日放假。" * 400}, "通知太长"),
    ]
    for fields, message in notices:
        response = organizer_client.submit(URL + "notice", {**fields, "save": "1"})
        assert response.status_code == 200 and message in page_text(response), fields
    # Without the CSRF token nothing is saved either.
    assert organizer_client.post(URL + "days", data={"day": "2025-05-01", "kind": HOLIDAY}).status_code == 400
    assert rows() == {} and audit_events("office_day_saved") == []


def test_a_pasted_notice_is_shown_before_it_is_saved(organizer_client):
    organizer_client.submit(URL + "days", {"day": "2026-02-14", "kind": HOLIDAY, "note": "误记"})
    preview = page_text(organizer_client.submit(URL + "notice", {"year": "2026", "text": NOTICE_2026}))
    assert "读出的日期（尚未保存）" in preview and "确认保存这 15 天" in preview
    assert "现为放假，将改为上班" in preview  # the office's wrong row, corrected by the notice
    assert rows() == {date(2026, 2, 14): (HOLIDAY, "误记")}
    saved = organizer_client.submit(URL + "notice", {"year": "2026", "text": NOTICE_2026, "save": "1"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("year=2026")
    assert len(rows()) == 15 and rows()[date(2026, 2, 14)] == (WORKDAY, "春节调休上班")
    # Saving it again changes nothing and logs nothing more.
    events = len(audit_events("office_day_saved"))
    organizer_client.submit(URL + "notice", {"year": "2026", "text": NOTICE_2026, "save": "1"})
    assert len(rows()) == 15 and len(audit_events("office_day_saved")) == events == 16


def test_unit_contacts_may_not_use_the_page(client, unit_contact):
    from tests.conftest import log_in

    log_in(client, unit_contact)
    assert client.get(URL).status_code == 403
    assert client.submit(URL + "days", {"day": "2025-05-01", "kind": HOLIDAY}).status_code == 403
    assert rows() == {}


def test_pages_that_count_working_days_say_when_a_year_is_monday_to_friday(organizer_client, factory):
    known, unknown = factory.campaign(2025), factory.campaign(2027)
    for campaign, said, unsaid in ((known, "工作日按国家法定节假日和调休安排计算", "工作日暂按周一至周五计算"),
                                   (unknown, "2027年的节假日和调休安排还没有录入，工作日暂按周一至周五计算", "工作日按国家法定")):
        for url in (f"/campaigns/{campaign.id}/booths/settings", f"/campaigns/{campaign.id}/report/scorecard"):
            page = page_text(organizer_client.get(url))
            assert said in page and unsaid not in page, url
            assert f"/units/holidays/?year={campaign.year}" in page
    # Once the office enters a day of 2027, the year counts as entered.
    organizer_client.submit(URL + "days", {"day": "2027-05-03", "kind": HOLIDAY, "note": "劳动节"})
    assert "工作日按国家法定节假日和调休安排计算" in page_text(
        organizer_client.get(f"/campaigns/{unknown.id}/booths/settings"))
