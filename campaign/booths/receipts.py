"""Receipt codes (回执码, issue 16.5): a short code for each entry, for a volunteer or a citizen to quote.

What a code is: Crockford's base32 (no I, L, O, U: nothing to misread on a phone) of the random bits of the
entry's UUID, which the phone made, in groups of four. The common code is the first 40 bits, eight characters
("XXXX-XXXX", as codes were before they were stored). Within a city's million entries some two share those 40 bits
(a chance of about n² / 2⁴¹, one in three), so a code is given, not just computed: the first of LENGTHS (8, 12,
16 … characters, from more of the UUID's 122 random bits; the version nibble and variant bits are skipped) that no
other entry holds. The last resort, the UUID itself, cannot be held by another entry, so giving a code always ends.

Stored, and why in a table of its own (ReceiptCode): consultations, handouts and a rehearsal's test entries share
one uniqueness domain, so no two entries anywhere (not only within a campaign) share a code, and a code once given
is never changed or reused: a code quoted next year still finds the same entry or none. The entry tables stay as
they were; readers join on the UUID.

How a code is given (`assign`), in the entry's own transaction, right after the entry is inserted:
INSERT … ON CONFLICT DO NOTHING of the next candidate. The database's unique constraints decide, also between two
phones at the same instant: on PostgreSQL the second insert waits for the first's commit or rollback; SQLite
writes one at a time. Stored nothing: either this UUID already has its code (a resend: the phone lost the answer)
or another entry holds the candidate; one select of the UUID's own code tells which, and only then (it tells,
it does not decide: no select-then-insert race). This is the conflict clause the entries themselves use
(recording.py) rather than an IntegrityError caught in a SAVEPOINT: a savepoint would cost two more statements
(SAVEPOINT, RELEASE) on every entry of the hot path, the conflict clause none, and a conflict does not abort the
PostgreSQL transaction, so nothing must be rolled back. A resend reads its stored code and writes nothing
(`of_resent`).

Stable: the phone shows the code the server answered (static/js/booth.js); every page and export reads the stored
one. Existing entries were given theirs by the migration that made the table (r9c4e1a7d3b2), by the same rule, in
id order, consultations first (their codes are the ones citizens may have been told).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.booths.models import Consultation, MaterialHandout, ReceiptCode, RehearsalRecord
from campaign.shared import prepared
from campaign.shared.conflicts import conflict_insert
from campaign.web.extensions import db

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Characters of a code, 5 bits each: 40 of the UUID's 122 random bits first, more only where those are taken.
LENGTHS = (8, 12, 16, 20, 24)
RANDOM_BITS = 122


def random_bits(client_uuid: str) -> int:
    """The 122 random bits of a version-4 UUID (canonical form), most significant first: the 128 bits less the
    version nibble (bits 76–79) and the two variant bits (62–63)."""
    value = int(client_uuid.replace("-", ""), 16)
    return ((value >> 80) << 74) | (((value >> 64) & 0xFFF) << 62) | (value & ((1 << 62) - 1))


def _grouped(chars: str) -> str:
    return "-".join(chars[start:start + 4] for start in range(0, len(chars), 4))


def _codes(client_uuid: str) -> Iterator[str]:
    # One at a time: almost always only the first is wanted.
    bits = random_bits(client_uuid)
    for length in LENGTHS:
        prefix = bits >> (RANDOM_BITS - 5 * length)
        yield _grouped("".join([ALPHABET[(prefix >> shift) & 31] for shift in range(5 * length - 5, -1, -5)]))
    yield client_uuid


UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def clean_uuid(value) -> str | None:
    """An entry's UUID, as a phone sent it, in canonical form; None if it is not one."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    value = value.lower()
    return value if UUID_RE.match(value) else None


# What a code read out over the phone or typed from a photo brings: any case, spaces and dashes anywhere, a
# full-width form from a Chinese keyboard, O for 0, I or L for 1 (Crockford's reading, the reason for the alphabet).
_SEPARATORS = re.compile(r"[\s\-_.·—–]+")
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Longer than any code or UUID, however it is spaced: a search box's text beyond this is not one.
QUOTED_MAX = 80
UNREADABLE = _l("回执码是8位字母和数字，如 7K3M-9QXD（不区分大小写，可不写短横线），请核对后再查。")


