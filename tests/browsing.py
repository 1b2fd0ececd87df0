"""What the browser tests do alike: sign in through the sign-in page, as a person would."""

import re

from playwright.sync_api import expect

from tests.factory import PASSWORD


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Signs in on the sign-in page at `base` and waits until the app has let the browser in."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile("/auth/login"))
