"""One entry per tap, and a closed campaign's queue kept on the phone (issue 16.1, 16.6), in Debian's chromium at
390 × 844 with WeChat's user agent."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.booths.models import Consultation
from campaign.web.extensions import db

CHROMIUM = "/usr/bin/chromium"
PIN = "515515"
WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2203A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230805 MMWEBID/1234 "
          "MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or `make test` installs it)", allow_module_level=True)


@pytest.fixture
def booth(factory):
    unit = factory.unit("江滨区医保局")
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    return factory.booth(activity, unit, pin=PIN)


def _phone(browser, server, booth):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2,
        locale="zh-CN", timezone_id="Asia/Shanghai", user_agent=WECHAT,
    )
    page = context.new_page()
    page.goto(f"{server}/b/{booth.staff_token}")
    page.fill("#pin", PIN)
    page.click("button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("全部已上传")
    return page


def _questions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Consultation.question).order_by(Consultation.id)))


def test_a_double_tap_on_save_stores_one_entry_and_the_same_entry_again_is_asked_about(server, booth, chromium):
    with chromium as browser:
        try:
            page = _phone(browser, server, booth)
            page.locator("#cform .seg label", has_text="政策咨询").click()
            page.locator("#cform input[name=topic][value=医疗保障] + span").click()
            page.fill("#question", "异地就医备案怎么办")
            page.locator("#cform button.main").dblclick()
            expect(page.locator("#recent")).to_contain_text("异地就医备案怎么办")
            expect(page.locator("#queue")).to_contain_text("全部已上传")
            page.wait_for_timeout(1000)  # a second entry, had one been made, would be sent by now
            assert _questions() == ["异地就医备案怎么办"]

            # The same entry again within seconds: asked; declined, nothing is kept.
            asked = []

            def decline(dialog):
                asked.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", decline)
            page.wait_for_timeout(900)  # 保存 is armed again
            page.fill("#question", "同一个问题")
            page.locator("#cform button.main").click()
            expect(page.locator("#recent")).to_contain_text("同一个问题")
            page.wait_for_timeout(900)
            page.fill("#question", "同一个问题")
            page.locator("#cform button.main").click()
            page.wait_for_timeout(500)
            assert asked and "一模一样" in asked[0]
            expect(page.locator("#queue")).to_contain_text("全部已上传")
            assert _questions() == ["异地就医备案怎么办", "同一个问题"]
        finally:
            browser.close()


def test_after_the_campaign_closes_the_phone_keeps_its_entry_and_says_whom_to_contact(server, booth, chromium):
    with chromium as browser:
        try:
            page = _phone(browser, server, booth)
            booth.campaign.status = "closed"
            db.session.commit()
            page.locator("#cform .seg label", has_text="政策咨询").click()
            page.locator("#cform input[name=topic][value=医疗保障] + span").click()
            page.fill("#question", "关闭后的一条")
            page.locator("#cform button.main").click()
            banner = page.locator("#queue")
            expect(banner).to_contain_text("1 条待上传")
            expect(banner).to_contain_text("江滨区人民政府办公室")
            expect(page.locator("#pending")).to_contain_text("政策咨询")
            page.wait_for_timeout(3000)  # not sent again and again
            assert page.evaluate(f"JSON.parse(localStorage.getItem('booth-queue-{booth.id}')).length") == 1
            page.once("dialog", lambda dialog: dialog.accept())  # the page warns before leaving with a queue
            page.reload()
            expect(page.locator("#closed")).to_contain_text("本次活动已结束登记")
            expect(page.locator("#queue")).to_contain_text("1 条待上传")
            assert _questions() == []
        finally:
            browser.close()
