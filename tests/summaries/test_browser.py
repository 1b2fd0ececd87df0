"""A unit contact writes the summary on a phone-sized Chromium against gunicorn: autosave while typing, a reload
keeps the text, an offline edit survives in localStorage, two photos, submit; the organizer returns it with a
note; the contact sees the note, corrects and submits again. Screenshots go to test-output/screenshots/."""

import re
import time
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from tests.browsing import SHOTS, sign_in
from tests.serverutil import Server

pytestmark = pytest.mark.browser


def _photo(path: Path, sky: str, label_color: str) -> Path:
    """A real JPEG of a booth scene: sky, a banner, a desk, people — not a flat colour."""
    image = Image.new("RGB", (1600, 1200), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 800, 1600, 1200), fill="#8a8f98")
    draw.rectangle((200, 150, 1400, 300), fill="#c62828")
    draw.rectangle((300, 650, 1300, 820), fill="#6d4c41")
    for x in (420, 700, 980, 1180):
        draw.ellipse((x, 420, x + 90, 510), fill="#f1c27d")
        draw.rectangle((x - 10, 510, x + 100, 700), fill=label_color)
    image.save(path, "JPEG", quality=88)
    return path


@pytest.fixture
def world(app, factory, organizer, unit_contact, tmp_path):
    campaign = factory.campaign(
        status=STATUS_ISSUED, summary_deadline=datetime(2099, 5, 18, 17, 30, tzinfo=LOCAL_TZ),
    )
    venue = factory.venue(campaign, "市民广场", is_main=True)
    activity = factory.activity(
        factory.group(campaign), units={unit_contact.unit: "lead"}, title="开展“群众难题我来答”活动", venue_id=venue.id,
    )
    booth = factory.booth(activity, unit_contact.unit)
    for topic in ("教育入学", "教育入学", "社会保险"):
        factory.consultation(booth, topic=topic, satisfaction="满意")
    factory.handout(booth, "宣传单", 320)
    return {
        "campaign_id": campaign.id,
        "database": app.config["SQLALCHEMY_DATABASE_URI"],
        "uploads": app.config["UPLOAD_DIR"],
        "photos": [_photo(tmp_path / "desk.jpg", "#87ceeb", "#1565c0"), _photo(tmp_path / "crowd.jpg", "#b3e5fc", "#2e7d32")],
    }


