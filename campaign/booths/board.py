"""The live board's figures: a fixed handful of queries on the running tallies, whatever the number of entries.

Budget: one refresh ≤ 100 ms over 100,000 consultations (bench/board_query.py). The tallies (tallies.py) are
written in the same transaction as the entries, so the board is exact at every refresh. Everything the board,
its JSON and the export's summary sheet show comes from `figures()`.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NotRequired, TypedDict, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from campaign.booths import records
from campaign.booths.followup_lists import follow_up_counts
from campaign.booths.models import (
    DEFAULT_MATERIALS,
    KINDS,
    SOURCE_PUBLIC,
    Booth,
    BoothSettings,
    ConsultationTally,
    HandoutTally,
)
from campaign.plan.models import Activity, Campaign
from campaign.shared.timeutil import LOCAL_TZ, local_today, utcnow
from campaign.units.models import Unit
from campaign.web.extensions import db

NO_TOPIC = "未选主题"


# The figures as `figures()` returns them and the board's JSON serves them. Every list of rows is drawn as bars:
# `max` is the largest `total` of its list, one scale for all its bars.


class Bar(TypedDict):
    total: int
    max: int


class BoothRow(Bar):
    id: int
    label: str
    unit: str
    activity: str
    place: str
    active: bool
    staff: int
    public: int
    today: int
    public_today: int
    handouts: int
    # The link to the booth's entries, added by the board's view.
    entries_url: NotRequired[str]


class UnitRow(Bar):
    id: int
    name: str
    full_name: str
    booths: int
    staff: int
    public: int
    today: int
    handouts: int


class CountRow(Bar):
    """Consultations of one topic or kind, by staff and on the public card."""

    name: str
    staff: int
    public: int


class MaterialRow(Bar):
    name: str
    today: int


class HourRow(Bar):
    hour: int
    name: str
    staff: int
    public: int


class BoardTotals(TypedDict):
    consultations_today: int
    consultations: int
    public_today: int
    public: int
    handouts: int
    handouts_today: int
    booths: int
    # Referrals by state and outcome (campaign/booths/followup_lists.py, FollowUpCounts)
    follow_ups: int
    follow_ups_open: int
    follow_ups_overdue: int
    follow_ups_replied: int
    follow_ups_replied_in_time: int
    follow_ups_replied_late: int
    follow_ups_called_back: int
    follow_ups_closed: int
    call_backs_satisfied: int
    call_backs_fairly_satisfied: int
    call_backs_unsatisfied: int


class AlertRow(TypedDict):
    """One line of the 预警 panel (campaign/booths/alerts.py), worded by the board's view."""

    kind: str
    text: str


class BoardFigures(TypedDict):
    campaign_id: int
    generated_at: str
    today: str
    day: str
    totals: BoardTotals
    materials: list[MaterialRow]
    booths: list[BoothRow]
    units: list[UnitRow]
    topics: list[CountRow]
    kinds: list[CountRow]
    hours: list[HourRow]
    # Added by the board's view.
    alerts: NotRequired[list[AlertRow]]


BarT = TypeVar("BarT", bound=Bar)


def _utc_day(day: date) -> tuple[datetime, datetime]:
    """The UTC bounds of a local (Asia/Shanghai) day, to compare with the naive UTC the database holds."""
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


def focus_day(campaign: Campaign, today: date | None = None) -> date:
    """The day whose hours the board shows: today during the campaign, otherwise its first day."""
    today = today or local_today()
    return today if campaign.first_day <= today <= campaign.last_day else campaign.first_day


def _booths(campaign_id: int) -> list[Booth]:
    return list(
        db.session.scalars(
            sa.select(Booth)
            .where(Booth.campaign_id == campaign_id)
            .options(joinedload(Booth.unit), joinedload(Booth.activity).joinedload(Activity.venue))
            .outerjoin(Activity, Booth.activity_id == Activity.id)
            .join(Unit, Booth.unit_id == Unit.id)
            .order_by(Activity.sort_order, Activity.id, Unit.sort_order, Unit.id, Booth.id)
        )
    )


def _places(booths: list[Booth]) -> dict[int, str]:
    """Where each booth stands, to tell apart the desks of one unit at several activities: the venue's name, or
    the activity's title where the venue alone would not (two of the unit's activities at one venue, or none)."""
    venue = {booth.id: booth.activity.venue.name if booth.activity and booth.activity.venue else "" for booth in booths}
    seen = Counter((booth.label, venue[booth.id]) for booth in booths)
    return {
        booth.id: venue[booth.id] if venue[booth.id] and seen[booth.label, venue[booth.id]] == 1
        else (booth.activity.title if booth.activity else venue[booth.id])
        for booth in booths
    }


