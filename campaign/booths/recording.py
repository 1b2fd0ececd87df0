"""Recording at a booth: consultations and handouts, each once, however often a phone resends it.

CONTRACT (implemented by the staff-page work; used by the public card too):

record_consultation(booth, fields: dict, client_uuid: str, device_id: str = "", source: str = "staff")
    -> Recorded(entry: Consultation, created: bool, receipt: str)
    fields: kind, topic, question, asker_type, handling, person_name, person_phone, consent, satisfaction,
    recorded_at (aware datetime or None = now). Validates (raises Refusal with a dict of Chinese
    messages per field), inserts, and relies on the UNIQUE constraint on client_uuid: INSERT … ON CONFLICT DO
    NOTHING stores nothing for a repeat, which returns the existing row with created=False. The entry's receipt
    code (booths/receipts.py) is given in the same transaction, and a repeat is answered with the one stored.
    Counts a new entry in the live board's tallies in the same transaction. Opens a follow-up via
    campaign.booths.followups.ensure_follow_up, for the unit fields["referral_unit_id"] names (see
    campaign.booths.routing.responsible_unit_id: a unit not taking part is refused). Commits.

record_handout(booth, material: str, quantity: int, client_uuid: str, device_id: str = "",
               recorded_at=None) -> Recorded(entry: MaterialHandout, created, receipt)   same idempotency.

The phone's common case on a connection of its own, without the ORM session (the hot path): booths/fast_recording.py.

The same device's correction or withdrawal within its ten minutes: booths/corrections.py.

Every change here commits itself, before the phone gets its answer (the staff and public blueprints are left out
of the per-request commit, web/transaction.py): an entry is stored exactly once even when the server is killed
mid-request, and that depends on the commit being here, with the entry and its tallies in one transaction.
"""

from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import make_transient_to_detached

from campaign.booths import receipts, rehearsal, tallies
from campaign.booths.closing import closed_message, entries_closed, recorded_too_late
from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import (
    ALL_HANDLINGS,
    ASKER_TYPES,
    DEFAULT_MATERIALS,
    DEFAULT_TOPICS,
    HANDLINGS,
    KINDS,
    REHEARSAL_CONSULTATION,
    REHEARSAL_HANDOUT,
    SATISFACTIONS,
    SOURCE_PUBLIC,
    SOURCE_STAFF,
    BoothSettings,
    Consultation,
    MaterialHandout,
    RehearsalRecord,
)
from campaign.booths.on_duty import BoothLike
from campaign.booths.receipts import clean_uuid
from campaign.booths.routing import responsible_unit_id
from campaign.shared import prepared
from campaign.shared.conflicts import conflict_insert
from campaign.shared.phones import clean_phone
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

QUESTION_MAX = 500
NAME_MAX = 50
QUANTITY_MAX = 10_000
# A phone's clock may run a little ahead; a time further in the future is not believed.
CLOCK_SKEW = timedelta(minutes=5)
# An entry is logged on the campaign's days; the day before is allowed for a rehearsal at the desk. A time before
# that is a phone whose clock was never set (1970) or a forged one: refused, so the volunteer sees it and fixes it.
EARLIEST_BEFORE_PERIOD = timedelta(days=1)



class Recorded(NamedTuple):
    """What storing a phone's entry gives back: the entry (a rehearsal's test entry while the campaign rehearses),
    whether this request stored it (False for a resend), and its receipt code, as stored."""

    entry: Consultation | MaterialHandout | RehearsalRecord
    created: bool
    receipt: str


class EntriesClosed(Refusal):
    """The campaign takes no more entries (campaign/booths/closing.py): not the entry's fault, so a phone keeps it
    and the volunteer is told whom to contact, rather than being asked to correct it."""


def _settings(campaign_id: int) -> BoothSettings | None:
    return db.session.get(BoothSettings, campaign_id)


def _topics(settings: BoothSettings | None) -> list[str]:
    return list(settings.topics) if settings and settings.topics else list(DEFAULT_TOPICS)


