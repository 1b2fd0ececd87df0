"""What the browser tests do alike: sign in through the sign-in page, as a person would, at a desk's screen."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factory import PASSWORD

SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"  # what the browser tests saw, for people


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Signs in on the sign-in page at `base` and waits until the app has let the browser in."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile("/auth/login"))


DESK = {"width": 1280, "height": 900}


def signed_in_desk(browser, base: str, username: str, password: str = PASSWORD, **options) -> tuple[Page, list[str]]:
    """A desk's page (1280 × 900, in Chinese, Shanghai time; `options` as for new_page) signed in as `username` →
    (the page, the uncaught script errors it meets from the sign-in page on)."""
    page = browser.new_page(viewport=DESK, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, username, password)
    return page, errors
