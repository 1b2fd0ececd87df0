"""Reading units as plans write them: "区发改局、教育局、科技局，各镇街等".

One place for the rule, so that the activity form and the plan import (issue 14) read names alike: lists are
split on 、，, ；; and spaces, ASCII and full-width alike; a trailing 等 (or 等单位) is kept as a flag; a name is a
unit's full or short name, a group's name, or an alias a clerk confirmed on an import (UnitAlias); and a leading
区/市/县 may serve a whole list, as in 区发改局、教育局. Each name is kept as the list wrote it too (`written_names`):
the plan prints the office's words (教育局), while the name with its list's 区 (区教育局) is what is matched.

The plan import also asks how sure a match is (`NameIndex.match`): plans write 区人社局 for 江滨区人力资源和社会保障局,
so the district's name and a leading 区 are set aside and the usual abbreviations (人社 → 人力资源和社会保障) spelled
out before names are compared. Such a match is a suggestion the clerk confirms, never what the activity form reads.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from campaign.units.models import Unit, UnitAlias, UnitGroup
from campaign.web.extensions import db

SEPARATORS = re.compile(r"[、，,；;/／\s]+")
TRAILING_ETC = re.compile(r"(等单位|等部门|等)$")
SHARED_PREFIXES = ("区", "市", "县")
# A district's name as units carry it: 江滨区, 桥西区, 平山县 (two to four characters and the level).
DISTRICT = re.compile(r"^(.{2,4}?[区县市])")

# How offices shorten the names of bureaus; the longer abbreviation first, so 市场监管 wins over 市场.
ABBREVIATIONS = (
    ("市场监管", "市场监督管理"),
    ("人社", "人力资源和社会保障"),
    ("发改", "发展和改革"),
    ("住建", "住房和城乡建设"),
    ("卫健", "卫生健康"),
    ("医保", "医疗保障"),
    ("营商", "营商环境"),
    ("工信", "工业和信息化"),
    ("科技", "科学技术"),
    ("文旅", "文化和旅游"),
    ("农业农村", "农业农村"),
    ("自然资源", "自然资源"),
    ("生态环境", "生态环境"),
    ("交通", "交通运输"),
    ("应急", "应急管理"),
    ("退役军人", "退役军人事务"),
    ("审批", "行政审批"),
    ("政府办", "人民政府办公室"),
    ("市场局", "市场监督管理局"),
)

CONFIDENCE_CERTAIN = 1.0  # the unit's own name, its short name, a group's name, or a confirmed alias
CONFIDENCE_CORE = 0.9  # the same name once the district's name or a leading 区 is set aside
CONFIDENCE_ABBREVIATION = 0.8  # the same once the usual abbreviations are spelled out
CONFIDENCE_CHARACTERS = 0.6  # the written name's characters, in order, in exactly one unit's name
CONFIDENCE_GUESS = 0.4  # as above, in several units' names: the shortest is offered


def normalized(name: str) -> str:
    """NFKC turns full-width letters, digits and punctuation into their plain forms; spaces go."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _expanded(core: str) -> str:
    for short, full in ABBREVIATIONS:
        if short in core and full not in core:
            core = core.replace(short, full)
    return core


def _is_subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(char in remaining for char in short)


@dataclass
class NamedList:
    """A role's list as read: units and groups in the written order, whether it ended in 等, and what no unit
    or group is called."""

    entries: list[Unit | UnitGroup] = field(default_factory=list)
    # Each entry's name as the list wrote it (教育局 after 区发改局), for print.
    written: list[str] = field(default_factory=list)
    etc: bool = False
    unknown: list[str] = field(default_factory=list)


@dataclass
class Match:
    """What a written name stands for, how sure that is (0 to 1), and why (for the preview)."""

    entry: Unit | UnitGroup | None
    confidence: float
    how: str = ""


@dataclass(frozen=True)
class WrittenName:
    """One name of a role's list: as the plan writes it (教育局, kept for print), normalised for matching, and the
    区/市/县 an earlier name of the list lends it."""

    written: str
    name: str
    prefix: str

    @property
    def expanded(self) -> str:
        return expanded_name(self.name, self.prefix)


def expanded_name(name: str, prefix: str) -> str:
    """教育局 in "区发改局、教育局" is 区教育局: the name with the 区 its list lends it."""
    return prefix + name if prefix and not name.startswith(prefix) else name


def lent_prefix(name: str) -> str:
    """The 区/市/县 a name lends the names after it in a list (区发改局 → 区; 市场监管局 lends nothing)."""
    name = normalized(name)
    lends = name[:1] in SHARED_PREFIXES and len(name) > 2 and not name.startswith("市场")
    return name[0] if lends else ""


def _is_separator(char: str) -> bool:
    return char.isspace() or bool(SEPARATORS.fullmatch(unicodedata.normalize("NFKC", char)))


def _is_full_stop(char: str) -> bool:
    return unicodedata.normalize("NFKC", char) in ("。", ".")


