"""Fixtures: a real database built by the migrations (SQLite, or PostgreSQL with TEST_DATABASE_URL), factories,
and logged-in clients."""

import hashlib
import io
import queue
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from PIL import Image
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from campaign import create_app
from campaign.auth.models import User
from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import Booth, Consultation, MaterialHandout, new_token
from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Slogan, Venue
from campaign.report.models import ReportJob, ReportSnapshot, ScoreRule
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.models import Photo, UnitSummary
from campaign.units.models import Unit
from campaign.web.extensions import db
from tests import speedups
from tests.serverutil import drop_database, new_database

speedups.install()

PASSWORD = "correct-horse-9"
# Hashed once, and with a cheap work factor: the app's own hashing (scrypt, slow on purpose) is what passwords set
# through the app get, but checking a scrypt hash costs ~0.1 s and hundreds of tests sign in. The app checks any
# werkzeug hash the same way, so signing in goes through the same code.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class Client(FlaskClient):
    """A test client that sends the CSRF token the way a browser form does.

    Each request runs in an app context of its own, as in a real server: otherwise `g` (the logged-in user,
    the locale) and the database session would leak from the test into the request and between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        page = self.get("/auth/login", follow_redirects=True).get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


def _config(instance: str, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": f"{instance}/uploads",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }


@dataclass(frozen=True)
class DatabaseTemplate:
    """What a test's database starts as: a database to copy, the upload folder that goes with it (or None), the
    Factory counter reached while filling it (so that a test's factory names never collide with its rows), and
    whatever the filling returned (ids of the rows a test needs)."""

    url: str
    uploads: Path | None = None
    counter: int = 0
    value: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """The URL of the schema built once from the migrations; each test gets a copy of it.

    A SQLite file by default; with TEST_DATABASE_URL a template database on that PostgreSQL server, which
    CREATE DATABASE … TEMPLATE copies in a few milliseconds. Under pytest-xdist each worker builds its own (the
    database names are random, the folders are the worker's).
    """
    folder = tmp_path_factory.mktemp("template")
    url = new_database(folder, "template")
    app = create_app(_config(str(folder), url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    drop_database(url)


def filled_database(tmp_path_factory, migrated_database: str, name: str, fill: Callable) -> DatabaseTemplate:
    """A copy of the migrated schema filled once by fill(factory) → a DatabaseTemplate that tests copy.

    For session-scoped fixtures: the rows (and the files in the upload folder) are built once per test process,
    and each test gets its own copy of both, as fresh as if it had built them itself. The caller drops the
    database at the end (drop_database(template.url)).
    """
    folder = tmp_path_factory.mktemp(name)
    url = new_database(folder, name, template=migrated_database)
    app = create_app(_config(str(folder), url))
    app.test_client_class = Client
    with app.app_context():
        factory = Factory()
        value = fill(factory) or {}
        db.session.commit()
        db.session.remove()
        # No connection may stay open: PostgreSQL copies a template only while nobody is connected to it.
        db.engine.dispose()
    uploads = folder / "uploads"
    return DatabaseTemplate(url, uploads if uploads.exists() else None, factory.counter, value)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory, migrated_database):
    """The demo district loaded once (a few seconds: photos, a compiled report); tests marked `loaded_demo` start
    from a copy of it."""
    from campaign.demo.load import load_demo

    template = filled_database(tmp_path_factory, migrated_database, "demo", lambda factory: load_demo())
    yield template
    drop_database(template.url)


@pytest.fixture
def database_template(request, migrated_database) -> DatabaseTemplate:
    """What the test's database is a copy of: the migrated schema, or the loaded demo for tests marked
    `@pytest.mark.loaded_demo`. A test module may override this fixture with a filled database of its own."""
    if request.node.get_closest_marker("loaded_demo"):
        return request.getfixturevalue("demo_database")
    return DatabaseTemplate(migrated_database)


class DropBehind:
    """Each test's PostgreSQL database is dropped by a thread while the next test runs: DROP DATABASE … WITH
    (FORCE) takes 10-20 ms, on the server, and nothing waits for it. A drop that failed fails the session's end."""

    def __init__(self):
        self._urls: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self.failures: list[str] = []

    def drop(self, url: str) -> None:
        if not url.startswith("postgresql"):
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="drop-behind", daemon=True)
            self._thread.start()
        self._urls.put(url)

    def _run(self) -> None:
        while (url := self._urls.get()) is not None:
            try:
                drop_database(url)
            except Exception as error:  # reported at the end of the session
                self.failures.append(f"{url}: {error!r}")

    def finish(self) -> None:
        if self._thread is not None:
            self._urls.put(None)
            self._thread.join(60)
        assert not self.failures, f"databases not dropped: {self.failures}"


@pytest.fixture(scope="session")
def drop_behind():
    dropper = DropBehind()
    yield dropper
    dropper.finish()


@pytest.fixture
def app(tmp_path, database_template, drop_behind):
    url = new_database(tmp_path, "campaign", template=database_template.url)
    if database_template.uploads is not None:
        shutil.copytree(database_template.uploads, tmp_path / "uploads")
    app = create_app(_config(str(tmp_path), url))
    app.test_client_class = Client
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_behind.drop(url)


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


class Factory:
    """Builds real rows in the test database, with sensible defaults."""

    def __init__(self, counter: int = 0):
        self.counter = counter

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def unit(self, name: str | None = None, kind: str = "bureau", **fields) -> Unit:
        n = self._next()
        unit = Unit(name=name or f"测试局{n}", kind=kind, sort_order=n, **fields)
        db.session.add(unit)
        db.session.commit()
        return unit

    def user(self, role: str = "organizer", unit: Unit | None = None, username: str | None = None) -> User:
        if role == "unit" and unit is None:
            unit = self.unit()
        user = User(
            username=username or f"{role}{self._next()}",
            display_name="测试用户",
            role=role,
            unit_id=unit.id if unit else None,
        )
        user.password_hash = PASSWORD_HASH
        db.session.add(user)
        db.session.commit()
        return user

    def campaign(self, year: int = 2025, **fields) -> Campaign:
        values = dict(
            edition=year - 2006,
            year=year,
            title=f"江滨区第{year - 2006}届“5·15政务公开日”活动方案",
            theme="坚持依法行政，深化政务公开，加强法治政府建设。",
            first_day=date(year, 5, 15),
            last_day=date(year, 5, 20),
            issuing_office="江滨区人民政府办公室",
            doc_number=f"江政办〔{year}〕7号",
            addressees="各镇街，区政府各部门、区直事业单位：",
            summary_deadline=datetime(year, 5, 18, 17, 30, tzinfo=LOCAL_TZ),
        )
        values.update(fields)
        campaign = Campaign(**values)
        db.session.add(campaign)
        db.session.commit()
        return campaign

    def group(self, campaign: Campaign, title: str = "线下实地宣传") -> ActivityGroup:
        group = ActivityGroup(campaign_id=campaign.id, title=title, sort_order=self._next())
        db.session.add(group)
        db.session.commit()
        return group

    def venue(self, campaign: Campaign, name: str | None = None, is_main: bool = False) -> Venue:
        venue = Venue(campaign_id=campaign.id, name=name or f"会场{self._next()}", is_main=is_main)
        db.session.add(venue)
        db.session.commit()
        return venue

    def activity(self, group: ActivityGroup, units: dict | None = None, **fields) -> Activity:
        """units: {Unit: role}."""
        campaign = group.campaign
        day = campaign.first_day
        values = dict(
            campaign_id=campaign.id,
            group_id=group.id,
            title=f"开展“政策咨询”活动{self._next()}",
            mode="onsite",
            starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ),
            ends_at=datetime(day.year, day.month, day.day, 11, 30, tzinfo=LOCAL_TZ),
            sort_order=self.counter,
        )
        values.update(fields)
        if values["mode"] == "onsite" and "venue_id" not in values:
            values["venue_id"] = self.venue(campaign).id
        activity = Activity(**values)
        db.session.add(activity)
        db.session.flush()
        for unit, role in (units or {}).items():
            db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role=role))
        db.session.commit()
        return activity

    def booth(self, activity: Activity, unit: Unit, public: bool = False, **fields) -> Booth:
        booth = Booth(
            campaign_id=activity.campaign_id,
            activity_id=activity.id,
            unit_id=unit.id,
            public_token=new_token() if public else None,
            **fields,
        )
        db.session.add(booth)
        db.session.commit()
        return booth

    def consultation(self, booth: Booth, **fields) -> Consultation:
        """A consultation as the booth recorded it, with its follow-up opened if the handling asks for one."""
        values = dict(client_uuid=str(uuid.uuid4()), booth_id=booth.id, kind="政策咨询", topic="社会保险")
        values.update(fields)
        consultation = Consultation(**values)
        db.session.add(consultation)
        db.session.flush()
        ensure_follow_up(consultation)
        db.session.commit()
        return consultation

    def handout(self, booth: Booth, material: str = "宣传单", quantity: int = 10, **fields) -> MaterialHandout:
        handout = MaterialHandout(
            client_uuid=str(uuid.uuid4()), booth_id=booth.id, material=material, quantity=quantity, **fields
        )
        db.session.add(handout)
        db.session.commit()
        return handout

    def slogan(self, campaign: Campaign, text: str) -> Slogan:
        slogan = Slogan(campaign_id=campaign.id, text=text, sort_order=self._next())
        db.session.add(slogan)
        db.session.commit()
        return slogan

    def summary(self, campaign: Campaign, unit: Unit, **fields) -> UnitSummary:
        summary = UnitSummary(campaign_id=campaign.id, unit_id=unit.id, **fields)
        db.session.add(summary)
        db.session.commit()
        return summary

    def photo(self, summary: UnitSummary, caption: str = "咨询台现场", color: str = "teal") -> Photo:
        """A real JPEG pair (display copy and thumbnail) in UPLOAD_DIR, as photo intake leaves them."""
        n = self._next()
        folder = Path(current_app.config["UPLOAD_DIR"]) / "test-photos"
        folder.mkdir(parents=True, exist_ok=True)
        sizes = {"display": (1600, 1200), "thumb": (400, 300)}
        paths = {}
        for name, size in sizes.items():
            buffer = io.BytesIO()
            Image.new("RGB", size, color).save(buffer, "JPEG", quality=80)
            path = folder / f"{n}-{name}.jpg"
            path.write_bytes(buffer.getvalue())
            paths[name] = path
        photo = Photo(
            summary_id=summary.id,
            sha256=hashlib.sha256(f"{n}-{color}".encode()).hexdigest(),
            caption=caption,
            sort_order=n,
            width=4032,
            height=3024,
            display_path=f"test-photos/{n}-display.jpg",
            display_width=1600,
            display_height=1200,
            display_bytes=paths["display"].stat().st_size,
            thumb_path=f"test-photos/{n}-thumb.jpg",
            thumb_width=400,
            thumb_height=300,
        )
        db.session.add(photo)
        db.session.commit()
        return photo

    def score_rule(self, campaign: Campaign, kind: str = "on_time", points: int = 10, **fields) -> ScoreRule:
        rule = ScoreRule(campaign_id=campaign.id, kind=kind, label=fields.pop("label", kind), points=points, **fields)
        db.session.add(rule)
        db.session.commit()
        return rule

    def report_snapshot(self, campaign: Campaign, **fields) -> ReportSnapshot:
        snapshot = ReportSnapshot(campaign_id=campaign.id, **fields)
        db.session.add(snapshot)
        db.session.commit()
        return snapshot

    def report_job(self, campaign: Campaign, **fields) -> ReportJob:
        job = ReportJob(campaign_id=campaign.id, **fields)
        db.session.add(job)
        db.session.commit()
        return job


