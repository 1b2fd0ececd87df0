"""Recording at a booth: consultations and handouts, each once, however often a phone resends it.

CONTRACT (implemented by the staff-page work; used by the public card too):

record_consultation(booth, fields: dict, client_uuid: str, device_id: str = "", source: str = "staff")
    -> tuple[Consultation, bool]
    fields: kind, topic, question, asker_type, handling, person_name, person_phone, consent, satisfaction,
    recorded_at (aware datetime or None = now). Validates (raises RecordingError with a dict of Chinese
    messages per field), inserts, and relies on the UNIQUE constraint on client_uuid: on IntegrityError it
    rolls back and returns the existing row with created=False. Opens a follow-up via
    campaign.booths.followups.ensure_follow_up. Commits.

record_handout(booth, material: str, quantity: int, client_uuid: str, device_id: str = "",
               recorded_at=None) -> tuple[MaterialHandout, bool]   same idempotency.

Also here: the same device's correction or withdrawal within EDIT_WINDOW, and what the staff page shows of
its booth (today's counts, the last entries).
"""

import re
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import (
    ASKER_TYPES,
    DEFAULT_MATERIALS,
    DEFAULT_TOPICS,
    HANDLINGS,
    KINDS,
    SATISFACTIONS,
    SOURCE_PUBLIC,
    SOURCE_STAFF,
    Booth,
    BoothSettings,
    Consultation,
    FollowUp,
    MaterialHandout,
)
from campaign.extensions import db
from campaign.phones import clean_phone
from campaign.timeutil import LOCAL_TZ, utcnow

EDIT_WINDOW = timedelta(minutes=10)
QUESTION_MAX = 500
NAME_MAX = 50
QUANTITY_MAX = 10_000
# A phone's clock may run a little ahead; a time further in the future is not believed.
CLOCK_SKEW = timedelta(minutes=5)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class RecordingError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def clean_uuid(value) -> str | None:
    """The client's UUID in canonical form, or None if it is not one."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    value = value.lower()
    return value if UUID_RE.match(value) else None


def _settings(campaign_id: int) -> BoothSettings | None:
    return db.session.get(BoothSettings, campaign_id)


def topics_for(campaign_id: int) -> list[str]:
    settings = _settings(campaign_id)
    return list(settings.topics) if settings and settings.topics else list(DEFAULT_TOPICS)


def materials_for(campaign_id: int) -> list[str]:
    settings = _settings(campaign_id)
    return list(settings.materials) if settings and settings.materials else list(DEFAULT_MATERIALS)


def _text(value) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "y", "yes", "on", "true")
    return value is True or value == 1


def _when(value: datetime | None) -> datetime:
    now = utcnow()
    if value is None:
        return now
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return now if value > now + CLOCK_SKEW else value


def clean_consultation(booth: Booth, fields: dict, source: str = SOURCE_STAFF) -> dict:
    """The fields as stored; raises RecordingError with a Chinese message per wrong field."""
    errors = {}
    kind = _text(fields.get("kind"))
    if kind not in KINDS:
        errors["kind"] = _("请选择咨询类别。")
    topic = _text(fields.get("topic"))
    if topic and topic not in topics_for(booth.campaign_id):
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
    if handling not in HANDLINGS:
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
    recorded_at = fields.get("recorded_at")
    if recorded_at is not None and not isinstance(recorded_at, datetime):
        errors["recorded_at"] = _("记录时间无效。")
    if errors:
        raise RecordingError(errors)
    return dict(
        kind=kind, topic=topic, question=question, asker_type=asker_type, handling=handling,
        person_name=name, person_phone=phone, consent=consent and bool(name or phone), satisfaction=satisfaction,
    )


def _existing(model, client_uuid: str, booth: Booth):
    row = db.session.scalar(sa.select(model).where(model.client_uuid == client_uuid))
    if row is not None and row.booth_id != booth.id:
        raise RecordingError({"uuid": _("此记录编号已被使用，请重新填写。")})
    return row


def _insert_once(row, uuid: str, booth: Booth):
    """Insert a phone's entry, or return the one already stored under its UUID: (row, created)."""
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        # The UNIQUE constraint decided: another copy of this entry got there first (perhaps this very moment).
        db.session.rollback()
        existing = _existing(type(row), uuid, booth)
        if existing is None:
            raise
        return existing, False
    return row, True


def record_consultation(
    booth: Booth, fields: dict, client_uuid: str, device_id: str = "", source: str = SOURCE_STAFF
) -> tuple[Consultation, bool]:
    uuid = clean_uuid(client_uuid)
    if uuid is None:
        raise RecordingError({"uuid": _("记录编号无效。")})
    if source not in (SOURCE_STAFF, SOURCE_PUBLIC):
        raise ValueError(source)
    values = clean_consultation(booth, fields, source)
    consultation = Consultation(
        client_uuid=uuid, booth_id=booth.id, recorded_at=_when(fields.get("recorded_at")), received_at=utcnow(),
        source=source, device_id=device_id[:36], **values,
    )
    consultation, created = _insert_once(consultation, uuid, booth)
    if created:
        ensure_follow_up(consultation)
        db.session.commit()
    return consultation, created


