"""What the import reads from a plan, as plain data: every field with the line it came from (numbered as the
preview shows the text, from 1) and whether the reading is uncertain. The parser fills it; the preview shows it;
nothing here touches the database."""

from dataclasses import dataclass, field

from campaign.plan.models import UNIT_ROLES

# A line of the source as the parser reads it: (line number, cleaned text, text with its inner spacing).
Row = tuple[int, str, str]

# The campaign's fields, in the order the preview shows them.
CAMPAIGN_KEYS = (
    "year", "edition", "title", "notice_title", "doc_number", "addressees", "notice_body", "basis_title", "basis_number",
    "issuing_office", "issue_date", "opening_text", "theme", "form_text", "period", "closing_requirements",
    "deadline", "time_style",
)
ACTIVITY_KEYS = ("title", "description", "mode", "time", "venue", "venue_kind", *UNIT_ROLES, "requirements")


@dataclass
class Found:
    value: str = ""
    line: int | None = None
    uncertain: bool = False

    def add(self, text: str, line: int, separator: str = "\n") -> None:
        """Another line of the same field; the field's line stays the first one's."""
        self.value = f"{self.value}{separator}{text}" if self.value else text
        if self.line is None:
            self.line = line


@dataclass
class ParsedActivity:
    line: int
    fields: dict[str, Found] = field(default_factory=lambda: {key: Found() for key in ACTIVITY_KEYS})
    # The label last read (活动要求 …): plain lines after it belong to it.
    last_label: str = "description"

    def __getitem__(self, key: str) -> Found:
        return self.fields[key]

    def __setitem__(self, key: str, value: Found) -> None:
        self.fields[key] = value


@dataclass
class ParsedGroup:
    title: Found
    activities: list[ParsedActivity] = field(default_factory=list)
    # Text run into the group's heading (（一）线上宣传。利用政府网站…).
    intro: Found = field(default_factory=Found)


@dataclass
class ParsedSection:
    """A section the standard five do not hold (一、指导思想, 六、其他事项): its heading, its text, and the standard
    section it follows (PlanSection.place)."""

    title: Found
    place: str
    text: Found = field(default_factory=Found)


@dataclass
class ParsedPlan:
    fields: dict[str, Found] = field(default_factory=lambda: {key: Found() for key in CAMPAIGN_KEYS})
    groups: list[ParsedGroup] = field(default_factory=list)
    slogans: list[Found] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    # Lines of the document that belong to no field: shown on the preview, so nothing is dropped unseen.
    unplaced: list[Found] = field(default_factory=list)
    traditional: bool = False
    # The year the text is written for, before any move to the campaign's year.
    text_year: int | None = None
    text_edition: int | None = None
    lines: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Found:
        return self.fields[key]

    def __setitem__(self, key: str, value: Found) -> None:
        self.fields[key] = value

    @property
    def activities(self) -> list[ParsedActivity]:
        return [activity for group in self.groups for activity in group.activities]

    @property
    def looks_like_a_plan(self) -> bool:
        return bool(self["title"].value) and bool(self.groups or self["theme"].value)

    def all_found(self) -> list[Found]:
        found = [*self.fields.values(), *self.slogans]
        for section in self.sections:
            found += [section.title, section.text]
        for group in self.groups:
            found.append(group.title)
            for activity in group.activities:
                found.extend(activity.fields.values())
        return found

    def counts(self) -> tuple[int, int]:
        """(fields read, of which uncertain): what the benchmark reports."""
        found = [item for item in self.all_found() if item.value or item.uncertain]
        return len([item for item in found if item.value]), len([item for item in found if item.uncertain])