@pytest.fixture
def factory(app, database_template) -> Factory:
    return Factory(database_template.counter)


def existing_user(username: str) -> User | None:
    """A user the test's database was copied with (see DatabaseTemplate), or None."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def make_organizer(factory: Factory) -> User:
    return existing_user("organizer") or factory.user("organizer", username="organizer")


def make_unit_contact(factory: Factory) -> User:
    return existing_user("contact") or factory.user("unit", unit=factory.unit("江滨区教育局"), username="contact")


def log_in(client: Client, user: User) -> Client:
    response = client.submit("/auth/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def organizer(factory) -> User:
    return make_organizer(factory)


@pytest.fixture
def organizer_client(client, organizer) -> Client:
    return log_in(client, organizer)


@pytest.fixture
def finished_job(organizer_client):
    """Polls a report job's status as the page does until it is no longer under way, and returns its last state.

    A job runs in a thread of the test's process: a test that starts one waits for it, or the thread would go on
    writing to a database the next test has already dropped.
    """

    def wait(url: str, limit: float = 180) -> dict:
        stop = time.monotonic() + limit
        while time.monotonic() < stop:
            state = organizer_client.get(url).get_json()
            if not state["active"]:
                return state
            time.sleep(0.25)
        raise AssertionError(f"job still running after {limit} s: {state}")

    return wait


@pytest.fixture
def unit_contact(factory) -> User:
    return make_unit_contact(factory)


@pytest.fixture
def unit_client(client, unit_contact) -> Client:
    return log_in(client, unit_contact)


# Browsers ----------------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def chromium_process():
    """Debian's Chromium, started once per test process (a second or two each time) and driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ChromiumForOneTest:
    """The shared Chromium as one test sees it: what the test opens (contexts, each with its own cookies, storage,
    permissions and offline switch) is closed by close(), at the latest when the test ends; nothing carries over
    to the next test."""

    def __init__(self, browser):
        self._browser = browser
        self._contexts = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self._contexts.append(context)
        return context

    def new_page(self, **options):
        # As Browser.new_page: a page in a context of its own.
        return self.new_context(**options).new_page()

    def close(self) -> None:
        contexts, self._contexts = self._contexts, []
        for context in contexts:
            context.close()

    def __enter__(self) -> "ChromiumForOneTest":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@pytest.fixture
def chromium(chromium_process):
    """`with chromium as browser:` — fresh contexts in the test process's one Chromium."""
    handle = ChromiumForOneTest(chromium_process)
    yield handle
    handle.close()


@pytest.fixture
def server(app):
    """The test's app and database behind a real threaded HTTP server on a free loopback port (for a browser)."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=10)
