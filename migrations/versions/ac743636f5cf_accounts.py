"""accounts: contact details, last sign-in and paused sign-in on users; sessions that can be ended; one-time
sign-in links (stored as hashes)

Revision ID: ac743636f5cf
Revises: e13a5c7d9f01
Create Date: 2026-12-04 22:19:29

"""
import sqlalchemy as sa
from alembic import op

revision = "ac743636f5cf"
down_revision = "e13a5c7d9f01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("sign_in_links",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("token_hash", sa.String(length=64), nullable=False),
    sa.Column("purpose", sa.String(length=16), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
    sa.Column("used_at", sa.DateTime(), nullable=True),
    sa.Column("voided_at", sa.DateTime(), nullable=True),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.Column("batch", sa.String(length=40), nullable=False),
    sa.CheckConstraint("purpose in ('invite', 'reset')", name=op.f("ck_sign_in_links_purpose")),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_sign_in_links_created_by_id_users"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sign_in_links_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_links")),
    sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_links_token_hash"))
    )
    with op.batch_alter_table("sign_in_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_links_batch"), ["batch"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_links_user_id"), ["user_id"], unique=False)

    op.create_table("user_sessions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("key_hash", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("ended_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    sa.UniqueConstraint("key_hash", name=op.f("uq_user_sessions_key_hash"))
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=30), server_default="", nullable=False))
        batch_op.add_column(sa.Column("email", sa.String(length=120), server_default="", nullable=False))
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("login_paused_until", sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("login_paused_until")
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("email")
        batch_op.drop_column("phone")

    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))

    op.drop_table("user_sessions")
    with op.batch_alter_table("sign_in_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_links_user_id"))
        batch_op.drop_index(batch_op.f("ix_sign_in_links_batch"))

    op.drop_table("sign_in_links")
