"""The live board's figures: a fixed handful of GROUP BY queries, whatever the number of entries.

Budget: one refresh ≤ 100 ms over 100,000 consultations (bench/board_query.py). Everything the board, its
JSON and the export's summary sheet show comes from `figures()`.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaign.booths.followups import follow_up_counts, local_today
from campaign.booths.models import (
    DEFAULT_MATERIALS,
    KINDS,
    SOURCE_PUBLIC,
    Booth,
    BoothSettings,
    Consultation,
    MaterialHandout,
)
from campaign.extensions import db
from campaign.plan.models import Activity, Campaign
from campaign.timeutil import LOCAL_TZ, utcnow
from campaign.units.models import Unit

NO_TOPIC = "未选主题"


def _utc_day(day: date) -> tuple[datetime, datetime]:
    """The UTC bounds of a local (Asia/Shanghai) day, to compare with the naive UTC the database holds."""
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


def focus_day(campaign: Campaign, today: date | None = None) -> date:
    """The day whose hours the board shows: today during the campaign, otherwise its first day."""
    today = today or local_today()
    return today if campaign.first_day <= today <= campaign.last_day else campaign.first_day


def _hour_expression(column, dialect_name: str):
    # SQLite keeps datetimes as text; PostgreSQL has real timestamps.
    if dialect_name == "sqlite":
        # Stored as 'YYYY-MM-DD HH:MM:SS…': the hour is characters 12–13, far cheaper than strftime per row.
        return sa.cast(sa.func.substr(column, 12, 2), sa.Integer)
    return sa.cast(sa.extract("hour", column), sa.Integer)


def _booths(campaign_id: int) -> list[Booth]:
    return list(
        db.session.scalars(
            sa.select(Booth)
            .where(Booth.campaign_id == campaign_id)
            .options(joinedload(Booth.unit), joinedload(Booth.activity))
            .outerjoin(Activity, Booth.activity_id == Activity.id)
            .join(Unit, Booth.unit_id == Unit.id)
            .order_by(Activity.sort_order, Activity.id, Unit.sort_order, Unit.id, Booth.id)
        )
    )


def _rows_with_share(rows: list[dict], key: str = "total") -> list[dict]:
    """Adds `max`, the largest value of the list, so every bar of a breakdown shares one scale."""
    top = max((row[key] for row in rows), default=0)
    for row in rows:
        row["max"] = top
    return rows


def figures(campaign: Campaign, today: date | None = None, day: date | None = None) -> dict:
    """The board's figures as plain data (JSON-ready). Withdrawn entries are left out everywhere."""
    today = today or local_today()
    day = day or focus_day(campaign, today)
    today_start, today_end = _utc_day(today)
    day_start, day_end = _utc_day(day)
    in_campaign = Consultation.booth_id.in_(sa.select(Booth.id).where(Booth.campaign_id == campaign.id))
    live = Consultation.withdrawn_at.is_(None)
    is_today = sa.and_(Consultation.recorded_at >= today_start, Consultation.recorded_at < today_end)

    booths = _booths(campaign.id)

    # 1. Consultations by booth, source, kind and topic: every total and breakdown but the hours, in one scan.
    consultation_rows = db.session.execute(
        sa.select(
            Consultation.booth_id,
            Consultation.source,
            Consultation.kind,
            Consultation.topic,
            sa.func.count(),
            sa.func.sum(sa.case((is_today, 1), else_=0)),
        )
        .where(in_campaign, live)
        .group_by(Consultation.booth_id, Consultation.source, Consultation.kind, Consultation.topic)
    ).all()

    # 2. Handouts by booth and material.
    handout_today = sa.and_(MaterialHandout.recorded_at >= today_start, MaterialHandout.recorded_at < today_end)
    handout_rows = db.session.execute(
        sa.select(
            MaterialHandout.booth_id,
            MaterialHandout.material,
            sa.func.sum(MaterialHandout.quantity),
            sa.func.sum(sa.case((handout_today, MaterialHandout.quantity), else_=0)),
        )
        .where(
            MaterialHandout.booth_id.in_(sa.select(Booth.id).where(Booth.campaign_id == campaign.id)),
            MaterialHandout.withdrawn_at.is_(None),
        )
        .group_by(MaterialHandout.booth_id, MaterialHandout.material)
    ).all()

    # 3. Consultations by hour of the focus day; the range uses the (booth_id, recorded_at) index.
    hour = _hour_expression(Consultation.recorded_at, db.session.get_bind().dialect.name).label("hour")
    hour_rows = db.session.execute(
        sa.select(hour, Consultation.source, sa.func.count())
        .where(in_campaign, live, Consultation.recorded_at >= day_start, Consultation.recorded_at < day_end)
        .group_by(hour, Consultation.source)
    ).all()

    # 4. Follow-ups, 5. the configured lists (for the order of topics and materials).
    follow_ups = follow_up_counts(campaign.id, today=today)
    settings = db.session.get(BoothSettings, campaign.id)
    materials_order = list(settings.materials) if settings and settings.materials else list(DEFAULT_MATERIALS)
    topics_order = list(settings.topics) if settings and settings.topics else []

    # Folding the rows in Python: a few thousand at most, however many consultations there are.
    per_booth = defaultdict(lambda: {"staff": 0, "public": 0, "today": 0, "public_today": 0, "handouts": 0})
    by_topic = defaultdict(lambda: {"staff": 0, "public": 0})
    by_kind = defaultdict(lambda: {"staff": 0, "public": 0})
    for booth_id, source, kind, topic, count, count_today in consultation_rows:
        origin = "public" if source == SOURCE_PUBLIC else "staff"
        entry = per_booth[booth_id]
        entry[origin] += count
        entry["public_today" if origin == "public" else "today"] += count_today or 0
        by_topic[topic or NO_TOPIC][origin] += count
        by_kind[kind][origin] += count

    by_material = defaultdict(lambda: {"total": 0, "today": 0})
    for booth_id, material, quantity, quantity_today in handout_rows:
        per_booth[booth_id]["handouts"] += quantity or 0
        by_material[material]["total"] += quantity or 0
        by_material[material]["today"] += quantity_today or 0

    hours = {h: {"staff": 0, "public": 0} for h in range(24)}
    # The database hours are UTC; Asia/Shanghai has had no summer time since 1991, a fixed +8.
    offset = int(LOCAL_TZ.utcoffset(datetime(day.year, day.month, day.day)).total_seconds() // 3600)
    for utc_hour, source, count in hour_rows:
        hours[(int(utc_hour) + offset) % 24]["public" if source == SOURCE_PUBLIC else "staff"] += count

    booth_list, unit_map = [], {}
    for booth in booths:
        entry = per_booth.get(booth.id) or per_booth.default_factory()
        row = {
            "id": booth.id,
            "label": booth.label,
            "unit": booth.unit.label,
            "activity": booth.activity.title if booth.activity else "",
            "active": booth.active,
            "staff": entry["staff"],
            "public": entry["public"],
            "today": entry["today"],
            "public_today": entry["public_today"],
            "handouts": entry["handouts"],
            "total": entry["staff"] + entry["public"],
        }
        booth_list.append(row)
        unit = unit_map.setdefault(booth.unit_id, {
            "id": booth.unit_id, "name": booth.unit.label, "full_name": booth.unit.name, "booths": 0,
            "staff": 0, "public": 0, "today": 0, "handouts": 0, "total": 0,
            "sort": (booth.unit.sort_order, booth.unit_id),
        })
        unit["booths"] += 1
        for key in ("staff", "public", "today", "handouts", "total"):
            unit[key] += row[key]
    units = sorted(unit_map.values(), key=lambda item: item["sort"])
    for unit in units:
        del unit["sort"]

    def ordered(counts: dict, order: list[str]) -> list[dict]:
        known = [name for name in order if name in counts]
        rest = sorted((name for name in counts if name not in order), key=lambda name: -sum(counts[name].values()))
        return [
            {"name": name, "staff": counts[name]["staff"], "public": counts[name]["public"],
             "total": counts[name]["staff"] + counts[name]["public"]}
            for name in known + rest
        ]

    topics = sorted(ordered(by_topic, topics_order), key=lambda row: -row["total"])
    kinds = ordered(by_kind, list(KINDS))
    materials = [
        {"name": name, "total": by_material[name]["total"], "today": by_material[name]["today"]}
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
            "follow_ups_open": follow_ups.open,
            "follow_ups_overdue": follow_ups.overdue,
            "follow_ups_closed": follow_ups.closed,
        },
        "materials": _rows_with_share(materials),
        "booths": _rows_with_share(booth_list),
        "units": _rows_with_share(units),
        "topics": _rows_with_share(topics),
        "kinds": _rows_with_share(kinds),
        "hours": _rows_with_share(busy_hours([
            {"hour": h, "name": f"{h:02d}:00", "staff": hours[h]["staff"], "public": hours[h]["public"],
             "total": hours[h]["staff"] + hours[h]["public"]}
            for h in range(24)
        ])),
    }


def busy_hours(rows: list[dict]) -> list[dict]:
    """The hours worth a row on screen: from the first to the last hour with any entry (08:00–12:00 if none)."""
    used = [row["hour"] for row in rows if row["total"]]
    first, last = (min(used), max(used)) if used else (8, 11)
    return [row for row in rows if first <= row["hour"] <= last]
