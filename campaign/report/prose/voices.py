"""What the units wrote, as the report's prose reads it: each counted unit's sections, leaders and own figures, the
activities it has a part in, and which of its sentences speak of which activity."""

import re
from dataclasses import dataclass, field

from campaign.report.figures import ActivityEntry, ReportFigures
from campaign.report.prose.sentences import split_sentences

# The order roles are named in: the lead unit first.
ROLE_RANK = {"lead": 0, "responsible": 1, "cooperating": 2, "participating": 3}
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")
# Words every activity's title shares: they say nothing about which activity a sentence means.
_COMMON = ("5·15政务公开日", "政务公开日", "开展", "举办", "组织", "活动")
# A quoted sentence is a unit's own point, not a paragraph.
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 12, 160


@dataclass
class Voice:
    unit_id: int
    label: str
    sections: dict[str, str]
    leaders: str
    figures: dict[str, int]
    photos: int
    # [(activity id, role)] in the plan's order.
    roles: list[tuple[int, str]] = field(default_factory=list)
    # The unit's full name (江滨区人力资源和社会保障局), as its own text may call it.
    name: str = ""
    # Each section split once: every activity's paragraph and evidence reads them.
    _split: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def sentences(self, *keys: str) -> list[str]:
        for key in keys:
            if key not in self._split:
                self._split[key] = split_sentences(self.sections.get(key, ""))
        return [sentence for key in keys for sentence in self._split[key]]


def voices(figures: ReportFigures) -> dict[int, Voice]:
    """{unit id: Voice} of every unit whose summary the office counts, in the units' order."""
    result = {
        unit["id"]: Voice(unit["id"], unit["label"], dict(unit.get("sections") or {}), unit.get("leaders") or "",
                          dict(unit.get("unit_figures") or {}), unit.get("photos") or 0, name=unit["name"])
        for unit in figures["units"] if unit["counted"]
    }
    for activity in figures["activities"]:
        for unit_id, role in activity.get("unit_roles") or []:
            if unit_id in result:
                result[unit_id].roles.append((activity["id"], role))
    return result


def units_of(activity: ActivityEntry) -> list[int]:
    """The units behind the activity, the lead first, then by role as the plan names them; desks of units the plan
    did not name after them."""
    ranked = sorted(enumerate(activity.get("unit_roles") or []), key=lambda item: (ROLE_RANK.get(item[1][1], 9), item[0]))
    ids = [unit_id for _, (unit_id, _role) in ranked]
    return ids + [unit_id for unit_id in activity.get("desk_unit_ids") or [] if unit_id not in ids]


def markers(activity: ActivityEntry) -> list[str]:
    """Words that, in a unit's sentence, mean this activity: its quoted name (群众难题我来答), its venue, and its
    title without the words every title shares."""
    found = [name for name in _QUOTED.findall(activity["title"]) if "政务公开日" not in name]
    if activity.get("venue"):
        found.append(activity["venue"])
    bare = activity["title"]
    for word in _COMMON:
        bare = bare.replace(word, "")
    bare = re.sub(r"[“”\"「」《》]", "", bare).strip()
    if len(bare) >= 3:
        found.append(bare)
    # The one main venue and the one open day are named so by every unit that was there.
    found.extend(word for word in ("主会场", "开放日") if word in activity["title"])
    return [marker for marker in dict.fromkeys(found) if marker]


def mentions(sentence: str, words: list[str]) -> bool:
    return any(word in sentence for word in words)


def quotable(sentence: str) -> bool:
    return QUOTE_MIN_CHARS <= len(sentence) <= QUOTE_MAX_CHARS
