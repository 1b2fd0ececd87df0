"""reminders: a schedule of slots per campaign, the robots' and SMS gateway's settings, and each send (UNIQUE per
slot, recipient and channel: the claim that sends a reminder once)

Revision ID: r3b7d1e9a4c6
Revises: q829e8b31aa
Create Date: 2026-12-05 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "r3b7d1e9a4c6"
down_revision = "q829e8b31aa"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_reminder_slots_campaign_id_campaigns"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_slots")),
        sa.UniqueConstraint("campaign_id", "key", name=op.f("uq_reminder_slots_campaign_id")),
    )
    with op.batch_alter_table("reminder_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_slots_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "reminder_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("template", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"],
                                name=op.f("fk_reminder_channels_campaign_id_campaigns"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_channels")),
        sa.UniqueConstraint("campaign_id", "channel", name=op.f("uq_reminder_channels_campaign_id")),
    )
    with op.batch_alter_table("reminder_channels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_channels_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "reminder_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("next_try_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status in ('claimed', 'sent', 'retry', 'failed')", name=op.f("ck_reminder_sends_status")),
        sa.ForeignKeyConstraint(["slot_id"], ["reminder_slots.id"], name=op.f("fk_reminder_sends_slot_id_reminder_slots"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sends")),
        sa.UniqueConstraint("slot_id", "recipient", "channel", name=op.f("uq_reminder_sends_slot_id")),
    )
    with op.batch_alter_table("reminder_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_sends_slot_id"), ["slot_id"], unique=False)


def downgrade():
    op.drop_table("reminder_sends")
    op.drop_table("reminder_channels")
    op.drop_table("reminder_slots")
