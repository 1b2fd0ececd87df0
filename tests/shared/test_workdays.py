"""Working days as offices count them: the chinesecalendar library's holidays and 调休, the office's own table over
it, Monday to Friday for a year neither knows; read once per transaction."""

from datetime import date, datetime, timedelta

import chinese_calendar
import sqlalchemy as sa

from campaign.report.scorecard import working_days_late
from campaign.shared import workdays
from campaign.shared.timeutil import LOCAL_TZ
from campaign.shared.workdays import (
    HOLIDAY,
    WORKDAY,
    OfficeDay,
    add_working_days,
    is_workday,
    working_days_between,
)
from campaign.web.extensions import db


def office(day: date, kind: str, note: str = "") -> None:
    db.session.add(OfficeDay(day=day, kind=kind, note=note))
    db.session.commit()


def test_the_library_knows_2025_dragon_boat_and_may_day(app):
    # 端午 2025: Saturday 31 May to Monday 2 June. From Thursday 15 May, 15 working days: not 5 June but 6 June…
    assert add_working_days(date(2025, 5, 15), 15) == date(2025, 6, 6)
    assert [is_workday(date(2025, 5, 30) + timedelta(days=n)) for n in range(5)] == [True, False, False, False, True]
    # …Sunday 27 April 2025 was worked for May Day (劳动节调休), and 1–5 May were off.
    assert is_workday(date(2025, 4, 27)) and not is_workday(date(2025, 5, 5))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 27)
    assert add_working_days(date(2025, 4, 30), 1) == date(2025, 5, 6)
    # Every day of 2025 as the library says (the rule adds nothing of its own to a known year).
    day = date(2025, 1, 1)
    while day.year == 2025:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_working_days_between_counts_after_the_start_up_to_the_end(app):
    assert working_days_between(date(2025, 4, 30), date(2025, 5, 6)) == 1  # 1–5 May off
    assert working_days_between(date(2025, 4, 25), date(2025, 4, 28)) == 2  # Sunday 27 April worked
    assert working_days_between(date(2025, 5, 6), date(2025, 5, 6)) == 0
    assert working_days_between(date(2025, 5, 7), date(2025, 5, 6)) == 0


def test_the_offices_table_wins_over_the_library(app):
    office(date(2025, 6, 2), WORKDAY, "本区安排上班")
    office(date(2025, 5, 30), HOLIDAY, "本地节日")
    assert is_workday(date(2025, 6, 2)) and not is_workday(date(2025, 5, 30))
    assert add_working_days(date(2025, 5, 29), 1) == date(2025, 6, 2)
    # Removing the row gives the library its word back (the calendar is read again after the change).
    db.session.execute(sa.delete(OfficeDay).where(OfficeDay.day == date(2025, 6, 2)))
    db.session.commit()
    assert not is_workday(date(2025, 6, 2))


def test_a_year_neither_knows_is_monday_to_friday_and_the_table_fills_it(app):
    assert not workdays.library_knows(2027) and not workdays.year_known(2027)
    # Friday 30 April 2027 + 1: Monday 3 May — whatever May Day 2027 will be, nobody has said so yet.
    assert add_working_days(date(2027, 4, 30), 1) == date(2027, 5, 3)
    assert working_days_between(date(2027, 4, 30), date(2027, 5, 7)) == 5
    office(date(2027, 5, 3), HOLIDAY, "劳动节")
    office(date(2027, 5, 8), WORKDAY, "劳动节调休上班")
    assert workdays.year_known(2027)
    assert add_working_days(date(2027, 4, 30), 1) == date(2027, 5, 4)
    assert working_days_between(date(2027, 4, 30), date(2027, 5, 8)) == 5


def test_scorecard_days_late_skip_a_holiday(app):
    deadline = datetime(2025, 4, 30, 17, 30, tzinfo=LOCAL_TZ)
    # Handed in on Tuesday 6 May: the first working day after May Day — one day late, not four.
    assert working_days_late(datetime(2025, 5, 6, 9, tzinfo=LOCAL_TZ), deadline) == 1
    # During the holiday itself: late at all is one day.
    assert working_days_late(datetime(2025, 5, 2, 9, tzinfo=LOCAL_TZ), deadline) == 1
    assert working_days_late(datetime(2025, 5, 9, 9, tzinfo=LOCAL_TZ), deadline) == 4


def test_the_table_is_read_once_per_transaction_however_many_days_are_counted(app):
    office(date(2025, 6, 2), WORKDAY)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        start = date(2025, 1, 1)
        dues = [add_working_days(start + timedelta(days=n), 15) for n in range(300)]
        late = [working_days_between(start, start + timedelta(days=n)) for n in range(300)]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if "office_days" in s]) == 1, statements
    assert dues[150] == add_working_days(date(2025, 5, 31), 15) and late[-1] > 200
