"""Times are stored as aware UTC and shown in Asia/Shanghai."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

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


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TZ) if value else None


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)
