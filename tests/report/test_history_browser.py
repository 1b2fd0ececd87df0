"""The organizer in a real Chromium: adjusts a unit's score with a reason on the scorecard and sees it beside the
computed score, then finds it in the unit's record over the years, and downloads the matrix as XLSX."""

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from campaign.shared.timeutil import LOCAL_TZ
from tests.browsing import signed_in_desk

pytestmark = pytest.mark.browser


DEADLINE = datetime(2025, 5, 16, 17, 30, tzinfo=LOCAL_TZ)  # a Friday


def test_adjust_a_score_and_find_it_in_the_units_record(server, app, factory, organizer, chromium):
    late, prompt = factory.unit("江滨区住房和城乡建设局"), factory.unit("江滨区教育局")
    old = factory.campaign(2024, status="closed", summary_deadline=DEADLINE.replace(year=2024, day=20))
    campaign = factory.campaign(2025, status="closed", summary_deadline=DEADLINE)
    for year in (old, campaign):
        factory.activity(factory.group(year), units={late: "cooperating", prompt: "cooperating"})
        factory.score_rule(year, "on_time", 30, label="按时报送")
    handed_in = DEADLINE + timedelta(days=4)  # Tuesday: 2 working days late
    factory.summary(campaign, late, status="accepted", late=True, submitted_at=handed_in, first_submitted_at=handed_in)
    factory.summary(campaign, prompt, status="accepted", submitted_at=DEADLINE, first_submitted_at=DEADLINE)

    with chromium as browser:
        page, errors = signed_in_desk(browser, server, organizer.username, accept_downloads=True)

        page.goto(f"{server}/campaigns/{campaign.id}/report/scorecard")
        page.fill("#scoring-late_points_per_day", "5")
        page.click("#scoring button[type=submit]")
        row = page.locator(f"#unit-{late.id}")
        expect(row.locator("td[data-rule]")).to_contain_text("逾期2个工作日：30 − 2 × 5 = 20")

        page.select_option("#adjust-unit_id", str(late.id))
        page.fill("#adjust-points", "3")
        page.click("#adjustments button[type=submit]")  # no reason: refused on the form
        expect(page.locator("#adjustments")).to_contain_text("请填写调整原因。")
        page.fill("#adjust-reason", "承担主会场布置")
        page.click("#adjustments button[type=submit]")
        row = page.locator(f"#unit-{late.id}")
        expect(row.locator(".computed")).to_have_text("20")
        expect(row.locator("td.adjustment")).to_contain_text("+3")
        expect(row.locator("td.adjustment")).to_contain_text("承担主会场布置")
        expect(row.locator(".total")).to_have_text("23")
        expect(page.locator(".adjustment-log")).to_contain_text("承担主会场布置")

        page.goto(f"{server}/report/history/")
        cell = page.locator(f'tr[data-unit="{late.id}"] td[data-campaign="{campaign.id}"]')
        expect(cell).to_contain_text("逾期报送 2个工作日")  # as the scorecard says
        expect(cell).to_contain_text("得分23（含调整+3）")
        expect(page.locator(f'tr[data-unit="{late.id}"] td[data-campaign="{old.id}"]')).to_contain_text("未报送")
        with page.expect_download() as download:
            page.click("text=导出 Excel")
        rows = list(load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active.iter_rows(values_only=True))
        assert ("江滨区住房和城乡建设局", "未报送", None, 0, None, 0, "逾期报送", 2, 0, None, 23, 0) in rows
        page.click(f"text={late.name}")
        expect(page.locator(f'tr[data-campaign="{campaign.id}"] .score')).to_contain_text("23（含调整+3）")
        assert errors == []
