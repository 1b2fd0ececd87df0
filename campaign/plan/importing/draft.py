"""The import's preview as data: every field's value (as the form shows and sends it) beside what the parser
read (its source line, whether it is uncertain), and each unit name the plan writes with what it is matched to.

A draft is made from the pasted text (`draft_from_text`) or from the preview form sent back (`draft_from_form`),
which carries the source text in a hidden field: the source is parsed again for the lines and marks, and the values
are the clerk's. Nothing here writes to the database; saving.py does, on 确认导入.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from campaign.plan.importing.parser import parse_plan
from campaign.plan.importing.structure import ACTIVITY_KEYS, CAMPAIGN_KEYS, Found, ParsedPlan
from campaign.plan.models import UNIT_ROLES
from campaign.plan.services import FIRST_YEAR
from campaign.shared.formatting import cn_number
from campaign.units.groups import ordered_groups
from campaign.units.models import UNIT_KINDS, Unit, UnitGroup, ordered_units
from campaign.units.names import CONFIDENCE_ABBREVIATION, Match, NameIndex, expanded_name, written_names
from campaign.units.services import guess_kind
from campaign.web.refusal import Refusal

NEW_UNIT, NEW_GROUP = "new", "newgroup"


@dataclass
class UnitChoice:
    """A name the plan writes in a role (区人社局), where it appears, the suggested match, and the clerk's choice:
    "unit:ID", "group:ID", "new:KIND" (a new unit) or "newgroup:KIND" (a new 统称 of every unit of a kind)."""

    name: str
    lines: list[int]
    match: Match
    choice: str

    @property
    def uncertain(self) -> bool:
        return self.match.confidence < CONFIDENCE_ABBREVIATION or self.match.entry is None


@dataclass
class DraftActivity:
    group: int
    values: dict[str, str]
    read: dict[str, Found]


@dataclass
class DraftSection:
    """A section of the plan's own as the preview shows it: title, text, place (PlanSection's), and what was read."""

    title: str
    text: str
    place: str
    read: Found


@dataclass
class ImportDraft:
    source: str
    values: dict[str, str]
    read: dict[str, Found]
    groups: list[tuple[str, Found]] = field(default_factory=list)
    activities: list[DraftActivity] = field(default_factory=list)
    slogans: str = ""
    slogans_read: Found = field(default_factory=Found)
    sections: list[DraftSection] = field(default_factory=list)
    units: list[UnitChoice] = field(default_factory=list)
    unplaced: list[Found] = field(default_factory=list)
    traditional: bool = False
    # The year the text was written for, when its texts and dates were moved to the campaign's year.
    moved_from: int | None = None

    def counts(self) -> tuple[int, int]:
        """(fields read from the source, fields and unit names marked for a look)."""
        found = [*self.read.values(), *(group for _title, group in self.groups)]
        for activity in self.activities:
            found.extend(activity.read.values())
        read = sum(1 for item in found if item.value)
        uncertain = sum(1 for item in found if item.uncertain) + sum(1 for unit in self.units if unit.uncertain)
        return read, uncertain

    def choice_for(self, name: str, prefix: str) -> str | None:
        key = expanded_name(name, prefix)
        return next((unit.choice for unit in self.units if unit.name == key), None)


def _moved(text: str, plan: ParsedPlan, year: int, edition: int) -> str:
    """Texts name their year and edition (2024年5月18日, 第十八届); moved, they name the campaign's."""
    if plan.text_edition and plan.text_edition != edition:
        text = text.replace(f"第{cn_number(plan.text_edition)}届", f"第{cn_number(edition)}届")
        text = text.replace(f"第{plan.text_edition}届", f"第{edition}届")
    if plan.text_year and plan.text_year != year:
        text = re.sub(rf"(?<![\d〔]){plan.text_year}(?=年)", str(year), text)
    return text


def parsed(text: str) -> ParsedPlan:
    if not str(text or "").strip():
        raise Refusal(_l("请粘贴方案的文字，或上传方案的 Word 文件。"), field="text")
    plan = parse_plan(text)
    if not plan.looks_like_a_plan:
        raise Refusal(
            _l("这段文字不像一份活动方案：没有找到方案标题（……活动方案）和“一、活动主题”“四、活动内容”等部分。"),
            field="text",
        )
    return plan


