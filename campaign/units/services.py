"""Units: creating, editing, ordering, (de)activating, and the overview of the list page.

Bulk import (parsing pasted text and files, validating, saving all or none) lives in importing.py.
Messages are lazy strings: they are translated when shown, so these functions also run outside a request.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from campaign.shared.audit import record
from campaign.shared.phones import normalize_phone, valid_phone
from campaign.units.models import UNIT_KINDS, Unit
from campaign.web.extensions import db
from campaign.web.paging import PER_PAGE
from campaign.web.refusal import Refusal

NAME_MAX, SHORT_NAME_MAX, CONTACT_MAX, PHONE_MAX, EMAIL_MAX = 100, 50, 50, 30, 120

# What organizers write in the 类型 column, mapped to the model's codes.
KIND_WORDS = {
    "镇/街道": "town", "镇／街道": "town", "镇街": "town", "镇": "town", "街道": "town", "乡镇": "town",
    "乡": "town", "街道办": "town", "街道办事处": "town",
    "区政府部门": "bureau", "政府部门": "bureau", "区级部门": "bureau", "部门": "bureau",
    "区直事业单位": "institution", "事业单位": "institution", "直属事业单位": "institution",
    "其他": "other", "其它": "other",
}


def clean_text(value) -> str:
    """A cell or input as one line: no surrounding (also full-width) spaces, no tabs or line breaks inside."""
    if value is None:
        return ""
    text = str(value).replace("\ufeff", "").replace("\u200b", "")
    return re.sub(r"[\t\r\n\v\f]+", " ", text).strip()


def kind_from_text(text: str) -> str | None:
    """The kind code for a label, alias or code; None if unrecognised."""
    word = clean_text(text)
    if word.lower() in UNIT_KINDS:
        return word.lower()
    return KIND_WORDS.get(re.sub(r"\s+", "", word))


def guess_kind(name: str) -> str:
    """The kind a unit's name suggests, for rows that leave 类型 empty."""
    if name.endswith(("镇", "乡", "街道", "街道办事处")):
        return "town"
    if name.endswith(("局", "委", "委员会", "办", "办公室")):
        return "bureau"
    if name.endswith(("中心", "馆", "院")):
        return "institution"
    return "other"


