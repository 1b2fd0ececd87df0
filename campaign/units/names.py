"""Reading units as plans write them: "区发改局、教育局、科技局，各镇街等".

One place for the rule, so that the activity form and the plan import (issue 14) read names alike: lists are
split on 、，, ；; and spaces, ASCII and full-width alike; a trailing 等 (or 等单位) is kept as a flag; a name is a
unit's full or short name or a group's name; and a leading 区/市/县 may serve a whole list, as in 区发改局、教育局.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa

from campaign.units.models import Unit, UnitGroup
from campaign.web.extensions import db

SEPARATORS = re.compile(r"[、，,；;/／\s]+")
TRAILING_ETC = re.compile(r"(等单位|等部门|等)$")
SHARED_PREFIXES = ("区", "市", "县")


def normalized(name: str) -> str:
    """NFKC turns full-width letters, digits and punctuation into their plain forms; spaces go."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass
class NamedList:
    """A role's list as read: units and groups in the written order, whether it ended in 等, and what no unit
    or group is called."""

    entries: list[Unit | UnitGroup] = field(default_factory=list)
    etc: bool = False
    unknown: list[str] = field(default_factory=list)


class NameIndex:
    """Every unit's full and short name and every group's name, normalised; loaded once per form."""

    def __init__(self):
        self.by_name: dict[str, Unit | UnitGroup] = {}
        units = db.session.scalars(sa.select(Unit).order_by(Unit.active.desc(), Unit.sort_order, Unit.id))
        for unit in units:
            for name in (unit.name, unit.short_name):
                if name:
                    self.by_name.setdefault(normalized(name), unit)
        for group in db.session.scalars(sa.select(UnitGroup)):
            self.by_name.setdefault(normalized(group.name), group)

    def find(self, name: str, prefix: str = "") -> Unit | UnitGroup | None:
        for candidate in (name, prefix + name if prefix and not name.startswith(prefix) else None):
            if candidate and candidate in self.by_name:
                return self.by_name[candidate]
        return None

    def read(self, text: str) -> NamedList:
        result = NamedList()
        text = unicodedata.normalize("NFKC", str(text or "")).strip().rstrip("。.").strip()
        # 等 may follow the last name without a separator.
        match = TRAILING_ETC.search(text)
        if match:
            result.etc, text = True, text[: match.start()]
        prefix = ""
        for name in (normalized(part) for part in SEPARATORS.split(text) if part):
            found = self.find(name, prefix)
            if found is None:
                result.unknown.append(name)
                continue
            if found not in result.entries:
                result.entries.append(found)
            prefix = name[0] if name[0] in SHARED_PREFIXES else prefix
        return result
