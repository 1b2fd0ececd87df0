"""Sign-in throttling per account: failures counted across addresses; after 10 in 15 minutes that account's password
sign-in pauses for 15 minutes with a clear message, organizers see it, and a one-time link still lets the owner in."""

from datetime import timedelta

import sqlalchemy as sa

from campaign.auth import throttle
from campaign.auth.links import issue_link
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from tests.auth.helpers import set_password_by_link
from tests.conftest import log_in
from tests.factory import PASSWORD


def _try(app, username: str, password: str, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.submit("/auth/login", {"username": username, "password": password})


def _fail_ten_times(app, username: str) -> list:
    return [_try(app, username, f"wrong-guess-{n}", f"203.0.113.{n}") for n in range(1, 11)]


def test_ten_failures_from_ten_addresses_pause_that_account_and_not_another(app, organizer, unit_contact):
    answers = _fail_ten_times(app, unit_contact.username)
    assert all(answer.status_code == 200 for answer in answers)
    assert "用户名或密码错误" in answers[8].get_data(as_text=True)
    assert "密码登录已暂停至" in answers[9].get_data(as_text=True)

    # The right password, from yet another address, is refused while the pause lasts.
    refused = _try(app, unit_contact.username, PASSWORD, "198.51.100.7")
    assert refused.status_code == 200 and "密码登录已暂停至" in refused.get_data(as_text=True)
    # Another account signs in normally, from one of the same addresses.
    assert _try(app, organizer.username, PASSWORD, "203.0.113.1").status_code == 302

    paused = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_paused"))
    assert (paused.object_id, paused.detail["failures"], paused.detail["addresses"]) == (unit_contact.id, 10, 10)


def test_organizers_see_the_pause_and_it_ends_on_time(app, organizer, unit_contact):
    _fail_ten_times(app, unit_contact.username)
    # Attempts during the pause are logged but do not extend it.
    for n in range(5):
        _try(app, unit_contact.username, "still-guessing", f"192.0.2.{n}")
    organizer_client = log_in(app.test_client(), organizer)
    listing = organizer_client.get("/accounts/").get_data(as_text=True)
    assert "1 个账号因连续登录失败" in listing and "登录已暂停" in listing
    account = organizer_client.get(f"/accounts/{unit_contact.id}").get_data(as_text=True)
    assert "一次性登录链接仍可使用" in account
    assert "15 分钟内登录失败 10 次（来自 10 个地址）" in account
    assert account.count("暂停期间有人尝试以") == 5

    db.session.refresh(unit_contact)
    assert unit_contact.login_paused_until - utcnow() <= timedelta(minutes=15)
    # Fifteen minutes later (moved back rather than waited for): the owner signs in; the old failures, which
    # caused the pause, do not count towards another.
    unit_contact.login_paused_until = utcnow() - timedelta(seconds=1)
    for event in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_failed")):
        event.at = event.at - timedelta(minutes=15)
    db.session.commit()
    assert _try(app, unit_contact.username, "one-more-typo", "203.0.113.1").status_code == 200
    assert _try(app, unit_contact.username, PASSWORD, "203.0.113.1").status_code == 302


def test_a_one_time_link_lets_the_owner_in_during_a_pause_and_ends_it(app, organizer, unit_contact):
    _fail_ten_times(app, unit_contact.username)
    token = issue_link(organizer, unit_contact).token
    db.session.commit()
    assert set_password_by_link(app.test_client(), token).status_code == 302
    db.session.refresh(unit_contact)
    assert not unit_contact.login_paused()


def test_an_organizer_lifts_a_pause(app, organizer, unit_contact):
    _fail_ten_times(app, unit_contact.username)
    organizer_client = log_in(app.test_client(), organizer)
    organizer_client.submit(f"/accounts/{unit_contact.id}/unpause")
    assert _try(app, unit_contact.username, PASSWORD, "198.51.100.9").status_code == 302


def test_a_login_that_is_no_account_answers_as_an_account_would_pause_included(app, organizer, unit_contact):
    """Otherwise the eleventh try would tell a stranger which logins exist."""
    stranger = "䶮-nobody-𠮷"
    for login in (unit_contact.username, stranger):
        answers = _fail_ten_times(app, login)
        assert "用户名或密码错误" in answers[8].get_data(as_text=True), login
        assert "密码登录已暂停至" in answers[9].get_data(as_text=True), login
        for n in range(3):  # tries during the pause: the same answer, and the pause does not move
            assert "密码登录已暂停至" in _try(app, login, "guess", f"192.0.2.{n}").get_data(as_text=True), login
    until = throttle.unknown_login_paused_until(stranger)
    assert until is not None and until - utcnow() <= timedelta(minutes=15)
    assert throttle.unknown_login_paused_until("another-nobody") is None
    # Another account signs in normally meanwhile.
    assert _try(app, organizer.username, PASSWORD, "203.0.113.1").status_code == 302

    # Half an hour later (moved back rather than waited for) the name answers as a wrong password again.
    for event in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id.is_(None))):
        event.at = event.at - timedelta(minutes=30)
    db.session.commit()
    answer = _try(app, stranger, "guess", "203.0.113.1").get_data(as_text=True)
    assert "用户名或密码错误" in answer and "暂停" not in answer
