"""Statements run straight on the driver (campaign/shared/prepared.py) store and read what SQLAlchemy's own execution
stores and reads, in the caller's transaction, and refuse a statement that would leave a column default out."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.booths import tallies
from campaign.booths.models import Consultation
from campaign.booths.on_duty import _BY_STAFF_TOKEN
from campaign.shared import prepared
from campaign.shared.conflicts import conflict_insert
from campaign.web.extensions import db
from tests.booths.staff import PIN

TABLE = Consultation.__table__


def values(booth_id: int, **fields) -> dict:
    when = datetime(2026, 5, 15, 1, 12, 7, 123456, tzinfo=UTC)
    return dict(
        client_uuid=str(uuid.uuid4()), booth_id=booth_id, recorded_at=when, received_at=when, kind="政策咨询",
        topic="社会保险", question="𠮷祥社区的䶮姓居民问：低保怎么办？", asker_type="群众", handling="当场解答",
        person_name="", person_phone="", consent=True, satisfaction="满意", source="staff", device_id="phone-1",
        **fields,
    )


def stored_text(client_uuid: str) -> tuple:
    # As the database holds them, past every type's processing: the two ways must write the same.
    return db.session.execute(
        sa.text("SELECT recorded_at, consent, question FROM consultations WHERE client_uuid = :u"), {"u": client_uuid}
    ).one()


@pytest.fixture
def booth(factory):
    unit = factory.unit("滨海市䶮山区人社局")
    campaign = factory.campaign()
    return factory.booth(factory.activity(factory.group(campaign), units={unit: "lead"}), unit, pin=PIN)


def test_an_insert_stores_what_sqlalchemy_stores_and_returns_its_id(app, booth):
    insert = conflict_insert(db.engine.dialect.name, TABLE).on_conflict_do_nothing(
        index_elements=["client_uuid"]).returning(TABLE.c.id)
    ours, theirs = values(booth.id), values(booth.id)
    connection = db.session.connection()
    row_id = prepared.scalar(connection, insert, ours)
    their_id = connection.execute(insert, theirs).scalar()
    db.session.commit()
    assert row_id is not None and row_id != their_id
    assert stored_text(ours["client_uuid"]) == stored_text(theirs["client_uuid"])
    row = db.session.get(Consultation, row_id)
    assert (row.recorded_at, row.consent, row.question) == (ours["recorded_at"], True, ours["question"])
    # The conflict clause: a second copy stores nothing and returns no id.
    assert prepared.scalar(db.session.connection(), insert, ours) is None
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TABLE)) == 2


def test_a_select_reads_dates_and_json_as_sqlalchemy_does(app, booth):
    from campaign.booths.models import BoothSettings

    db.session.add(BoothSettings(campaign_id=booth.campaign_id, topics=["退役军人优待", "低保"], materials=["台历"]))
    db.session.commit()
    connection = db.session.connection()
    ours = prepared.first(connection, _BY_STAFF_TOKEN, {"token": booth.staff_token})
    theirs = connection.execute(_BY_STAFF_TOKEN, {"token": booth.staff_token}).one()
    assert ours == tuple(theirs)
    assert ours[4] == booth.campaign.first_day and ours[-2] == ["退役军人优待", "低保"]
    assert prepared.first(connection, _BY_STAFF_TOKEN, {"token": "no-such-link"}) is None


def test_several_rows_go_as_one_executemany_and_count_as_the_upsert_says(app, booth):
    counts = tallies.Contribution()
    for topic in ("社会保险", "社会保险", "低保"):
        counts.update(tallies.consultation_contribution(
            {**values(booth.id, withdrawn_at=None), "topic": topic}))
    tallies.apply(db.session.connection(), counts)
    tallies.apply(db.session.connection(), counts)  # the upsert adds
    db.session.commit()
    assert tallies.stored(booth.campaign_id) == {key: 2 * amount for key, amount in counts.items()}


def test_it_writes_in_the_callers_transaction_and_a_connection_closed_uncommitted_keeps_nothing(app, booth):
    insert = conflict_insert(db.engine.dialect.name, TABLE).on_conflict_do_nothing(
        index_elements=["client_uuid"]).returning(TABLE.c.id)
    with db.engine.connect() as connection:
        assert prepared.scalar(connection, insert, values(booth.id)) is not None
        assert connection.in_transaction()
    kept = values(booth.id)
    with db.engine.connect() as connection:
        prepared.scalar(connection, insert, kept)
        connection.commit()
    assert db.session.scalar(sa.select(Consultation.client_uuid)) == kept["client_uuid"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TABLE)) == 1


def test_a_statement_that_would_leave_a_column_default_out_is_refused(app, booth):
    insert = sa.insert(TABLE)
    partial = {key: value for key, value in values(booth.id).items() if key not in ("source", "device_id")}
    with pytest.raises(ValueError, match="column default"):
        prepared.execute(db.session.connection(), insert, partial)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TABLE)) == 0
