"""A referral end to end in Chromium: a volunteer at 区教育局's desk refers a pension question to 区人社局 from a
phone; 区人社局's contact replies and records a satisfied call-back; the organizer's table shows it closed in time.

Debian's chromium, driven by Playwright; screenshots in test-output/screenshots/.
"""


import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.booths.models import FollowUp
from campaign.web.extensions import db
from tests.booths.phone import SCREEN, signed_in_phone
from tests.booths.staff import PIN
from tests.browsing import SHOTS, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def district(factory, organizer):
    campaign = factory.campaign(status="issued")
    education = factory.unit("江滨区教育局", short_name="区教育局")
    labour = factory.unit("江滨区人力资源和社会保障局", short_name="区人社局")
    civil = factory.unit("江滨区民政局", short_name="区民政局")
    activity = factory.activity(
        factory.group(campaign), units={education: "lead", labour: "cooperating", civil: "cooperating"}
    )
    booth = factory.booth(activity, education, pin=PIN)
    contact = factory.user("unit", unit=labour, username="renshe")
    return dict(campaign=campaign, booth=booth, labour=labour, civil=civil, contact=contact, organizer=organizer)


def test_a_referral_from_a_phone_is_replied_called_back_and_closed_in_time(server, district, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    booth, labour = district["booth"], district["labour"]
    with chromium as browser:
        # The volunteer's phone.
        volunteer = signed_in_phone(browser, server, booth)
        phone, errors = volunteer.page, volunteer.errors
        referral = phone.locator("#ref")
        expect(referral).to_be_hidden()  # 当场解答 is chosen: no unit to pick
        phone.locator("#cform .seg label", has_text="政策咨询").click()
        phone.locator("#cform input[name=topic][value=社会保险] + span").click()
        phone.fill("#question", "灵活就业人员养老保险怎么续缴？")
        phone.locator("#cform .seg label", has_text="转办").click()
        expect(referral).to_be_visible()
        # One tap: the unit the routing table suggests for 社会保险.
        suggestion = referral.locator("#ref-suggest label", has_text="江滨区人力资源和社会保障局")
        expect(suggestion).to_have_count(1)
        expect(referral.locator("#ref-suggest label", has_text="江滨区民政局")).to_have_count(0)
        suggestion.click()
        phone.locator("#cform summary").click()
        phone.fill("#person_name", "李女士")
        phone.fill("#person_phone", "13912340756")
        phone.locator("#consent").check()
        phone.screenshot(path=str(SHOTS / "referral-1-desk.png"), full_page=True)
        phone.click("#cform button.main")
        expect(phone.locator("#recent")).to_contain_text("转办")
        expect(phone.locator("#queue")).to_contain_text("全部已上传")
        db.session.expire_all()
        follow_up = db.session.scalar(sa.select(FollowUp))
        assert follow_up is not None and follow_up.unit_id == labour.id
        assert errors == []

        # 区人社局's contact, on a phone too: 我的任务 → the queue → reply → call-back → close.
        unit = browser.new_context(viewport=SCREEN, is_mobile=True, locale="zh-CN").new_page()
        sign_in(unit, server, "renshe")
        unit.goto(f"{server}/tasks/")
        expect(unit.locator("[data-referrals]")).to_contain_text("未办结 1 件")
        unit.locator("[data-referrals] a").click()
        card = unit.locator(f"#follow-up-{follow_up.id}")
        expect(card).to_contain_text("灵活就业人员养老保险怎么续缴？")
        expect(card.locator('a[href="tel:13912340756"]')).to_be_visible()
        unit.screenshot(path=str(SHOTS / "referral-2-queue.png"), full_page=True)
        card.get_by_role("link", name="填写答复").click()
        unit.fill("#reply", "已电话告知：可在区人社局窗口或网上办理续缴。")
        unit.get_by_role("button", name="已答复群众").click()
        expect(unit.locator("[data-state]")).to_have_text("已答复")
        unit.get_by_label("联系上了").check()
        unit.get_by_label("满意", exact=True).check()
        unit.fill("#note", "群众表示清楚了。")
        unit.get_by_role("button", name="保存回访结果").click()
        expect(unit.locator("[data-state]")).to_have_text("已回访")
        unit.get_by_role("button", name="办结", exact=True).click()
        expect(unit.locator("[data-state]")).to_have_text("办结")
        unit.screenshot(path=str(SHOTS / "referral-3-closed.png"), full_page=True)

        # The organizer's table.
        office = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        sign_in(office, server, district["organizer"].username)
        office.goto(f"{server}/follow-ups/?campaign_id={district['campaign'].id}")
        row = office.locator(f'tr[data-follow-up="{follow_up.id}"]')
        expect(row).to_contain_text("江滨区人力资源和社会保障局")
        expect(row).to_contain_text("办结")
        expect(row).to_contain_text("按期办结")
        expect(row).to_contain_text("回访：满意")
        office.screenshot(path=str(SHOTS / "referral-4-table.png"), full_page=True)
