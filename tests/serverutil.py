"""Real parts for tests and benches: fresh databases, and gunicorn in a subprocess on a free loopback port.

The test client runs requests one at a time in one process; races between workers, the database's locking and
keep-alive connections only show under a real server, so the concurrency test and bench/ start one here.

Databases: a SQLite file by default; with TEST_DATABASE_URL (a PostgreSQL server's URL, as
`scripts/pgcluster.py run` sets it) each new database is created on that server instead.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url() -> str:
    """The PostgreSQL server tests run against ('' for SQLite files)."""
    return os.environ.get("TEST_DATABASE_URL", "")


def on_postgres() -> bool:
    return postgres_url().startswith("postgresql")


def _server_engine():
    import sqlalchemy as sa

    # CREATE/DROP DATABASE cannot run inside a transaction; a pool would keep the server's database busy.
    return sa.create_engine(postgres_url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _database_name(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).database


def new_database(folder: str | Path, name: str = "campaign", template: str | None = None) -> str:
    """A new database → its URL: a SQLite file in `folder`, or a database on the PostgreSQL test server.

    template: the URL of a database to copy (a SQLite file is copied, PostgreSQL uses CREATE DATABASE TEMPLATE);
    without one the database is empty.
    """
    import sqlalchemy as sa

    if not on_postgres():
        path = Path(folder) / f"{name}.db"
        if template:
            import shutil

            shutil.copy(sa.make_url(template).database, path)
        return f"sqlite:///{path}"
    database = f"{name}_{secrets.token_hex(5)}"
    copy = f" TEMPLATE {_database_name(template)} STRATEGY FILE_COPY" if template else ""
    engine = _server_engine()
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"{copy}'))
    engine.dispose()
    return sa.make_url(postgres_url()).set(database=database).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Removes a database made by new_database (a SQLite file goes with its temporary folder)."""
    import sqlalchemy as sa

    if not url.startswith("postgresql"):
        return
    engine = _server_engine()
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)'))
    engine.dispose()


def migrate_database(path: str | Path, secret_key: str = "serverutil-secret", upload_dir: str | Path | None = None):
    """Build the schema from the migrations, in this process; returns an app bound to the database.

    path: a database URL, or the path of a new SQLite file. The caller uses `with app.app_context():` to add
    rows through the models before the server starts.
    """
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.web.extensions import db

    url = str(path) if "://" in str(path) else f"sqlite:///{path}"
    if upload_dir is None:
        upload_dir = Path(path).parent / "uploads" if "://" not in str(path) else tempfile.mkdtemp(prefix="uploads-")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": str(upload_dir),
        }
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def seed_booth(app) -> dict:
    """One campaign running today, one unit, one on-site activity and its booth → {token, pin, booth_id}."""
    from campaign.booths.models import Booth
    from campaign.plan.models import Activity, ActivityGroup, Campaign
    from campaign.shared.timeutil import local, utcnow
    from campaign.units.models import Unit
    from campaign.web.extensions import db

    with app.app_context():
        now = utcnow()
        today = local(now).date()
        # The staff device cookie lasts until the campaign's last day: the campaign spans today whatever the zone.
        campaign = Campaign(
            edition=today.year - 2006, year=today.year, title="负载测试活动", theme="测试",
            first_day=today - timedelta(days=1), last_day=today + timedelta(days=1),
            issuing_office="江滨区人民政府办公室", doc_number=f"江政办〔{today.year}〕1号", addressees="各单位：",
        )
        unit = Unit(name="江滨区医保局", kind="bureau", sort_order=1)
        db.session.add_all([campaign, unit])
        db.session.flush()
        group = ActivityGroup(campaign_id=campaign.id, title="线下实地宣传", sort_order=1)
        db.session.add(group)
        db.session.flush()
        activity = Activity(
            campaign_id=campaign.id, group_id=group.id, title="政策咨询", mode="onsite", sort_order=1,
            starts_at=now, ends_at=now + timedelta(hours=3),
        )
        db.session.add(activity)
        db.session.flush()
        booth = Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=unit.id)
        db.session.add(booth)
        db.session.commit()
        seeded = {"token": booth.staff_token, "pin": booth.pin, "booth_id": booth.id}
        db.session.remove()
        db.engine.dispose()
    return seeded


