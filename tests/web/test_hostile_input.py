"""Hostile input, driven by Hypothesis: every route that changes something, sent what no form would send.

Every non-GET route of the app (read from the url_map, so new routes are covered as they appear) gets random and
hostile values — very long strings, control characters, NUL, lone surrogates, emoji, bidirectional overrides, SQL
and HTML fragments, wrong types, huge and negative numbers, missing fields, malformed JSON, wrong content types —
as the role that may use it, with real object ids and a valid CSRF token. The fields come from the forms the app's
own pages show (crawled once), so each route gets the names it reads. After every request: no 5xx, and nothing
malformed in the database (no invisible control characters, no text longer than its column, no integer beyond
the column's range).

What hostile input, once stored, turns into on the way out is in test_escaping.py.
"""

import io
import json
import os
import uuid
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from campaign import create_app
from campaign.booths.models import Booth
from campaign.web.extensions import db
from campaign.web.security import UNSAFE_CHARACTERS
from tests.factory import PASSWORD
from tests.web.routes import NOT_PAGES, access_of, fill_url, sign_in

# Per route: a few, so that the file stays within minutes; HOSTILE_EXAMPLES=200 for a deeper run by hand.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "8"))

NASTY = [
    "", " ", "\x00", "a\x00b", "\x01\x02\x07\x1b[31m红\x7f", "\u202e倒序\u202c", "\u2066隔离\u2069", "\u200f\u200e",
    "😀" * 40, "👩‍👩‍👧‍👦", "𠮷𪚥", "' OR 1=1 --", "'); DROP TABLE units; --", "\" OR \"\"=\"",
    '"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "{{7*7}}", "{% raw %}", "${7*7}",
    "%(name)s %s %n", "../../../../etc/passwd", "\r\n\r\nSet-Cookie: x=y", "-1", "0", "-0", "00",
    "-99999999999999999999", "99999999999999999999999999", "1e309", "NaN", "Infinity", "1.5", "０１２", "true",
    "null", "[]", "{}", "2025-02-30", "9999-12-31T23:59:59", "0000-00-00", "13812341234", "javascript:alert(1)",
    "=HYPERLINK(\"http://x\")", "\t\n\r", "  两头空格  ",
]
LONG = st.builds(lambda chunk, n: chunk * n, st.sampled_from(["a", "中", "😀", "<", "9", "\x00"]),
                 st.integers(min_value=300, max_value=70_000))
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=80), LONG)
JSON_SCALAR = st.one_of(
    TEXT, st.just("\ud800"), st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30), st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                          max_leaves=6)
RAW_BODIES = [b"", b"{", b"[1, 2]", b'"text"', b"null", b"NaN", b'{"quantity": NaN}', b'{"a": 1e999}',
              b"\xff\xfe\x00\x00", b"\x00" * 100, b"[" * 100_000 + b"]" * 100_000, b"uuid=1&kind=2"]
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded",
                 "application/json; charset=latin-1", "multipart/form-data; boundary=xyz", "application/xml"]
FILE_BODIES = [b"", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
               b"<html><script>alert(1)</script></html>", b"\xff\xd8\xff\xe0" + b"\x00" * 50, b"GIF89a" + b"\x00" * 30]
FILE_NAMES = ["photo.jpg", "a\x00.jpg", "../../x.jpg", "😀.heic", "x" * 500 + ".png", "", "photo.svg"]


def _non_get_routes():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}):
            for who in _roles(rule.endpoint):
                routes.append(pytest.param(rule.rule, rule.endpoint, method, who, id=f"{who} {method} {rule.rule}"))
    return routes


def _roles(endpoint: str) -> list[str]:
    """Who sends: the role the route is meant for (both signed-in roles where both may use it)."""
    access = access_of(endpoint)
    return {"organizer": ["organizer"], "published": ["organizer"], "unit": ["unit"], "login": ["unit", "organizer"],
            "token": ["staff"], "public": ["anonymous"]}[access]


