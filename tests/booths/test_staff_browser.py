"""The staff page in a real phone-sized Chromium: the network drops mid-way, the queue holds, then drains.

Debian's chromium (the Makefile installs it for `make test`); Playwright only drives it. Screenshots of each
step go to test-output/screenshots/.
"""


import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.booths.models import Consultation, MaterialHandout
from campaign.web.extensions import db
from tests.booths.phone import signed_in_phone
from tests.browsing import SHOTS

pytestmark = pytest.mark.browser


def test_queue_survives_a_network_cut_and_drains(server, booth, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium as browser:
        try:
            phone = signed_in_phone(browser, server, booth, pin_page_shot=SHOTS / "1-pin.png")
            context, page, errors = phone.context, phone.page, phone.errors
            banner = page.locator("#queue")
            page.screenshot(path=str(SHOTS / "2-booth.png"), full_page=True)

            def consult(question: str) -> None:
                page.locator("#cform .seg label", has_text="政策咨询").click()
                page.locator("#cform input[name=topic][value=医疗保障] + span").click()
                page.fill("#question", question)
                page.click("#cform button.main")

            consult("异地就医备案在线一")
            expect(page.locator("#recent")).to_contain_text("异地就医备案在线一")
            expect(banner).to_contain_text("全部已上传")

            context.set_offline(True)
            consult("门诊慢特病离线二")
            # The form cleared but kept kind and topic for the next person.
            expect(page.locator("#question")).to_have_value("")
            expect(page.locator("#cform input[name=topic][value=医疗保障]")).to_be_checked()
            consult("医保个人账户离线三")
            first_material = page.locator(".mat").first
            first_material.get_by_role("button", name="+1", exact=True).click()
            first_material.get_by_role("button", name="+10", exact=True).click()
            expect(banner).to_contain_text("4 条待上传")
            expect(banner).to_contain_text("请保持本页打开，联网后自动上传")
            expect(banner.locator("a")).to_be_hidden()  # offline is not "the link is invalid"
            expect(page.locator("#pending li")).to_have_count(4)
            expect(page.locator("#pending")).to_contain_text("待上传")
            # Nothing unconfirmed appears among the saved entries.
            expect(page.locator("#recent")).not_to_contain_text("离线")
            stored = page.evaluate(f"JSON.parse(localStorage.getItem('booth-queue-{booth.id}')).length")
            assert stored == 4
            page.screenshot(path=str(SHOTS / "3-offline-queue.png"), full_page=True)

            context.set_offline(False)
            expect(banner).to_contain_text("全部已上传", timeout=45_000)
            expect(page.locator("#recent")).to_contain_text("医保个人账户离线三")
            expect(page.locator('[data-count="consultations"]')).to_have_text("3")
            assert page.evaluate(f"localStorage.getItem('booth-queue-{booth.id}')") == "[]"
            page.screenshot(path=str(SHOTS / "4-drained.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()

    db.session.expire_all()
    questions = db.session.scalars(sa.select(Consultation.question).order_by(Consultation.id)).all()
    assert questions == ["异地就医备案在线一", "门诊慢特病离线二", "医保个人账户离线三"]
    handouts = db.session.execute(sa.select(MaterialHandout.material, MaterialHandout.quantity)).all()
    assert sorted(handouts) == [("宣传单", 1), ("宣传单", 10)]