def name_taken(name: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Unit.id).where(Unit.name == name)
    if exclude_id is not None:
        query = query.where(Unit.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def existing_unit_names() -> set[str]:
    return {clean_text(name) for name in db.session.scalars(sa.select(Unit.name))}


def next_sort_order() -> int:
    return (db.session.scalar(sa.select(sa.func.max(Unit.sort_order))) or 0) + 1


@dataclass
class UnitFields:
    name: str
    short_name: str = ""
    kind: str = "other"
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    def cleaned(self) -> "UnitFields":
        return UnitFields(
            name=clean_text(self.name),
            short_name=clean_text(self.short_name),
            kind=clean_text(self.kind),
            contact_person=clean_text(self.contact_person),
            contact_phone=normalize_phone(self.contact_phone),
            contact_email=clean_text(self.contact_email),
        )


def checked_email(value: str) -> str:
    """The address in its normal form, or Refusal; whether the domain receives mail is not asked."""
    if len(value) > EMAIL_MAX:
        raise Refusal(_l("电子邮箱太长。"))
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Refusal(_l("电子邮箱“%(email)s”格式不正确。", email=value)) from error


def _checked(fields: UnitFields, exclude_id: int | None = None) -> UnitFields:
    fields = fields.cleaned()
    if not fields.name:
        raise Refusal(_l("请输入单位名称。"))
    if len(fields.name) > NAME_MAX:
        raise Refusal(_l("单位名称不能超过%(n)s个字。", n=NAME_MAX))
    if len(fields.short_name) > SHORT_NAME_MAX:
        raise Refusal(_l("简称不能超过%(n)s个字。", n=SHORT_NAME_MAX))
    if len(fields.contact_person) > CONTACT_MAX:
        raise Refusal(_l("联系人不能超过%(n)s个字。", n=CONTACT_MAX))
    if fields.kind not in UNIT_KINDS:
        raise Refusal(_l("请选择单位类型。"))
    if fields.contact_email:
        fields.contact_email = checked_email(fields.contact_email)
    if fields.contact_phone and not valid_phone(fields.contact_phone):
        raise Refusal(_l("电话“%(phone)s”格式不正确。", phone=fields.contact_phone))
    if name_taken(fields.name, exclude_id):
        raise Refusal(duplicate_message(fields.name))
    return fields


def duplicate_message(name: str):
    return _l("已有名为“%(name)s”的单位。", name=name)


@contextmanager
def _refused_if_duplicate(name: str):
    """Another organizer may have saved the same name between our check and this write: the unique constraint
    refuses it. The write is made in a savepoint, so only it is undone, not what the caller did before."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise Refusal(duplicate_message(name)) from None


def create_unit(actor, fields: UnitFields) -> Unit:
    fields = _checked(fields)
    unit = Unit(**vars(fields), sort_order=next_sort_order(), active=True)
    with _refused_if_duplicate(fields.name):
        db.session.add(unit)
        db.session.flush()
    record(actor, "unit_created", unit, name=unit.name)
    db.session.flush()
    return unit


def update_unit(actor, unit: Unit, fields: UnitFields) -> Unit:
    fields = _checked(fields, exclude_id=unit.id)
    changes = {}
    with _refused_if_duplicate(fields.name):
        for key, value in vars(fields).items():
            if getattr(unit, key) != value:
                changes[key] = [getattr(unit, key), value]
                setattr(unit, key, value)
        if changes:
            record(actor, "unit_updated", unit, changes=changes)
    return unit


def set_active(actor, unit: Unit, active: bool) -> bool:
    """Deactivate or reactivate; False if the unit already was so. Old campaigns keep their units either way."""
    if unit.active == active:
        return False
    unit.active = active
    record(actor, "unit_activated" if active else "unit_deactivated", unit, name=unit.name)
    db.session.flush()
    return True


def move_unit(unit: Unit, direction: str) -> bool:
    """Swap with the neighbour above or below, and number the whole list 1..n so gaps and ties go away."""
    if direction not in ("up", "down"):
        raise Refusal(_l("无法识别的移动方向。"))
    units = list(db.session.scalars(sa.select(Unit).order_by(Unit.sort_order, Unit.id)))
    index = units.index(unit)
    other = index - 1 if direction == "up" else index + 1
    moved = 0 <= other < len(units)
    if moved:
        units[index], units[other] = units[other], units[index]
    for order, each in enumerate(units, start=1):
        each.sort_order = order
    db.session.flush()
    return moved


@dataclass
class Overview:
    units: list[Unit]
    total: int = 0
    inactive: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    filtered: bool = False
    position: dict[int, int] = field(default_factory=dict)  # unit id → its place in the whole list, from 1
    pagination: Any = None  # flask_sqlalchemy's Pagination of the listed units
    matching: int = 0


def unit_overview(kind: str = "", query: str = "", page: int = 1, per_page: int = PER_PAGE) -> Overview:
    """The list page: the counts, and one page of the units matching the filter, in order, with their place in
    the whole list. A fixed number of queries and one page of rows, whatever the number of units."""
    counts = db.session.execute(
        sa.select(Unit.kind, Unit.active, sa.func.count()).group_by(Unit.kind, Unit.active)
    ).all()
    by_kind = dict.fromkeys(UNIT_KINDS, 0)
    for unit_kind, active, count in counts:
        if active:
            by_kind[unit_kind] = by_kind.get(unit_kind, 0) + count
    select = sa.select(Unit).order_by(Unit.sort_order, Unit.id)
    needle = clean_text(query).casefold()
    filtered = kind in UNIT_KINDS or bool(needle)
    if kind in UNIT_KINDS:
        select = select.where(Unit.kind == kind)
    if needle:
        select = select.where(sa.or_(*(
            sa.func.lower(column).contains(needle, autoescape=True)
            for column in (Unit.name, Unit.short_name, Unit.contact_person, Unit.contact_phone)
        )))
    pagination = db.paginate(select, page=page, per_page=per_page, error_out=False, count=True)
    units = list(pagination.items)
    ranked = sa.select(
        Unit.id, sa.func.row_number().over(order_by=(Unit.sort_order, Unit.id)).label("place")
    ).subquery()
    position: dict[int, int] = dict(db.session.execute(
        sa.select(ranked.c.id, ranked.c.place).where(ranked.c.id.in_([unit.id for unit in units]))
    ).all()) if units else {}
    return Overview(
        units=units,
        total=sum(count for _kind, _active, count in counts),
        inactive=sum(count for _kind, active, count in counts if not active),
        by_kind=by_kind,
        filtered=filtered,
        position=position,
        pagination=pagination,
        matching=pagination.total or 0,
    )

