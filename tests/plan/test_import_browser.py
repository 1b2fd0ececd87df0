"""从方案文件导入 in Debian's Chromium: from 新建活动, paste a web copy of a plan, preview, correct one unit's match,
confirm — a plan ready to issue in at most 10 actions (counted below; signing in is not one of them)."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.plan.models import Activity, Campaign
from campaign.units.models import UnitAlias, UnitGroup
from campaign.web.extensions import db
from tests.browsing import signed_in_desk
from tests.plan.plan_texts import WEB_COPY

pytestmark = pytest.mark.browser


def test_paste_preview_correct_one_unit_and_confirm(server, factory, organizer, chromium):
    for name, short in (("云溪区人民政府办公室", "区政府办"), ("云溪区发展和改革局", "区发改局"),
                        ("云溪区教育局", "区教育局"), ("云溪区人力资源和社会保障局", "区人社局"),
                        ("云溪区营商环境建设局", "区营商局")):
        factory.unit(name, short_name=short)
    # Written 区民政局 in the plan: found without its short name. 区卫健局: no match the app can see.
    factory.unit("云溪区民政局")
    health = factory.unit("云溪区卫生和健康委员会", short_name="区卫健委")
    db.session.add(UnitGroup(name="各镇街", unit_kind="town"))
    db.session.commit()

    with chromium as browser:
        page, errors = signed_in_desk(browser, server, organizer.username)

        actions = 0
        page.goto(f"{server}/campaigns/new"); actions += 1  # noqa: E702
        page.click("text=从方案文件导入"); actions += 1  # noqa: E702
        page.fill("#year", "2022"); actions += 1  # noqa: E702
        page.fill("#text", WEB_COPY); actions += 1  # noqa: E702
        page.click("button:has-text('读取并预览')"); actions += 1  # noqa: E702
        expect(page.locator("h1")).to_have_text("核对导入的方案")
        row = page.locator("tr", has=page.locator("label", has_text=re.compile("^区卫健局$")))
        expect(row).to_have_class(re.compile("uncertain"))
        expect(page.locator("tr", has=page.locator("label", has_text=re.compile("^区民政局$")))).to_contain_text("90%")
        row.locator("select").select_option(f"unit:{health.id}"); actions += 1  # noqa: E702
        page.click("button[value=check]"); actions += 1  # noqa: E702
        # 重新检查单位: the activity prints its list as the plan wrote it, whatever unit each name is matched to.
        expect(page.locator("#activity-1 .import-printed")).to_contain_text("区人社局、区卫健局、区民政局")
        page.screenshot(path="test-output/screenshots/plan-import-preview.png", full_page=True)
        page.click("button[value=import]"); actions += 1  # noqa: E702
        expect(page.locator(".flash-success")).to_contain_text("已从方案导入")
        page.screenshot(path="test-output/screenshots/plan-import-done.png", full_page=True)
        assert actions <= 10 and errors == []

    db.session.expire_all()
    campaign = db.session.scalar(sa.select(Campaign))
    assert campaign.title == "云溪区第十六届“5·15政务公开日”活动方案" and len(campaign.slogans) == 2
    desks = db.session.scalar(sa.select(Activity).where(Activity.title == "开展“政务公开进社区”活动"))
    assert desks.role_text("participating") == "区发改局、区教育局、区人社局、区卫健局、区民政局"
    assert health in [link.unit for link in desks.links_in_role("participating")]
    assert db.session.scalar(sa.select(UnitAlias.unit_id).where(UnitAlias.alias == "区卫健局")) == health.id
