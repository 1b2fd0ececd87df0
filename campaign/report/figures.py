"""The shape of the district report's figures: what `compile_report` returns, a snapshot stores (as JSON) and the
documents, exports and pages read. Times are ISO 8601 strings in UTC."""

from typing import Any, NotRequired, TypedDict

from campaign.report.scorecard import Scorecard
from campaign.report.year_on_year import Comparison


class ReportCampaign(TypedDict):
    id: int
    title: str
    year: int
    edition: int
    issuing_office: str
    theme: str
    first_day: str
    last_day: str
    period_text: str
    deadline: str | None
    deadline_text: str


class ReportTotals(TypedDict):
    # SUMMED_KEYS: over every unit's booth records.
    consultations: int
    consultations_staff: int
    consultations_public: int
    people: int
    satisfaction_rated: int
    satisfied: int
    materials: int
    follow_ups: int
    follow_ups_closed: int
    follow_ups_open: int
    follow_ups_overdue: int
    follow_ups_replied_in_time: int
    follow_ups_replied_late: int
    # Missing from snapshots made before it was counted.
    follow_ups_closed_in_time: NotRequired[int]
    follow_ups_called_back: int
    call_backs_satisfied: int
    call_backs_fairly_satisfied: int
    call_backs_unsatisfied: int
    # Percent, None when nobody rated.
    satisfaction_rate: int | None
    units_taking_part: int
    units_in_plan: int
    units_reported: int
    units_missing: int
    units_late: int
    venues: int
    venues_main: int
    venues_branch: int
    booths: int
    photos: int
    activities: int
    activities_online: int
    activities_onsite: int


class FigureCell(TypedDict):
    """A figure of the per-unit table: the effective value, the recorded one, and whether a correction moved it."""

    value: int | None
    recorded: int | None
    corrected: bool


class CorrectionEntry(TypedDict):
    key: str
    label: str
    recorded: int
    corrected: int
    reason: str


class UnitEntry(TypedDict):
    id: int
    name: str
    label: str
    kind: str
    state: str
    state_text: str
    counted: bool
    taking_part: bool
    late: bool
    submitted_at: str | None
    photos: int
    # TABLE_KEYS, people and follow_ups.
    figures: dict[str, FigureCell]
    corrections: list[CorrectionEntry]
    # UNIT_FIGURES' keys.
    unit_figures: dict[str, int]
    # The counted summary's sections as the unit wrote them (summaries.models.SECTIONS' keys) and the leaders it
    # named; empty otherwise. Missing from snapshots made before the prose quoted the units.
    sections: NotRequired[dict[str, str]]
    leaders: NotRequired[str]


class ActivityEntry(TypedDict):
    id: int
    group: str
    title: str
    # Missing from snapshots made before the prose quoted the units (as are unit_roles, desk_units, desk_unit_ids,
    # by_material).
    description: NotRequired[str]
    mode: str
    time_text: str
    venue: str
    venue_kind: str
    lead: list[str]
    cooperating: list[str]
    # Missing from snapshots made before 参加单位 existed.
    participating: NotRequired[list[str]]
    responsible: list[str]
    # [unit id, role] of every unit behind the names (a group's members), in the plan's order.
    unit_roles: NotRequired[list[list[Any]]]
    units: int
    booths: int
    # The units with a desk in service at the activity, in the units' order: labels, and ids.
    desk_units: NotRequired[list[str]]
    desk_unit_ids: NotRequired[list[int]]
    recorded_unit_ids: NotRequired[list[int]]
    consultations: int
    materials: int
    # [[material, quantity]], largest first.
    by_material: NotRequired[list[list[Any]]]


class MissingUnit(TypedDict):
    id: int
    name: str
    state: str
    state_text: str


class LateUnit(TypedDict):
    id: int
    name: str
    submitted_at: str | None


class UnitFigureTotal(TypedDict):
    key: str
    label: str
    total: int


class PhotoEntry(TypedDict):
    id: int
    unit: str
    unit_id: int
    caption: str
    display_path: str
    width: int
    height: int


class ReportFigures(TypedDict):
    version: int
    compiled_at: str
    campaign: ReportCampaign
    totals: ReportTotals
    # [name, count] pairs (JSON arrays), in the report's order; by_hour: [hour, count].
    by_kind: list[list[Any]]
    by_topic: list[list[Any]]
    by_handling: list[list[Any]]
    by_asker: list[list[Any]]
    by_material: list[list[Any]]
    # Missing from snapshots made before the report told 满意 and 基本满意 apart.
    by_satisfaction: NotRequired[list[list[Any]]]
    by_hour: list[list[int]]
    unit_figures: list[UnitFigureTotal]
    units: list[UnitEntry]
    activities: list[ActivityEntry]
    missing: list[MissingUnit]
    late: list[LateUnit]
    photos: list[PhotoEntry]
    scorecard: Scorecard
    include_scorecard: bool
    include_register: bool
    # The previous campaign's figures beside these (report/year_on_year.py); None without one. Missing from
    # snapshots made before the comparison existed.
    year_on_year: NotRequired[Comparison | None]