def _rows_with_share(rows: list[BarT]) -> list[BarT]:
    """Sets `max`, the largest total of the list, so every bar of a breakdown shares one scale."""
    top = max((row["total"] for row in rows), default=0)
    for row in rows:
        row["max"] = top
    return rows


def _origin(source: str) -> str:
    return "public" if source == SOURCE_PUBLIC else "staff"


def _consultations_by(column: InstrumentedAttribute, booth_ids: sa.Select) -> "Sequence[sa.Row[Any, str, int]]":
    """(value of `column`, source, live consultations) summed over the booths' tallies."""
    total = sa.func.sum(ConsultationTally.count)
    return db.session.execute(
        sa.select(column, ConsultationTally.source, total)
        .where(ConsultationTally.booth_id.in_(booth_ids))
        .group_by(column, ConsultationTally.source)
        .having(total != 0)
    ).all()


def figures(campaign: Campaign, today: date | None = None, day: date | None = None) -> BoardFigures:
    """The board's figures as plain data (JSON-ready). Withdrawn entries are left out everywhere."""
    today = today or local_today()
    day = day or focus_day(campaign, today)
    today_start, today_end = _utc_day(today)
    day_start, day_end = _utc_day(day)
    booths = _booths(campaign.id)
    in_campaign = records.booth_ids(campaign.id)

    # 1. Consultations by booth, by topic and by kind, each with its source: the database adds the tallies up.
    booth_rows = _consultations_by(ConsultationTally.booth_id, in_campaign)
    topic_rows = _consultations_by(ConsultationTally.topic, in_campaign)
    kind_rows = _consultations_by(ConsultationTally.kind, in_campaign)

    # 2. Handouts by booth and material, in all and today.
    handout_today = sa.and_(HandoutTally.hour_start >= today_start, HandoutTally.hour_start < today_end)
    handout_rows: Sequence[sa.Row[int, str, int | None, int | None]] = db.session.execute(
        sa.select(
            HandoutTally.booth_id,
            HandoutTally.material,
            sa.func.sum(HandoutTally.quantity),
            sa.func.sum(sa.case((handout_today, HandoutTally.quantity), else_=0)),
        )
        .where(HandoutTally.booth_id.in_(in_campaign))
        .group_by(HandoutTally.booth_id, HandoutTally.material)
        .having(sa.func.sum(HandoutTally.quantity) != 0)
    ).all()

    # 3. Consultations by hour, today's and the focus day's (the same day during the campaign).
    hour_rows = records.consultation_hours(campaign.id, ((today_start, today_end), (day_start, day_end)))

    # 4. Follow-ups, 5. the configured lists (for the order of topics and materials).
    follow_ups = follow_up_counts(campaign.id, today=today)
    settings = db.session.get(BoothSettings, campaign.id)
    materials_order = list(settings.materials) if settings and settings.materials else list(DEFAULT_MATERIALS)
    topics_order = list(settings.topics) if settings and settings.topics else []

    # Folding the rows in Python: a few hundred at most, however many consultations there are.
    per_booth: defaultdict[int, dict[str, int]] = defaultdict(
        lambda: {"staff": 0, "public": 0, "today": 0, "public_today": 0, "handouts": 0}
    )
    by_topic: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"staff": 0, "public": 0})
    by_kind: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"staff": 0, "public": 0})
    for booth_id, source, count in booth_rows:
        per_booth[booth_id][_origin(source)] += count
    for topic, source, count in topic_rows:
        by_topic[topic or NO_TOPIC][_origin(source)] += count
    for kind, source, count in kind_rows:
        by_kind[kind][_origin(source)] += count

    by_material: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"total": 0, "today": 0})
    for booth_id, material, quantity, quantity_today in handout_rows:
        per_booth[booth_id]["handouts"] += quantity or 0
        by_material[material]["total"] += quantity or 0
        by_material[material]["today"] += quantity_today or 0

    hours = {h: {"staff": 0, "public": 0} for h in range(24)}
    for booth_id, start, source, count in hour_rows:
        if today_start <= start < today_end:
            per_booth[booth_id]["public_today" if source == SOURCE_PUBLIC else "today"] += count
        if day_start <= start < day_end:
            hours[records.local_hour(start)][_origin(source)] += count

    booth_list: list[BoothRow] = []
    unit_map: dict[int, UnitRow] = {}
    unit_order: dict[int, tuple[int, int]] = {}
    places = _places(booths)
    for booth in booths:
        entry = per_booth[booth.id]
        row: BoothRow = {
            "id": booth.id,
            "label": booth.label,
            "unit": booth.unit.label,
            "activity": booth.activity.title if booth.activity else "",
            "place": places[booth.id],
            "active": booth.active,
            "staff": entry["staff"],
            "public": entry["public"],
            "today": entry["today"],
            "public_today": entry["public_today"],
            "handouts": entry["handouts"],
            "total": entry["staff"] + entry["public"],
            "max": 0,
        }
        booth_list.append(row)
        unit = unit_map.setdefault(booth.unit_id, {
            "id": booth.unit_id, "name": booth.unit.label, "full_name": booth.unit.name, "booths": 0,
            "staff": 0, "public": 0, "today": 0, "handouts": 0, "total": 0, "max": 0,
        })
        unit_order[booth.unit_id] = (booth.unit.sort_order, booth.unit_id)
        unit["booths"] += 1
        unit["staff"] += row["staff"]
        unit["public"] += row["public"]
        unit["today"] += row["today"]
        unit["handouts"] += row["handouts"]
        unit["total"] += row["total"]
    units = [unit_map[unit_id] for unit_id in sorted(unit_map, key=unit_order.__getitem__)]

    def ordered(counts: dict[str, dict[str, int]], order: list[str]) -> list[CountRow]:
        known = [name for name in order if name in counts]
        rest = sorted((name for name in counts if name not in order), key=lambda name: -sum(counts[name].values()))
        return [
            {"name": name, "staff": counts[name]["staff"], "public": counts[name]["public"],
             "total": counts[name]["staff"] + counts[name]["public"], "max": 0}
            for name in known + rest
        ]

    topics = sorted(ordered(by_topic, topics_order), key=lambda row: -row["total"])
    kinds = ordered(by_kind, list(KINDS))
    materials: list[MaterialRow] = [
        {"name": name, "total": by_material[name]["total"], "today": by_material[name]["today"], "max": 0}
        for name in [m for m in materials_order if m in by_material] + sorted(set(by_material) - set(materials_order))
    ]
    staff_total = sum(row["staff"] for row in booth_list)
    public_total = sum(row["public"] for row in booth_list)
    return {
        "campaign_id": campaign.id,
        "generated_at": utcnow().astimezone(LOCAL_TZ).isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "day": day.isoformat(),
        "totals": {
            "consultations_today": sum(row["today"] for row in booth_list),
            "consultations": staff_total,
            "public_today": sum(row["public_today"] for row in booth_list),
            "public": public_total,
            "handouts": sum(row["total"] for row in materials),
            "handouts_today": sum(row["today"] for row in materials),
            "booths": sum(1 for row in booth_list if row["active"]),
            "follow_ups": follow_ups.referred,
            "follow_ups_open": follow_ups.open,
            "follow_ups_overdue": follow_ups.overdue,
            "follow_ups_replied": follow_ups.replied,
            "follow_ups_replied_in_time": follow_ups.replied_in_time,
            "follow_ups_replied_late": follow_ups.replied_late,
            "follow_ups_called_back": follow_ups.called_back_total,
            "follow_ups_closed": follow_ups.closed,
            "call_backs_satisfied": follow_ups.satisfaction["满意"],
            "call_backs_fairly_satisfied": follow_ups.satisfaction["基本满意"],
            "call_backs_unsatisfied": follow_ups.satisfaction["不满意"],
        },
        "materials": _rows_with_share(materials),
        "booths": _rows_with_share(booth_list),
        "units": _rows_with_share(units),
        "topics": _rows_with_share(topics),
        "kinds": _rows_with_share(kinds),
        "hours": _rows_with_share(busy_hours([
            {"hour": h, "name": f"{h:02d}:00", "staff": hours[h]["staff"], "public": hours[h]["public"],
             "total": hours[h]["staff"] + hours[h]["public"], "max": 0}
            for h in range(24)
        ])),
    }


def busy_hours(rows: list[HourRow]) -> list[HourRow]:
    """The hours worth a row on screen: from the first to the last hour with any entry (08:00–12:00 if none)."""
    used = [row["hour"] for row in rows if row["total"]]
    first, last = (min(used), max(used)) if used else (8, 11)
    return [row for row in rows if first <= row["hour"] <= last]
