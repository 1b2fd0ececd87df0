"""The one password rule: at least 10 characters, not the login, not a common password — wherever a password is
set (the link page, the password change, the command line, the demo)."""

import pytest

from campaign.auth.passwords import MIN_LENGTH, common_passwords, password_problem
from campaign.demo.data import ACTIVE_CONTACT_PASSWORD, USERS
from campaign.web.extensions import db
from tests.auth.helpers import invited, set_password_by_link
from tests.conftest import log_in
from tests.factory import PASSWORD


def test_the_list_of_common_passwords_is_the_shipped_one():
    passwords = common_passwords()
    assert len(passwords) > 19000
    assert {"password123", "1234567890", "qwertyuiop", "woaini1314", "1qaz2wsx3edc"} <= passwords


@pytest.mark.parametrize(("password", "login", "refused"), [
    ("a" * (MIN_LENGTH - 1), "", "至少 10 位"),
    ("1234567890", "", "常见密码"),
    ("Password123", "", "常见密码"),  # compared as lower case
    ("jiaoyu-zhang", "Jiaoyu-Zhang", "登录名相同"),
    ("x" * 129, "", "不能超过"),
])
def test_a_password_that_breaks_the_rule_is_refused_with_the_reason(app, password, login, refused):
    assert refused in str(password_problem(password, login))


@pytest.mark.parametrize("password", [PASSWORD, ACTIVE_CONTACT_PASSWORD, *[user[1] for user in USERS], "a" * MIN_LENGTH + "7"])
def test_the_demo_and_test_passwords_keep_the_rule(app, password):
    assert password_problem(password, "someone") is None


def test_the_link_page_refuses_a_bad_password_in_place_and_saves_nothing(client, factory):
    user, token = invited(factory, username="zhangsan-2025")
    for password, message in (("short-1", "至少 10 位"), ("password123", "常见密码"), ("ZhangSan-2025", "登录名相同")):
        page = set_password_by_link(client, token, password).get_data(as_text=True)
        assert message in page
    page = set_password_by_link(client, token, "long-enough-pw", confirm="long-enough-px").get_data(as_text=True)
    assert "两次输入的密码不一致" in page
    db.session.refresh(user)
    assert not user.has_password
    # The link is still good: nothing was spent by the refused tries.
    assert set_password_by_link(client, token).status_code == 302


def test_the_password_change_refuses_a_common_password(client, organizer):
    log_in(client, organizer)
    page = client.submit("/auth/password", {
        "current_password": PASSWORD, "new_password": "iloveyou123", "confirm": "iloveyou123",
    }).get_data(as_text=True)
    assert "常见密码" in page
    db.session.refresh(organizer)
    assert organizer.check_password(PASSWORD)
