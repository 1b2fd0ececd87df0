"""The two checks the tally tests make after each step, and what they share: the stored tallies equal
tallies.recount() (the same rules applied to the rows), and the board's and the summaries' figures equal counts made
here from the rows by plain Python, apart from both."""

from collections import Counter
from datetime import date, datetime

import sqlalchemy as sa

from campaign.booths import board, followups, tallies
from campaign.booths.models import Booth, Consultation, FollowUp, MaterialHandout
from campaign.shared.timeutil import LOCAL_TZ, local
from campaign.summaries.figures import recorded_figures_by_unit
from campaign.web.extensions import db

DAY = date(2025, 5, 15)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def entry(**fields) -> dict:
    values = dict(kind="政策咨询", topic="社会保险", question="", asker_type="群众", handling="当场解答",
                  person_name="", person_phone="", consent=False, satisfaction="")
    values.update(fields)
    return values


def from_the_rows(campaign, today: date) -> dict:
    """The board's figures counted from the rows, the plain way."""
    booth_ids = set(db.session.scalars(sa.select(Booth.id).where(Booth.campaign_id == campaign.id)))
    consultations = [c for c in db.session.scalars(sa.select(Consultation)) if c.booth_id in booth_ids]
    live = [c for c in consultations if c.withdrawn_at is None]
    handouts = [h for h in db.session.scalars(sa.select(MaterialHandout))
                if h.booth_id in booth_ids and h.withdrawn_at is None]
    live_ids = {c.id for c in live}
    follow_ups = [f for f in db.session.scalars(sa.select(FollowUp)) if f.consultation_id in live_ids]
    origin = lambda c: "public" if c.source == "public" else "staff"  # noqa: E731
    per_booth = Counter((c.booth_id, origin(c)) for c in live)
    today_per_booth = Counter((c.booth_id, origin(c)) for c in live if local(c.recorded_at).date() == today)
    handed = Counter()
    for h in handouts:
        handed[h.booth_id] += h.quantity
    return {
        "booths": {
            booth_id: (per_booth[(booth_id, "staff")], per_booth[(booth_id, "public")],
                       today_per_booth[(booth_id, "staff")], today_per_booth[(booth_id, "public")], handed[booth_id])
            for booth_id in booth_ids
        },
        "topics": +Counter((c.topic or board.NO_TOPIC, origin(c)) for c in live),
        "kinds": +Counter((c.kind, origin(c)) for c in live),
        "hours": +Counter((local(c.recorded_at).hour, origin(c)) for c in live if local(c.recorded_at).date() == today),
        "materials": +Counter({m: sum(h.quantity for h in handouts if h.material == m) for m in {h.material for h in handouts}}),
        "materials_today": +Counter({
            m: sum(h.quantity for h in handouts if h.material == m and local(h.recorded_at).date() == today)
            for m in {h.material for h in handouts}
        }),
        "follow_ups": (
            len(follow_ups),
            sum(1 for f in follow_ups if f.status != "closed"),
            sum(1 for f in follow_ups if followups.is_overdue(f, today)),
            sum(1 for f in follow_ups if f.status == "closed"),
            sum(1 for f in follow_ups if followups.replied_in_time(f) is True),
            sum(1 for f in follow_ups if followups.replied_in_time(f) is False),
            sum(1 for f in follow_ups if f.call_back_reached),
            tuple(sum(1 for f in follow_ups if f.call_back_reached and f.call_back_satisfaction == s)
                  for s in ("满意", "基本满意", "不满意")),
        ),
    }


def from_the_board(campaign, today: date) -> dict:
    data = board.figures(campaign, today=today, day=today)
    totals = data["totals"]
    pairs = lambda rows: +Counter({(row["name"], source): row[source] for row in rows for source in ("staff", "public")})  # noqa: E731
    return {
        "booths": {row["id"]: (row["staff"], row["public"], row["today"], row["public_today"], row["handouts"])
                   for row in data["booths"]},
        "topics": pairs(data["topics"]),
        "kinds": pairs(data["kinds"]),
        "hours": +Counter({(row["hour"], source): row[source] for row in data["hours"] for source in ("staff", "public")}),
        "materials": +Counter({row["name"]: row["total"] for row in data["materials"]}),
        "materials_today": +Counter({row["name"]: row["today"] for row in data["materials"]}),
        "follow_ups": (
            totals["follow_ups"], totals["follow_ups_open"], totals["follow_ups_overdue"], totals["follow_ups_closed"],
            totals["follow_ups_replied_in_time"], totals["follow_ups_replied_late"], totals["follow_ups_called_back"],
            (totals["call_backs_satisfied"], totals["call_backs_fairly_satisfied"], totals["call_backs_unsatisfied"]),
        ),
    }


def summary_figures_from_the_rows(campaign) -> dict:
    """Per unit, what a summary counts (booths/ handling, asker, satisfaction, kinds, materials), from the rows."""
    booths = {b.id: b.unit_id for b in db.session.scalars(sa.select(Booth).where(Booth.campaign_id == campaign.id))}
    result: dict = {}
    for c in db.session.scalars(sa.select(Consultation)):
        if c.booth_id in booths and c.withdrawn_at is None:
            counts = result.setdefault(booths[c.booth_id], Counter())
            counts.update(["consultations", f"kind:{c.kind}", f"handling:{c.handling}", f"asker:{c.asker_type}"])
            if c.satisfaction in ("满意", "基本满意", "不满意"):
                counts["satisfaction_rated"] += 1
                counts["satisfied"] += c.satisfaction != "不满意"
    for h in db.session.scalars(sa.select(MaterialHandout)):
        if h.booth_id in booths and h.withdrawn_at is None:
            result.setdefault(booths[h.booth_id], Counter())["materials"] += h.quantity
    return {unit_id: +counts for unit_id, counts in result.items()}


def summary_figures_from_the_tallies(campaign) -> dict:
    keys = ("consultations", "materials", "satisfaction_rated", "satisfied")
    result = {}
    for unit_id, figures in recorded_figures_by_unit(campaign.id, list(
            set(db.session.scalars(sa.select(Booth.unit_id).where(Booth.campaign_id == campaign.id))))).items():
        counts = Counter({key: value for key, value in figures.items()
                          if key in keys or key.startswith(("kind:", "handling:", "asker:"))})
        if +counts:
            result[unit_id] = +counts
    return result


def assert_exact(campaign, today: date = DAY) -> None:
    db.session.expire_all()
    assert tallies.stored() == tallies.recount()
    assert from_the_board(campaign, today) == from_the_rows(campaign, today)
    # The summaries' figures (read from the tallies) equal the rows too.
    assert summary_figures_from_the_tallies(campaign) == summary_figures_from_the_rows(campaign)
