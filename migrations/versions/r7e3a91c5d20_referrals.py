"""referrals: the responsible unit's states, deadlines and call-back; routing by topic; deadlines per kind

Revision ID: r7e3a91c5d20
Revises: c4d6e8f0a2b3
Create Date: 2026-12-04 22:40:00

Follow-ups move from open/closed to 待办理 → 已答复 → 已回访 → 办结 (pending, replied, called_back, closed): an open
one is pending; a closed one was replied to and closed at the same moment. Its due date stays the reply's; the
closing's is the same day for the rows already stored (they had one deadline). The campaign's single follow-up
period becomes working days to reply and to close per kind; the old period becomes both kinds' closing deadline.
The follow-up tallies gain the new key columns and are recounted from the rows.
"""
import json
from collections import Counter
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "r7e3a91c5d20"
down_revision = "c4d6e8f0a2b3"
branch_labels = None
depends_on = None

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
WITHOUT_ROWID = {"sqlite_with_rowid": False}
TALLY_KEY = ("booth_id", "unit_id", "due_date", "close_due_date", "status", "replied", "call_back")


def _create_tallies():
    op.create_table(
        "follow_up_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("close_due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("replied", sa.String(length=8), nullable=False),
        sa.Column("call_back", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_follow_up_tallies_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_follow_up_tallies_unit_id_units")),
        sa.PrimaryKeyConstraint(*TALLY_KEY, name=op.f("pk_follow_up_tallies")),
        **WITHOUT_ROWID,
    )


def _recount_tallies():
    """The same rule as campaign/booths/tallies.py (follow_up_key), which a migration must not import."""
    connection = op.get_bind()
    consultations = sa.table("consultations", sa.column("id"), sa.column("booth_id"), sa.column("withdrawn_at"))
    follow_ups = sa.table(
        "follow_ups", sa.column("consultation_id"), sa.column("unit_id"), sa.column("due_date", sa.Date()),
        sa.column("close_due_date", sa.Date()), sa.column("status"), sa.column("replied_at", sa.DateTime()),
        sa.column("call_back_reached", sa.Boolean()), sa.column("call_back_satisfaction"),
    )
    counts: Counter = Counter()
    rows = connection.execute(
        sa.select(consultations.c.booth_id, follow_ups.c.unit_id, follow_ups.c.due_date, follow_ups.c.close_due_date,
                  follow_ups.c.status, follow_ups.c.replied_at, follow_ups.c.call_back_reached,
                  follow_ups.c.call_back_satisfaction)
        .select_from(follow_ups.join(consultations, follow_ups.c.consultation_id == consultations.c.id))
        .where(consultations.c.withdrawn_at.is_(None))
    )
    for booth_id, unit_id, due, close_due, status, replied_at, reached, satisfaction in rows:
        replied = ""
        if replied_at is not None:
            moment = replied_at.replace(tzinfo=UTC) if replied_at.tzinfo is None else replied_at
            replied = "in_time" if moment.astimezone(LOCAL_TZ).date() <= due else "late"
        call_back = "" if reached is None else (satisfaction or "") if reached else "missed"
        counts[(booth_id, unit_id, due, close_due, status, replied, call_back)] += 1
    tallies = sa.table("follow_up_tallies", *(sa.column(name) for name in TALLY_KEY), sa.column("count"))
    if counts:
        connection.execute(
            sa.insert(tallies), [{**dict(zip(TALLY_KEY, key, strict=True)), "count": n} for key, n in counts.items()]
        )


def upgrade():
    connection = op.get_bind()

    with op.batch_alter_table("booth_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadlines", sa.JSON(), nullable=True))
    settings = sa.table("booth_settings", sa.column("campaign_id"), sa.column("follow_up_days"),
                        sa.column("deadlines", sa.JSON()))
    for campaign_id, days in connection.execute(sa.select(settings.c.campaign_id, settings.c.follow_up_days)).all():
        deadlines = {"转办": {"reply": min(5, days), "close": days}, "需回访": {"reply": min(3, days), "close": days}}
        connection.execute(sa.update(settings).where(settings.c.campaign_id == campaign_id).values(deadlines=deadlines))
    default = json.dumps({"转办": {"reply": 5, "close": 15}, "需回访": {"reply": 3, "close": 10}}, ensure_ascii=False)
    connection.execute(sa.update(settings).where(settings.c.deadlines.is_(None)).values(deadlines=json.loads(default)))
    with op.batch_alter_table("booth_settings", schema=None) as batch_op:
        batch_op.alter_column("deadlines", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("follow_up_days")

    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_follow_ups_status"), type_="check")
        batch_op.alter_column("status", existing_type=sa.String(length=8), type_=sa.String(length=12))
        batch_op.add_column(sa.Column("close_due_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("replied_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("call_back_reached", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("call_back_satisfaction", sa.String(length=8), server_default="", nullable=False))
        batch_op.add_column(sa.Column("call_back_note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("called_back_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("called_back_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("awaiting_decision", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_follow_ups_replied_by_id_users"), "users", ["replied_by_id"], ["id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_called_back_by_id_users"), "users", ["called_back_by_id"], ["id"]
        )
    follow_ups = sa.table(
        "follow_ups", sa.column("status"), sa.column("due_date", sa.Date()), sa.column("close_due_date", sa.Date()),
        sa.column("closed_at", sa.DateTime()), sa.column("closed_by_id"), sa.column("replied_at", sa.DateTime()),
        sa.column("replied_by_id"),
    )
    connection.execute(sa.update(follow_ups).values(close_due_date=follow_ups.c.due_date))
    connection.execute(sa.update(follow_ups).where(follow_ups.c.status == "open").values(status="pending"))
    connection.execute(
        sa.update(follow_ups).where(follow_ups.c.status == "closed")
        .values(replied_at=follow_ups.c.closed_at, replied_by_id=follow_ups.c.closed_by_id)
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.alter_column("close_due_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_check_constraint("status", "status in ('pending', 'replied', 'called_back', 'closed')")

    op.create_table(
        "referral_routes",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_referral_routes_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_referral_routes_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("campaign_id", "topic", "unit_id", name=op.f("pk_referral_routes")),
    )

    op.drop_table("follow_up_tallies")
    _create_tallies()
    _recount_tallies()


def downgrade():
    op.drop_table("follow_up_tallies")
    op.drop_table("referral_routes")
    connection = op.get_bind()
    follow_ups = sa.table("follow_ups", sa.column("status"))
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_follow_ups_status"), type_="check")
    connection.execute(sa.update(follow_ups).where(follow_ups.c.status != "closed").values(status="open"))
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_follow_ups_called_back_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_follow_ups_replied_by_id_users"), type_="foreignkey")
        for column in ("awaiting_decision", "called_back_by_id", "called_back_at", "call_back_note",
                       "call_back_satisfaction", "call_back_reached", "replied_by_id", "replied_at", "close_due_date"):
            batch_op.drop_column(column)
        batch_op.alter_column("status", existing_type=sa.String(length=12), type_=sa.String(length=8))
        batch_op.create_check_constraint("status", "status in ('open', 'closed')")
    with op.batch_alter_table("booth_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_days", sa.Integer(), server_default="15", nullable=False))
        batch_op.drop_column("deadlines")
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
