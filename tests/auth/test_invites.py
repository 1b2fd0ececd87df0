"""Inviting units' contacts in bulk: one account per unit from the unit list, one link each, shown once."""

import re

import pytest
import sqlalchemy as sa

from campaign.auth.models import SignInLink, User
from campaign.web.extensions import db
from tests.auth.helpers import batch_of, invited, set_password_by_link

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"


def _units(factory, n: int):
    return [factory.unit(f"江滨区第{i}局", short_name=f"区第{i}局", contact_person=f"{SURNAMES[i % len(SURNAMES)]}晓{i}",
                         contact_phone=f"138000{i:05d}", contact_email=f"unit{i}@jiangbin.example")
            for i in range(1, n + 1)]


def _invite(client, data: dict | None = None):
    page = client.get("/accounts/invite/").get_data(as_text=True)
    return client.submit("/accounts/invite/", {"batch": batch_of(page), "scope": "without", **(data or {})})


@pytest.mark.slow  # 36 passwords hashed with scrypt, as the app hashes them
def test_inviting_36_units_makes_36_accounts_and_a_sheet_of_36_links_each_usable_once(app, organizer_client, factory):
    units = _units(factory, 36)
    response = _invite(organizer_client)
    assert response.status_code == 200
    sheet = response.get_data(as_text=True)
    links = re.findall(r'<a href="(http://localhost/auth/link/[A-Za-z0-9_-]{43})">', sheet)
    assert len(links) == 36 == len(set(links))
    assert sheet.count('class="sheet-qr"') == 36
    # The text for the WeChat group: one block per unit, with the link.
    wechat = re.search(r'<textarea[^>]*id="wechat-text"[^>]*>(.*?)</textarea>', sheet, re.S).group(1)
    assert wechat.count("【") == 36 and all(link in wechat for link in links)

    contacts = db.session.scalars(sa.select(User).where(User.role == "unit")).all()
    assert len(contacts) == 36
    by_unit = {user.unit_id: user for user in contacts}
    first = by_unit[units[0].id]
    assert (first.display_name, first.phone, first.email) == ("李晓1", "13800000001", "unit1@jiangbin.example")
    assert first.username == "di1ju" and not first.has_password

    for link in links:
        path = link.removeprefix("http://localhost")
        token = path.rsplit("/", 1)[1]
        browser = app.test_client()
        assert set_password_by_link(browser, token).status_code == 302, path
        assert set_password_by_link(app.test_client(), token).status_code == 410, path
    db.session.expire_all()
    assert all(user.has_password for user in db.session.scalars(sa.select(User).where(User.role == "unit")))


def test_the_same_submission_twice_makes_no_new_links(organizer_client, factory):
    _units(factory, 3)
    page = organizer_client.get("/accounts/invite/").get_data(as_text=True)
    batch = batch_of(page)
    assert organizer_client.submit("/accounts/invite/", {"batch": batch, "scope": "without"}).status_code == 200
    again = organizer_client.submit("/accounts/invite/", {"batch": batch, "scope": "without"})
    assert again.status_code == 409 and "只显示一次" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SignInLink.id))) == 3


def test_ticked_units_re_invite_contacts_not_yet_signed_in_and_skip_the_others(app, organizer_client, factory,
                                                                               unit_contact):
    waiting_unit, fresh_unit = _units(factory, 2)
    waiting, old_token = invited(factory, unit=waiting_unit)
    response = _invite(organizer_client, {"scope": "ticked",
                                          "unit": [str(waiting_unit.id), str(fresh_unit.id), str(unit_contact.unit_id)]})
    sheet = response.get_data(as_text=True)
    assert sheet.count('class="sheet-qr"') == 2
    assert "联络员已登录过" in sheet and unit_contact.unit.label in sheet
    # The waiting contact's old link is void, its new one works.
    assert app.test_client().get(f"/auth/link/{old_token}").status_code == 410
    assert waiting.username in sheet
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.unit_id == unit_contact.unit_id)) == 1


def test_nothing_to_invite_is_said_plainly(organizer_client, unit_contact):
    response = _invite(organizer_client)
    assert response.status_code == 302
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "每个单位都已有联络员账号" in page


def test_the_sheet_and_the_wechat_text_are_chinese_in_an_english_interface(organizer_client, factory):
    _units(factory, 2)
    organizer_client.submit("/language", {"lang": "en", "next": "/accounts/"})
    page = _invite(organizer_client).get_data(as_text=True)
    assert "These links are shown only this once." in page  # the interface: English
    wechat = re.search(r'<textarea[^>]*id="wechat-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert wechat.startswith("各位联络员") and wechat.count("首次登录链接：") == 2
    sheet = page[page.index('<section class="link-sheet"'):]
    assert "首次登录链接" in sheet and sheet.count("登录名：") == 2


def test_the_app_starts_without_pypinyin_which_only_inviting_needs():
    """Its phrase dictionary is some 190,000 objects that every full garbage collection of a worker would walk."""
    import subprocess
    import sys

    code = ("import sys; from campaign import create_app; "
            "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
            "from campaign.auth.invites import login_for; print('pypinyin' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