@pytest.fixture
def server(world):
    env = {
        "DATABASE_URL": world["database"], "SECRET_KEY": "browser-test-secret", "UPLOAD_DIR": world["uploads"],
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    with Server(env=env, workers=2, threads=4) as running:
        yield f"http://{running.host}:{running.port}"


def _wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server never got it"
        time.sleep(0.2)


def _summary() -> UnitSummary:
    db.session.expire_all()
    return db.session.scalar(sa.select(UnitSummary))


def test_unit_fills_submits_is_returned_and_resubmits(server, world, unit_contact, organizer, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    campaign_id = world["campaign_id"]
    with chromium as browser:
        try:
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2,
                locale="zh-CN", timezone_id="Asia/Shanghai",
            )
            page = phone.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("dialog", lambda dialog: dialog.accept())

            # From 我的任务 to the summary.
            sign_in(page, server, unit_contact.username)
            page.goto(f"{server}/tasks/")
            page.get_by_role("link", name="填写活动总结").click()
            expect(page).to_have_url(re.compile(rf"/summaries/{campaign_id}$"))
            expect(page.locator(".state-badge")).to_have_text("未开始")
            page.screenshot(path=str(SHOTS / "summary-1-empty.png"), full_page=True)

            # Typing saves by itself; the status says when.
            status = page.locator("[data-autosave-status]")
            page.fill("#unit_display_boards", "6")
            page.fill("#leaders_present", "局长王明")
            page.locator("#section_activities").press_sequentially("5月15日上午在市民广场设立政策咨询台。", delay=10)
            expect(status).to_contain_text("已保存", timeout=15_000)
            assert _summary().narrative["activities"] == "5月15日上午在市民广场设立政策咨询台。"
            page.reload()
            expect(page.locator("#section_activities")).to_have_value("5月15日上午在市民广场设立政策咨询台。")
            expect(page.locator(".state-badge")).to_have_text("草稿")

            # Leaving the page at once, before the pause that triggers a save: the text is sent as the page goes.
            page.fill("#unit_banners", "2")
            page.goto(f"{server}/tasks/")
            _wait_for(lambda: (_summary().unit_figures or {}).get("banners") == 2)
            page.goto(f"{server}/summaries/{campaign_id}")
            expect(page.locator("#unit_banners")).to_have_value("2")

            # Offline (a phone in a lift): not saved, retried, saved once the network is back.
            phone.set_offline(True)
            page.fill("#section_next_steps", "继续做好转办事项的回访。")
            expect(status).to_contain_text("未保存，正在重试", timeout=15_000)
            phone.set_offline(False)
            expect(status).to_contain_text("已保存", timeout=30_000)
            assert _summary().narrative["next_steps"] == "继续做好转办事项的回访。"

            # The saves fail and the phone reloads the page: the text comes back from localStorage, then is saved.
            page.route("**/autosave", lambda route: route.abort())
            page.fill("#section_results", "群众对现场解答普遍满意。")
            expect(status).to_contain_text("未保存，正在重试", timeout=15_000)
            page.reload()
            expect(page.locator("#section_results")).to_have_value("群众对现场解答普遍满意。")
            page.unroute("**/autosave")
            expect(status).to_contain_text("已保存", timeout=30_000)
            assert _summary().narrative["results"] == "群众对现场解答普遍满意。"
            page.reload()
            expect(page.locator("#section_results")).to_have_value("群众对现场解答普遍满意。")

            # 起草 fills the empty sections from the figures; written ones stay.
            page.get_by_role("button", name="起草").click()
            expect(page.locator("#section_problems")).to_have_value(re.compile("一是"))
            expect(page.locator("#section_activities")).to_have_value("5月15日上午在市民广场设立政策咨询台。")
            expect(page.locator("#section_leadership")).to_have_value(re.compile("局长王明"))

            # A correction of a recorded figure, with its reason.
            page.locator("summary", has_text="宣传资料").click()
            page.get_by_label("宣传单（份） 更正为").fill("400")
            page.get_by_label("宣传单（份） 更正原因").fill("分会场发放的80份未登记")
            expect(status).to_contain_text("已保存", timeout=15_000)

            # Two photos from the "gallery".
            page.set_input_files("#photo-files", [str(path) for path in world["photos"]])
            expect(page.locator("[data-photo-grid] > li")).to_have_count(2, timeout=30_000)
            page.screenshot(path=str(SHOTS / "summary-2-filled.png"), full_page=True)

            page.get_by_role("button", name="报送总结").click()
            expect(page.locator(".state-badge")).to_have_text("已报送")
            expect(page.locator("textarea")).to_have_count(0)
            page.screenshot(path=str(SHOTS / "summary-3-submitted.png"), full_page=True)
            summary = _summary()
            assert summary.status == "submitted" and not summary.late
            first_submitted = summary.first_submitted_at

            # The organizer returns it with a note, on a desktop.
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                       timezone_id="Asia/Shanghai")
            office = desk.new_page()
            office.on("pageerror", lambda error: errors.append(str(error)))
            sign_in(office, server, organizer.username)
            office.goto(f"{server}/summaries/{summary.id}/review")
            expect(office.locator("body")).to_contain_text("分会场发放的80份未登记")
            office.fill("#note", "请在“开展情况”中写明现场解答和转办的问题数。")
            office.get_by_role("button", name="退回修改").click()
            expect(office.locator("body")).to_contain_text("已退回")
            office.screenshot(path=str(SHOTS / "summary-4-returned-by-office.png"), full_page=True)
            desk.close()

            # The contact sees the note, corrects and submits again.
            page.reload()
            expect(page.locator(".state-badge")).to_have_text("已退回")
            expect(page.locator("[data-review-note]")).to_contain_text("请在“开展情况”中写明现场解答和转办的问题数。")
            page.screenshot(path=str(SHOTS / "summary-5-returned.png"), full_page=True)
            page.locator("#section_activities").focus()
            page.keyboard.press("Control+End")
            page.keyboard.type("现场解答问题3个。", delay=10)
            expect(status).to_contain_text("已保存", timeout=15_000)
            page.get_by_role("button", name="报送总结").click()
            expect(page.locator(".state-badge")).to_have_text("已报送")
            page.screenshot(path=str(SHOTS / "summary-6-resubmitted.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.screenshot(path=str(SHOTS / "summary-7-desktop.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()

    summary = _summary()
    assert summary.status == "submitted"
    assert summary.narrative["activities"] == "5月15日上午在市民广场设立政策咨询台。现场解答问题3个。"
    assert summary.first_submitted_at == first_submitted < summary.submitted_at
    assert summary.review_note == "请在“开展情况”中写明现场解答和转办的问题数。"
    assert summary.unit_figures == {"display_boards": 6, "banners": 2} and summary.leaders_present == "局长王明"
    assert [(c.key, c.recorded, c.corrected) for c in summary.corrections] == [("material:宣传单", 320, 400)]
    assert db.session.scalar(sa.select(sa.func.count(Photo.id)).where(Photo.summary_id == summary.id)) == 2
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("summary_%"))).all()
    assert actions.count("summary_submitted") == 2 and actions.count("summary_returned") == 1
