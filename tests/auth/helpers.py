"""What the accounts tests share: signing in as someone, a fresh invited account with its link, the link page's
password form."""

import re

from campaign.auth.links import issue_link
from campaign.auth.models import NO_PASSWORD
from campaign.web.extensions import db

NEW_PASSWORD = "qinghe-river-88"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def invited(factory, unit=None, username=None, actor=None, days: int = 7):
    """A unit contact who has no password yet, and the token of their one-time link."""
    user = factory.user("unit", unit=unit, username=username)
    user.password_hash = NO_PASSWORD
    token = issue_link(actor, user, days).token
    db.session.commit()
    return user, token


def set_password_by_link(client, token: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(f"/auth/link/{token}").get_data(as_text=True)
    return client.post(f"/auth/link/{token}", data={
        "csrf_token": csrf_of(page), "password": password, "confirm": password if confirm is None else confirm,
    })


def batch_of(page: str) -> str:
    return re.search(r'name="batch"[^>]*value="([0-9a-f]{32})"', page).group(1)
