"""Every route × anonymous / unit contact / organizer → the expected status.

A new route fails this test until it is classified in routes.py, so no page ships without an access rule.
"""


import pytest

from campaign import create_app
from tests.conftest import log_in
from tests.web.routes import BLUEPRINT_ACCESS, access_of, fill_url, route_params

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
    "auth.sign_in.login": (200, 302, 302),
    "home.index": (302, 302, 302),
}


@pytest.mark.parametrize(("rule", "endpoint", "method"), route_params())
@pytest.mark.parametrize("who", ["anonymous", "unit", "organizer"])
def test_route_access(rule, endpoint, method, who, client, world, organizer, unit_contact):
    access = access_of(endpoint)
    if who == "organizer":
        log_in(client, organizer)
    elif who == "unit":
        log_in(client, unit_contact)
    url = fill_url(rule, world)
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


def test_each_blueprint_declares_the_rule_this_matrix_expects():
    """The rule a blueprint.py declares is the one the matrix above checks by requests ("published" is a signed-in
    rule whose views add the plan's state); a module's own blueprint only holds its children and declares none."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    declared = {name: getattr(blueprint, "access_rule", None) for name, blueprint in app.blueprints.items()}
    expected = {name: "login" if rule == "published" else rule for name, rule in BLUEPRINT_ACCESS.items()}
    for name, rule in declared.items():
        if rule is None:
            assert any(other.startswith(f"{name}.") for other in declared), f"{name} declares no access rule"
        elif name in expected:
            assert rule == expected[name], name
    assert set(expected) <= set(declared)
