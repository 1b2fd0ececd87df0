"""The activity form in Debian's Chromium: a clerk fills each role by tapping names in the order of the plan,
a group (各镇街) among them, and the plan keeps that order and the 等 she typed; a list retyped with one 区 for all
its names is printed and shown again as she typed it."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from campaign.plan.models import Activity
from campaign.units.groups import save_group
from campaign.web.extensions import db
from tests.browsing import signed_in_desk

pytestmark = pytest.mark.browser


def test_a_clerk_taps_units_into_roles_in_the_plans_order(server, factory, organizer, chromium):
    for name, short in (("桥西区营商环境建设局", "区营商局"), ("桥西区科学技术局", "区科技局"),
                        ("桥西区发展和改革局", "区发改局")):
        factory.unit(name, short_name=short)
    factory.unit("东风街道", kind="town")
    save_group(None, "各镇街", "town", [])
    campaign = factory.campaign()
    group = factory.group(campaign, "线下实地宣传")
    db.session.commit()

    with chromium as browser:
        page, errors = signed_in_desk(browser, server, organizer.username)

        page.goto(f"{server}/campaigns/{campaign.id}/groups/{group.id}/activities/new")
        page.fill("#title", "开展“政务公开进广场”活动")
        page.fill("#new_venue_name", "桥西区市民广场")
        # Lead units: the first role field takes the taps until another is focused.
        page.click(".unit-name[data-name='区营商局']")
        page.focus("#participating_units")
        page.fill("#participating_units", "等")
        for name in ("区科技局", "区发改局", "各镇街"):
            page.click(f".unit-name[data-name='{name}']")
        expect(page.locator("#lead_units")).to_have_value("区营商局")
        expect(page.locator("#participating_units")).to_have_value("区科技局、区发改局、各镇街等")
        # The filter narrows the list of names.
        page.fill("#unit-filter", "发改")
        expect(page.locator(".unit-name[data-name='区科技局']")).to_be_hidden()
        page.click("button.primary[type=submit]")
        expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.id}#activity-\d+"))
        expect(page.locator(".activity-facts")).to_contain_text("区科技局、区发改局、各镇街等")

        # The list retyped as the office writes it, one 区 for the list: printed so, and shown so when edited again.
        activity_id = db.session.scalar(sa.select(Activity.id))
        edit = f"{server}/campaigns/{campaign.id}/activities/{activity_id}/edit"
        page.goto(edit)
        expect(page.locator("#participating_units")).to_have_value("区科技局、区发改局、各镇街等")
        page.fill("#participating_units", "区科技局、发改局、各镇街等")
        page.click("button.primary[type=submit]")
        expect(page.locator(".activity-facts")).to_contain_text("区科技局、发改局、各镇街等")
        page.goto(edit)
        expect(page.locator("#participating_units")).to_have_value("区科技局、发改局、各镇街等")
        assert errors == []

    db.session.expire_all()
    activity = db.session.scalar(sa.select(Activity))
    assert activity.role_text("participating") == "区科技局、发改局、各镇街等"
    assert [link.label for link in activity.links_in_role("participating")] == ["区科技局", "区发改局", "各镇街"]
