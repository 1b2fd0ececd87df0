"""plan: the cover notice's title as the office wrote it (关于开展…活动的通知); empty means 关于印发《方案》的通知

Revision ID: n8d2f4a6b1c3
Revises: o2c8e5a1f9b4
Create Date: 2026-12-05 04:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "n8d2f4a6b1c3"
down_revision = "o2c8e5a1f9b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("notice_title", sa.String(length=300), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("notice_title")
