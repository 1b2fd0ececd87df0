"""summaries: the recorded figures as they stood when the organizer accepted the summary

Revision ID: d5a7c3e91f0b
Revises: r3b7d1e9a4c6
Create Date: 2026-12-05 00:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d5a7c3e91f0b"
down_revision = "r3b7d1e9a4c6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("unit_summaries") as batch:
        batch.add_column(sa.Column("accepted_figures", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("unit_summaries") as batch:
        batch.drop_column("accepted_figures")
