"""activity units: the name as the plan's list writes it (教育局 in 区发改局、教育局), "" = the unit's label

Revision ID: wdfa4c9edc30
Revises: n8d2f4a6b1c3
Create Date: 2026-12-05 04:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "wdfa4c9edc30"
down_revision = "n8d2f4a6b1c3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activity_units") as batch_op:
        batch_op.add_column(sa.Column("written", sa.String(length=100), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("activity_units") as batch_op:
        batch_op.drop_column("written")
