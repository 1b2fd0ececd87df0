"""plan as offices write it: 参加/责任-only roles in the plan's order with 等, unit groups (统称), plain venues,
date-only deadlines, time style, the notice's body and the plan's opening paragraph

Revision ID: e13a5c7d9f01
Revises: r7e3a91c5d20
Create Date: 2026-12-04 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e13a5c7d9f01"
down_revision = "r7e3a91c5d20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_groups_name")),
    )
    op.create_table(
        "unit_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["unit_groups.id"], name=op.f("fk_unit_group_members_group_id_unit_groups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_unit_group_members_unit_id_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "unit_id", name=op.f("pk_unit_group_members")),
    )
    op.create_index(op.f("ix_unit_group_members_unit_id"), "unit_group_members", ["unit_id"])

    with op.batch_alter_table("activity_units", schema=None) as batch_op:
        batch_op.alter_column("unit_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_activity_units_group_id"), ["group_id"])
        batch_op.create_foreign_key(batch_op.f("fk_activity_units_group_id_unit_groups"), "unit_groups", ["group_id"], ["id"])
        batch_op.create_unique_constraint("uq_activity_units_activity_group", ["activity_id", "group_id"])
        batch_op.drop_constraint(op.f("ck_activity_units_role"), type_="check")
        batch_op.create_check_constraint("role", "role in ('lead', 'cooperating', 'participating', 'responsible')")
        batch_op.create_check_constraint("unit_or_group", "(unit_id is null) <> (group_id is null)")
    # The plan's order was the order of entry.
    op.execute("UPDATE activity_units SET position = id")

    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("etc_roles", sa.String(length=60), server_default="", nullable=False))

    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=8), server_default="branch", nullable=False))
    op.execute("UPDATE venues SET kind = CASE WHEN is_main THEN 'main' ELSE 'branch' END")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_column("is_main")
        batch_op.create_check_constraint("kind", "kind in ('main', 'branch', 'plain')")

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline_date_only", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("time_style", sa.String(length=8), server_default="cn", nullable=False))
        batch_op.add_column(sa.Column("notice_body", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("opening_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint("time_style", "time_style in ('cn', 'colon')")


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_campaigns_time_style"), type_="check")
        batch_op.drop_column("opening_text")
        batch_op.drop_column("notice_body")
        batch_op.drop_column("time_style")
        batch_op.drop_column("deadline_date_only")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_main", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE venues SET is_main = (kind = 'main')")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_venues_kind"), type_="check")
        batch_op.drop_column("kind")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("etc_roles")
    # Groups cannot be expressed before this revision: their links go.
    op.execute("DELETE FROM activity_units WHERE unit_id IS NULL")
    with op.batch_alter_table("activity_units", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_activity_units_unit_or_group"), type_="check")
        batch_op.drop_constraint(op.f("ck_activity_units_role"), type_="check")
        batch_op.execute("UPDATE activity_units SET role = 'cooperating' WHERE role = 'participating'")
        batch_op.create_check_constraint("role", "role in ('lead', 'cooperating', 'responsible')")
        batch_op.drop_constraint("uq_activity_units_activity_group", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_activity_units_group_id_unit_groups"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_activity_units_group_id"))
        batch_op.drop_column("position")
        batch_op.drop_column("group_id")
        batch_op.alter_column("unit_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_unit_group_members_unit_id"), table_name="unit_group_members")
    op.drop_table("unit_group_members")
    op.drop_table("unit_groups")
