"""Running totals for the live board and the summaries' figures, written in the same transaction as every entry
they count.

Why: counting 100,000 consultations at every refresh scans them all (175–300 ms); the board's budget is 100 ms, and
it must stay exact, an entry showing at the next refresh. The tallies hold one row per booth and breakdown (or
hour), a few thousand at most, so a refresh adds those up instead.

How: mapper events on Consultation, MaterialHandout and FollowUp. What an entry counts for (its "contribution") is
defined once, below. An ORM insert adds its contribution; an update or delete takes the row's contribution away
before the statement and adds the new one after it, with the row locked first so that two transactions changing
the same entry cannot both take the old contribution away. Each tally change is an INSERT … ON CONFLICT DO UPDATE
`count = count + n` (SQLite and PostgreSQL), so concurrent phones never overwrite each other's counts. Deleting a
booth cascades to its tallies.

Core statements on those tables (bulk inserts, `sa.update(Consultation)`) bypass the events: code that uses
them calls the functions here itself (recording's insert does), or calls rebuild() afterwards. `flask booths
rebuild-tallies` recomputes everything from the rows, for repair.
"""

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event

from campaign.booths import records
from campaign.booths.models import (
    CLOSED,
    Booth,
    Consultation,
    ConsultationHourTally,
    ConsultationProfileTally,
    ConsultationTally,
    FollowUp,
    FollowUpTally,
    HandoutTally,
    MaterialHandout,
)
from campaign.shared import prepared
from campaign.shared.conflicts import conflict_insert
from campaign.shared.timeutil import local_date
from campaign.web.extensions import db

# (A declarative model's __table__ is typed as any FromClause; these are Tables.)
TABLES = {
    model.__tablename__: cast(sa.Table, model.__table__)
    for model in (ConsultationTally, ConsultationHourTally, HandoutTally, FollowUpTally, ConsultationProfileTally)
}
CONSULTATIONS, HOURS, HANDOUTS, FOLLOW_UPS, PROFILES = TABLES

BREAKDOWN = ("source", "kind", "topic")
# What a summary counts besides (consultation_profile_tallies).
PROFILE = ("handling", "asker_type", "satisfaction")
# The columns whose change moves an entry from one tally row to another.
CONSULTATION_FIELDS = ("booth_id", "recorded_at", "withdrawn_at", *BREAKDOWN, *PROFILE)
HANDOUT_FIELDS = ("booth_id", "material", "quantity", "recorded_at", "withdrawn_at")
FOLLOW_UP_FIELDS = (
    "consultation_id", "unit_id", "due_date", "close_due_date", "status", "replied_at", "call_back_reached",
    "call_back_satisfaction", "closed_at",
)
# The follow-up's columns its tally row is computed from (FOLLOW_UP_FIELDS but the consultation).
FOLLOW_UP_COUNTED = FOLLOW_UP_FIELDS[1:]

# Whether a follow-up's reply, or its closing, came by its deadline (follow_up_tallies.replied and .closed).
IN_TIME = "in_time"
LATE = "late"

# (tally table name, key values) → amount
Contribution = Counter[tuple[str, tuple[Any, ...]]]


def hour_start(moment: datetime) -> datetime:
    """The UTC hour an entry falls in. Asia/Shanghai is a whole number of hours from UTC, so it is a local hour too."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# What an entry counts for ----------------------------------------------------------------------------------


def consultation_contribution(values: Mapping[Any, Any], follow_up: Mapping[Any, Any] | None = None) -> Contribution:
    """A consultation's share of the tallies, from its column values; nothing once withdrawn."""
    counts = Contribution()
    if values["withdrawn_at"] is not None:
        return counts
    booth_id = values["booth_id"]
    counts[(CONSULTATIONS, (booth_id, *(values[name] or "" for name in BREAKDOWN)))] += 1
    counts[(HOURS, (booth_id, hour_start(values["recorded_at"]), values["source"]))] += 1
    counts[(PROFILES, (booth_id, *(values.get(name) or "" for name in PROFILE)))] += 1
    if follow_up is not None:
        counts[(FOLLOW_UPS, follow_up_key(booth_id, follow_up))] += 1
    return counts