def draft_from_text(text: str, year: int, edition: int | None = None) -> ImportDraft:
    """The preview of a pasted or uploaded plan for a campaign of `year`: a plan of an older year is moved to it
    (dates, 第N届, the years its texts name); its 文号 and date of issue are left for the new notice. With
    `edition`, the plan goes into an existing draft of that year and edition."""
    plan = parsed(text)
    draft = ImportDraft(source=text, values={}, read=dict(plan.fields), traditional=plan.traditional)
    text_year = plan.text_year if plan.text_year and plan.text_year <= 2100 else year
    if edition is None:
        # A plan written for a later year than the one asked for is that year's plan, not one to move back.
        year = max(year, text_year)
        edition = (plan.text_edition or 0) + (year - text_year) if plan.text_edition else 0
    move = text_year < year
    if move:
        draft.moved_from = text_year
    for key in CAMPAIGN_KEYS:
        draft.values[key] = _moved(plan[key].value, plan, year, edition) if move else plan[key].value
    if not edition:
        # No 第N届 in the plan's title: the edition the year has (2007 was the first), for the clerk to check.
        edition = max(1, year - FIRST_YEAR + 1)
        draft.read["edition"] = Found(str(edition), None, uncertain=True)
    draft.values["year"], draft.values["edition"] = str(year), str(edition)
    if move:
        for key in ("doc_number", "issue_date"):
            if draft.values[key]:
                draft.read[key] = Found(plan[key].value, plan[key].line, uncertain=True)
                draft.values[key] = ""
        draft.read["year"] = Found(str(year), plan["year"].line, uncertain=True)
        draft.read["edition"] = Found(str(edition), plan["edition"].line, uncertain=True)
    for group in plan.groups:
        draft.groups.append((group.title.value, group.title))
        for activity in group.activities:
            values = {key: activity[key].value for key in ACTIVITY_KEYS}
            if move:
                for key in ("title", "description", "requirements"):
                    values[key] = _moved(values[key], plan, year, edition)
            draft.activities.append(DraftActivity(len(draft.groups) - 1, values, dict(activity.fields)))
    draft.slogans = "\n".join(slogan.value for slogan in plan.slogans)
    draft.slogans_read = plan.slogans[0] if plan.slogans else Found()
    for section in plan.sections:
        text = _moved(section.text.value, plan, year, edition) if move else section.text.value
        draft.sections.append(DraftSection(section.title.value, text, section.place, section.title))
    draft.unplaced = plan.unplaced
    draft.units = unit_choices(draft, {})
    return draft


def draft_from_form(form: Mapping[str, str]) -> ImportDraft:
    """The preview as the clerk sent it back: their values; the lines and marks read again from the source."""
    source = str(form.get("source", ""))
    plan = parsed(source)
    draft = ImportDraft(source=source, values={}, read=dict(plan.fields), traditional=plan.traditional)
    for key in CAMPAIGN_KEYS:
        draft.values[key] = str(form.get(f"c-{key}", ""))
    read_groups = [group.title for group in plan.groups]
    index = 0
    while f"g-{index}" in form and index < 200:
        draft.groups.append((str(form[f"g-{index}"]), read_groups[index] if index < len(read_groups) else Found()))
        index += 1
    read_activities = plan.activities
    index = 0
    while f"a-{index}-title" in form and index < 500:
        values = {key: str(form.get(f"a-{index}-{key}", "")) for key in ACTIVITY_KEYS}
        try:
            group = int(form.get(f"a-{index}-group", "0"))
        except ValueError:
            group = 0
        read = dict(read_activities[index].fields) if index < len(read_activities) else {}
        draft.activities.append(DraftActivity(min(max(group, 0), max(len(draft.groups) - 1, 0)), values, read))
        index += 1
    draft.slogans = str(form.get("slogans", ""))
    draft.slogans_read = plan.slogans[0] if plan.slogans else Found()
    index = 0
    while f"s-{index}-title" in form and index < 50:
        heading = plan.sections[index].title if index < len(plan.sections) else Found()
        draft.sections.append(DraftSection(str(form[f"s-{index}-title"]), str(form.get(f"s-{index}-text", "")),
                                           str(form.get(f"s-{index}-place", "")), heading))
        index += 1
    draft.unplaced = plan.unplaced
    chosen = {}
    index = 0
    while f"u-{index}-name" in form and index < 1000:
        chosen[str(form[f"u-{index}-name"])] = str(form.get(f"u-{index}-choice", ""))
        index += 1
    draft.units = unit_choices(draft, chosen)
    return draft


def _default_choice(match: Match, name: str) -> str:
    if isinstance(match.entry, UnitGroup):
        return f"group:{match.entry.id}"
    if isinstance(match.entry, Unit):
        return f"unit:{match.entry.id}"
    if "各" in name or name.startswith("所有"):
        kind = "town" if re.search(r"[镇街乡]", name) else "institution" if "直" in name else "bureau"
        return f"{NEW_GROUP}:{kind}"
    return f"{NEW_UNIT}:{guess_kind(name)}"


def unit_choices(draft: ImportDraft, chosen: Mapping[str, str]) -> list[UnitChoice]:
    """Every name the activities' roles write, once, in the order they first appear, with its match; a choice
    the clerk made (`chosen`, by name) is kept."""
    index = NameIndex()
    choices: dict[str, UnitChoice] = {}
    for activity in draft.activities:
        for role in UNIT_ROLES:
            names, _etc = written_names(activity.values.get(role, ""))
            line = activity.read.get(role, Found()).line
            for each in names:
                key = each.expanded
                if key not in choices:
                    match = index.match(each.name, each.prefix)
                    choice = chosen.get(key) or _default_choice(match, key)
                    choices[key] = UnitChoice(key, [], match, choice)
                if line and line not in choices[key].lines:
                    choices[key].lines.append(line)
    return list(choices.values())


def choice_options() -> list[tuple[str, str]]:
    """What a name may be matched to, as the preview's select offers it."""
    options = [(f"{NEW_UNIT}:{kind}", str(_l("新建单位（%(kind)s）", kind=label))) for kind, label in UNIT_KINDS.items()]
    options += [(f"{NEW_GROUP}:{kind}", str(_l("新建统称（所有%(kind)s）", kind=label))) for kind, label in UNIT_KINDS.items()]
    options += [(f"group:{group.id}", str(_l("统称：%(name)s", name=group.name))) for group in ordered_groups()]
    options += [(f"unit:{unit.id}", unit.name + (f"（{unit.short_name}）" if unit.short_name else ""))
                for unit in ordered_units()]
    return options