def materials_of(settings: BoothSettings | None) -> list[str]:
    return list(settings.materials) if settings and settings.materials else list(DEFAULT_MATERIALS)


def topics_for(campaign_id: int) -> list[str]:
    return _topics(_settings(campaign_id))


def materials_for(campaign_id: int) -> list[str]:
    return materials_of(_settings(campaign_id))


def _text(value) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "y", "yes", "on", "true")
    return value is True or value == 1


def recorded_at_problem(booth: BoothLike, value) -> str | None:
    """What is wrong with the time a phone says it logged an entry at (None: nothing). Without a time the entry is
    logged now, which must not be before the campaign either: trying the links out beforehand is a rehearsal's job
    (booths/rehearsal.py), whose entries count nowhere."""
    first_day = rehearsal.earliest_day(booth.campaign)
    earliest = datetime.combine(first_day, time.min, LOCAL_TZ) - EARLIEST_BEFORE_PERIOD
    if value is None:
        if utcnow() < earliest:
            return _("活动%(day)s开始，现在还不能登记。如需事先试用，请联系组织方开启演练。",
                     day=f"{first_day.month}月{first_day.day}日")
        return None
    if not isinstance(value, datetime):
        return _("记录时间无效。")
    try:
        # Compared in UTC, as it is stored: year 1 in Beijing time has no UTC (an overflow, once a 500).
        too_early = (value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)).astimezone(UTC) < earliest
    except (OverflowError, ValueError):
        return _("记录时间无效。")
    if too_early:
        return _("记录时间早于活动开始（%(day)s），请核对手机的日期和时间后再保存。",
                 day=f"{first_day.month}月{first_day.day}日")
    return recorded_too_late(booth.campaign, value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ))


def entry_time(value: datetime | None, now: datetime) -> datetime:
    """When an entry was logged: the phone's time, or now if it sent none or one too far ahead of ours."""
    if value is None:
        return now
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return now if value > now + CLOCK_SKEW else value


def entry_row(uuid: str, booth: BoothLike, recorded_at, now: datetime, device_id: str, **fields) -> dict:
    """An entry's row as stored, a consultation's or a handout's: its UUID and booth, when it was logged (entry_time)
    and received, the phone that sent it, and its own `fields`."""
    return dict(client_uuid=uuid, booth_id=booth.id, recorded_at=entry_time(recorded_at, now), received_at=now,
                device_id=device_id[:36], **fields)


def clean_consultation(booth: BoothLike, fields: dict, source: str = SOURCE_STAFF) -> dict:
    """The fields as stored; raises Refusal with a Chinese message per wrong field."""
    errors = {}
    kind = _text(fields.get("kind"))
    if kind not in KINDS:
        errors["kind"] = _("请选择咨询类别。")
    topic = _text(fields.get("topic"))
    if topic and topic not in _topics(booth.settings):
        errors["topic"] = _("请从列表中选择咨询主题。")
    elif not topic and source == SOURCE_STAFF:
        errors["topic"] = _("请选择咨询主题。")
    question = _text(fields.get("question"))
    if len(question) > QUESTION_MAX:
        errors["question"] = _("问题摘要最多%(n)s字。", n=QUESTION_MAX)
    asker_type = _text(fields.get("asker_type")) or ASKER_TYPES[0]
    if asker_type not in ASKER_TYPES:
        errors["asker_type"] = _("请选择咨询人类型。")
    handling = _text(fields.get("handling")) or HANDLINGS[0]
    # 未答复 is the public card's own: a question left with no way to reach the person.
    if handling not in (ALL_HANDLINGS if source == SOURCE_PUBLIC else HANDLINGS):
        errors["handling"] = _("请选择办理方式。")
    satisfaction = _text(fields.get("satisfaction"))
    if satisfaction and satisfaction not in SATISFACTIONS:
        errors["satisfaction"] = _("请选择满意度。")
    name = _text(fields.get("person_name"))
    if len(name) > NAME_MAX:
        errors["person_name"] = _("姓名最多%(n)s字。", n=NAME_MAX)
    phone = _text(fields.get("person_phone"))
    if phone:
        phone = clean_phone(phone) or ""
        if not phone:
            errors["person_phone"] = _("请填写正确的手机号（如13812345678）或固定电话（如0571-88886666）。")
    consent = _flag(fields.get("consent"))
    if (name or phone or fields.get("person_phone")) and not consent:
        errors["consent"] = _("留存姓名或电话须经本人同意：请勾选“本人同意留存联系方式”，或清空姓名和电话。")
    problem = recorded_at_problem(booth, fields.get("recorded_at"))
    if problem:
        errors["recorded_at"] = problem
    if errors:
        raise Refusal.of_fields(errors)
    return dict(
        kind=kind, topic=topic, question=question, asker_type=asker_type, handling=handling,
        person_name=name, person_phone=phone, consent=consent and bool(name or phone), satisfaction=satisfaction,
    )


