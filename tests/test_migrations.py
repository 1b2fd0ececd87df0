"""The schema comes from the migrations: built from empty, it must agree with the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.web.extensions import db
from tests.serverutil import drop_database, new_database


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database: a SQLite file, or a new database on the PostgreSQL test server."""
    url = new_database(tmp_path, "fresh")
    yield url
    drop_database(url)


def _fresh_app(url):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})


def _differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_schema_of_the_models(fresh_database):
    app = _fresh_app(fresh_database)
    with app.app_context():
        upgrade()
        assert _differences() == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "units", "campaigns", "activities", "activity_units", "slogans", "venues"} <= tables
        db.engine.dispose()


def test_migrations_go_down_to_empty_and_up_again(fresh_database):
    app = _fresh_app(fresh_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _differences() == []
        db.engine.dispose()
