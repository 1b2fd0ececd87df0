"""The numbers check in a real Chromium against gunicorn: a hand-edited wrong number stops the compile button and
leads to 核对数字, where the organizer corrects one number and keeps another with a reason; then the export goes,
listed with the numbers it was checked with. Screenshots go to test-output/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from campaign.report.compile import compile_report
from campaign.report.narrative import narrative_for, save_narrative
from campaign.web.extensions import db
from tests.browsing import SHOTS, signed_in_desk

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, factory, organizer):
    units = [factory.unit(name) for name in ("江滨区教育局", "江滨区民政局")]
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={units[0]: "lead", units[1]: "participating"})
    for unit in units:
        booth = factory.booth(activity, unit)
        for topic in ("教育入学", "民政救助", "社会保险"):
            factory.consultation(booth, topic=topic, satisfaction="满意")
        factory.handout(booth, "宣传册", 50)
    # The organizer's hand: 6 people received written as 8, 100 leaflets as 一百二十.
    text = narrative_for(None, compile_report(campaign))["overview"]
    assert "现场接待群众咨询6人次" in text and "发放宣传册100份" in text
    edited = text.replace("现场接待群众咨询6人次", "现场接待群众咨询8人次").replace("发放宣传册100份", "发放宣传册一百二十份")
    save_narrative(campaign.id, organizer, {"overview": edited}, None, ["overview"])
    db.session.commit()
    return {"campaign_id": campaign.id}


def test_a_wrong_number_stops_the_export_until_corrected_or_kept(queue_server, world, organizer, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    report_url = f"{queue_server}/campaigns/{world['campaign_id']}/report"
    with chromium as browser:
        page, errors = signed_in_desk(browser, queue_server, organizer.username)

        page.goto(report_url)
        expect(page.locator("[data-unchecked]")).to_contain_text("2处数字")
        page.click("form[data-compile] button[type=submit]")
        # Refused: the page moves to the list, with the reason on top; no job was started.
        expect(page).to_have_url(re.compile(r"/report/checks"))
        expect(page.locator("main")).to_contain_text("尚未核对")
        rows = page.locator("tr[data-mismatch]")
        expect(rows).to_have_count(2)
        people = rows.filter(has=page.locator("td[data-written]", has_text=re.compile(r"^\s*8人次\s*$")))
        expect(people.locator("[data-expected]")).to_contain_text("6")
        expect(people.locator("mark")).to_have_text("8人次")
        leaflets = rows.filter(has=page.locator("td[data-written]", has_text="一百二十份"))
        expect(leaflets.locator("[data-expected]")).to_contain_text("100")
        page.screenshot(path=str(SHOTS / "report-checks-1-listed.png"), full_page=True)

        # Corrected from the data, in the style it was written: 一百.
        leaflets.get_by_role("button", name="按数据更正").click()
        expect(page.locator("main")).to_contain_text("已按数据更正")
        expect(page.locator("tr[data-mismatch]")).to_have_count(1)
        # Kept as written: the reason is required by the browser first.
        row = page.locator("tr[data-mismatch]")
        row.get_by_role("button", name="确认保留").click()
        expect(row).to_have_class(re.compile("open"))
        row.get_by_label("保留的理由").fill("另有2人次在分会场登记于纸质表")
        row.get_by_role("button", name="确认保留").click()
        expect(page.locator("tr[data-mismatch]")).to_have_class(re.compile("confirmed"))
        expect(page.locator("main")).to_contain_text("都已处理")
        page.screenshot(path=str(SHOTS / "report-checks-2-done.png"), full_page=True)

        # Now the export goes, and the list of exports says what it was checked with.
        page.goto(report_url)
        expect(page.locator("[data-unchecked]")).to_have_count(0)
        page.click("form[data-compile] button[type=submit]")
        expect(page.locator("#snapshots [data-number-checks]")).to_have_text("核对过2处数字", timeout=120_000)
        page.locator("#snapshots [data-number-checks]").click()
        checks = page.locator("#number-checks")
        expect(checks).to_contain_text("另有2人次在分会场登记于纸质表")
        expect(checks).to_contain_text("已更正为一百份")
        page.screenshot(path=str(SHOTS / "report-checks-3-exported.png"), full_page=True)
        assert errors == []
