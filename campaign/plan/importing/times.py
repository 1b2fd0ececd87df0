"""Dates and times as plans write them: 5月15日; 5月15日至5月20日; 5月15日上午9时至11时30分; 5月15日（星期日）9:00-11:30;
中午12时; 2022年5月10日; 二〇二二年五月十日. One rule for the import, read without a year where the plan gives none,
so that the campaign's year is put in when the plan is saved.

The patterns are anchored, with no nested repetition, so a hostile line cannot make them backtrack for long.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
WEEKDAYS = "一二三四五六日"

_DATE = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
_END_DAY = r"(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})[日号]"
_CLOCK = r"(上午|下午|中午|晚上|早上|凌晨)?(\d{1,2})(?::(\d{2})|[时点](?:(\d{1,2})分|(半))?)"
_SPAN = re.compile(rf"{_DATE}(?:{_CLOCK})?(?:至(?:{_END_DAY})?(?:{_CLOCK})?)?")
_WEEKDAY = re.compile(r"[（(]?(?:星期|周|礼拜)([一二三四五六日天])[）)]?")
_DASHES = re.compile(r"[-—–~～]+|到")
_CN_DATE = re.compile(r"([二〇○零一三四五六七八九O]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")


def cn_small_number(text: str) -> int | None:
    """十 → 10, 十六 → 16, 二十 → 20, 二十三 → 23, and digits as digits."""
    if text.isdigit():
        return int(text)
    if not text or any(char not in _CN_DIGITS and char != "十" for char in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def plain(text: str) -> str:
    """Full-width digits and colons as ASCII, Chinese-numeral dates as digits, no spaces, every dash as 至."""
    text = "".join(unicodedata.normalize("NFKC", str(text or "")).split())
    text = _CN_DATE.sub(lambda m: "{}年{}月{}日".format(
        "".join(str(_CN_DIGITS.get(c, 0)) for c in m.group(1)), cn_small_number(m.group(2)),
        cn_small_number(m.group(3))), text)
    return _DASHES.sub("至", text)


@dataclass
class When:
    """A time as written: the first day, perhaps a clock time, perhaps an end; years only where written."""

    start_year: int | None
    start: tuple[int, int]
    start_time: time | None
    end_year: int | None = None
    end: tuple[int, int] | None = None
    end_time: time | None = None
    weekday: int | None = None  # the weekday the text names (0 = Monday), to be checked against the date
    # The text said more than a time (活动期间, 另行通知): read what could be, and say it is uncertain.
    partial: bool = False

    @property
    def written_year(self) -> int | None:
        return self.start_year or self.end_year

    def days(self, year: int) -> tuple[date, date | None]:
        """The first and last day in `year` (a written older year is moved to it; a later one is kept)."""
        start_year = max(self.start_year or year, year)
        first = _day(start_year, *self.start)
        last = None
        if self.end is not None:
            last = _day(max(self.end_year or start_year, start_year), *self.end)
            if last < first:  # 12月30日至1月2日
                last = _day(last.year + 1, *self.end)
        return first, last


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if month == 2 and day == 29:
            return date(year, 2, 28)
        raise


def _clock(part: str | None, hour: str | None, minute: str | None, minute_cn: str | None, half: str | None):
    if hour is None:
        return None
    h = int(hour)
    m = int(minute or minute_cn or 0) + (30 if half else 0)
    if part in ("下午", "晚上") and h < 12:
        h += 12
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError("clock")
    return time(h, m)


def read_when(text: str) -> When | None:
    """The time a plan's line gives, or None when it names no date at all."""
    text = plain(text).rstrip("。.；;，,")
    weekday_match = _WEEKDAY.search(text)
    weekday = WEEKDAYS.index(weekday_match.group(1).replace("天", "日")) if weekday_match else None
    text = _WEEKDAY.sub("", text)
    match = _SPAN.fullmatch(text)
    partial = match is None
    if match is None:
        match = _SPAN.search(text)
        if match is None:
            return None
    g = match.groups()
    try:
        start_time = _clock(*g[3:8])
        end_time = _clock(*g[11:16])
        when = When(
            start_year=int(g[0]) if g[0] else None,
            start=(int(g[1]), int(g[2])),
            start_time=start_time,
            end_year=int(g[8]) if g[8] else None,
            end=None,
            end_time=end_time,
            weekday=weekday,
            partial=partial,
        )
        if start_time and end_time and not g[11] and end_time <= start_time and end_time.hour < 12:
            end_time = when.end_time = time(end_time.hour + 12, end_time.minute)  # 下午2时至4时
        if g[10]:
            when.end = (int(g[9]) if g[9] else when.start[0], int(g[10]))
        elif end_time is not None:
            when.end = when.start
        when.days(2000)  # a date that no year has (5月32日) is no date
    except ValueError:
        return None
    return when
