import re

from flask import request

from campaign import create_app
from campaign.web.extensions import db
from tests.conftest import Client, _config
from tests.factory import PASSWORD, Factory
from tests.serverutil import drop_database, new_database

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "gk.example.gov.cn", "X-Forwarded-For": "203.0.113.9"}


def _app_seeing_its_root(tmp_path, monkeypatch, proxies: str):
    monkeypatch.setenv("TRUSTED_PROXIES", proxies)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    app.add_url_rule("/_seen", "seen", lambda: f"{request.url_root} {request.remote_addr}")
    return app


def test_behind_a_trusted_proxy_the_forwarded_host_scheme_and_address_count(tmp_path, monkeypatch):
    app = _app_seeing_its_root(tmp_path, monkeypatch, "1")
    seen = app.test_client().get("/_seen", headers=FORWARDED).get_data(as_text=True)
    assert seen == "https://gk.example.gov.cn/ 203.0.113.9"


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path, monkeypatch):
    app = _app_seeing_its_root(tmp_path, monkeypatch, "0")
    seen = app.test_client().get("/_seen", headers=FORWARDED).get_data(as_text=True)
    assert seen == "http://localhost/ 127.0.0.1"


def _login_cookie(tmp_path, migrated_database, monkeypatch, secure: str) -> str:
    """The Set-Cookie header of a sign-in made through an HTTPS proxy, with SECURE_COOKIES as given."""
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    monkeypatch.setenv("SECURE_COOKIES", secure)
    url = new_database(tmp_path, f"proxy{secure}", template=migrated_database)
    app = create_app(_config(str(tmp_path), url))
    app.test_client_class = Client
    try:
        with app.app_context():
            user = Factory().user("organizer", username="clerk")
            client = app.test_client()
            page = client.get("/auth/login", headers=FORWARDED).get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            # Over HTTPS Flask-WTF also wants a same-origin Referer, as the browser sends it (Referrer-Policy).
            headers = {**FORWARDED, "Referer": "https://gk.example.gov.cn/auth/login"}
            response = client.post("/auth/login", headers=headers,
                                   data={"username": user.username, "password": PASSWORD, "csrf_token": token})
            assert response.status_code == 302
            assert response.headers["Location"].startswith(("/", "https://gk.example.gov.cn/"))
            db.engine.dispose()
        return "; ".join(response.headers.get_all("Set-Cookie"))
    finally:
        drop_database(url)


def test_behind_https_the_session_cookie_is_secure_httponly_and_same_site(tmp_path, migrated_database, monkeypatch):
    cookie = _login_cookie(tmp_path, migrated_database, monkeypatch, "1")
    assert "session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_without_secure_cookies_the_cookie_has_no_secure_flag(tmp_path, migrated_database, monkeypatch):
    cookie = _login_cookie(tmp_path, migrated_database, monkeypatch, "")
    assert "session=" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
