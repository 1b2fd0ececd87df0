"""Every route of the app and who may use it, the URL of a route filled with the world's ids, and signing in as
each kind of user. Shared by the tests that go over every route (authorization, pages, hostile input, escaping).

A new route fails test_authorization.py until it is classified here, so no page ships without an access rule.
"""

import re

import pytest

from campaign import create_app
from tests.conftest import log_in

# Who may use a blueprint's routes. Endpoints listed in ENDPOINT_ACCESS override their blueprint.
BLUEPRINT_ACCESS = {
    "units": "organizer",
    "units.groups": "organizer",
    "units.holidays": "organizer",  # the office's holidays and 调休 workdays
    "plan.campaigns": "organizer",
    "plan.activities": "organizer",
    "plan.importing": "organizer",
    "home": "login",
    "home.tasks": "unit",
    "plan.document": "published",
    "plan.fonts": "organizer",  # organizers always; unit contacts once the plan is issued
    "booths.manage": "organizer",
    "booths.board": "organizer",
    "booths.exports": "organizer",
    "booths.entries": "organizer",
    "booths.routes": "organizer",
    "booths.followups": "login",  # each unit contact sees its own unit's, organizers all
    "booths.staff": "token",  # the secret link is the key; the PIN is asked inside
    "booths.public": "token",
    "booths.offline": "public",  # the staff page's service worker: no secret in it
    "home.booths": "unit",
    "summaries.unit": "unit",  # a unit contact's own summary
    "summaries.review": "organizer",
    # A unit's summary as a document: organizers, and the contact of the summary's own unit (others get 403).
    "summaries.documents": "login",
    "summaries.photos": "login",  # a unit contact its own unit's photos, organizers all
    "report.district": "organizer",
    "report.checks": "organizer",  # the numbers check before an export
    "report.scorecard": "organizer",
    "report.history": "organizer",  # each unit's record over the years, across campaigns
    "reminders.schedule": "organizer",  # the campaign's automatic reminders: schedule, channels, failures
    "auth.profile": "login",  # a user's own name, phone, e-mail and password
    "auth.accounts": "organizer",
    "auth.invites": "organizer",
    "auth.link": "token",  # the one-time sign-in link: the token in the URL is the key
}
ENDPOINT_ACCESS = {
    "auth.sign_in.login": "public",
    "web.set_language": "public",
    "web.favicon": "public",
    "auth.sign_in.logout": "login",
    "home.index": "login",
    "booths.followups.reassign": "organizer",
    "booths.followups.bulk_reassign": "organizer",
    "booths.followups.export": "organizer",
    "booths.followups.export_full": "organizer",
    "static": "public",
}

# Files, not pages: no forms in them, and some take a while to render.
NOT_PAGES = re.compile(r"\.(pdf|docx|xlsx|png|svg|jpg|json)$")


def access_of(endpoint: str) -> str:
    if endpoint in ENDPOINT_ACCESS:
        return ENDPOINT_ACCESS[endpoint]
    blueprint = endpoint.rsplit(".", 1)[0]
    assert blueprint in BLUEPRINT_ACCESS, f"route {endpoint} has no access rule in {__file__}"
    return BLUEPRINT_ACCESS[blueprint]


def route_params() -> list:
    """Every (rule, endpoint, method) of the app but the static files, as pytest parameters."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(rule.rule, rule.endpoint, method, id=f"{method} {rule.rule}"))
    return rules


def fill_url(rule: str, ids: dict) -> str:
    """The rule's URL with each argument taken from ids (the world's, or others)."""
    url = rule
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        name = url[start + 1 : end].split(":")[-1]
        assert name in ids, f"no test object for URL argument {name!r} in {rule}"
        url = url[:start] + str(ids[name]) + url[end + 1 :]
    return url


def sign_in(client, who: str, organizer, unit_contact, booth) -> None:
    """The client signed in as the organizer, the unit contact, or the booth's staff (its link and PIN)."""
    if who == "organizer":
        log_in(client, organizer)
    elif who == "unit":
        log_in(client, unit_contact)
    elif who == "staff":
        page = client.get(f"/b/{booth.staff_token}").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post(f"/b/{booth.staff_token}/pin", data={"pin": booth.pin, "csrf_token": token})
