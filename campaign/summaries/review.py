"""The organizer's side of unit summaries: who owes one, where each stands, and one summary to review.

Every unit named in the campaign's plan owes a summary. The overview reads them all in a fixed number of
queries (units, summaries with their corrections, photo counts, the window, and the grouped figure queries of
`recorded_figures_by_unit`), whatever the number of units; the page of a city's 400 units counts every unit's state
but reads figures and photos only for the units it shows.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.models import Campaign
from campaign.plan.participants import participants
from campaign.shared.audit import AuditEvent, action_label, newest_events
from campaign.shared.timeutil import utcnow
from campaign.summaries.figures import (
    effective_figures,
    figure_label,
    figure_rows,
    grouped_rows,
    recorded_figures,
    recorded_figures_by_unit,
)
from campaign.summaries.models import SECTIONS, UNIT_FIGURES, Photo, UnitSummary
from campaign.summaries.window import window_closed
from campaign.summaries.workflow import (
    STATE_ACCEPTED,
    STATE_DRAFT,
    STATE_LABELS,
    STATE_LATE,
    STATE_NOT_STARTED,
    STATE_RETURNED,
    STATE_SUBMITTED,
    summary_state,
)
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.paging import PER_PAGE, ListPage

# The order of the overview's counts: first those the office still has to chase, then those it has to read.
STATE_ORDER = (STATE_NOT_STARTED, STATE_DRAFT, STATE_RETURNED, STATE_SUBMITTED, STATE_LATE, STATE_ACCEPTED)
# Not submitted: the units a reminder goes to.
PENDING_STATES = (STATE_NOT_STARTED, STATE_DRAFT, STATE_RETURNED)
# Waiting for the organizer.
AWAITING_REVIEW = (STATE_SUBMITTED, STATE_LATE)
# Rows of the figures table shown even when zero: a zero there is itself worth seeing.
ALWAYS_SHOWN = ("consultations", "people", "materials", "follow_ups")
HISTORY_LIMIT = 200

DETAIL_LABELS = {
    "note": _l("退回意见"),
    "key": _l("数字"),
    "recorded": _l("系统记录"),
    "corrected": _l("更正为"),
    "reason": _l("原因"),
    "late": _l("逾期"),
    "resubmission": _l("重新报送"),
    "to": _l("收件人"),
    "error": _l("未发出原因"),
    "caption": _l("说明"),
    "original_name": _l("文件名"),
    "name": _l("文件名"),
    "title": _l("标题"),
    "url": _l("链接"),
}
HIDDEN_DETAILS = {"unit_id", "summary_id", "batch", "ok", "photo_id", "sha256"}


@dataclass
class OverviewRow:
    unit: Unit
    summary: UnitSummary | None
    state: str
    # Recorded figures with the unit's corrections applied: what the unit reports.
    figures: dict
    photo_count: int = 0
    correction_count: int = 0
    deadline: datetime | None = None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def submitted_at(self) -> datetime | None:
        return self.summary.submitted_at if self.summary is not None else None

    @property
    def late_by(self) -> timedelta | None:
        """How long after the deadline the latest submission came, for a late one."""
        summary = self.summary
        if summary is None or not summary.late or summary.submitted_at is None or self.deadline is None:
            return None
        return max(summary.submitted_at - self.deadline, timedelta(0))

    @property
    def late_text(self) -> str:
        return late_by_text(self.late_by) if self.late_by is not None else ""


@dataclass
class Overview:
    campaign: Campaign
    # The page of rows shown (rows.items), after the filters.
    rows: ListPage
    # Per state, over the units of the chosen kind (before the state filter): a count at the top is the length
    # of the list its link shows.
    counts: dict[str, int]
    total: int
    window_closed: bool
    deadline_passed: bool
    state: str | None = None
    kind: str | None = None

    @property
    def pending(self) -> int:
        return sum(self.counts[state] for state in PENDING_STATES)

    @property
    def awaiting_review(self) -> int:
        return sum(self.counts[state] for state in AWAITING_REVIEW)


def late_by_text(delta: timedelta) -> str:
    """逾期 2 天 3 小时: whole minutes, the largest two units."""
    minutes = int(delta.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("逾期 %(days)d 天 %(hours)d 小时", days=days, hours=hours)
    if hours:
        return _("逾期 %(hours)d 小时 %(minutes)d 分钟", hours=hours, minutes=minutes)
    if minutes:
        return _("逾期 %(minutes)d 分钟", minutes=minutes)
    return _("逾期不到 1 分钟")


def _photo_counts(summary_ids: list[int]) -> dict[int, int]:
    if not summary_ids:
        return {}
    query = (
        sa.select(Photo.summary_id, sa.func.count(Photo.id))
        .where(Photo.summary_id.in_(summary_ids))
        .group_by(Photo.summary_id)
    )
    return dict(db.session.execute(query).all())


def _units_with_summaries(campaign: Campaign) -> tuple[list[Unit], dict[int, UnitSummary]]:
    units = participants(campaign.id)
    summaries = {
        summary.unit_id: summary
        for summary in db.session.scalars(
            sa.select(UnitSummary)
            .where(UnitSummary.campaign_id == campaign.id)
            .options(selectinload(UnitSummary.corrections))
        )
    }
    return units, summaries


def _rows(campaign: Campaign, units: list[Unit], summaries: dict[int, UnitSummary], states: dict[int, str]):
    """The rows of these units, with their figures and photo counts (read for these units only)."""
    summary_ids = [summaries[unit.id].id for unit in units if unit.id in summaries]
    photo_counts = _photo_counts(summary_ids)
    recorded = recorded_figures_by_unit(campaign.id, [unit.id for unit in units]) if units else {}
    rows = []
    for unit in units:
        summary = summaries.get(unit.id)
        figures = recorded.get(unit.id, {})
        rows.append(
            OverviewRow(
                unit=unit,
                summary=summary,
                state=states[unit.id],
                figures=effective_figures(summary, figures) if summary is not None else figures,
                photo_count=photo_counts.get(summary.id, 0) if summary is not None else 0,
                correction_count=len(summary.corrections) if summary is not None else 0,
                deadline=campaign.summary_deadline,
            )
        )
    return rows


def overview_rows(campaign: Campaign, now: datetime | None = None) -> list[OverviewRow]:
    """Every unit taking part, with its summary's state and key figures, in the units' order."""
    now = now or utcnow()
    units, summaries = _units_with_summaries(campaign)
    states = {unit.id: summary_state(summaries.get(unit.id), campaign, now) for unit in units}
    return _rows(campaign, units, summaries, states)


def campaign_overview(
    campaign: Campaign,
    state: str | None = None,
    kind: str | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Overview:
    """The overview page's data; `state` and `kind` filter the list (None: all), `page` is the page shown."""
    now = now or utcnow()
    units, summaries = _units_with_summaries(campaign)
    if kind:
        units = [unit for unit in units if unit.kind == kind]
    states = {unit.id: summary_state(summaries.get(unit.id), campaign, now) for unit in units}
    counts = {name: 0 for name in STATE_ORDER}
    for unit_state in states.values():
        counts[unit_state] += 1
    total = len(units)
    if state:
        units = [unit for unit in units if states[unit.id] == state]
    shown = ListPage.of(units, page, per_page)
    shown.items = _rows(campaign, shown.items, summaries, states)
    deadline = campaign.summary_deadline
    return Overview(
        campaign=campaign,
        rows=shown,
        counts=counts,
        total=total,
        window_closed=window_closed(campaign),
        deadline_passed=deadline is not None and now > deadline,
        state=state,
        kind=kind,
    )


