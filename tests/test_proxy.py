from flask import request

from campaign import create_app

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
