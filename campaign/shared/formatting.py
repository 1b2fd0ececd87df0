"""Chinese date and time wording, shared by pages and documents."""

from datetime import date, datetime

from flask_babel import gettext as _

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


def day_part(hour: int) -> str:
    """The part of the day a notice names before a 12-hour clock: 上午9时, 中午12时, 下午3时, 晚上7时."""
    if hour < 12:
        return "上午"
    if hour < 13:
        return "中午"
    return "下午" if hour < 19 else "晚上"


def cn_clock(value: datetime, style: str = "cn", with_part: bool = True) -> str:
    """上午9时30分 (the notices' style, "cn") or 上午9:30 ("colon"); 中午12时, 下午3时 on a 12-hour clock."""
    value = local(value)
    hour = value.hour if value.hour <= 12 else value.hour - 12
    if style == "colon":
        clock = f"{hour}:{value.minute:02d}"
    else:
        clock = f"{hour}时{value.minute}分" if value.minute else f"{hour}时"
    return (day_part(value.hour) + clock) if with_part else clock


def cn_span(starts_at: datetime | None, ends_at: datetime | None, all_day: bool = False, style: str = "cn") -> str:
    """The time of an activity as a plan writes it; empty without a start.

    5月15日 · 5月15日至5月20日 · 5月15日上午9时 (no end) · 5月15日上午9时至11时30分 · 5月15日上午9时至下午5时 ·
    5月15日上午9时至5月16日中午12时; `style` "colon" writes 9:30 for 9时30分.
    """
    if starts_at is None:
        return ""
    start = local(starts_at)
    end = local(ends_at) if ends_at is not None else None
    if all_day:
        if end is None or start.date() == end.date():
            return cn_month_day(start)
        return f"{cn_month_day(start)}至{cn_month_day(end)}"
    begin = f"{cn_month_day(start)}{cn_clock(start, style)}"
    if end is None:
        return begin
    if start.date() == end.date():
        same_part = day_part(start.hour) == day_part(end.hour)
        return f"{begin}至{cn_clock(end, style, with_part=not same_part)}"
    return f"{begin}至{cn_month_day(end)}{cn_clock(end, style)}"


def deadline_text(campaign) -> str:
    """A campaign's summary deadline for pages: 2025-05-18 17:30, or 2025-05-18（当天） when the plan gives a date
    only (the end of that day)."""
    if campaign.summary_deadline is None:
        return ""
    if campaign.deadline_date_only:
        return _("%(day)s（当天）", day=local(campaign.summary_deadline).strftime("%Y-%m-%d"))
    return local_datetime_text(campaign.summary_deadline)


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
        deadline_text=deadline_text,
    )
