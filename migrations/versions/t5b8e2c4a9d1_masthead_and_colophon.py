"""campaigns: the notice's 版头 (发文机关标志) and 版记 (抄送, 印发机关, 印发日期)

Revision ID: t5b8e2c4a9d1
Revises: f7b2c9d4e6a1
Create Date: 2026-12-04 22:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "t5b8e2c4a9d1"
down_revision = "f7b2c9d4e6a1"
branch_labels = None
depends_on = None


def upgrade():
    # Constant defaults only: an expression (sa.false()) makes the SQLite batch recreate the table, and dropping the
    # old campaigns table would cascade to every booth and consultation under it. '0' is false on both databases.
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("masthead_shown", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("issuer_mark", sa.String(length=40), server_default="", nullable=False))
        batch_op.add_column(sa.Column("copy_to", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("printed_by", sa.String(length=100), server_default="", nullable=False))
        batch_op.add_column(sa.Column("printed_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for column in ("printed_on", "printed_by", "copy_to", "issuer_mark", "masthead_shown"):
            batch_op.drop_column(column)