def _existing(model, client_uuid: str, booth: BoothLike):
    row = db.session.scalar(sa.select(model).where(model.client_uuid == client_uuid))
    if row is not None and row.booth_id != booth.id:
        raise Refusal.of_fields({"uuid": _("此记录编号已被使用，请重新填写。")})
    return row


_inserts: dict = {}


def _insert_statement(dialect: str, table: sa.Table):
    """INSERT … ON CONFLICT (client_uuid) DO NOTHING RETURNING id, built once per dialect and table."""
    statement = _inserts.get((dialect, table.name))
    if statement is None:
        insert = conflict_insert(dialect, table)
        statement = insert.on_conflict_do_nothing(index_elements=[table.c.client_uuid]).returning(table.c.id)
        _inserts[(dialect, table.name)] = statement
    return statement


def _stored_before_close(model, client_uuid: str, booth: BoothLike) -> Recorded:
    """Once the campaign is closed to entries: the copy of an entry stored before is answered as stored (the phone
    lost the first answer), anything new is refused."""
    existing = _existing(model, client_uuid, booth)
    if existing is None:
        raise EntriesClosed(closed_message(booth.campaign))
    return Recorded(existing, False, receipts.of_resent(client_uuid))


class Stored(NamedTuple):
    """A new entry as stored: its row's id and its receipt code."""

    id: int
    receipt: str


def insert_new(connection: sa.Connection, model, values: dict, contribution) -> Stored | None:
    """Insert a phone's entry with its tallies and its receipt code, in the connection's transaction; None, with
    nothing written, if an entry under its UUID is stored already.

    The UNIQUE constraint decides, in the database: INSERT … ON CONFLICT (client_uuid) DO NOTHING stores the first
    copy and nothing for the others, even two arriving at the same moment. Only an insert that happened counts in
    the tallies. The statements go straight to the driver (shared/prepared.py): SQLAlchemy's execution of them was
    more of a submission's CPU time than the database's work.

    The insert takes SQLite's one write lock, held until the commit: whatever can be worked out before it (the
    tallies' rows) is, so that the phones of every worker wait on the lock as little as they can."""
    counts = contribution({**values, "withdrawn_at": None})
    row_id = prepared.scalar(connection, _insert_statement(connection.dialect.name, model.__table__), values)
    if row_id is None:
        return None
    tallies.apply(connection, counts)
    return Stored(row_id, receipts.assign(values["client_uuid"], connection))


def _insert_once(model, values: dict, booth: BoothLike, contribution) -> Recorded:
    """Insert a phone's entry in the session's transaction, or return the one already stored under its UUID, with
    its receipt code. The new row is put into the session as the persistent object it is, without reading it
    back; it is built before the insert takes SQLite's write lock."""
    row = model(**values)
    stored = insert_new(db.session.connection(), model, values, contribution)
    if stored is None:
        existing = _existing(model, values["client_uuid"], booth)
        if existing is None:  # pragma: no cover - the conflicting row was deleted in between
            raise Refusal.of_fields({"uuid": _("记录编号无效。")})
        return Recorded(existing, False, receipts.of_resent(values["client_uuid"]))
    row.id = stored.id
    make_transient_to_detached(row)
    db.session.add(row)
    return Recorded(row, True, stored.receipt)


