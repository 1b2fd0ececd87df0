"""covering indexes for the live board

Revision ID: 7c1e2d9a4b10
Revises: 0f91fc0de2c2
Create Date: 2026-11-22 00:15:00

"""
from alembic import op

revision = "7c1e2d9a4b10"
down_revision = "0f91fc0de2c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index("ix_consultations_booth_recorded")
        batch_op.create_index(
            "ix_consultations_booth_recorded", ["booth_id", "recorded_at", "source", "withdrawn_at"], unique=False
        )
        batch_op.create_index(
            "ix_consultations_board",
            ["booth_id", "source", "kind", "topic", "withdrawn_at", "recorded_at"],
            unique=False,
        )
    with op.batch_alter_table("material_handouts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_material_handouts_board",
            ["booth_id", "material", "withdrawn_at", "recorded_at", "quantity"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("material_handouts", schema=None) as batch_op:
        batch_op.drop_index("ix_material_handouts_board")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index("ix_consultations_board")
        batch_op.drop_index("ix_consultations_booth_recorded")
        batch_op.create_index("ix_consultations_booth_recorded", ["booth_id", "recorded_at"], unique=False)
