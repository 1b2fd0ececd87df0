"""Every page, as every user who may see it: nothing fetched from outside, every input labelled."""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import log_in
from tests.test_authorization import _access, _rules, _url, database_template, world, world_database  # noqa: F401 (fixtures)


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external = []
        self.inputs = []  # (id, aria-label, inside a <label>)
        self.label_for = set()
        self.label_depth = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action"):
            value = attrs.get(name) or ""
            if value.startswith(("http://", "https://", "//")):
                self.external.append(value)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") in ("hidden", "submit", "button") or "hidden" in attrs:
                return
            if attrs.get("tabindex") == "-1" and attrs.get("autocomplete") == "off":
                return  # a honeypot field, hidden from people on purpose
            self.inputs.append((attrs.get("id"), attrs.get("aria-label"), self.label_depth > 0, attrs.get("name")))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self):
        return [
            name
            for id_, aria, wrapped, name in self.inputs
            if not (wrapped or aria or (id_ and id_ in self.label_for))
        ]


def _get_rules():
    return [rule for rule in _rules() if rule.values[2] == "GET"]


@pytest.mark.parametrize(("rule", "endpoint", "method"), _get_rules())
def test_page_is_self_contained_and_labelled(rule, endpoint, method, client, world, organizer, unit_contact):  # noqa: F811
    access = _access(endpoint)
    user = unit_contact if access == "unit" else organizer
    if access != "public":
        log_in(client, user)
    response = client.get(_url(rule, world))
    if response.status_code != 200 or response.mimetype != "text/html":
        pytest.skip(f"{rule} answers {response.status_code} {response.mimetype}")
    audit = PageAudit()
    audit.feed(response.get_data(as_text=True))
    assert audit.html_lang in ("zh-CN", "en")
    assert audit.external == [], f"{rule} loads from outside: {audit.external}"
    assert audit.unlabelled() == [], f"{rule} has inputs without a label: {audit.unlabelled()}"


def test_pages_link_a_local_icon(client):
    """Linked from base.html, so that browsers ask for it instead of /favicon.ico (a 404 in every console)."""
    page = client.get("/auth/login").get_data(as_text=True)
    match = re.search(r'<link rel="icon" type="image/svg\+xml" href="(/static/[^"]+\.svg)">', page)
    assert match, "base.html links no icon"
    icon = client.get(match.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data and b"<script" not in icon.data


def test_favicon_ico_answers_for_the_pages_that_link_no_icon(client):
    # The phone pages name no icon (one request fewer on a weak network); browsers then ask for /favicon.ico.
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert icon.headers["Cache-Control"] == "public, max-age=604800"
