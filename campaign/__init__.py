"""The 5·15 government-affairs disclosure day app."""

import sqlite3
from pathlib import Path

from flask import Flask, has_request_context, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.web.config import load_config
from campaign.web.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)

    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy: take the client address, scheme and host from its X-Forwarded-* headers,
        # so printed links, secure cookies and per-address limits see the real request.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Asia/Shanghai")
    login_manager.init_app(app)

    _import_models()
    _register_job_kinds()
    _register_blueprints(app)

    from campaign import cli
    from campaign.shared import formatting, workdays
    from campaign.web import assets, errors, hotpath, scope, security, transaction

    errors.register(app)
    security.register(app)
    assets.register(app)
    transaction.register(app)
    scope.register(app)
    formatting.register(app)
    workdays.register(app)
    cli.register(app)
    # Last: it wraps the hooks the extensions registered above.
    hotpath.register(app)
    return app


def _select_locale() -> str:
    # Chinese unless the user chose English: offices' browsers may well be set to English.
    if has_request_context() and session.get("lang") == "en":
        return "en"
    return "zh_CN"


def _import_models() -> None:
    # Every model module is imported once here, so metadata (and Alembic's autogenerate) sees all tables.
    from campaign.auth import models as auth_models  # noqa: F401
    from campaign.booths import models as booth_models  # noqa: F401
    from campaign.jobs import models as job_models  # noqa: F401
    from campaign.plan import models as plan_models  # noqa: F401
    from campaign.reminders import models as reminder_models  # noqa: F401
    from campaign.report import models as report_models  # noqa: F401
    from campaign.shared import audit, workdays  # noqa: F401
    from campaign.summaries import models as summary_models  # noqa: F401
    from campaign.units import models as unit_models  # noqa: F401


def _register_job_kinds() -> None:
    # Each kind of background job registers itself with campaign/jobs/state.py when its module is imported; the
    # consumer (`flask queue worker`) builds the app like a web worker and so knows every kind.
    from campaign.booths import file_jobs as booth_file_jobs  # noqa: F401
    from campaign.report import jobs as report_jobs  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    # Each module declares its blueprints, URL prefixes and access rules in its blueprint.py; the endpoint
    # names follow the modules (plan.activities.edit lives in campaign/plan/views/activities.py).
    from campaign.auth import blueprint as auth
    from campaign.booths import blueprint as booths
    from campaign.home import blueprint as home
    from campaign.plan import blueprint as plan
    from campaign.reminders import blueprint as reminders
    from campaign.report import blueprint as report
    from campaign.summaries import blueprint as summaries
    from campaign.units import blueprint as units
    from campaign.web.views import bp as web

    app.register_blueprint(web)
    for module in (auth, home, units, plan, booths, summaries, reminders, report):
        module.register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers go on while one phone writes; the busy timeout makes writers queue instead of failing;
    # synchronous=FULL because an entry the server has confirmed must survive a power cut too.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


@event.listens_for(Engine, "savepoint")
def _sqlite_savepoint_inside_a_transaction(connection, name):
    # Python's sqlite3 (before 3.12) begins a transaction only before an INSERT, UPDATE or DELETE. A SAVEPOINT
    # sent first would open the transaction itself, and releasing it would then commit everything: a service's
    # savepoint (begin_nested) would commit the request's work half-way. Begin the transaction first, so a
    # savepoint is only ever a part of the request's one transaction, as on PostgreSQL.
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