# One summary, for the organizer to read


@dataclass
class HistoryLine:
    event: AuditEvent
    action: str
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SummaryReview:
    summary: UnitSummary
    state: str
    figure_groups: list
    corrections: int
    unit_figures: list[tuple[str, int | None]]
    narrative: list[tuple[str, str]]
    photos: list[Photo]
    video_links: list[dict]
    history: list[HistoryLine]

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def can_decide(self) -> bool:
        return self.state in AWAITING_REVIEW

    @property
    def can_reopen(self) -> bool:
        return self.state == STATE_ACCEPTED

    @property
    def late_text(self) -> str:
        summary, deadline = self.summary, self.summary.campaign.summary_deadline
        if not summary.late or summary.submitted_at is None or deadline is None:
            return ""
        return late_by_text(max(summary.submitted_at - deadline, timedelta(0)))


def load_summary(summary_id: int) -> UnitSummary | None:
    return db.session.scalar(
        sa.select(UnitSummary)
        .where(UnitSummary.id == summary_id)
        .options(
            joinedload(UnitSummary.unit),
            joinedload(UnitSummary.campaign),
            selectinload(UnitSummary.corrections),
            selectinload(UnitSummary.photos),
        )
    )


def shown_rows(rows) -> list:
    """The figures worth a line: those recorded, corrected, or always shown."""
    return [row for row in rows if row.recorded or row.is_corrected or row.key in ALWAYS_SHOWN]


def summary_review(summary: UnitSummary, now: datetime | None = None) -> SummaryReview:
    recorded = recorded_figures(summary.campaign_id, summary.unit_id)
    rows = figure_rows(summary, recorded)
    unit_values = summary.unit_figures or {}
    narrative = summary.narrative or {}
    return SummaryReview(
        summary=summary,
        state=summary_state(summary, summary.campaign, now or utcnow()),
        figure_groups=grouped_rows(shown_rows(rows)),
        corrections=sum(1 for row in rows if row.is_corrected),
        unit_figures=[(label, unit_values.get(key)) for key, label in UNIT_FIGURES],
        narrative=[(label, (narrative.get(key) or "").strip()) for key, label in SECTIONS],
        photos=list(summary.photos),
        video_links=list(summary.video_links or []),
        history=summary_history(summary),
    )


def _detail_text(key: str, value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None or value == "":
        return "—"
    if key == "key":
        return figure_label(str(value))
    return str(value)


def summary_history(summary: UnitSummary) -> list[HistoryLine]:
    """What happened to the summary, newest first: its transitions and corrections, its photos, the reminders
    its unit was sent."""
    of_summary = sa.and_(AuditEvent.object_type == "UnitSummary", AuditEvent.object_id == summary.id)
    # Photos are audit-logged on the photo, which names its summary in the detail.
    of_photos = sa.and_(
        AuditEvent.object_type == "Photo", AuditEvent.detail["summary_id"].as_integer() == summary.id
    )
    reminders = sa.and_(
        AuditEvent.object_type == "Unit",
        AuditEvent.object_id == summary.unit_id,
        AuditEvent.action.like("summary_reminder%"),
    )
    events = newest_events(
        AuditEvent.campaign_id == summary.campaign_id, sa.or_(of_summary, of_photos, reminders), limit=HISTORY_LIMIT
    )
    lines = []
    for event in events:
        details = [
            (str(DETAIL_LABELS.get(key, key)), _detail_text(key, value))
            for key, value in (event.detail or {}).items()
            # "Late: no" on every on-time step would drown the one that was late.
            if key not in HIDDEN_DETAILS and value is not False
        ]
        lines.append(HistoryLine(event, action_label(event.action), details))
    return lines
