"""Names a clerk confirmed for a unit when importing a plan (区人社局 → 江滨区人力资源和社会保障局): kept, so that
units/names.py reads them as that unit the next time, in the activity form and in next year's import."""

import sqlalchemy as sa

from campaign.shared.audit import record
from campaign.units.models import Unit, UnitAlias, UnitGroup
from campaign.units.names import normalized
from campaign.web.extensions import db


def remember_alias(user, written: str, unit: Unit) -> UnitAlias | None:
    """Keep `written` as another name of `unit`; the latest confirmation wins. Nothing is kept for a name that
    already is a unit's or a group's own name (that name means that unit or group, whatever one import said)."""
    alias = normalized(written)
    if not alias or len(alias) > 100 or alias in (normalized(unit.name), normalized(unit.short_name or "")):
        return None
    own_name = sa.or_(Unit.name == alias, Unit.short_name == alias)
    if db.session.scalar(sa.select(Unit.id).where(own_name).limit(1)) is not None:
        return None
    if db.session.scalar(sa.select(UnitGroup.id).where(UnitGroup.name == alias)) is not None:
        return None
    existing = db.session.scalar(sa.select(UnitAlias).where(UnitAlias.alias == alias))
    if existing is None:
        existing = UnitAlias(alias=alias, unit_id=unit.id)
        db.session.add(existing)
    elif existing.unit_id == unit.id:
        return existing
    existing.unit_id = unit.id
    db.session.flush()
    record(user, "unit_alias_saved", unit, alias=alias)
    return existing
