"""Every route × anonymous / unit contact / organizer → the expected status.

A new route fails this test until it is classified below, so no page ships without an access rule.
"""


import pytest

from campaign import create_app
from campaign.booths.followups import ensure_follow_up
from campaign.plan.models import STATUS_ISSUED
from campaign.report.snapshots import export_snapshot
from campaign.web.extensions import db
from tests.conftest import filled_database, log_in, make_organizer, make_unit_contact
from tests.serverutil import drop_database

# Who may use a blueprint's routes. Endpoints listed in ENDPOINT_ACCESS override their blueprint.
BLUEPRINT_ACCESS = {
    "units": "organizer",
    "plan.campaigns": "organizer",
    "plan.activities": "organizer",
    "home": "login",
    "home.tasks": "unit",
    "plan.document": "published",  # organizers always; unit contacts once the plan is issued
    "booths.manage": "organizer",
    "booths.board": "organizer",
    "booths.entries": "organizer",
    "booths.followups": "login",  # each unit contact sees its own unit's, organizers all
    "booths.staff": "token",  # the secret link is the key; the PIN is asked inside
    "booths.public": "token",
    "home.booths": "unit",
    "summaries.unit": "unit",  # a unit contact's own summary
    "summaries.review": "organizer",
    # A unit's summary as a document: organizers, and the contact of the summary's own unit (others get 403).
    "summaries.documents": "login",
    "summaries.photos": "login",  # a unit contact its own unit's photos, organizers all
    "report.district": "organizer",
    "report.scorecard": "organizer",
}
ENDPOINT_ACCESS = {
    "auth.login": "public",
    "web.set_language": "public",
    "web.favicon": "public",
    "auth.logout": "login",
    "auth.change_password": "login",
    "home.index": "login",
    "booths.followups.reassign": "organizer",
    "static": "public",
}

# (anonymous, unit contact, organizer) → expected GET status; None: anything but 401/403/404/5xx.
EXPECTED_GET = {
    "public": (200, 200, 200),
    "login": (302, 200, 200),
    "organizer": (302, 403, 200),
    "unit": (302, 200, 403),
    "published": (302, 200, 200),
    "token": (None, None, None),
}


# Pages that answer with a redirect whoever asks: the login page once logged in, the home page always.
ENDPOINT_EXPECTED_GET = {
    "auth.login": (200, 302, 302),
    "home.index": (302, 302, 302),
}


def _access(endpoint: str) -> str:
    if endpoint in ENDPOINT_ACCESS:
        return ENDPOINT_ACCESS[endpoint]
    blueprint = endpoint.rsplit(".", 1)[0]
    assert blueprint in BLUEPRINT_ACCESS, f"route {endpoint} has no access rule in {__file__}"
    return BLUEPRINT_ACCESS[blueprint]


def _rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(rule.rule, rule.endpoint, method, id=f"{method} {rule.rule}"))
    return rules


def _build_world(factory) -> dict:
    """One issued campaign where the unit contact's unit leads an activity, and one of every object → their ids."""
    unit_contact = make_unit_contact(factory)
    campaign = factory.campaign(status=STATUS_ISSUED)
    group = factory.group(campaign)
    activity = factory.activity(group, units={unit_contact.unit: "lead"})
    slogan = factory.slogan(campaign, "公开是常态　不公开是例外")
    booth = factory.booth(activity, unit_contact.unit, public=True)
    consultation = factory.consultation(booth, handling="转办")
    handout = factory.handout(booth)
    follow_up = ensure_follow_up(consultation)
    summary = factory.summary(campaign, unit_contact.unit)
    photo = factory.photo(summary)
    # A real export (compile, PDF, DOCX, XLSX): its files exist, so their downloads answer as pages do.
    snapshot = export_snapshot(campaign, None)
    job = factory.report_job(campaign)
    rule = factory.score_rule(campaign)
    ids = {
        "campaign_id": campaign.id,
        "group_id": group.id,
        "activity_id": activity.id,
        "venue_id": activity.venue_id,
        "slogan_id": slogan.id,
        "unit_id": unit_contact.unit_id,
        "booth_id": booth.id,
        "token": booth.staff_token,
        "public_token": booth.public_token,
        "consultation_id": consultation.id,
        "handout_id": handout.id,
        "follow_up_id": follow_up.id,
        "summary_id": summary.id,
        "photo_id": photo.id,
        "snapshot_id": snapshot.id,
        "job_id": job.id,
        "rule_id": rule.id,
    }
    db.session.commit()
    make_organizer(factory)
    return ids


@pytest.fixture(scope="session")
def world_database(tmp_path_factory, migrated_database):
    """The world built once per test process; every test that asks for `world` gets a fresh copy of it (its
    database and its upload folder), so a request that changes the world changes only that test's copy."""
    template = filled_database(tmp_path_factory, migrated_database, "world", _build_world)
    yield template
    drop_database(template.url)


@pytest.fixture
def database_template(world_database):
    """The tests of this module (and of the modules importing `world`) start from a copy of the world."""
    return world_database


@pytest.fixture
def world(app, world_database) -> dict:
    """The ids of the world's objects (the unit contact, its unit and the organizer come with it)."""
    return dict(world_database.value)


def _url(rule: str, ids: dict) -> str:
    url = rule
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        name = url[start + 1 : end].split(":")[-1]
        assert name in ids, f"no test object for URL argument {name!r} in {rule}"
        url = url[:start] + str(ids[name]) + url[end + 1 :]
    return url


@pytest.mark.parametrize(("rule", "endpoint", "method"), _rules())
@pytest.mark.parametrize("who", ["anonymous", "unit", "organizer"])
def test_route_access(rule, endpoint, method, who, client, world, organizer, unit_contact):
    access = _access(endpoint)
    if who == "organizer":
        log_in(client, organizer)
    elif who == "unit":
        log_in(client, unit_contact)
    url = _url(rule, world)
    expected = ENDPOINT_EXPECTED_GET.get(endpoint, EXPECTED_GET[access])[("anonymous", "unit", "organizer").index(who)]

    if expected is None:
        # Token routes: the secret in the URL admits anyone; they may ask for the PIN, never fail or hide.
        response = client.get(url) if method == "GET" else client.submit(url, {})
        assert response.status_code not in (403, 404) and response.status_code < 500, f"{who} {method} {url}"
        return

    if method == "GET":
        response = client.get(url)
        assert response.status_code == expected, f"{who} GET {url}"
        if expected == 302 and who == "anonymous":
            assert "/auth/login" in response.headers["Location"]
        return

    response = client.submit(url, {})
    if expected in (302, 403) and not (expected == 302 and who != "anonymous"):
        assert response.status_code == expected, f"{who} {method} {url}"
    else:
        # Allowed: the request may be refused as invalid, but never as forbidden, and never crash.
        assert response.status_code not in (401, 403, 404) and response.status_code < 500, f"{who} {method} {url}"
