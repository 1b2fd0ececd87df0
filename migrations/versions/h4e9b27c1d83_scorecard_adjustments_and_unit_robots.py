"""scorecard settings (partial credit for lateness, too few records), manual score adjustments with a reason, and a
unit's own group robots for its reminders

Revision ID: h4e9b27c1d83
Revises: d5a7c3e91f0b
Create Date: 2026-12-05 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "h4e9b27c1d83"
down_revision = "k6d1f3a8c2e7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scorecard_settings",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("late_points_per_day", sa.Integer(), nullable=False),
        sa.Column("min_consultations", sa.Integer(), nullable=False),
        sa.Column("require_booth", sa.Boolean(), nullable=False),
        sa.CheckConstraint("late_points_per_day >= 0 and late_points_per_day <= 1000",
                           name=op.f("ck_scorecard_settings_late_points_per_day")),
        sa.CheckConstraint("min_consultations >= 0", name=op.f("ck_scorecard_settings_min_consultations")),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"],
                                name=op.f("fk_scorecard_settings_campaign_id_campaigns"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_scorecard_settings")),
    )
    op.create_table(
        "score_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("points >= -1000 and points <= 1000", name=op.f("ck_score_adjustments_points")),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"],
                                name=op.f("fk_score_adjustments_campaign_id_campaigns"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_score_adjustments_unit_id_units"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_score_adjustments_updated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_adjustments")),
        sa.UniqueConstraint("campaign_id", "unit_id", name=op.f("uq_score_adjustments_campaign_id")),
    )
    with op.batch_alter_table("score_adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_adjustments_campaign_id"), ["campaign_id"], unique=False)
    op.create_table(
        "unit_robots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_unit_robots_unit_id_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_robots")),
        sa.UniqueConstraint("unit_id", "channel", name=op.f("uq_unit_robots_unit_id")),
    )
    with op.batch_alter_table("unit_robots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_robots_unit_id"), ["unit_id"], unique=False)


def downgrade():
    op.drop_table("unit_robots")
    op.drop_table("score_adjustments")
    op.drop_table("scorecard_settings")
