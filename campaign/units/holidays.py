"""The office's holidays and 调休 workdays (节假日与调休): a year's days as the library and the office's table give
them, adding or changing a day, removing the office's own, and saving what a pasted notice read.

The rule that counts working days is shared/workdays.py; this is the office's side of its table. Every change is
in the audit log; saving the same day twice changes nothing the second time.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.shared.audit import record, register_action_labels
from campaign.shared.workdays import DAY_KINDS, NOTE_MAX, KnownDay, OfficeDay, library_days, library_knows
from campaign.units.holiday_notice import ReadDay
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

YEAR_MIN, YEAR_MAX = 2004, 2100

register_action_labels(
    {
        "office_day_saved": _l("设置节假日或调休上班日"),
        "office_day_removed": _l("删除本单位设置的节假日或调休日"),
    }
)


@dataclass
class YearDay:
    """One day of the year's list: what counts (the office's row if any, else the library's) and what was overruled."""

    day: date
    kind: str
    note: str
    office: bool  # the office's own row (removable)
    library: KnownDay | None  # what the library says, when it lists the day


def checked_year(value) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise Refusal(_l("请填写年份，如 2025。"), field="year") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Refusal(_l("年份应在%(min)s到%(max)s之间。", min=YEAR_MIN, max=YEAR_MAX), field="year")
    return year


def checked_day(value) -> date:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Refusal(_l("请按“2025-05-31”的格式填写日期。"), field="day") from None
    checked_year(day.year)
    return day


def _office_rows(year: int) -> list[OfficeDay]:
    return list(db.session.scalars(
        sa.select(OfficeDay).where(OfficeDay.day >= date(year, 1, 1), OfficeDay.day <= date(year, 12, 31))
        .order_by(OfficeDay.day)
    ))


def year_days(year: int) -> list[YearDay]:
    """The year's holidays and 调休 workdays, in date order: the library's, with the office's rows over them."""
    library = {known.day: known for known in library_days(year)}
    office = {row.day: row for row in _office_rows(year)}
    days = []
    for day in sorted(library.keys() | office.keys()):
        row, known = office.get(day), library.get(day)
        if row is not None:
            days.append(YearDay(day, row.kind, row.note, True, known))
        elif known is not None:
            days.append(YearDay(day, known.kind, known.note, False, known))
    return days


def year_source(year: int) -> str:
    """Where the year's days come from: "library", "office" (the table alone) or "weekdays" (Monday to Friday)."""
    if library_knows(year):
        return "library"
    return "office" if _office_rows(year) else "weekdays"


def _note(value) -> str:
    note = " ".join(str(value or "").split())
    if len(note) > NOTE_MAX:
        raise Refusal(_l("说明不能超过%(n)s个字。", n=NOTE_MAX), field="note")
    return note


def save_day(user, day, kind: str, note: str = "") -> OfficeDay:
    """The office's word on a day (a new row, or its row changed); the same again changes nothing."""
    day = checked_day(day)
    if kind not in DAY_KINDS:
        raise Refusal(_l("请选择放假或上班。"), field="kind")
    note = _note(note)
    row = db.session.scalar(sa.select(OfficeDay).where(OfficeDay.day == day))
    if row is not None and (row.kind, row.note) == (kind, note):
        return row
    if row is None:
        # Two clerks saving the same day at once: the second insert meets the UNIQUE day and becomes an update.
        try:
            with db.session.begin_nested():
                row = OfficeDay(day=day, kind=kind, note=note)
                db.session.add(row)
        except sa.exc.IntegrityError:
            row = db.session.scalar(sa.select(OfficeDay).where(OfficeDay.day == day))
            if row is None:
                raise
            if (row.kind, row.note) == (kind, note):
                return row
        else:
            record(user, "office_day_saved", row, day=day.isoformat(), kind=kind, note=note, before=None)
            return row
    before = {"kind": row.kind, "note": row.note}
    row.kind, row.note = kind, note
    db.session.flush()
    record(user, "office_day_saved", row, day=day.isoformat(), kind=kind, note=note, before=before)
    return row


def remove_day(user, day) -> bool:
    """Remove the office's row for a day (the library's word on it counts again); False if there was none."""
    day = checked_day(day)
    row = db.session.scalar(sa.select(OfficeDay).where(OfficeDay.day == day))
    if row is None:
        return False
    record(user, "office_day_removed", row, day=day.isoformat(), kind=row.kind, note=row.note)
    db.session.delete(row)
    db.session.flush()
    return True


@dataclass
class NoticeChange:
    read: ReadDay
    now: str | None  # the kind the day has before saving (the office's row, else the library's), None: ordinary

    @property
    def changes(self) -> bool:
        return self.now != self.read.kind


def compare_with_calendar(days: list[ReadDay]) -> list[NoticeChange]:
    """Each day read from a notice beside what the calendar says of it now, for the preview."""
    years = {read.day.year for read in days}
    now: dict[date, str] = {}
    for year in years:
        now.update({known.day: known.kind for known in year_days(year)})
    return [NoticeChange(read, now.get(read.day)) for read in days]


def save_notice_days(user, days: list[ReadDay]) -> int:
    """Store every day a notice gave as the office's rows (each as read, notes included, each in the audit log);
    how many changed."""
    if not days:
        raise Refusal(_l("通知里没有读出日期，没有保存。"), field="text")
    changed = 0
    for read in days:
        row = db.session.scalar(sa.select(OfficeDay).where(OfficeDay.day == read.day))
        if row is not None and (row.kind, row.note) == (read.kind, read.note[:NOTE_MAX]):
            continue
        save_day(user, read.day, read.kind, read.note[:NOTE_MAX])
        changed += 1
    return changed
