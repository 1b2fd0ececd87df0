"""The 5·15 government-affairs disclosure day app."""

import sqlite3
from pathlib import Path

from flask import Flask, has_request_context, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.config import load_config
from campaign.extensions import babel, csrf, db, limiter, login_manager, migrate


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
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Asia/Shanghai")
    login_manager.init_app(app)

    _import_models()
    _register_blueprints(app)

    from campaign import cli, errors, formatting, security

    errors.register(app)
    security.register(app)
    formatting.register(app)
    cli.register(app)
    return app


def _select_locale() -> str:
    # Chinese unless the user chose English: offices' browsers may well be set to English.
    if has_request_context() and session.get("lang") == "en":
        return "en"
    return "zh_CN"


def _import_models() -> None:
    # Every model module is imported once here, so metadata (and Alembic's autogenerate) sees all tables.
    from campaign import audit  # noqa: F401
    from campaign.auth import models as auth_models  # noqa: F401
    from campaign.booths import models as booth_models  # noqa: F401
    from campaign.plan import models as plan_models  # noqa: F401
    from campaign.report import models as report_models  # noqa: F401
    from campaign.summaries import models as summary_models  # noqa: F401
    from campaign.units import models as unit_models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from campaign.auth.views import bp as auth_bp
    from campaign.booths.board_views import bp as board_bp
    from campaign.booths.entries_views import bp as booth_entries_bp
    from campaign.booths.followups_views import bp as followups_bp
    from campaign.booths.public_booth_views import bp as public_booth_bp
    from campaign.booths.staff_views import bp as staff_bp
    from campaign.booths.unit_views import bp as my_booths_bp
    from campaign.booths.views import bp as booths_bp
    from campaign.main import bp as main_bp
    from campaign.plan.activity_views import bp as activities_bp
    from campaign.plan.document_views import bp as plan_document_bp
    from campaign.plan.tasks_views import bp as tasks_bp
    from campaign.plan.views import bp as campaigns_bp
    from campaign.report.views import bp as report_bp
    from campaign.summaries.photo_views import bp as summary_photos_bp
    from campaign.summaries.review_views import bp as summary_review_bp
    from campaign.summaries.views import bp as summaries_bp
    from campaign.units.views import bp as units_bp

    for bp in (
        auth_bp, main_bp, units_bp, campaigns_bp, activities_bp, plan_document_bp, tasks_bp,
        booths_bp, staff_bp, public_booth_bp, followups_bp, board_bp, my_booths_bp, booth_entries_bp,
        summaries_bp, summary_review_bp, summary_photos_bp, report_bp,
    ):
        app.register_blueprint(bp)


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
