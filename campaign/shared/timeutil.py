"""Times are stored as aware UTC and shown in Asia/Shanghai."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import overload
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime kept as naive UTC, so SQLite and PostgreSQL store the same thing."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


# Model mixins for the usual timestamps. Every row gets one when it is made; the columns are nullable all the same,
# as the migrations created them.


class CreatedAt:
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)


class UpdatedAt:
    """Set when the row is made; the code that changes the row sets it again (there is no onupdate)."""

    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)


@overload
def local(value: datetime) -> datetime: ...
@overload
def local(value: None) -> None: ...
@overload
def local(value: datetime | None) -> datetime | None: ...


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TZ) if value else None


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def local_date(value: datetime) -> date:
    """The day a moment falls on in Asia/Shanghai (at 23:30 there it is still 15:30 UTC of the same day)."""
    return value.astimezone(LOCAL_TZ).date()


def local_today(now: datetime | None = None) -> date:
    return local_date(now or utcnow())


@dataclass
class TimeLeft:
    """What remains until a deadline, cut down to whole minutes."""

    passed: bool
    days: int = 0
    hours: int = 0
    minutes: int = 0
    under_a_minute: bool = False

    @property
    def urgent(self) -> bool:
        return not self.passed and self.days == 0

    @property
    def text(self) -> str:
        if self.passed:
            return _("已过截止时间")
        if self.days:
            return _("还有 %(days)d 天 %(hours)d 小时", days=self.days, hours=self.hours)
        if self.hours:
            return _("还有 %(hours)d 小时 %(minutes)d 分钟", hours=self.hours, minutes=self.minutes)
        if self.under_a_minute:
            return _("还有不到 1 分钟")
        return _("还有 %(minutes)d 分钟", minutes=self.minutes)


def time_left(deadline: datetime | None, now: datetime) -> TimeLeft | None:
    """None when there is no deadline. A naive `now` is read as Beijing time, as people here speak it."""
    if deadline is None:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=LOCAL_TZ)
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return TimeLeft(passed=True)
    minutes_total = seconds // 60
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return TimeLeft(passed=False, days=days, hours=hours, minutes=minutes, under_a_minute=minutes_total == 0)
