"""units: contact e-mail for summary reminders

Revision ID: c4d6e8f0a2b3
Revises: a3c5e7f9b2d4
Create Date: 2026-11-22 03:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c4d6e8f0a2b3"
down_revision = "a3c5e7f9b2d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_email", sa.String(length=120), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_column("contact_email")
