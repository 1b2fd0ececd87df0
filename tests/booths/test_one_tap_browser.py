"""One entry per tap, and a closed campaign's queue kept on the phone (issue 16.1, 16.6), in Debian's chromium at
390 × 844 with WeChat's user agent."""


import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.booths.models import Consultation
from campaign.web.extensions import db
from tests.booths.phone import WECHAT, signed_in_phone

pytestmark = pytest.mark.browser


def _questions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Consultation.question).order_by(Consultation.id)))


def test_a_double_tap_on_save_stores_one_entry_and_the_same_entry_again_is_asked_about(server, booth, chromium):
    with chromium as browser:
        try:
            page = signed_in_phone(browser, server, booth, user_agent=WECHAT).page
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
            page = signed_in_phone(browser, server, booth, user_agent=WECHAT).page
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
