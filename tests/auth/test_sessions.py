"""Sessions the server can end: logout ends that session for good; a password change or reset, deactivation or
"sign out everywhere" ends every session of the user at once."""

import sqlalchemy as sa

from campaign.auth.models import UserSession
from campaign.web.extensions import db
from tests.auth.helpers import batch_of
from tests.conftest import log_in
from tests.factory import PASSWORD


def _copy_cookie(app, source, target) -> None:
    name = app.config["SESSION_COOKIE_NAME"]
    target.set_cookie(name, source.get_cookie(name).value)


def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, organizer):
    log_in(client, organizer)
    thief = app.test_client()
    _copy_cookie(app, client, thief)
    assert thief.get("/campaigns/").status_code == 200
    assert client.submit("/auth/logout").status_code == 302
    response = thief.get("/campaigns/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_session_key_is_stored_only_as_a_hash(app, client, organizer):
    log_in(client, organizer)
    serializer = app.session_interface.get_signing_serializer(app)
    key = serializer.loads(client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)["session_key"]
    hashes = db.session.scalars(sa.select(UserSession.key_hash)).all()
    assert len(key) >= 43 and key not in hashes and len(hashes) == 1


def test_deactivation_ends_a_live_session(app, client, organizer, unit_contact):
    contact = log_in(app.test_client(), unit_contact)
    assert contact.get("/tasks/").status_code == 200
    log_in(client, organizer)
    client.submit(f"/accounts/{unit_contact.id}/active", {"active": "0"})
    response = contact.get("/tasks/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    # Reactivated: the old session stays ended; the password works again.
    client.submit(f"/accounts/{unit_contact.id}/active", {"active": "1"})
    assert contact.get("/tasks/").status_code == 302
    assert log_in(app.test_client(), unit_contact).get("/tasks/").status_code == 200


def test_sign_out_everywhere(app, client, organizer, unit_contact):
    phone, desktop = log_in(app.test_client(), unit_contact), log_in(app.test_client(), unit_contact)
    log_in(client, organizer)
    page = client.submit(f"/accounts/{unit_contact.id}/sign-out", follow_redirects=True).get_data(as_text=True)
    assert "所有设备上退出登录（2 处）" in page
    assert phone.get("/tasks/").status_code == 302 and desktop.get("/tasks/").status_code == 302
    # The organizer's own session is another user's: untouched.
    assert client.get("/accounts/").status_code == 200


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, unit_contact):
    other = log_in(app.test_client(), unit_contact)
    log_in(client, unit_contact)
    response = client.submit("/auth/password", {
        "current_password": PASSWORD, "new_password": "fresh-river-2025", "confirm": "fresh-river-2025",
    })
    assert response.status_code == 302
    assert client.get("/tasks/").status_code == 200
    assert other.get("/tasks/").status_code == 302


def test_a_reset_voids_the_old_password_and_the_old_sessions(app, client, organizer, unit_contact):
    contact = log_in(app.test_client(), unit_contact)
    log_in(client, organizer)
    page = client.get(f"/accounts/{unit_contact.id}").get_data(as_text=True)
    sheet = client.submit(f"/accounts/{unit_contact.id}/link", {"batch": batch_of(page)})
    assert sheet.status_code == 200 and "/auth/link/" in sheet.get_data(as_text=True)
    assert sheet.headers["Cache-Control"] == "no-store"
    assert contact.get("/tasks/").status_code == 302
    refused = app.test_client().submit("/auth/login", {"username": unit_contact.username, "password": PASSWORD})
    assert refused.status_code == 200 and "用户名或密码错误" in refused.get_data(as_text=True)
