import pytest

from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.factory import PASSWORD


def test_login_and_logout(client, organizer):
    log_in(client, organizer)
    assert client.get("/").status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "测试用户" in page
    assert client.submit("/auth/logout").status_code == 302
    assert client.get("/campaigns/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, organizer):
    response = client.submit("/auth/login", {"username": organizer.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/campaigns/").status_code == 302


def test_deactivated_user_cannot_log_in(client, organizer):
    organizer.active = False
    db.session.commit()
    response = client.submit("/auth/login", {"username": organizer.username, "password": PASSWORD})
    assert response.status_code == 200
    # The same answer as a wrong password: nobody learns that the account exists.
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert "/auth/login" in client.get("/campaigns/").headers["Location"]


def test_post_without_csrf_token_is_refused(client, organizer):
    response = client.post("/auth/login", data={"username": organizer.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    assert client.get("/campaigns/").status_code == 302


def test_login_is_throttled(app, client, organizer):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    codes = [
        client.submit("/auth/login", {"username": organizer.username, "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


def test_change_password(client, organizer):
    log_in(client, organizer)
    bad = client.submit(
        "/auth/password", {"current_password": "wrong", "new_password": "new-pass-123", "confirm": "new-pass-123"}
    )
    assert "当前密码不正确" in bad.get_data(as_text=True)
    good = client.submit(
        "/auth/password", {"current_password": PASSWORD, "new_password": "new-pass-123", "confirm": "new-pass-123"}
    )
    assert good.status_code == 302
    db.session.refresh(organizer)
    assert organizer.check_password("new-pass-123")
    assert db.session.query(AuditEvent).filter_by(action="password_changed").count() == 1


def test_language_switch(client, organizer):
    log_in(client, organizer)
    client.submit("/language", {"lang": "en", "next": "/auth/password"})
    page = client.get("/auth/password").get_data(as_text=True)
    assert '<html lang="en">' in page


HOSTILE_NEXT = [
    "//evil.example", "/%09/evil.example", "/%0A/x", "/%0D%0ALocation:%20http://evil.example", "/\\evil.example",
    "/%5Cevil.example", "https://evil.example/", "javascript:alert(1)", "/%20/evil.example", "%2F%2Fevil.example",
    "/%7F/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_anyone_off_the_site(client, organizer, target):
    """Browsers drop tabs and newlines from a URL and read a backslash as a slash: each of these would be a
    redirect to another host (or a 500 for a newline in the header) after a successful sign-in."""
    response = client.submit(f"/auth/login?next={target}", {"username": organizer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_sends_anyone_off_the_site(client, target):
    from urllib.parse import unquote

    response = client.submit("/language", {"lang": "en", "next": unquote(target)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_local_next_is_kept(client, organizer):
    response = client.submit("/auth/login?next=/campaigns/%3Fyear%3D2025",
                             {"username": organizer.username, "password": PASSWORD})
    assert response.headers["Location"] == "/campaigns/?year=2025"