def record_handout(
    booth: Booth, material: str, quantity, client_uuid: str, device_id: str = "", recorded_at=None
) -> tuple[MaterialHandout, bool]:
    uuid = clean_uuid(client_uuid)
    errors = {}
    if uuid is None:
        errors["uuid"] = _("记录编号无效。")
    material = _text(material)
    if material not in materials_for(booth.campaign_id):
        errors["material"] = _("请从列表中选择资料。")
    if isinstance(quantity, str) and quantity.strip().isdigit():
        quantity = int(quantity)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= QUANTITY_MAX:
        errors["quantity"] = _("数量应为1至%(n)s之间的整数。", n=QUANTITY_MAX)
    if recorded_at is not None and not isinstance(recorded_at, datetime):
        errors["recorded_at"] = _("记录时间无效。")
    if errors:
        raise RecordingError(errors)
    handout = MaterialHandout(
        client_uuid=uuid, booth_id=booth.id, material=material, quantity=quantity,
        recorded_at=_when(recorded_at), received_at=utcnow(), device_id=device_id[:36],
    )
    handout, created = _insert_once(handout, uuid, booth)
    if created:
        db.session.commit()
    return handout, created


# Corrections by the same phone -----------------------------------------------------------------------------


def _within_window(row, device_id: str, since: datetime) -> bool:
    return bool(device_id) and row.device_id == device_id and row.withdrawn_at is None and utcnow() - since <= EDIT_WINDOW


def may_change_consultation(consultation: Consultation, device_id: str) -> bool:
    return consultation.source == SOURCE_STAFF and _within_window(consultation, device_id, consultation.received_at)


def may_withdraw_handout(handout: MaterialHandout, device_id: str) -> bool:
    # Rows from before received_at existed fall back to recorded_at, which is never in the future.
    return _within_window(handout, device_id, handout.received_at or handout.recorded_at)


def _drop_untouched_follow_up(consultation: Consultation) -> None:
    # Only one nobody has started on: a reply already written stays for the organizer to see.
    db.session.execute(
        sa.delete(FollowUp).where(
            FollowUp.consultation_id == consultation.id, FollowUp.status == "open", FollowUp.reply == ""
        )
    )


def update_consultation(consultation: Consultation, fields: dict) -> Consultation:
    """The device's correction; the time it was recorded stays. Commits."""
    values = clean_consultation(consultation.booth, fields, consultation.source)
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.updated_at = utcnow()
    db.session.flush()
    if not ensure_follow_up(consultation):
        _drop_untouched_follow_up(consultation)
    db.session.commit()
    return consultation


def withdraw_consultation(consultation: Consultation) -> None:
    consultation.withdrawn_at = utcnow()
    _drop_untouched_follow_up(consultation)
    db.session.commit()


def withdraw_handout(handout: MaterialHandout) -> None:
    handout.withdrawn_at = utcnow()
    db.session.commit()


# What the staff page shows ---------------------------------------------------------------------------------


def _today_utc_bounds() -> tuple[datetime, datetime]:
    today = utcnow().astimezone(LOCAL_TZ).date()
    start = datetime.combine(today, time(0), tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def today_counts(booth: Booth) -> tuple[int, dict[str, int]]:
    """Staff consultations today, and handouts today per material (every material of the campaign listed)."""
    start, end = _today_utc_bounds()
    consultations = db.session.scalar(
        sa.select(sa.func.count(Consultation.id)).where(
            Consultation.booth_id == booth.id,
            Consultation.source == SOURCE_STAFF,
            Consultation.withdrawn_at.is_(None),
            Consultation.recorded_at >= start,
            Consultation.recorded_at < end,
        )
    )
    handouts = dict.fromkeys(materials_for(booth.campaign_id), 0)
    rows = db.session.execute(
        sa.select(MaterialHandout.material, sa.func.sum(MaterialHandout.quantity))
        .where(
            MaterialHandout.booth_id == booth.id,
            MaterialHandout.withdrawn_at.is_(None),
            MaterialHandout.recorded_at >= start,
            MaterialHandout.recorded_at < end,
        )
        .group_by(MaterialHandout.material)
    )
    for material, total in rows:
        handouts[material] = int(total or 0)
    return consultations or 0, handouts


def recent_entries(booth: Booth, device_id: str, limit: int = 10) -> list[dict]:
    """The booth's last staff entries, newest first, marked editable where this device may still change them."""
    consultations = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.booth_id == booth.id, Consultation.source == SOURCE_STAFF, Consultation.withdrawn_at.is_(None))
        .order_by(Consultation.recorded_at.desc(), Consultation.id.desc())
        .limit(limit)
    ).all()
    handouts = db.session.scalars(
        sa.select(MaterialHandout)
        .where(MaterialHandout.booth_id == booth.id, MaterialHandout.withdrawn_at.is_(None))
        .order_by(MaterialHandout.recorded_at.desc(), MaterialHandout.id.desc())
        .limit(limit)
    ).all()
    entries = [
        {
            "type": "consultation", "id": c.id, "uuid": c.client_uuid, "recorded_at": c.recorded_at,
            "label": " · ".join(part for part in (c.kind, c.topic, c.handling) if part),
            "detail": c.question, "editable": may_change_consultation(c, device_id),
        }
        for c in consultations
    ] + [
        {
            "type": "handout", "id": h.id, "uuid": h.client_uuid, "recorded_at": h.recorded_at,
            "label": f"{h.material} +{h.quantity}", "detail": "", "editable": may_withdraw_handout(h, device_id),
        }
        for h in handouts
    ]
    entries.sort(key=lambda entry: entry["recorded_at"], reverse=True)
    return entries[:limit]
