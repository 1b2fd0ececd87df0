"""plan sections: the plan's own sections beside the standard five (一、指导思想, 六、其他事项)

Revision ID: s7d2e9a4c1f8
Revises: r9c4e1a7d3b2
Create Date: 2026-12-05 11:15:50

"""
import sqlalchemy as sa
from alembic import op

revision = "s7d2e9a4c1f8"
down_revision = "r9c4e1a7d3b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "place in ('start', 'theme', 'form', 'period', 'content', 'requirements')",
            name=op.f("ck_plan_sections_place"),
        ),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_plan_sections_campaign_id_campaigns"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_sections")),
    )
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_sections_campaign_id"), ["campaign_id"], unique=False)


def downgrade():
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_sections_campaign_id"))
    op.drop_table("plan_sections")
