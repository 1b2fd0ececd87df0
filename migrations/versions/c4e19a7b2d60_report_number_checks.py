"""report: the numbers check's decisions on the draft, and those an export went out with

Revision ID: c4e19a7b2d60
Revises: h4e9b27c1d83
Create Date: 2026-12-05 02:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c4e19a7b2d60"
down_revision = "h4e9b27c1d83"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_drafts") as batch:
        batch.add_column(sa.Column("number_checks", sa.JSON(), nullable=True))
    with op.batch_alter_table("report_snapshots") as batch:
        batch.add_column(sa.Column("number_checks", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("report_snapshots") as batch:
        batch.drop_column("number_checks")
    with op.batch_alter_table("report_drafts") as batch:
        batch.drop_column("number_checks")
