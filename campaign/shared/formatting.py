"""Chinese date and time wording, shared by pages and documents."""

from datetime import date, datetime

from campaign.shared.timeutil import local

CN_DIGITS = "〇一二三四五六七八九"
CN_NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 十六, 二十一 — for editions (第十九届) and headings (一、（二）)."""
    if n <= 10:
        return CN_NUMERALS[n] if n > 0 else "〇"
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUMERALS[tens] + "十"
    return head + (CN_NUMERALS[ones] if ones else "")


def cn_date(value: date | datetime | None) -> str:
    """2025年5月8日 (no zero padding, as official documents write it)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_month_day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.month}月{value.day}日"


def cn_clock(value: datetime) -> str:
    """上午9:00 / 下午2:30."""
    value = local(value)
    half = "上午" if value.hour < 12 else "下午"
    hour = value.hour if value.hour <= 12 else value.hour - 12
    return f"{half}{hour}:{value.minute:02d}"


def cn_span(starts_at: datetime | None, ends_at: datetime | None, all_day: bool = False) -> str:
    """The time of an activity as a plan writes it; empty without both times.

    5月15日至5月20日 · 5月15日上午9:00-11:30 · 5月15日上午9:00至5月16日下午5:00
    """
    if starts_at is None or ends_at is None:
        return ""
    start, end = local(starts_at), local(ends_at)
    if all_day:
        if start.date() == end.date():
            return cn_month_day(start)
        return f"{cn_month_day(start)}至{cn_month_day(end)}"
    if start.date() == end.date():
        end_clock = f"{end.hour}:{end.minute:02d}" if (start.hour < 12) == (end.hour < 12) else cn_clock(end)
        if (start.hour < 12) == (end.hour < 12) and end.hour > 12:
            end_clock = f"{end.hour - 12}:{end.minute:02d}"
        return f"{cn_month_day(start)}{cn_clock(start)}-{end_clock}"
    return f"{cn_month_day(start)}{cn_clock(start)}至{cn_month_day(end)}{cn_clock(end)}"


def local_datetime_text(value: datetime | None) -> str:
    """2025-05-18 17:30, in Asia/Shanghai, for tables and forms."""
    return local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register(app) -> None:
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters.update(
        cn_number=cn_number,
        cn_date=cn_date,
        cn_month_day=cn_month_day,
        cn_span=cn_span,
        localdt=local_datetime_text,
    )
