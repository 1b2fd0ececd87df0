"""Times as plans write them (issue 13): 上午/中午/下午/晚上 on a 12-hour clock, 9时30分 or 9:30, a start alone."""

from datetime import datetime

import pytest

from campaign.shared.formatting import cn_span
from campaign.shared.timeutil import LOCAL_TZ


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 5, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(("start", "end", "all_day", "style", "text"), [
    (at(15, 0), at(15, 23, 59), True, "cn", "5月15日"),
    (at(15, 0), at(20, 23, 59), True, "cn", "5月15日至5月20日"),
    (at(15, 0), None, True, "cn", "5月15日"),
    (at(15, 9), None, False, "cn", "5月15日上午9时"),
    (at(15, 9), at(15, 11, 30), False, "cn", "5月15日上午9时至11时30分"),
    (at(15, 9), at(15, 11, 30), False, "colon", "5月15日上午9:00至11:30"),
    (at(15, 12), None, False, "cn", "5月15日中午12时"),
    (at(15, 12, 30), at(15, 14), False, "cn", "5月15日中午12时30分至下午2时"),
    (at(15, 9), at(15, 17), False, "cn", "5月15日上午9时至下午5时"),
    (at(15, 14, 30), at(15, 16, 30), False, "cn", "5月15日下午2时30分至4时30分"),
    (at(15, 19), at(15, 21), False, "cn", "5月15日晚上7时至9时"),
    (at(15, 9), at(16, 12), False, "cn", "5月15日上午9时至5月16日中午12时"),
    (None, None, False, "cn", ""),
])
def test_times_read_as_notices_write_them(start, end, all_day, style, text):
    assert cn_span(start, end, all_day, style) == text
