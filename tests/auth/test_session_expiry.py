"""A login lasts SESSION_HOURS (default 12): the server refuses an older session cookie, whatever the browser kept."""

import time

import itsdangerous
import pytest

from campaign import create_app
from tests.conftest import log_in


def _aged_session_cookie(app, client, hours: float) -> str:
    """The client's own session, signed again as if it had been written `hours` ago."""
    serializer = app.session_interface.get_signing_serializer(app)
    payload = serializer.loads(client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)
    signed_at = int(time.time() - hours * 3600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: signed_at)
        return serializer.dumps(payload)


@pytest.mark.parametrize(("hours", "still_signed_in"), [(11.5, True), (12.5, False)])
def test_a_session_older_than_the_lifetime_is_refused(app, client, organizer, hours, still_signed_in):
    log_in(client, organizer)
    assert client.get("/auth/password").status_code == 200

    client.set_cookie(app.config["SESSION_COOKIE_NAME"], _aged_session_cookie(app, client, hours))
    response = client.get("/auth/password")
    if still_signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_lifetime_is_configured_in_hours(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_HOURS", "2")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    assert app.permanent_session_lifetime.total_seconds() == 2 * 3600
    monkeypatch.delenv("SESSION_HOURS")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
