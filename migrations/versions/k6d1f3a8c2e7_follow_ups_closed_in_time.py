"""follow-up tallies: whether a closed follow-up was closed by its deadline (the report's 按期办结 from the tallies)

Revision ID: k6d1f3a8c2e7
Revises: h4e2b7c91d3a
Create Date: 2026-12-05 02:00:00

"""
from collections import Counter
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "k6d1f3a8c2e7"
down_revision = "h4e2b7c91d3a"
branch_labels = None
depends_on = None

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
WITHOUT_ROWID = {"sqlite_with_rowid": False}
OLD_KEY = ("booth_id", "unit_id", "due_date", "close_due_date", "status", "replied", "call_back")
NEW_KEY = (*OLD_KEY, "closed")


def _create(key: tuple[str, ...]):
    columns = [
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("close_due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("replied", sa.String(length=8), nullable=False),
        sa.Column("call_back", sa.String(length=8), nullable=False),
    ]
    if "closed" in key:
        columns.append(sa.Column("closed", sa.String(length=8), nullable=False))
    op.create_table(
        "follow_up_tallies",
        *columns,
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_follow_up_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_follow_up_tallies_unit_id_units")),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_follow_up_tallies")),
        **WITHOUT_ROWID,
    )


def _in_time(moment, due) -> str:
    if moment is None:
        return ""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return "in_time" if moment.astimezone(LOCAL_TZ).date() <= due else "late"


def _recount(key: tuple[str, ...]):
    """The same rule as campaign/booths/tallies.py (follow_up_key), which a migration must not import."""
    connection = op.get_bind()
    consultations = sa.table("consultations", sa.column("id"), sa.column("booth_id"), sa.column("withdrawn_at"))
    follow_ups = sa.table(
        "follow_ups", sa.column("consultation_id"), sa.column("unit_id"), sa.column("due_date", sa.Date()),
        sa.column("close_due_date", sa.Date()), sa.column("status"), sa.column("replied_at", sa.DateTime()),
        sa.column("call_back_reached", sa.Boolean()), sa.column("call_back_satisfaction"),
        sa.column("closed_at", sa.DateTime()),
    )
    counts: Counter = Counter()
    rows = connection.execute(
        sa.select(consultations.c.booth_id, follow_ups.c.unit_id, follow_ups.c.due_date, follow_ups.c.close_due_date,
                  follow_ups.c.status, follow_ups.c.replied_at, follow_ups.c.call_back_reached,
                  follow_ups.c.call_back_satisfaction, follow_ups.c.closed_at)
        .select_from(follow_ups.join(consultations, follow_ups.c.consultation_id == consultations.c.id))
        .where(consultations.c.withdrawn_at.is_(None))
    )
    for booth_id, unit_id, due, close_due, status, replied_at, reached, satisfaction, closed_at in rows:
        call_back = "" if reached is None else (satisfaction or "") if reached else "missed"
        row = (booth_id, unit_id, due, close_due, status, _in_time(replied_at, due), call_back)
        if "closed" in key:
            row = (*row, _in_time(closed_at, close_due) if status == "closed" else "")
        counts[row] += 1
    tallies = sa.table("follow_up_tallies", *(sa.column(name) for name in key), sa.column("count"))
    values = [{**dict(zip(key, row, strict=True)), "count": n} for row, n in counts.items()]
    for start in range(0, len(values), 5000):
        connection.execute(sa.insert(tallies), values[start:start + 5000])


def upgrade():
    # Running totals, derived from the rows: recounted rather than altered in place.
    op.drop_table("follow_up_tallies")
    _create(NEW_KEY)
    _recount(NEW_KEY)


def downgrade():
    op.drop_table("follow_up_tallies")
    _create(OLD_KEY)
    _recount(OLD_KEY)
