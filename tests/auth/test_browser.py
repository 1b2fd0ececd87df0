"""In Debian's Chromium, on the demo district: the organizer invites every unit that has no contact yet and opens
the sheet of links; a contact opens a link on a phone (390×844), sets a password and lands on 我的任务.
Screenshots go to test-output/screenshots/."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.auth.models import User
from campaign.demo.data import UNITS
from campaign.web.extensions import db
from tests.browsing import SHOTS, signed_in_desk

pytestmark = [pytest.mark.browser, pytest.mark.loaded_demo]


def _units_with_a_contact() -> set[int]:
    return set(db.session.scalars(sa.select(User.unit_id).where(User.role == "unit", User.active.is_(True))))


def test_invite_every_demo_unit_and_a_contact_signs_in_on_a_phone(server, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    waiting = len(UNITS) - len(_units_with_a_contact())
    assert waiting > 20  # the demo leaves most units without a contact, for this very step
    with chromium as browser:
        desk, errors = signed_in_desk(browser, server, "admin", "demo-admin-2025")
        desk.click("nav.mainnav >> text=账号")
        expect(desk.locator("h1")).to_have_text("账号")
        desk.click("text=邀请单位联络员")
        desk.click(f"text=邀请全部 {waiting} 个没有联络员的单位")

        expect(desk.locator(".sheet-entry")).to_have_count(waiting)
        expect(desk.locator(".sheet-qr")).to_have_count(waiting)
        expect(desk.locator("#wechat-text")).to_contain_text("首次登录链接")
        desk.screenshot(path=str(SHOTS / "accounts-1-sheet.png"), full_page=True)
        # The sheet as printed: A4 pages, the screen-only parts left out.
        desk.emulate_media(media="print")
        expect(desk.locator(".no-print")).to_be_hidden()
        assert desk.pdf(format="A4")[:4] == b"%PDF"
        desk.emulate_media(media="screen")
        assert errors == []

        first = desk.locator(".sheet-entry").first
        login = first.locator(".login-name").inner_text()
        link = first.locator(".sheet-url a").inner_text()
        assert re.fullmatch(re.escape(server) + r"/auth/link/[A-Za-z0-9_-]{43}", link)

        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                 has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
        phone.goto(link)
        expect(phone.locator(".login-name")).to_have_text(login)
        phone.fill("#password", "1234567890")
        phone.fill("#confirm", "1234567890")
        phone.click("main button[type=submit]")
        expect(phone.locator(".error")).to_contain_text("常见密码")
        phone.screenshot(path=str(SHOTS / "accounts-2-phone-refused.png"), full_page=True)
        phone.fill("#password", "taoyuan-spring-5")
        phone.fill("#confirm", "taoyuan-spring-5")
        phone.click("main button[type=submit]")
        expect(phone).to_have_url(re.compile(r"/tasks/$"))
        expect(phone.locator("h1")).to_have_text("我的任务")
        # Nothing wider than the phone's screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "accounts-3-phone-my-tasks.png"), full_page=True)

        # The link is spent: opened again in another browser, it says so and whom to ask.
        again = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        again.goto(link)
        expect(again.locator("h1")).to_have_text("此登录链接不能再使用")
        expect(again.locator("main")).to_contain_text("区政务公开办 张敏")

    db.session.expire_all()
    assert len(_units_with_a_contact()) == len(UNITS)
    assert db.session.scalar(sa.select(User).where(User.username == login)).has_password
