"""jobs on the task queue: attempts and worker of a report job

Revision ID: q829e8b31aa
Revises: c4d6e8f0a2b3
Create Date: 2026-12-04 22:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "q829e8b31aa"
down_revision = "c4d6e8f0a2b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("worker", sa.String(length=120), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("worker")
        batch_op.drop_column("attempts")
