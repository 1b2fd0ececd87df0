"""The organizer compiles the district report in a real Chromium against gunicorn (two workers): the job runs on the
task queue, in a `flask queue worker` of its own, the progress bar follows it through whichever worker answers the polls,
and the page comes back with the new export listed. Screenshots go to test-output/screenshots/."""


import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.report.models import ReportJob, ReportSnapshot
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from tests.browsing import SHOTS, signed_in_desk

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, factory, organizer):
    units = [factory.unit(name) for name in ("江滨区教育局", "江滨区民政局", "临江镇")]
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={unit: "cooperating" for unit in units})
    for unit in units[:2]:
        booth = factory.booth(activity, unit)
        for topic in ("教育入学", "民政救助", "社会保险"):
            factory.consultation(booth, topic=topic, satisfaction="满意")
        summary = factory.summary(campaign, unit, status="submitted", submitted_at=utcnow(), first_submitted_at=utcnow())
        factory.photo(summary)
    return {"campaign_id": campaign.id}


def test_compile_with_a_progress_bar_and_come_back_to_the_export(queue_server, world, organizer, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    report_url = f"{queue_server}/campaigns/{world['campaign_id']}/report"
    with chromium as browser:
        try:
            page, errors = signed_in_desk(browser, queue_server, organizer.username)

            page.goto(report_url)
            expect(page.locator("[data-job]")).to_contain_text("还没有编制过")
            expect(page.locator(".chart-box svg")).to_have_count(3)
            # Before the export: the activity as done by its evidence — two units' desks recorded, 临江镇 nothing.
            row = page.locator("#evidence tr[data-activity]")
            expect(row).to_contain_text("部分开展")
            expect(row.locator("td").nth(3)).to_have_text("临江镇")
            page.click("form[data-compile] button[type=submit]")
            # The bar appears at once, without leaving the page, and the button waits for the job.
            expect(page.locator("[data-job] progress")).to_be_visible()
            page.screenshot(path=str(SHOTS / "report-1-compiling.png"), full_page=True)

            # Done: the page reloads itself with the export listed.
            expect(page.locator("#snapshots a", has_text="PDF")).to_be_visible(timeout=120_000)
            expect(page.locator("[data-job-status]")).to_have_text("已完成")
            expect(page.locator("[data-job] progress")).to_have_attribute("value", "100")
            page.screenshot(path=str(SHOTS / "report-2-done.png"), full_page=True)

            # Leave and come back: the last job and the export are still there.
            page.goto(f"{queue_server}/campaigns/{world['campaign_id']}/report/scorecard")
            page.goto(report_url)
            expect(page.locator("[data-job-status]")).to_have_text("已完成")
            with page.expect_download() as download:
                page.locator("#snapshots a", has_text="PDF").click()
            assert download.value.suggested_filename.endswith(".pdf")
            assert errors == []
        finally:
            browser.close()

    db.session.expire_all()
    job = db.session.scalar(sa.select(ReportJob))
    assert job.status == "done"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 1
