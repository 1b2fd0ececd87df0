"""One-time sign-in links: unguessable, stored only as a hash, usable once, expiring, voided by a newer one; an
unusable link says so plainly and tells whom to ask."""

import hashlib
from datetime import timedelta

import sqlalchemy as sa

from campaign.auth.links import issue_link
from campaign.auth.models import SignInLink
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from tests.auth.helpers import NEW_PASSWORD, invited, set_password_by_link


def _every_stored_text() -> str:
    """Every value of every row of every table, as text: where a token would be if it were stored."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            values.extend(str(value) for value in row)
    return "\n".join(values)


def test_the_token_is_unguessable_and_stored_only_as_a_hash(app, factory):
    tokens = {invited(factory)[1] for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)  # token_urlsafe(32): 256 random bits
    stored = _every_stored_text()
    for token in tokens:
        assert token not in stored
        assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_a_link_signs_in_once_and_lands_on_my_tasks(app, client, factory, organizer):
    user, token = invited(factory, actor=organizer)
    page = client.get(f"/auth/link/{token}").get_data(as_text=True)
    assert user.username in page and "设置密码" in page
    response = set_password_by_link(client, token)
    assert response.status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/tasks/"
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and user.last_login_at is not None

    # Used: for anyone else the link is spent, with the page that says so and whom to ask.
    again = app.test_client().get(f"/auth/link/{token}")
    assert again.status_code == 410
    text = again.get_data(as_text=True)
    assert "已经用过了" in text and organizer.display_name in text
    assert set_password_by_link(app.test_client(), token, "another-pass-99").status_code == 410
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(app, client, factory, organizer):
    user, token = invited(factory, actor=organizer)
    link = db.session.scalar(sa.select(SignInLink).where(SignInLink.user_id == user.id))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/auth/link/{token}")
    assert page.status_code == 410 and "已经过期" in page.get_data(as_text=True)
    assert set_password_by_link(app.test_client(), token).status_code == 410
    db.session.refresh(user)
    assert not user.has_password


def test_a_new_link_voids_the_old_one(app, client, factory):
    user, old = invited(factory)
    new = issue_link(None, user).token
    db.session.commit()
    assert "已作废" in client.get(f"/auth/link/{old}").get_data(as_text=True)
    assert set_password_by_link(client, new).status_code == 302


def test_an_unknown_link(client):
    page = client.get("/auth/link/" + "x" * 43)
    assert page.status_code == 404 and "没有找到这个链接" in page.get_data(as_text=True)


def test_a_deactivated_account_cannot_use_its_link(client, factory):
    user, token = invited(factory)
    user.active = False
    db.session.commit()
    assert client.get(f"/auth/link/{token}").status_code == 410
