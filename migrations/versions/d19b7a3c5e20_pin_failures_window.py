"""booth PIN failures: a window for the booth-wide count; the public card's hourly counts per booth

Revision ID: d19b7a3c5e20
Revises: ac743636f5cf
Create Date: 2026-12-04 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d19b7a3c5e20"
down_revision = "ac743636f5cf"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booth_pin_failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_started_at", sa.DateTime(), nullable=True))
    op.create_table(
        "public_card_hours",
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("hour_start", sa.DateTime(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["booth_id"], ["booths.id"], name=op.f("fk_public_card_hours_booth_id_booths"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("booth_id", "hour_start", name=op.f("pk_public_card_hours")),
    )


def downgrade():
    op.drop_table("public_card_hours")
    with op.batch_alter_table("booth_pin_failures", schema=None) as batch_op:
        batch_op.drop_column("window_started_at")