# The forms the app shows ------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form method=post> of a page: its action and its fields, with the values the page offers."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.forms.append({"action": urlsplit(action).path, "fields": {}, "files": set()})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            if (attrs.get("type") or "").lower() == "file":
                self.forms[-1]["files"].add(name)
            else:
                fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            fields[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


# endpoint → {field name: values its forms offer}, and the file fields; crawled once, by the first test.
FORMS: dict[str, dict] = {}


def _crawl(app, world, organizer, unit_contact) -> None:
    adapter = app.url_map.bind("localhost")
    pages = [rule for rule in app.url_map.iter_rules()
             if "GET" in (rule.methods or ()) and rule.endpoint != "static" and not NOT_PAGES.search(rule.rule)]
    booth = db.session.get(Booth, world["booth_id"])
    for who in ("organizer", "unit", "staff"):
        client = app.test_client()
        sign_in(client, who, organizer, unit_contact, booth)
        for rule in pages:
            url = fill_url(rule.rule, world)
            response = client.get(url)
            assert response.status_code < 500, f"{who} GET {url} → {response.status_code}"
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = _Forms(url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                try:
                    endpoint, _args = adapter.match(form["action"], method="POST")
                except HTTPException:
                    continue
                known = FORMS.setdefault(endpoint, {"fields": {}, "files": set()})
                for name, values in form["fields"].items():
                    known["fields"].setdefault(name, set()).update(values)
                known["files"] |= form["files"]


# What must never be stored ----------------------------------------------------------------------------------


def _malformed_rows() -> list[str]:
    problems = []

    def check_text(where: str, value: str, limit: int | None):
        if UNSAFE_CHARACTERS.search(value):
            problems.append(f"{where}: invisible control characters in {value[:60]!r}")
        if limit is not None and len(value) > limit:
            problems.append(f"{where}: {len(value)} characters in a column of {limit}")

    def walk(where: str, value):
        if isinstance(value, str):
            check_text(where, value, None)
        elif isinstance(value, list):
            for item in value:
                walk(where, item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(where, key)
                walk(where, item)

    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column in table.columns:
                value, where = row[column.name], f"{table.name}.{column.name}"
                if isinstance(value, str):
                    check_text(where, value, getattr(column.type, "length", None))
                elif isinstance(column.type, sa.JSON):
                    walk(where, value)
                elif isinstance(value, int) and not isinstance(value, bool) and isinstance(column.type, sa.Integer):
                    limit = 2**63 if isinstance(column.type, sa.BigInteger) else 2**31
                    if not -limit <= value < limit:
                        problems.append(f"{where}: {value} beyond the column's range")
    db.session.rollback()
    return problems


# The test of every route -------------------------------------------------------------------------------------


def _form_values(fields: dict) -> st.SearchStrategy:
    """Each known field: left out, one of the values the page offers, or something hostile; plus stray fields."""
    def field(name, offered):
        valid = sorted(offered - {""}) or [""]
        if "uuid" in name:
            valid.append(str(uuid.uuid4()))
        return st.one_of(st.none(), st.sampled_from(valid), TEXT, st.lists(TEXT, min_size=2, max_size=3))

    known = st.fixed_dictionaries({name: field(name, offered) for name, offered in fields.items()})
    stray = st.dictionaries(st.sampled_from(["id", "campaign_id", "unit_id", "status", "next", "role", "x"]) | TEXT,
                            TEXT, max_size=2)
    return st.tuples(known, stray)


def _json_body(fields: dict) -> st.SearchStrategy:
    names = sorted(fields) or ["uuid", "kind", "topic", "question", "material", "quantity", "order", "consent"]
    body = st.dictionaries(st.sampled_from(names) | TEXT, JSON_VALUE, max_size=len(names) + 2)
    encoded = st.one_of(
        body.map(lambda value: json.dumps(value).encode()),
        JSON_VALUE.map(lambda value: json.dumps(value).encode()),
        st.sampled_from(RAW_BODIES),
        st.binary(max_size=200),
    )
    return st.tuples(encoded, st.sampled_from(CONTENT_TYPES))


@pytest.mark.parametrize(("rule", "endpoint", "method", "who"), _non_get_routes())
def test_route_survives_hostile_input(rule, endpoint, method, who, app, client, world, organizer, unit_contact):
    if not FORMS:
        _crawl(app, world, organizer, unit_contact)
    booth = db.session.get(Booth, world["booth_id"])
    sign_in(client, who, organizer, unit_contact, booth)
    url = fill_url(rule, world)
    known = FORMS.get(endpoint, {"fields": {}, "files": set()})
    fields = {name: values for name, values in known["fields"].items() if name != "csrf_token"}
    csrf_token = client.csrf_token()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def send_hostile(data):
        if data.draw(st.booleans(), label="as JSON"):
            body, content_type = data.draw(_json_body(fields), label="JSON body")
            response = client.open(url, method=method, data=body, content_type=content_type,
                                   headers={"X-CSRFToken": csrf_token, "Accept": "application/json"})
        else:
            values, stray = data.draw(_form_values(fields), label="form")
            form = MultiDict([("csrf_token", csrf_token)])
            for name, value in {**stray, **values}.items():
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and name != "csrf_token":
                        form.add(name, item)
            for name in sorted(known["files"]):
                for body in data.draw(st.lists(st.sampled_from(FILE_BODIES), max_size=2), label=name):
                    form.add(name, (io.BytesIO(body), data.draw(st.sampled_from(FILE_NAMES), label="file name")))
            response = client.open(url, method=method, data=form)
        assert response.status_code < 500, f"{who} {method} {url} → {response.status_code}"
        assert _malformed_rows() == [], f"{who} {method} {url}"

    send_hostile()


def test_the_forms_of_the_pages_were_found(app, client, world, organizer, unit_contact):
    """The crawl must find the forms, or the test above would send only stray fields."""
    FORMS.clear()
    _crawl(app, world, organizer, unit_contact)
    assert {"units.new", "plan.campaigns.edit", "plan.activities.venues", "booths.staff.add_consultation", "booths.followups.show"} <= set(FORMS)
    assert {"name", "csrf_token"} <= set(FORMS["units.new"]["fields"])
    assert {"kind", "topic", "question", "uuid"} <= set(FORMS["booths.staff.add_consultation"]["fields"])


def test_unsafe_characters_in_a_path_find_nothing(client, world):
    for path in (f"/b/{world['token']}%00", "/b/%00", f"/p/{world['public_token']}%1b", "/b/\u202e"):
        assert client.get(path).status_code == 404


def test_ids_beyond_the_databases_integers_find_nothing(app, organizer_client, world):
    huge = {name: (10**20 if name.endswith("_id") else value) for name, value in world.items()}
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule and "GET" in (rule.methods or ()):
            response = organizer_client.get(fill_url(rule.rule, huge))
            assert response.status_code == 404, rule.rule
            checked += 1
    assert checked >= 30


# Issue 19 point 1: the attack's own cases, against the staff JSON API and the sign-in's next= ------------------

HOSTILE_TIMES = ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1970-01-01T08:00:00+08:00", "2100-05-15T09:00:00",
                 "2025-05-15T25:61:00", "not a time", "", 0, -1, 10**30, 1.5e308, True, [], {}, None]


@pytest.mark.parametrize("recorded_at", HOSTILE_TIMES, ids=[repr(value)[:30] for value in HOSTILE_TIMES])
def test_the_staff_api_answers_a_hostile_time_in_json_with_a_final_status(client, world, organizer, unit_contact,
                                                                          recorded_at):
    """Once "0001-01-01" overflowed into an HTML 500 that the phone's queue retried forever at its head. A JSON
    client always gets JSON; a refusal is a 4xx the phone treats as final; nothing malformed is stored."""
    booth = db.session.get(Booth, world["booth_id"])
    sign_in(client, "staff", organizer, unit_contact, booth)
    for path, body in (
        ("consultations", {"kind": "政策咨询", "topic": "医疗保障", "question": "", "asker_type": "群众",
                           "handling": "当场解答", "satisfaction": ""}),
        ("handouts", {"material": "宣传单", "quantity": 1}),
    ):
        response = client.post(f"/b/{world['token']}/api/{path}", json={**body, "uuid": str(uuid.uuid4()),
                                                                        "recorded_at": recorded_at})
        assert response.status_code < 500 and response.is_json, (path, recorded_at, response.status_code)
        # Refused for its time and nothing else, or taken (no time: now; a time inside the period).
        errors = response.get_json().get("errors") or {}
        assert response.status_code in (200, 201) or set(errors) == {"recorded_at"}, (path, recorded_at, errors)
    assert _malformed_rows() == []


@pytest.mark.parametrize("target", ["/%0A/x", "/%09/evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example/", "/%2F%2Fevil.example", "javascript:alert(1)"])
def test_sign_in_with_a_hostile_next_stays_on_the_site(client, organizer, target):
    response = client.submit(f"/auth/login?next={target}", {"username": organizer.username, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
