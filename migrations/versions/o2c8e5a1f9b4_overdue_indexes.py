"""follow-ups: indexes for the board's overdue list (pending by reply deadline, replied by closing deadline)

Revision ID: o2c8e5a1f9b4
Revises: c4e19a7b2d60
Create Date: 2026-12-05 03:10:00

"""
from alembic import op

revision = "o2c8e5a1f9b4"
down_revision = "c4e19a7b2d60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_follow_ups_status_due", "follow_ups", ["status", "due_date"])
    op.create_index("ix_follow_ups_status_close_due", "follow_ups", ["status", "close_due_date"])


def downgrade():
    op.drop_index("ix_follow_ups_status_close_due", table_name="follow_ups")
    op.drop_index("ix_follow_ups_status_due", table_name="follow_ups")