def _in_time(moment: datetime | None, due: date) -> str:
    """"" (not done), IN_TIME (on or before the due day, Asia/Shanghai) or LATE."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # read by Core from the naive UTC column
        moment = moment.replace(tzinfo=UTC)
    return IN_TIME if local_date(moment) <= due else LATE


def follow_up_key(booth_id: int, values: Mapping[Any, Any]) -> tuple:
    """A follow-up's tally row: booth, unit, deadlines, state, whether the reply came in time, the call-back, and
    whether a closed one was closed in time (the report's 按期办结, read here rather than from 100,000 rows)."""
    replied = _in_time(values["replied_at"], values["due_date"])
    reached = values["call_back_reached"]
    call_back = "" if reached is None else (values["call_back_satisfaction"] or "") if reached else "missed"
    closed = _in_time(values["closed_at"], values["close_due_date"]) if values["status"] == CLOSED else ""
    return (booth_id, values["unit_id"], values["due_date"], values["close_due_date"], values["status"], replied,
            call_back, closed)


def handout_contribution(values: Mapping[Any, Any]) -> Contribution:
    counts = Contribution()
    if values["withdrawn_at"] is None:
        counts[(HANDOUTS, (values["booth_id"], hour_start(values["recorded_at"]), values["material"]))] += values["quantity"]
    return counts


def follow_up_contribution(values: Mapping[Any, Any]) -> Contribution:
    """A follow-up counts while its consultation is live; `values` carries the consultation's booth and withdrawal."""
    counts = Contribution()
    if values["withdrawn_at"] is None:
        counts[(FOLLOW_UPS, follow_up_key(values["booth_id"], values))] += 1
    return counts


# Writing them ---------------------------------------------------------------------------------------------

_KEYS = {
    CONSULTATIONS: ("booth_id", *BREAKDOWN),
    HOURS: ("booth_id", "hour_start", "source"),
    HANDOUTS: ("booth_id", "hour_start", "material"),
    FOLLOW_UPS: ("booth_id", "unit_id", "due_date", "close_due_date", "status", "replied", "call_back", "closed"),
    PROFILES: ("booth_id", *PROFILE),
}
_AMOUNT = {CONSULTATIONS: "count", HOURS: "count", HANDOUTS: "quantity", FOLLOW_UPS: "count", PROFILES: "count"}
_upserts: dict = {}


def _upsert_statement(dialect: str, name: str):
    """INSERT … ON CONFLICT (key) DO UPDATE amount = amount + excluded.amount, built once per dialect and table."""
    statement = _upserts.get((dialect, name))
    if statement is None:
        table, amount = TABLES[name], _AMOUNT[name]
        insert = conflict_insert(dialect, table)
        statement = insert.on_conflict_do_update(
            index_elements=list(_KEYS[name]), set_={amount: table.c[amount] + insert.excluded[amount]}
        )
        _upserts[(dialect, name)] = statement
    return statement


def apply(connection: sa.Connection, counts: Contribution, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) a contribution, in the connection's transaction."""
    by_table: dict = {}
    for (name, key), amount in counts.items():
        if amount:
            by_table.setdefault(name, []).append({**dict(zip(_KEYS[name], key, strict=True)), _AMOUNT[name]: sign * amount})
    for name, rows in by_table.items():
        prepared.execute(connection, _upsert_statement(connection.dialect.name, name), rows)


# Reading an entry's current contribution from the database ------------------------------------------------

_C = cast(sa.Table, Consultation.__table__)
_H = cast(sa.Table, MaterialHandout.__table__)
_F = cast(sa.Table, FollowUp.__table__)


def _lock(connection: sa.Connection, table: sa.Table, row_id: int) -> None:
    # A write to the row before reading it: PostgreSQL locks the row, SQLite takes its one write lock. A second
    # transaction changing the same entry waits here and then reads what the first one left.
    connection.execute(sa.update(table).where(table.c.id == row_id).values(id=table.c.id))


def _consultation_in_database(connection: sa.Connection, consultation_id: int) -> Contribution:
    row = connection.execute(
        sa.select(*(_C.c[name] for name in CONSULTATION_FIELDS), *(_F.c[name] for name in FOLLOW_UP_COUNTED))
        .select_from(_C.outerjoin(_F, _F.c.consultation_id == _C.c.id))
        .where(_C.c.id == consultation_id)
    ).mappings().first()
    if row is None:
        return Contribution()
    return consultation_contribution(row, row if row["status"] is not None else None)


def _handout_in_database(connection: sa.Connection, handout_id: int) -> Contribution:
    row = connection.execute(
        sa.select(*(_H.c[name] for name in HANDOUT_FIELDS)).where(_H.c.id == handout_id)
    ).mappings().first()
    return handout_contribution(row) if row is not None else Contribution()


def _follow_up_in_database(connection: sa.Connection, follow_up_id: int) -> Contribution:
    row = connection.execute(
        sa.select(*(_F.c[name] for name in FOLLOW_UP_COUNTED), _C.c.booth_id, _C.c.withdrawn_at)
        .select_from(_F.join(_C, _F.c.consultation_id == _C.c.id))
        .where(_F.c.id == follow_up_id)
    ).mappings().first()
    return follow_up_contribution(row) if row is not None else Contribution()


# The mapper events ----------------------------------------------------------------------------------------


def _row_id(target) -> int:
    # Right after its INSERT an object has its id but not yet its identity key.
    state = sa.inspect(target)
    return state.key[1][0] if state.key is not None else state.dict["id"]


def _loaded(target, names: tuple) -> dict | None:
    """The object's values as just inserted, without asking the database; None if one was expired (then it is).

    A column never set and without a default is not in the object's dict: it was inserted as NULL (none of these
    columns has a server default)."""
    state = sa.inspect(target)
    if state.expired_attributes.intersection(names):
        return None
    return {name: state.dict.get(name) for name in names}


def _changes(target, names: tuple) -> bool:
    attributes = sa.inspect(target).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _track(model, table: sa.Table, fields: tuple, read, from_values=None) -> None:
    """Keep the tallies in step with every ORM insert, update and delete of `model`."""

    @event.listens_for(model, "after_insert")
    def inserted(mapper, connection, target):
        values = _loaded(target, fields) if from_values else None
        apply(connection, from_values(values) if values is not None else read(connection, _row_id(target)))

    @event.listens_for(model, "before_update")
    def updating(mapper, connection, target):
        if _changes(target, fields):
            _lock(connection, table, _row_id(target))
            apply(connection, read(connection, _row_id(target)), sign=-1)

    @event.listens_for(model, "after_update")
    def updated(mapper, connection, target):
        if _changes(target, fields):
            apply(connection, read(connection, _row_id(target)))

    @event.listens_for(model, "before_delete")
    def deleting(mapper, connection, target):
        _lock(connection, table, _row_id(target))
        apply(connection, read(connection, _row_id(target)), sign=-1)


# A new consultation has no follow-up yet: ensure_follow_up adds it afterwards, and its own event counts it.
_track(Consultation, _C, CONSULTATION_FIELDS, _consultation_in_database, consultation_contribution)
_track(MaterialHandout, _H, HANDOUT_FIELDS, _handout_in_database, handout_contribution)
_track(FollowUp, _F, FOLLOW_UP_FIELDS, _follow_up_in_database)


# Recomputing from the rows --------------------------------------------------------------------------------


def recount(campaign_id: int | None = None) -> Contribution:
    """Every tally as the rows say it should be (all campaigns, or one), computed apart from the running totals."""
    counts = Contribution()

    def in_scope(booth_column):
        if campaign_id is None:
            return sa.true()
        return booth_column.in_(sa.select(Booth.id).where(Booth.campaign_id == campaign_id))

    consultations = db.session.execute(
        sa.select(*(_C.c[name] for name in CONSULTATION_FIELDS), *(_F.c[name] for name in FOLLOW_UP_COUNTED))
        .select_from(_C.outerjoin(_F, _F.c.consultation_id == _C.c.id))
        .where(in_scope(_C.c.booth_id), records.COUNTED_CONSULTATION)
        .execution_options(yield_per=5000)
    ).mappings()
    for row in consultations:
        counts.update(consultation_contribution(row, row if row["status"] is not None else None))
    handouts = db.session.execute(
        sa.select(*(_H.c[name] for name in HANDOUT_FIELDS))
        .where(in_scope(_H.c.booth_id), records.COUNTED_HANDOUT)
        .execution_options(yield_per=5000)
    ).mappings()
    for row in handouts:
        counts.update(handout_contribution(row))
    return counts


def stored(campaign_id: int | None = None) -> Contribution:
    """The running totals as stored, zero rows left out."""
    counts = Contribution()
    booths = sa.select(Booth.id).where(Booth.campaign_id == campaign_id)
    for name, key in _KEYS.items():
        table = TABLES[name]
        amount = table.c[_AMOUNT[name]]
        query = sa.select(*(table.c[column] for column in key), amount).where(amount != 0)
        if campaign_id is not None:
            query = query.where(table.c.booth_id.in_(booths))
        for row in db.session.execute(query):
            counts[(name, tuple(row[:-1]))] = row[-1]
    return counts


def rebuild(campaign_id: int | None = None) -> int:
    """Replace the running totals (all, or one campaign's) with a recount of the rows; returns the rows written.
    The caller commits (flask booths rebuild-tallies does)."""
    counts = recount(campaign_id)
    booths = sa.select(Booth.id).where(Booth.campaign_id == campaign_id)
    for table in TABLES.values():
        delete = sa.delete(table)
        db.session.execute(delete.where(table.c.booth_id.in_(booths)) if campaign_id is not None else delete)
    rows: dict = {}
    for (name, key), amount in counts.items():
        rows.setdefault(name, []).append({**dict(zip(_KEYS[name], key, strict=True)), _AMOUNT[name]: amount})
    for name, values in rows.items():
        db.session.execute(sa.insert(TABLES[name]), values)
    db.session.flush()
    return sum(len(values) for values in rows.values())
