"""receipt codes: stored, one per entry UUID, unique (issue 16.5); existing entries given theirs

Revision ID: r9c4e1a7d3b2
Revises: x651b9d8ed34
Create Date: 2026-12-05 04:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "r9c4e1a7d3b2"
down_revision = "x651b9d8ed34"
branch_labels = None
depends_on = None

BATCH = 10_000

# The rule of campaign/booths/receipts.py as it is today, copied so that this migration means the same thing
# whatever that module becomes (tests/booths/test_receipts.py checks that the two agree).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTHS = (8, 12, 16, 20, 24)
RANDOM_BITS = 122


def _candidates(client_uuid: str) -> list[str]:
    value = int(client_uuid.replace("-", ""), 16)
    bits = ((value >> 80) << 74) | (((value >> 64) & 0xFFF) << 62) | (value & ((1 << 62) - 1))
    codes = []
    for length in LENGTHS:
        prefix = bits >> (RANDOM_BITS - 5 * length)
        chars = "".join(ALPHABET[(prefix >> shift) & 31] for shift in range(5 * length - 5, -1, -5))
        codes.append("-".join(chars[start:start + 4] for start in range(0, len(chars), 4)))
    return [*codes, client_uuid]


def upgrade():
    codes = op.create_table(
        "receipt_codes",
        sa.Column("code", sa.String(length=36), nullable=False),
        sa.Column("client_uuid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_receipt_codes")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_receipt_codes_client_uuid")),
        sqlite_with_rowid=False,
    )
    # Every stored entry gets the code it would get now, in id order, consultations first: theirs are the codes
    # citizens may have been told (the thanks page), so where two entries share eight characters the consultation
    # keeps them and the later entry, or the handout, gets the longer code.
    connection = op.get_bind()
    taken: set[str] = set()
    given: set[str] = set()
    for table in ("consultations", "material_handouts", "rehearsal_records"):
        source = sa.table(table, sa.column("id", sa.Integer), sa.column("client_uuid", sa.String))
        last_id = 0
        while True:
            rows = connection.execute(
                sa.select(source.c.id, source.c.client_uuid)
                .where(source.c.id > last_id, source.c.client_uuid.is_not(None))
                .order_by(source.c.id).limit(BATCH)
            ).all()
            if not rows:
                break
            last_id = rows[-1].id
            batch = []
            for _id, client_uuid in rows:
                client_uuid = client_uuid.lower()
                if client_uuid in given:  # the same UUID in two tables (a rehearsal's entry sent again on the day)
                    continue
                code = next(code for code in _candidates(client_uuid) if code not in taken)
                taken.add(code)
                given.add(client_uuid)
                batch.append({"code": code, "client_uuid": client_uuid})
            if batch:
                connection.execute(codes.insert(), batch)


def downgrade():
    op.drop_table("receipt_codes")