def cleaned_code(text: str) -> str | None:
    """A receipt code as somebody quotes it, in the form it is stored ("7K3M-9QXD"); the UUID, the last resort
    code, as it is; None for what cannot be a code."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    uuid = clean_uuid(text)
    if uuid is not None:
        return uuid
    chars = _SEPARATORS.sub("", text).upper().translate(_MISREAD)
    if len(chars) not in LENGTHS or any(char not in ALPHABET for char in chars):
        return None
    return _grouped(chars)


@dataclass(frozen=True)
class Quoted:
    """A receipt code typed into a search: as typed (the page shows it back), and as stored if it can be one."""

    typed: str
    code: str | None = None

    @classmethod
    def of(cls, text: str | None) -> "Quoted":
        typed = (text or "").strip()[:QUOTED_MAX]
        return cls(typed, cleaned_code(typed) if typed else None)

    @property
    def unreadable(self) -> bool:
        return bool(self.typed) and self.code is None

    @property
    def problem(self) -> str | None:
        """What the page says of text that cannot be a code."""
        return str(UNREADABLE) if self.unreadable else None


def holder_of(code: str) -> sa.ScalarSelect:
    """The UUID this code was given to, as a subquery (`Model.client_uuid == holder_of(code)`)."""
    return sa.select(ReceiptCode.client_uuid).where(ReceiptCode.code == code).scalar_subquery()


def candidates(client_uuid: str) -> list[str]:
    """The codes this UUID may be given, in the order they are tried; the last is the UUID itself."""
    return list(_codes(client_uuid))


def first_code(client_uuid: str) -> str:
    """The code an entry gets unless another holds it ("XXXX-XXXX")."""
    return next(_codes(client_uuid))


_TABLE = cast(sa.Table, ReceiptCode.__table__)
_inserts: dict = {}
_OWN_CODE = sa.select(ReceiptCode.code).where(ReceiptCode.client_uuid == sa.bindparam("client_uuid"))


def _insert_statement(dialect: str):
    """INSERT … ON CONFLICT DO NOTHING RETURNING code: stores nothing when the code or the UUID is taken. Built once
    per dialect."""
    statement = _inserts.get(dialect)
    if statement is None:
        insert = conflict_insert(dialect, _TABLE)
        statement = _inserts[dialect] = insert.on_conflict_do_nothing().returning(ReceiptCode.code)
    return statement


def assign(client_uuid: str, connection: sa.Connection | None = None) -> str:
    """The code of the entry stored under this UUID (canonical form), given now if it has none yet. Written in the
    connection's transaction (by default the session's; the caller commits it with the entry); see the module's
    docstring for why it is safe against a resend and against another entry wanting the same code at the same
    time."""
    # Straight to the driver (shared/prepared.py): this is the hot path.
    connection = connection or db.session.connection()
    insert = _insert_statement(connection.dialect.name)
    for code in _codes(client_uuid):
        if prepared.scalar(connection, insert, {"code": code, "client_uuid": client_uuid}) is not None:
            return code
        own = prepared.scalar(connection, _OWN_CODE, {"client_uuid": client_uuid})
        if own is not None:
            return own
    # Unreachable: the last candidate is the UUID, which only this UUID's own row could hold.
    raise RuntimeError(f"no receipt code for {client_uuid}")


def of_resent(client_uuid: str) -> str:
    """The code of an entry a phone sent again: the one stored (a read: a resend writes nothing), or, for an entry
    stored without one (loaded in bulk), one given now and committed, as the phone's answers are (recording.py)."""
    code = code_of(client_uuid)
    if not code:
        code = assign(client_uuid)
        db.session.commit()
    return code


def code_of(client_uuid: str | None) -> str:
    """The stored code of this UUID; "" for one that has none."""
    if not client_uuid:
        return ""
    return db.session.scalar(_OWN_CODE, {"client_uuid": client_uuid}) or ""


def codes_of(client_uuids: Iterable[str]) -> dict[str, str]:
    """The stored codes of these UUIDs, in one query: {uuid: code}, without the UUIDs that have none."""
    wanted = list(set(client_uuids))
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(ReceiptCode.client_uuid, ReceiptCode.code).where(ReceiptCode.client_uuid.in_(wanted)))
    return {client_uuid: code for client_uuid, code in rows}


def give_missing(batch: int = 5000) -> None:
    """Codes for the entries stored without one, oldest first, consultations first (as the migration gave them):
    the demo and the benchmarks write their rows in bulk, not through recording. Each batch's eight-character
    codes are checked in one query and written in one statement; the few taken (also those a phone took meanwhile,
    which the conflict clause skipped) are given one by one after them. Flushes; the caller commits."""
    insert = conflict_insert(db.session.get_bind().dialect.name, _TABLE).on_conflict_do_nothing().returning(
        ReceiptCode.client_uuid)
    for model in (Consultation, MaterialHandout, RehearsalRecord):
        last_id = 0
        while True:
            rows = db.session.execute(
                sa.select(model.id, model.client_uuid)
                .outerjoin(ReceiptCode, ReceiptCode.client_uuid == model.client_uuid)
                .where(model.id > last_id, ReceiptCode.code.is_(None), model.client_uuid.is_not(None))
                .order_by(model.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            last_id = rows[-1][0]
            # (No None among them: the query leaves those out.)
            firsts = {client_uuid: first_code(client_uuid) for _id, client_uuid in cast(list[tuple[int, str]], rows)}
            taken = set(db.session.scalars(sa.select(ReceiptCode.code).where(ReceiptCode.code.in_(set(firsts.values())))))
            free: dict[str, str] = {}
            later: list[str] = []
            for client_uuid, code in firsts.items():
                if code in taken or code in free:
                    later.append(client_uuid)
                else:
                    free[code] = client_uuid
            if free:
                given = set(db.session.scalars(
                    insert, [{"code": code, "client_uuid": uuid} for code, uuid in free.items()]))
                later = [uuid for uuid in free.values() if uuid not in given] + later
            for client_uuid in later:
                assign(client_uuid)
