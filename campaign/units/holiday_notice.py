"""Reading the State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知) as offices paste it:

    四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
    五、端午节:5月31日(周六)至6月2日(周一)放假,共3天.

One paragraph (or line) per holiday, named before the colon. A clause with 放假 gives the days off (a day, or a span
"A至B" whose end may leave out its month); a clause with 上班 lists the weekends worked in their place. Full-width
and ASCII punctuation alike; what stands in brackets (周四, 农历除夕) is left out. Nothing here touches the database:
the page shows what was read before anything is saved (units/holidays.py saves it).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from campaign.shared.workdays import HOLIDAY, NOTE_MAX, WORKDAY

NOTICE_MAX = 5000
_HEADING = re.compile(r"\n\s*(?:[一二三四五六七八九十]+、)?|(?:^|(?<=[。.;；]))\s*[一二三四五六七八九十]+、")
_NAMED = re.compile(r"^\s*([^:\d]{1,20}?)\s*:\s*(.*)$", re.S)
_BRACKETS = re.compile(r"\([^()]*\)")
_CLAUSE = re.compile(r"[。.;,，；\n]")
_DAY = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_SPAN = re.compile(r"((?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日)\s*(?:至|到|-|~|—|–)\s*((?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日)")


@dataclass
class ReadDay:
    day: date
    kind: str  # HOLIDAY | WORKDAY
    note: str


@dataclass
class ReadNotice:
    days: list[ReadDay] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the paragraphs or dates that could not be read


def _date(match: re.Match, year: int, month: int | None) -> tuple[date | None, int | None]:
    """The date a `_DAY` match names (its month, else the month before it in the clause)."""
    written_year, written_month, day = match.groups()
    month = int(written_month) if written_month else month
    if month is None:
        return None, None
    try:
        return date(int(written_year) if written_year else year, month, int(day)), month
    except ValueError:
        return None, month


def read_notice(text: str, year: int) -> ReadNotice:
    """The holidays and 调休 workdays a notice for `year` gives, in its order, with what could not be read."""
    result = ReadNotice()
    text = _BRACKETS.sub("", unicodedata.normalize("NFKC", text or ""))
    seen: dict[date, ReadDay] = {}
    for paragraph in _HEADING.split(text):
        named = _NAMED.match(paragraph)
        if named is None:
            if _DAY.search(paragraph):
                result.problems.append(str(_l("没有读出节日名称：%(text)s", text=paragraph.strip()[:60])))
            continue
        name = named.group(1).strip()[:NOTE_MAX - 4]
        found = 0
        for clause in _CLAUSE.split(named.group(2)):
            kind = HOLIDAY if "放假" in clause else WORKDAY if "上班" in clause else None
            if kind is None or "不上班" in clause:
                continue
            for day in _clause_days(clause, year, kind, result):
                note = name if kind == HOLIDAY else f"{name}调休上班"
                seen[day] = ReadDay(day, kind, note)
                found += 1
        if not found and _DAY.search(named.group(2)):
            result.problems.append(str(_l("没有读出放假或上班的日期：%(text)s", text=paragraph.strip()[:60])))
    result.days = sorted(seen.values(), key=lambda read: read.day)
    return result


def _clause_days(clause: str, year: int, kind: str, result: ReadNotice) -> list[date]:
    days: list[date] = []
    month: int | None = None
    position = 0
    while True:
        span = _SPAN.search(clause, position) if kind == HOLIDAY else None
        single = _DAY.search(clause, position)
        if single is None:
            return days
        if span is not None and span.start() == single.start():
            first, month = _date(_DAY.fullmatch(span.group(1)), year, month)  # type: ignore[arg-type]
            last, month = _date(_DAY.fullmatch(span.group(2)), year, month)  # type: ignore[arg-type]
            if first is not None and last is not None and last < first and last.month == first.month:
                last = None  # "5月31日至2日" is no span
            if first is None or last is None or (last - first).days > 31:
                result.problems.append(str(_l("日期读不出来：%(text)s", text=span.group(0))))
            else:
                days += [first + timedelta(days=n) for n in range((last - first).days + 1)]
            position = span.end()
            continue
        day, month = _date(single, year, month)
        if day is None:
            result.problems.append(str(_l("日期读不出来：%(text)s", text=single.group(0))))
        else:
            days.append(day)
        position = single.end()
