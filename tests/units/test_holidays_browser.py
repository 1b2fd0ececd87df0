"""The organizer in a real Chromium: from the booths' settings to 节假日与调休, sets a day for a year the library does
not know, and pastes a holiday notice, reads the preview and saves it."""

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.shared.workdays import HOLIDAY, WORKDAY, OfficeDay
from campaign.web.extensions import db
from tests.browsing import signed_in_desk
from tests.units.helpers import NOTICE_2026

pytestmark = pytest.mark.browser


def test_set_a_day_and_import_a_notice(server, app, factory, organizer, chromium):
    campaign = factory.campaign(2025, status="issued")
    with chromium as browser:
        page, errors = signed_in_desk(browser, server, organizer.username)

        page.goto(f"{server}/campaigns/{campaign.id}/booths/settings")
        expect(page.locator("main")).to_contain_text("法定节假日不算，调休上班的周六、周日算")
        page.click("text=节假日与调休")
        expect(page.locator("h1")).to_have_text("2025年节假日与调休")
        expect(page.locator("#day-2025-06-02")).to_contain_text("端午节")
        expect(page.locator("#day-2025-04-27")).to_contain_text("上班")

        # 2027: nobody knows it yet — the page says Monday to Friday; the office sets a day.
        page.goto(f"{server}/units/holidays/?year=2027")
        expect(page.locator("#source")).to_contain_text("按周一至周五计算")
        page.fill("#add-day input[name=day]", "2027-05-03")
        page.select_option("#add-day select[name=kind]", HOLIDAY)
        page.fill("#add-day input[name=note]", "劳动节")
        page.click("#add-day button[type=submit]")
        expect(page.locator("#day-2027-05-03")).to_contain_text("本单位设置")
        expect(page.locator("#source")).to_contain_text("下表只有本单位设置的日期")

        # The 2026 notice pasted as a web page gives it: read, shown, then saved.
        page.goto(f"{server}/units/holidays/?year=2026")
        page.fill("#notice input[name=year]", "2026")
        page.fill("#notice textarea[name=text]", NOTICE_2026)
        page.click("#notice button[type=submit]")
        expect(page.locator("#notice")).to_contain_text("读出的日期（尚未保存）")
        expect(page.locator(".holiday-preview tbody tr")).to_have_count(15)
        page.click("#notice button[name=save]")
        expect(page.locator("body")).to_contain_text("已按通知保存 15 天（其中 15 天有改动）")
        expect(page.locator("#day-2026-02-28")).to_contain_text("本单位设置")
        assert errors == []

    db.session.rollback()
    rows = {row.day: row.kind for row in db.session.scalars(sa.select(OfficeDay))}
    assert rows[date(2027, 5, 3)] == HOLIDAY and rows[date(2026, 2, 28)] == WORKDAY and len(rows) == 16
