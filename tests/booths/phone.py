"""A volunteer's phone at the booth, as the booth browser tests open it: a 390 × 844 touch screen in Chinese and
Shanghai time, in Debian's Chromium, on the booth's staff link and signed in with the PIN, its queue empty."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.booths.staff import PIN

# WeChat's built-in browser on an Android phone: where most volunteers open the link they were sent.
WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2203A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230805 MMWEBID/1234 "
          "MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")

SCREEN = {"width": 390, "height": 844}


@dataclass
class Phone:
    context: BrowserContext  # its own cookies, storage, service worker and offline switch
    page: Page
    errors: list[str]  # the page's uncaught script errors, from the first load on


def signed_in_phone(browser, base: str, booth, *, user_agent: str = "", init_scripts: Sequence[str] = (),
                    pin_page_shot: Path | None = None) -> Phone:
    """A phone on `booth`'s staff page at `base`, signed in with the PIN; the page says all is uploaded.

    `init_scripts` run in every page before the app's own scripts; `pin_page_shot`: where to keep a screenshot of
    the PIN page as the phone first sees it."""
    options = {"user_agent": user_agent} if user_agent else {}
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True, device_scale_factor=2,
                                  locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/b/{booth.staff_token}")
    if pin_page_shot is not None:
        page.screenshot(path=str(pin_page_shot), full_page=True)
    page.fill("#pin", PIN)
    page.click("button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("全部已上传")
    return Phone(context, page, errors)