def record_consultation(
    booth: BoothLike, fields: dict, client_uuid: str | None, device_id: str = "", source: str = SOURCE_STAFF,
    user_agent: str = "",
) -> Recorded:
    uuid = clean_uuid(client_uuid)
    if uuid is None:
        raise Refusal.of_fields({"uuid": _("记录编号无效。")})
    if source not in (SOURCE_STAFF, SOURCE_PUBLIC):
        raise ValueError(source)
    if entries_closed(booth.campaign):
        return _stored_before_close(Consultation, uuid, booth)
    values = clean_consultation(booth, fields, source)
    referral_unit_id = referral_unit(booth, values, fields)
    now = utcnow()
    if rehearsal.rehearsing(booth.campaign, now):
        details = {**values, "source": source, "referral_unit_id": referral_unit_id}
        return Recorded(*rehearsal.record_entry(booth, REHEARSAL_CONSULTATION, details, uuid, device_id,
                                                user_agent, entry_time(fields.get("recorded_at"), now), now))
    recorded = _insert_once(
        Consultation, entry_row(uuid, booth, fields.get("recorded_at"), now, device_id, source=source, **values),
        booth, tallies.consultation_contribution,
    )
    if recorded.created:
        assert isinstance(recorded.entry, Consultation)
        ensure_follow_up(recorded.entry, referral_unit_id)
        db.session.commit()
    return recorded


def referral_unit(booth: BoothLike, values: dict, fields: dict) -> int | None:
    """Referrals: the unit that must answer, checked before anything is stored (campaign/booths/routing.py)."""
    return responsible_unit_id(booth, values["handling"], values["topic"], fields.get("referral_unit_id"))


def clean_handout(booth: BoothLike, material, quantity, recorded_at=None) -> dict:
    """A handout's material and quantity as stored; raises Refusal with a Chinese message per wrong field."""
    errors = {}
    material = _text(material)
    if material not in materials_of(booth.settings):
        errors["material"] = _("请从列表中选择资料。")
    if isinstance(quantity, str) and quantity.strip().isdecimal() and len(quantity.strip()) <= 9:
        quantity = int(quantity)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= QUANTITY_MAX:
        errors["quantity"] = _("数量应为1至%(n)s之间的整数。", n=QUANTITY_MAX)
    problem = recorded_at_problem(booth, recorded_at)
    if problem:
        errors["recorded_at"] = problem
    if errors:
        raise Refusal.of_fields(errors)
    return {"material": material, "quantity": quantity}


def record_handout(
    booth: BoothLike, material: str | None, quantity, client_uuid: str | None, device_id: str = "", recorded_at=None,
    user_agent: str = "",
) -> Recorded:
    uuid = clean_uuid(client_uuid)
    if uuid is not None and entries_closed(booth.campaign):
        return _stored_before_close(MaterialHandout, uuid, booth)
    # Every wrong field at once, the UUID's among them.
    errors = {"uuid": _("记录编号无效。")} if uuid is None else {}
    try:
        handout = clean_handout(booth, material, quantity, recorded_at)
    except Refusal as refusal:
        errors |= refusal.errors
    if uuid is None or errors:
        raise Refusal.of_fields(errors)
    now = utcnow()
    if rehearsal.rehearsing(booth.campaign, now):
        return Recorded(*rehearsal.record_entry(booth, REHEARSAL_HANDOUT, handout, uuid, device_id, user_agent,
                                                entry_time(recorded_at, now), now))
    recorded = _insert_once(
        MaterialHandout, entry_row(uuid, booth, recorded_at, now, device_id, **handout), booth,
        tallies.handout_contribution,
    )
    if recorded.created:
        db.session.commit()
    return recorded