def written_names(text: str) -> tuple[list[WrittenName], bool]:
    """A role's list read name by name, each kept as written (full-width brackets and all), and whether it ended
    in 等. Split on 、，, ；; / and spaces, ASCII and full-width alike; a closing 。 and a trailing 等 (等单位) set aside."""
    pieces: list[str] = []
    current: list[str] = []
    for char in str(text or ""):
        if _is_separator(char):
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    pieces = [piece for piece in pieces if piece]
    etc = False
    while pieces:
        last = pieces[-1]
        while last and _is_full_stop(last[-1]):
            last = last[:-1]
        match = TRAILING_ETC.search(last)
        if match:
            etc, last = True, last[: match.start()]
        if last:
            pieces[-1] = last
            break
        pieces.pop()
        if etc:
            break
    names, prefix = [], ""
    for piece in pieces:
        name = normalized(piece)
        if not name:
            continue
        names.append(WrittenName(piece, name, prefix))
        prefix = lent_prefix(name) or prefix
    return names, etc


class NameIndex:
    """Every unit's full and short name, every group's name and every confirmed alias, normalised; loaded once
    per form."""

    def __init__(self):
        self.by_name: dict[str, Unit | UnitGroup] = {}
        self.aliases: dict[str, Unit] = {}
        units = list(db.session.scalars(sa.select(Unit).order_by(Unit.active.desc(), Unit.sort_order, Unit.id)))
        for unit in units:
            for name in (unit.name, unit.short_name):
                if name:
                    self.by_name.setdefault(normalized(name), unit)
        groups = list(db.session.scalars(sa.select(UnitGroup)))
        for group in groups:
            self.by_name.setdefault(normalized(group.name), group)
        for alias in db.session.scalars(sa.select(UnitAlias)):
            self.aliases.setdefault(alias.alias, alias.unit)
        self._units, self._groups = units, groups
        self._cores: dict[str, list[Unit | UnitGroup]] | None = None

    def find(self, name: str, prefix: str = "") -> Unit | UnitGroup | None:
        for candidate in (name, prefix + name if prefix and not name.startswith(prefix) else None):
            if not candidate:
                continue
            if candidate in self.by_name:
                return self.by_name[candidate]
            if candidate in self.aliases:
                return self.aliases[candidate]
        return None

    def read(self, text: str, matched: Mapping[str, Unit | UnitGroup] | None = None) -> NamedList:
        """`matched`: what a name stands for when the clerk said so (the plan import's preview), by the name with
        its list's 区 (expanded_name); it wins over the names and aliases."""
        result = NamedList()
        names, result.etc = written_names(text)
        for each in names:
            found = (matched or {}).get(each.expanded) or self.find(each.name, each.prefix)
            if found is None:
                result.unknown.append(each.name)
            elif found not in result.entries:
                result.entries.append(found)
                result.written.append(each.written)
        return result

    # How sure: for the plan import's suggestions.

    def _districts(self) -> set[str]:
        """District names that two or more units begin with (江滨区 of 江滨区教育局 and 江滨区财政局)."""
        counts = Counter(m.group(1) for unit in self._units if (m := DISTRICT.match(normalized(unit.name))))
        return {name for name, count in counts.items() if count >= 2}

    def core(self, name: str, districts: set[str] | None = None) -> str:
        """The name without the district's name or a leading 区/县 (市 only where it is not 市场…)."""
        name = normalized(name)
        for district in districts if districts is not None else self._districts():
            if name.startswith(district) and len(name) > len(district):
                return name[len(district):]
        if name[:1] in ("区", "县") and len(name) > 2:
            return name[1:]
        if name.startswith("市") and not name.startswith("市场") and len(name) > 2:
            return name[1:]
        return name

    def _core_index(self) -> dict[str, list[Unit | UnitGroup]]:
        if self._cores is None:
            districts = self._districts()
            self._cores = {}
            entries: list[Unit | UnitGroup] = [*self._units, *self._groups]
            for entry in entries:
                names = (entry.name, entry.short_name) if isinstance(entry, Unit) else (entry.name,)
                for name in names:
                    if name:
                        bucket = self._cores.setdefault(_expanded(self.core(name, districts)), [])
                        if entry not in bucket:
                            bucket.append(entry)
        return self._cores

    def match(self, name: str, prefix: str = "") -> Match:
        name = normalized(name)
        found = self.find(name, prefix)
        if found is not None:
            how = "alias" if name not in self.by_name and (prefix + name) not in self.by_name else "name"
            return Match(found, CONFIDENCE_CERTAIN, how)
        cores = self._core_index()
        core = self.core(name)
        expanded = _expanded(core)
        candidates = [entry for entry in cores.get(expanded, []) if not isinstance(entry, Unit) or entry.active]
        if candidates:
            return Match(candidates[0], CONFIDENCE_CORE if core == expanded else CONFIDENCE_ABBREVIATION,
                         "core" if core == expanded else "abbreviation")
        if len(expanded) >= 2:
            by_characters = [
                entry for key, bucket in cores.items() for entry in bucket
                if isinstance(entry, Unit) and entry.active and key[-1:] == expanded[-1:]
                and _is_subsequence(expanded, key)
            ]
            unique = list(dict.fromkeys(by_characters))
            if unique:
                best = min(unique, key=lambda unit: (len(unit.name), unit.sort_order, unit.id))
                return Match(best, CONFIDENCE_CHARACTERS if len(unique) == 1 else CONFIDENCE_GUESS, "characters")
        return Match(None, 0.0)
