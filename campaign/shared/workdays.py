"""Working days as China's offices count them: Monday to Friday, less the public holidays (法定节假日), plus the
weekends worked in their place (调休上班).

Where a day's kind comes from, first match wins:
1. the office's own table (`OfficeDay`, kept on the page 节假日与调休): corrections, and years the library does
   not know yet — the State Council announces a year's holidays only in the November before;
2. the `chinesecalendar` library (LKI/chinese-calendar), for the years it has data for;
3. Monday to Friday, for a year neither knows (the pages that count working days say so).

Every deadline counted in working days goes through here: a referral's reply and closing dates, the referral
reminders' "N working days ahead", the scorecard's days late. The referral list and the scorecard count for many
rows, so the table is read once per transaction (cached on the session, dropped at commit and rollback and when
a row of it is flushed), never once per day.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, Session, mapped_column

from campaign.shared.timeutil import CreatedAt
from campaign.web.extensions import Model, db

HOLIDAY, WORKDAY = "holiday", "workday"
DAY_KINDS = {HOLIDAY: _l("放假"), WORKDAY: _l("上班")}
NOTE_MAX = 40

# The library names its holidays in English; offices write them so.
LIBRARY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

_CACHE_KEY = "office_days"


class OfficeDay(CreatedAt, Model):
    """A day the office says is a holiday or a working day, whatever the library says."""

    __tablename__ = "office_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # HOLIDAY | WORKDAY
    note: Mapped[str] = mapped_column(sa.String(NOTE_MAX), default="")


@dataclass(frozen=True)
class KnownDay:
    """A day that is not what its weekday says (or that the office listed), with where that comes from."""

    day: date
    kind: str
    note: str
    source: str  # "office" | "library"


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _library_is_workday(day: date) -> bool | None:
    """The library's answer, or None for a year it has no data for."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def _holiday_name(name) -> str:
    english = str(getattr(name, "value", name))  # the library's dicts hold the names, its enum the same as values
    return LIBRARY_NAMES.get(english, english)


def library_days(year: int) -> list[KnownDay]:
    """The library's holidays and 调休 workdays of a year (none for a year it does not know)."""
    if not library_knows(year):
        return []
    days = [
        KnownDay(day, HOLIDAY, _holiday_name(name), "library")
        for day, name in chinese_calendar.holidays.items() if day.year == year
    ]
    days += [
        KnownDay(day, WORKDAY, f"{_holiday_name(name)}调休上班", "library")
        for day, name in chinese_calendar.workdays.items() if day.year == year and day.weekday() >= 5
    ]
    return sorted(days, key=lambda known: known.day)


@dataclass(frozen=True)
class Calendar:
    """The office's table as read once, and the rule that combines it with the library and the weekdays."""

    office: dict[date, str]  # day -> HOLIDAY | WORKDAY

    def is_workday(self, day: date) -> bool:
        kind = self.office.get(day)
        if kind is not None:
            return kind == WORKDAY
        library = _library_is_workday(day)
        return library if library is not None else day.weekday() < 5

    def workdays_after(self, day: date) -> Iterator[date]:
        while True:
            day += timedelta(days=1)
            if self.is_workday(day):
                yield day

    def add_working_days(self, day: date, days: int) -> date:
        """The day `days` working days after `day` (`day` itself when `days` is 0 or less)."""
        for count, next_day in enumerate(self.workdays_after(day), start=1):
            if count > days:
                break
            day = next_day
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start`, up to and including `end` (0 when `end` is not later)."""
        return sum(self.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))

    def knows(self, year: int) -> bool:
        """Whether the year's holidays are known (the library's data or the office's rows), or it is Mon–Fri."""
        return library_knows(year) or any(day.year == year for day in self.office)


def calendar() -> Calendar:
    """The calendar of this transaction: the office's table read once (one SELECT) however many days are counted."""
    info = db.session.info
    if _CACHE_KEY not in info:
        info[_CACHE_KEY] = Calendar({day: kind for day, kind in db.session.execute(sa.select(OfficeDay.day, OfficeDay.kind))})
    return info[_CACHE_KEY]


def is_workday(day: date) -> bool:
    return calendar().is_workday(day)


def add_working_days(day: date, days: int) -> date:
    return calendar().add_working_days(day, days)


def working_days_between(start: date, end: date) -> int:
    return calendar().working_days_between(start, end)


def year_known(year: int) -> bool:
    return calendar().knows(year)


def _forget(session: Session, *args) -> None:
    session.info.pop(_CACHE_KEY, None)


def _forget_if_changed(session: Session, flush_context) -> None:
    if any(isinstance(row, OfficeDay) for row in (*session.new, *session.dirty, *session.deleted)):
        _forget(session)


# Another process may change the table between transactions; this one changes it through the session.
sa.event.listen(Session, "after_commit", _forget)
sa.event.listen(Session, "after_soft_rollback", _forget)
sa.event.listen(Session, "after_flush", _forget_if_changed)


def register(app) -> None:
    # `{% include "_working_days.html" %}`: the pages that count working days say when a year is Monday to Friday.
    app.jinja_env.globals["working_days_known"] = year_known
