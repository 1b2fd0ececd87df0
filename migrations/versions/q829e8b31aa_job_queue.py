"""jobs on the task queue: attempts and worker of a report job; file jobs (exports, cards) made in the background; the register optional in the report's XLSX; consultation profile tallies (handling, asker type, satisfaction per
booth), filled from the rows already stored

Revision ID: q829e8b31aa
Revises: t5b8e2c4a9d1
Create Date: 2026-12-04 22:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "q829e8b31aa"
down_revision = "t5b8e2c4a9d1"
branch_labels = None
depends_on = None


def _profile_tallies():
    op.create_table(
        "consultation_profile_tallies",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("handling", sa.String(length=8), nullable=False),
        sa.Column("asker_type", sa.String(length=8), nullable=False),
        sa.Column("satisfaction", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["booth_id"], ["booths.id"], name=op.f("fk_consultation_profile_tallies_booth_id_booths"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("booth_id", "handling", "asker_type", "satisfaction",
                                name=op.f("pk_consultation_profile_tallies")),
        sqlite_with_rowid=False,
    )
    # The running totals of the entries already stored (withdrawn ones count for nothing), as tallies.py keeps them.
    op.execute(
        "INSERT INTO consultation_profile_tallies (booth_id, handling, asker_type, satisfaction, count) "
        "SELECT booth_id, COALESCE(handling, ''), COALESCE(asker_type, ''), COALESCE(satisfaction, ''), COUNT(*) "
        "FROM consultations WHERE withdrawn_at IS NULL "
        "GROUP BY booth_id, COALESCE(handling, ''), COALESCE(asker_type, ''), COALESCE(satisfaction, '')"
    )


def upgrade():
    _profile_tallies()
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("worker", sa.String(length=120), server_default="", nullable=False))

    with op.batch_alter_table("report_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("include_register", sa.Boolean(), server_default=sa.true(), nullable=False))

    op.create_table(
        "file_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("file_path", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("worker", sa.String(length=120), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status in ('queued', 'running', 'done', 'failed')", name=op.f("ck_file_jobs_status")),
        sa.CheckConstraint("progress >= 0 and progress <= 100", name=op.f("ck_file_jobs_progress")),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_file_jobs_campaign_id_campaigns"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_file_jobs_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_jobs")),
    )
    with op.batch_alter_table("file_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_jobs_campaign_id"), ["campaign_id"], unique=False)


def downgrade():
    op.drop_table("consultation_profile_tallies")
    with op.batch_alter_table("file_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_jobs_campaign_id"))
    op.drop_table("file_jobs")
    with op.batch_alter_table("report_drafts", schema=None) as batch_op:
        batch_op.drop_column("include_register")
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("worker")
        batch_op.drop_column("attempts")
