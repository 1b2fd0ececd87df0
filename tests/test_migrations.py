"""The schema comes from the migrations: built from empty, it must agree with the models."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.booths import receipts
from campaign.booths.models import Consultation, MaterialHandout
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


def test_the_receipt_codes_migration_gives_stored_entries_theirs_a_collision_lengthened(fresh_database):
    """Entries stored before codes were: each gets the code it always showed; where two share eight characters the
    consultation keeps them (and, among consultations, the older one), the other gets the longer code."""
    from tests.booths.staff import colliding
    from tests.factory import Factory

    app = _fresh_app(fresh_database)
    with app.app_context():
        upgrade()
        factory = Factory()
        unit = factory.unit("江滨区人社局")
        booth = factory.booth(factory.activity(factory.group(factory.campaign()), units={unit: "lead"}), unit)
        downgrade(revision="x651b9d8ed34")  # the revision before receipt codes
        assert "receipt_codes" not in sa.inspect(db.engine).get_table_names()

        first = str(uuid.uuid4())
        older, newer, handout, plain = first, colliding(first), colliding(first), str(uuid.uuid4())
        # The tables as the models have them (with their defaults): unchanged by this migration.
        consultations, handouts = Consultation.__table__, MaterialHandout.__table__
        with db.engine.begin() as connection:
            # The handout first by time: consultations still come first.
            connection.execute(handouts.insert(), [{"client_uuid": handout, "booth_id": booth.id, "material": "宣传单",
                                                    "quantity": 3}])
            connection.execute(consultations.insert(), [
                {"client_uuid": value, "booth_id": booth.id, "kind": "政策咨询", "topic": "社会保险", "source": "staff"}
                for value in (older, plain, newer)
            ])
        upgrade()
        assert _differences() == []
        with db.engine.connect() as connection:
            codes = dict(connection.execute(sa.text("SELECT client_uuid, code FROM receipt_codes")).all())
        assert set(codes) == {older, newer, handout, plain} and len(set(codes.values())) == 4
        assert codes[older] == receipts.first_code(older) and codes[plain] == receipts.first_code(plain)
        assert codes[newer] == receipts.candidates(newer)[1] and codes[handout] == receipts.candidates(handout)[1]
        db.session.remove()
        db.engine.dispose()
