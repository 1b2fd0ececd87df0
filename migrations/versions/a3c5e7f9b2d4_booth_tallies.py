"""booth tallies: running totals for the live board, filled from the rows already stored

Revision ID: a3c5e7f9b2d4
Revises: 8d62992e60a1
Create Date: 2026-11-23 09:00:00

The board now reads these small tables instead of scanning every consultation, so its covering index on
consultations goes (one index less to write per entry), and so does the booth_id index, a prefix of
ix_consultations_booth_recorded.
"""
from collections import Counter
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f9b2d4"
down_revision = "8d62992e60a1"
branch_labels = None
depends_on = None

BREAKDOWN = ("source", "kind", "topic")
# SQLite keeps these rows in key order (no rowid): a board query reads them in one pass.
WITHOUT_ROWID = {"sqlite_with_rowid": False}


def _create_tables():
    op.create_table(
        "consultation_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_consultation_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("booth_id", *BREAKDOWN, name=op.f("pk_consultation_tallies")),
        **WITHOUT_ROWID,
    )
    op.create_table(
        "consultation_hour_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("hour_start", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_consultation_hour_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("booth_id", "hour_start", "source", name=op.f("pk_consultation_hour_tallies")),
        **WITHOUT_ROWID,
    )
    op.create_table(
        "handout_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("hour_start", sa.DateTime(), nullable=False),
        sa.Column("material", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_handout_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("booth_id", "hour_start", "material", name=op.f("pk_handout_tallies")),
        **WITHOUT_ROWID,
    )
    op.create_table(
        "follow_up_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_follow_up_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_follow_up_tallies_unit_id_units")),
        sa.PrimaryKeyConstraint("booth_id", "unit_id", "due_date", "status", name=op.f("pk_follow_up_tallies")),
        **WITHOUT_ROWID,
    )


def _hour(moment):
    # Naive UTC as stored; the tallies keep the start of its hour.
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _backfill():
    """The tallies of the rows already stored; the same rules as campaign/booths/tallies.py, which this revision
    must not import (the app's code moves on, a migration stays as it was written)."""
    connection = op.get_bind()
    consultations = sa.table(
        "consultations", sa.column("id"), sa.column("booth_id"), sa.column("recorded_at", sa.DateTime()),
        sa.column("withdrawn_at"), *(sa.column(name) for name in BREAKDOWN),
    )
    handouts = sa.table(
        "material_handouts", sa.column("booth_id"), sa.column("recorded_at", sa.DateTime()), sa.column("material"),
        sa.column("quantity"), sa.column("withdrawn_at"),
    )
    follow_ups = sa.table(
        "follow_ups", sa.column("consultation_id"), sa.column("unit_id"), sa.column("due_date", sa.Date()),
        sa.column("status"),
    )
    breakdown, hours, materials, follow_up_counts = Counter(), Counter(), Counter(), Counter()
    live = consultations.c.withdrawn_at.is_(None)
    for row in connection.execute(
        sa.select(consultations.c.booth_id, consultations.c.recorded_at, *(consultations.c[n] for n in BREAKDOWN))
        .where(live)
    ):
        breakdown[(row.booth_id, *(row._mapping[n] or "" for n in BREAKDOWN))] += 1
        hours[(row.booth_id, _hour(row.recorded_at).replace(minute=0, second=0, microsecond=0), row.source)] += 1
    for row in connection.execute(
        sa.select(handouts.c.booth_id, handouts.c.recorded_at, handouts.c.material, handouts.c.quantity)
        .where(handouts.c.withdrawn_at.is_(None))
    ):
        materials[(row.booth_id, _hour(row.recorded_at).replace(minute=0, second=0, microsecond=0), row.material)] += (
            row.quantity
        )
    for row in connection.execute(
        sa.select(consultations.c.booth_id, follow_ups.c.unit_id, follow_ups.c.due_date, follow_ups.c.status)
        .select_from(follow_ups.join(consultations, follow_ups.c.consultation_id == consultations.c.id))
        .where(live)
    ):
        follow_up_counts[tuple(row)] += 1

    # Typed columns, so a time is written as SQLAlchemy writes it and later upserts find the same key.
    types = {"hour_start": sa.DateTime(), "due_date": sa.Date()}

    def insert(table_name, keys, amount_name, counts):
        if counts:
            table = sa.table(table_name, *(sa.column(k, types.get(k)) for k in keys), sa.column(amount_name))
            connection.execute(
                sa.insert(table), [{**dict(zip(keys, key, strict=True)), amount_name: n} for key, n in counts.items()]
            )

    insert("consultation_tallies", ("booth_id", *BREAKDOWN), "count", breakdown)
    insert("consultation_hour_tallies", ("booth_id", "hour_start", "source"), "count", hours)
    insert("handout_tallies", ("booth_id", "hour_start", "material"), "quantity", materials)
    insert("follow_up_tallies", ("booth_id", "unit_id", "due_date", "status"), "count", follow_up_counts)


def upgrade():
    _create_tables()
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index("ix_consultations_board")
        batch_op.drop_index("ix_consultations_booth_id")
    _backfill()


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index("ix_consultations_booth_id", ["booth_id"], unique=False)
        batch_op.create_index(
            "ix_consultations_board",
            ["booth_id", "source", "kind", "topic", "withdrawn_at", "recorded_at"],
            unique=False,
        )
    op.drop_table("follow_up_tallies")
    op.drop_table("handout_tallies")
    op.drop_table("consultation_hour_tallies")
    op.drop_table("consultation_tallies")