@contextmanager
def served_booth(folder: Path, secret_key: str, prepare: Callable[..., dict] | None = None,
                 **env: str) -> Iterator[dict]:
    """A migrated database in `folder` with one booth (seed_booth) and gunicorn serving it, with `env` added to its
    environment → {server, app, token, pin, booth_id}; the server stopped and the database dropped whatever happens.

    prepare(app, seeded): changes rows before the server starts; what it returns is added to the dict."""
    url = new_database(folder, "campaign")
    app = migrate_database(url, secret_key, upload_dir=folder / "uploads")
    served = {"app": app, **seed_booth(app)}
    if prepare is not None:
        served.update(prepare(app, served))
    server = Server({"DATABASE_URL": url, "SECRET_KEY": secret_key, "UPLOAD_DIR": str(folder / "uploads"), **env})
    try:
        server.start(timeout=30)
        yield {"server": server, **served}
    finally:
        server.stop()
        drop_database(url)


class Server:
    """gunicorn serving `app_spec` (module:variable, importable from `cwd`) until stop()."""

    def __init__(
        self,
        env: dict | None = None,
        app_spec: str = "wsgi:app",
        cwd: str | Path = ROOT,
        workers: int = 2,
        threads: int = 4,
        own_process_group: bool = False,
    ):
        """own_process_group: gunicorn and its workers in a session of their own, so that kill() can end them all
        at once as a crash would (otherwise they share the test's group and go with it on Ctrl-C)."""
        self.env = env or {}
        self.own_process_group = own_process_group
        self.app_spec = app_spec
        self.cwd = str(cwd)
        self.workers = workers
        self.threads = threads
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = ""
        self.killed_log = ""

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def start(self, timeout: float = 30.0) -> "Server":
        # A port picked free may be taken before gunicorn binds it; then we try another.
        for _attempt in range(3):
            self.port = free_port()
            env = {**os.environ, **self.env}
            with tempfile.NamedTemporaryFile("wb", prefix="gunicorn-", suffix=".log", delete=False) as log:
                self.log_path = log.name
                self.process = subprocess.Popen(
                    [
                        str(GUNICORN), self.app_spec,
                        "--bind", f"127.0.0.1:{self.port}",
                        "--workers", str(self.workers),
                        "--threads", str(self.threads),
                        "--worker-class", "gthread",
                        "--keep-alive", "30",
                        "--graceful-timeout", "5",
                        "--log-level", "warning",
                    ],
                    cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=self.own_process_group,
                )
            if self._wait_until_up(timeout):
                return self
            failure = self.log()
            self.stop()
        raise RuntimeError(f"gunicorn did not start; log:\n{failure}")

    def _wait_until_up(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=2)
                connection.request("GET", "/__serverutil_probe__")
                connection.getresponse().read()
                connection.close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def log(self) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL to gunicorn and every worker at the same instant: a crash, nothing flushed, nothing answered.
        What the server had logged stays in `killed_log`."""
        assert self.own_process_group, "kill() needs Server(own_process_group=True)"
        process, self.process = self.process, None
        if process is not None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        self.killed_log = self.log()
        if self.log_path:
            Path(self.log_path).unlink(missing_ok=True)

    def stop(self, timeout: float = 10.0) -> None:
        """Stops gunicorn (and so its workers) and removes its log."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # QUIT is gunicorn's quick shutdown: a test has nothing left in flight worth waiting for.
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if self.log_path:
            Path(self.log_path).unlink(missing_ok=True)

    def connection(self, timeout: float = 15.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Browser:
    """Just enough of a browser for the server tests: one keep-alive connection and a cookie jar."""

    def __init__(self, server: Server, timeout: float = 15.0):
        self.server = server
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection:
            self._connection.close()
            self._connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """→ (status, headers, body bytes); reconnects once if the server closed the kept-alive connection."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self.server.connection(self.timeout)
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        from urllib.parse import urlencode

        return self.request(
            "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_json(self, path: str, payload: dict):
        return self.request("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1).decode()


def staff_sign_in(browser: Browser, token: str, pin: str) -> None:
    """The staff PIN flow: open the link, send the PIN from the page's form; the device cookie is kept."""
    status, _headers, page = browser.get(f"/b/{token}")
    assert status == 200, f"GET /b/<token> → {status}"
    status, _headers, body = browser.post_form(f"/b/{token}/pin", {"pin": pin, "csrf_token": csrf_token(page)})
    assert status in (200, 302, 303), f"POST /b/<token>/pin → {status}: {body[:300]!r}"
