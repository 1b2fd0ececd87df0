"""A unit's figures as its booths recorded them, and as the unit corrected them.

The figures of every unit of a campaign come from three grouped queries over the booths' running tallies
(booths/tallies.py), withdrawn entries left out, whatever the number of units or entries.

Keys (all whole numbers except `satisfaction_rate`):
- consultations: consultations recorded at the unit's booths, staff and public entries together;
  consultations_staff, consultations_public: the two apart.
- people: people received. One consultation is one person received: the booths record no identity that would
  let us count the same person twice, and the offices' summaries count 人次 this way.
- kind:<k> (every kind of booths.models.KINDS), handling:<h> (every HANDLINGS), asker:<a> (every ASKER_TYPES),
  topic:<t> (each topic the unit's entries name; "未选主题" for none).
- satisfaction_rated: entries with a rating; satisfied: 满意 + 基本满意; satisfaction_rate: satisfied / rated in
  percent, rounded to a whole number, None when nothing was rated.
- material:<m> (the campaign's materials, and any other handed out) and materials, their total.
- follow_ups, follow_ups_closed, follow_ups_open, follow_ups_overdue, follow_ups_replied_in_time,
  follow_ups_replied_late, follow_ups_called_back, call_backs_satisfied, call_backs_fairly_satisfied,
  call_backs_unsatisfied: the referrals the unit is responsible for (FollowUp.unit_id, so a referral reassigned to
  another unit goes with it), of the campaign's consultations, by state and outcome (booths/followup_lists.py).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from campaign.booths.followup_lists import counts_by_unit
from campaign.booths.models import (
    ALL_HANDLINGS,
    ASKER_TYPES,
    DEFAULT_MATERIALS,
    KINDS,
    SOURCE_PUBLIC,
    UNANSWERED,
    Booth,
    BoothSettings,
    ConsultationProfileTally,
    ConsultationTally,
    HandoutTally,
)
from campaign.plan.participants import participant_ids
from campaign.shared.timeutil import local, utcnow
from campaign.web.extensions import db

NO_TOPIC = "未选主题"
SATISFIED = ("满意", "基本满意")
RATED = ("满意", "基本满意", "不满意")

# Figures computed from others: never corrected themselves (see `effective_figures`).
DERIVED_KEYS = frozenset({"satisfaction_rate"})
# A total the unit did not correct itself moves with the corrections of its parts.
TOTAL_PARTS = (
    ("consultations", ("consultations_staff", "consultations_public")),
    ("people", ("consultations",)),
    ("follow_ups", ("follow_ups_open", "follow_ups_closed")),
)

# Labels of the fixed keys; documents use them, so they are Chinese whatever the interface language.
FIXED_LABELS = {
    "consultations": "咨询登记（人次）",
    "consultations_staff": "其中：工作人员登记",
    "consultations_public": "其中：群众扫码留言",
    "people": "接待群众（人次）",
    "satisfaction_rated": "作出评价（人次）",
    "satisfied": "满意、基本满意（人次）",
    "satisfaction_rate": "满意率（%）",
    "materials": "发放宣传资料（份）",
    "follow_ups": "转办、回访（件）",
    "follow_ups_closed": "已办结",
    "follow_ups_open": "未办结",
    "follow_ups_overdue": "其中：已逾期",
    "follow_ups_replied_in_time": "按期答复",
    "follow_ups_replied_late": "超期答复",
    "follow_ups_called_back": "已回访",
    "call_backs_satisfied": "回访满意",
    "call_backs_fairly_satisfied": "回访基本满意",
    "call_backs_unsatisfied": "回访不满意",
}
FOLLOW_UP_KEYS = (
    "follow_ups", "follow_ups_closed", "follow_ups_open", "follow_ups_overdue", "follow_ups_replied_in_time",
    "follow_ups_replied_late", "follow_ups_called_back", "call_backs_satisfied", "call_backs_fairly_satisfied",
    "call_backs_unsatisfied",
)
PREFIX_LABELS = {
    "kind": "咨询类别",
    "topic": "咨询主题",
    "handling": "处理方式",
    "asker": "咨询对象",
    "material": "宣传资料",
}
# The groups of the figures table, in the order a summary reports them.
GROUPS = (
    ("reception", "接待咨询", ("consultations", "consultations_staff", "consultations_public", "people")),
    ("kind", "咨询类别", ()),
    ("topic", "咨询主题", ()),
    ("handling", "处理方式", ()),
    ("asker", "咨询对象", ()),
    ("satisfaction", "满意度", ("satisfaction_rated", "satisfied", "satisfaction_rate")),
    ("material", "宣传资料", ("materials",)),
    ("follow_up", "转办回访", FOLLOW_UP_KEYS),
)


def figure_label(key: str) -> str:
    if key in FIXED_LABELS:
        return FIXED_LABELS[key]
    if key == f"handling:{UNANSWERED}":
        return "未答复（无联系方式，人次）"  # the public card's question nobody could answer
    prefix, _, name = key.partition(":")
    if prefix in PREFIX_LABELS and name:
        unit = "（份）" if prefix == "material" else "（人次）"
        return f"{name}{unit}"
    return key


def _empty(materials: list[str]) -> dict:
    figures = {
        "consultations": 0, "consultations_staff": 0, "consultations_public": 0, "people": 0,
        "satisfaction_rated": 0, "satisfied": 0, "satisfaction_rate": None, "materials": 0,
        **dict.fromkeys(FOLLOW_UP_KEYS, 0),
    }
    figures.update({f"kind:{k}": 0 for k in KINDS})
    figures.update({f"handling:{h}": 0 for h in ALL_HANDLINGS})
    figures.update({f"asker:{a}": 0 for a in ASKER_TYPES})
    figures.update({f"material:{m}": 0 for m in materials})
    return figures


def satisfaction_rate(satisfied: int, rated: int) -> int | None:
    """Percent, rounded half up: 2 of 3 is 67."""
    if not rated:
        return None
    return (satisfied * 200 + rated) // (rated * 2)


def recorded_figures_by_unit(
    campaign_id: int, unit_ids: list[int] | None = None, today: date | None = None
) -> dict[int, dict]:
    """Per unit, the figures its booths recorded. Units asked for (or, when None, the units taking part in the
    plan) without any entry get zeros.

    Read from the booths' running tallies (booths/tallies.py: kept in each entry's transaction, withdrawn entries
    left out), not from the entries: a fixed handful of small queries whether the day had a thousand
    consultations or a million (bench/scale.py)."""
    today = today or local(utcnow()).date()
    only = set(unit_ids) if unit_ids is not None else None

    settings = db.session.get(BoothSettings, campaign_id)
    materials = list(settings.materials) if settings and settings.materials else list(DEFAULT_MATERIALS)

    in_campaign = Booth.campaign_id == campaign_id

    def per_unit(table, column):
        """(unit id, the column's name, its value, consultations) — one dimension at a time, added up per unit by
        the database, so a city's 400 units make a few thousand rows rather than every combination."""
        select = (
            sa.select(Booth.unit_id.label("unit_id"), sa.literal(column).label("dimension"),
                      getattr(table, column).label("value"), sa.func.sum(table.count).label("count"))
            .join(Booth, table.booth_id == Booth.id)
            .where(in_campaign, table.count != 0)
            .group_by(Booth.unit_id, getattr(table, column))
        )
        return select.where(Booth.unit_id.in_(only)) if only is not None else select

    consultation_query = sa.union_all(
        *(per_unit(ConsultationTally, column) for column in ("source", "kind", "topic")),
        *(per_unit(ConsultationProfileTally, column) for column in ("handling", "asker_type", "satisfaction")),
    )
    handout_query = (
        sa.select(Booth.unit_id, HandoutTally.material, sa.func.sum(HandoutTally.quantity))
        .join(Booth, HandoutTally.booth_id == Booth.id)
        .where(in_campaign, HandoutTally.quantity != 0)
        .group_by(Booth.unit_id, HandoutTally.material)
    )
    if only is not None:
        handout_query = handout_query.where(Booth.unit_id.in_(only))

    result: dict[int, dict] = {}

    def figures_of(unit_id: int) -> dict:
        if unit_id not in result:
            result[unit_id] = _empty(materials)
        return result[unit_id]

    for unit_id in sorted(only if only is not None else participant_ids(campaign_id)):
        figures_of(unit_id)

    prefixes = {"kind": "kind", "topic": "topic", "handling": "handling", "asker_type": "asker"}
    consultation_rows: Sequence[sa.Row[int, str, str, int]] = db.session.execute(consultation_query).all()
    for unit_id, dimension, value, total in consultation_rows:
        figures = figures_of(unit_id)
        count = int(total or 0)
        if dimension == "source":
            figures["consultations"] += count
            figures["consultations_public" if value == SOURCE_PUBLIC else "consultations_staff"] += count
            figures["people"] += count
        elif dimension == "satisfaction":
            if value in RATED:
                figures["satisfaction_rated"] += count
                if value in SATISFIED:
                    figures["satisfied"] += count
        else:
            key = f"{prefixes[dimension]}:{(value or NO_TOPIC) if dimension == 'topic' else value}"
            figures[key] = figures.get(key, 0) + count

    for unit_id, material, quantity in db.session.execute(handout_query):
        figures = figures_of(unit_id)
        key = f"material:{material}"
        figures[key] = figures.get(key, 0) + int(quantity or 0)
        figures["materials"] += int(quantity or 0)

    # A referral belongs to the unit it was referred to, wherever the booth was: counted from the follow-up
    # tallies by booths/followup_lists.py, in the referral's states.
    for unit_id, counts in counts_by_unit(campaign_id, sorted(only) if only is not None else None, today).items():
        figures_of(unit_id).update(counts.as_figures())

    for figures in result.values():
        figures["satisfaction_rate"] = satisfaction_rate(figures["satisfied"], figures["satisfaction_rated"])
    return result


def recorded_figures(campaign_id: int, unit_id: int, today: date | None = None) -> dict:
    return recorded_figures_by_unit(campaign_id, [unit_id], today=today)[unit_id]


def as_accepted(summary, live: dict) -> dict:
    """The recorded figures a summary stands on: those fixed when it was accepted, else the live ones."""
    if summary is not None and summary.status == "accepted" and summary.accepted_figures is not None:
        return dict(summary.accepted_figures)
    return live


def correctable(key: str) -> bool:
    return key not in DERIVED_KEYS


@dataclass
class FigureRow:
    key: str
    label: str
    group: str
    recorded: int | None
    corrected: int | None = None
    reason: str = ""
    # The recorded value when the unit corrected it; it may differ from today's if entries changed since.
    recorded_at_correction: int | None = None
    correctable: bool = True
    # A total (or the satisfaction rate) the unit did not correct, where the corrections of its parts move it.
    moved_to: int | None = None
    # Of an accepted summary: today's recorded value where it differs from the accepted one (a later change).
    live: int | None = None

    @property
    def is_corrected(self) -> bool:
        return self.corrected is not None

    @property
    def value(self) -> int | None:
        return self.corrected if self.corrected is not None else self.recorded


def _group_of(key: str) -> str:
    for name, _label, keys in GROUPS:
        if key in keys:
            return name
    return key.partition(":")[0]


def _ordered_keys(keys) -> list[str]:
    keys = list(keys)
    ordered: list[str] = []
    fixed_order = {
        "kind": [f"kind:{k}" for k in KINDS],
        "handling": [f"handling:{h}" for h in ALL_HANDLINGS],
        "asker": [f"asker:{a}" for a in ASKER_TYPES],
    }
    for name, _label, fixed in GROUPS:
        ordered.extend(key for key in fixed if key in keys)
        prefixed = [key for key in keys if key.startswith(f"{name}:")]
        known = [key for key in fixed_order.get(name, []) if key in prefixed]
        ordered.extend(known + [key for key in prefixed if key not in known])
    ordered.extend(key for key in keys if key not in ordered)
    return ordered


def figure_rows(summary, live: dict) -> list["FigureRow"]:
    """The figures table both the unit and the organizer see: every recorded figure with the unit's correction.
    A correction of a figure no longer recorded (its entries withdrawn since) still shows, recorded as 0. Of an
    accepted summary, the figures as accepted, with today's beside any that changed since."""
    recorded = as_accepted(summary, live)
    corrections = {c.key: c for c in (summary.corrections if summary is not None else [])}
    effective = effective_figures(summary, recorded) if corrections else recorded
    rows = []
    for key in _ordered_keys(list(recorded) + [key for key in corrections if key not in recorded]):
        correction = corrections.get(key)
        recorded_value = recorded.get(key, 0)
        rows.append(
            FigureRow(
                key=key,
                label=figure_label(key),
                group=_group_of(key),
                recorded=recorded_value,
                corrected=correction.corrected if correction else None,
                reason=correction.reason if correction else "",
                recorded_at_correction=correction.recorded if correction else None,
                correctable=correctable(key),
                moved_to=(effective.get(key) if correction is None and key in recorded
                          and effective.get(key) != recorded_value else None),
                live=live.get(key, 0) if recorded is not live and live.get(key, 0) != recorded_value else None,
            )
        )
    return rows


def grouped_rows(rows: list[FigureRow]) -> list[tuple[str, str, list[FigureRow]]]:
    """(group key, Chinese label, rows) in the table's order, empty groups left out."""
    by_group = defaultdict(list)
    for row in rows:
        by_group[row.group].append(row)
    groups = [(name, label, by_group.pop(name)) for name, label, _keys in GROUPS if by_group.get(name)]
    groups.extend((name, name, items) for name, items in by_group.items())
    return groups


def effective_figures(summary, recorded: dict) -> dict:
    """Recorded figures with the unit's corrections applied. A total the unit did not correct moves by the
    corrections of its parts (materials by material:*, consultations by staff/public, people by consultations,
    follow_ups by open/closed), and the satisfaction rate is computed again. An accepted summary's figures stand on
    those recorded at its acceptance."""
    recorded = as_accepted(summary, recorded)
    figures = dict(recorded)
    corrections = {c.key: c.corrected for c in (summary.corrections if summary is not None else [])}
    for key, value in corrections.items():
        if correctable(key):
            figures[key] = value

    def moved(total: str, parts) -> None:
        if total in corrections:
            return
        delta = sum(corrections[part] - recorded.get(part, 0) for part in parts if part in corrections)
        # A part may itself be a total moved just before (people follows consultations).
        delta += sum(figures.get(part, 0) - recorded.get(part, 0) for part in parts
                     if part not in corrections and part in figures and part != total)
        figures[total] = max(recorded.get(total, 0) + delta, 0)

    material_parts = [key for key in set(recorded) | set(corrections) if key.startswith("material:")]
    moved("materials", material_parts)
    for total, parts in TOTAL_PARTS:
        moved(total, parts)
    figures["satisfaction_rate"] = satisfaction_rate(figures.get("satisfied", 0), figures.get("satisfaction_rated", 0))
    return figures
