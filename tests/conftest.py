"""Fixtures: a real database built by the migrations (SQLite, or PostgreSQL with TEST_DATABASE_URL), factories,
and logged-in clients."""

import os
import queue
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.serving import make_server

from campaign import create_app
from campaign.auth.models import User
from campaign.web.extensions import db
from tests import speedups
from tests.factory import PASSWORD, Factory
from tests.queueutil import ConsumerThread
from tests.serverutil import drop_database, new_database

speedups.install()


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
        # Empty unless a test drops a font in: the developer's own instance/fonts must not change what tests see.
        "FONTS_DIR": f"{instance}/fonts",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        # The test's own task queue and job folders (tests/queueutil.py runs a real consumer against them).
        "HUEY_URL": f"sqlite:///{instance}/queue.db",
        "JOB_SCRATCH_DIR": f"{instance}/job-scratch",
        # The factory's campaigns are dated May 2025 (documents stay reproducible) while entries are recorded now:
        # their grace period stays open here. The close rule's own tests set the default back
        # (tests/booths/test_closing.py); the live-server campaigns (serverutil.seed_booth) span today anyway.
        "BOOTH_GRACE_DAYS": 365 * 100,
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
def queue_worker(app):
    """A real Huey consumer (two worker threads) on the test's queue, in this process, stopped after the test."""
    with ConsumerThread(app) as consumer:
        yield consumer


@pytest.fixture
def finished_job(organizer_client, queue_worker):
    """Polls a report job's status as the page does until it is no longer under way, and returns its last state.

    The job runs on the test's queue, in a consumer thread of this process (queue_worker): a test that starts one
    waits for it, or the consumer would go on writing to a database the next test has already dropped.
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


def pytest_collection_modifyitems(config, items) -> None:
    """Without Debian's Chromium the browser tests are skipped, saying how to get it; on CI (CI set) they run and
    fail instead, as a browser missing there is a broken build, not a test to leave out."""
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    missing = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium, or `make test` installs it)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(missing)


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


@pytest.fixture
def smtp_server():
    """(the mailbox, SmtpSettings pointing at it): a real SMTP server on a loopback port for this test."""
    from aiosmtpd.controller import Controller

    from campaign.shared.mail import SmtpSettings
    from tests.mailserver import Mailbox
    from tests.serverutil import free_port

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, SmtpSettings("127.0.0.1", controller.port, "", "", "gongkai@jiangbin.example", "none")
    finally:
        controller.stop()
