"""office days: the office's own holidays and 调休 workdays, over the chinesecalendar library

Revision ID: x651b9d8ed34
Revises: wdfa4c9edc30
Create Date: 2026-12-05 05:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "x651b9d8ed34"
down_revision = "wdfa4c9edc30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "office_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_days")),
        sa.UniqueConstraint("day", name=op.f("uq_office_days_day")),
    )


def downgrade():
    op.drop_table("office_days")
