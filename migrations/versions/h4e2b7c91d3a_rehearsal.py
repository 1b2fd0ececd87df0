"""booths: a rehearsal (演练) before the day, its records kept apart from the day's entries

Revision ID: h4e2b7c91d3a
Revises: d5a7c3e91f0b
Create Date: 2026-12-05 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "h4e2b7c91d3a"
down_revision = "d5a7c3e91f0b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("rehearsal_started_at", sa.DateTime(), nullable=True))
    op.create_table(
        "rehearsal_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE",
                                                             name="fk_rehearsal_records_campaign_id_campaigns"),
                  nullable=False),
        sa.Column("booth_id", sa.Integer(), sa.ForeignKey("booths.id", ondelete="CASCADE",
                                                          name="fk_rehearsal_records_booth_id_booths"),
                  nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("client_uuid", sa.String(36), nullable=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehearsal_records")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_rehearsal_records_client_uuid")),
    )
    op.create_index("ix_rehearsal_records_campaign_id", "rehearsal_records", ["campaign_id"])
    op.create_index("ix_rehearsal_records_booth_id", "rehearsal_records", ["booth_id"])


def downgrade():
    op.drop_index("ix_rehearsal_records_booth_id", table_name="rehearsal_records")
    op.drop_index("ix_rehearsal_records_campaign_id", table_name="rehearsal_records")
    op.drop_table("rehearsal_records")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("rehearsal_started_at")
