"""Each previewed activity as the plan document will print it (plan/document.py's lines: 活动时间, 活动地点, the
roles, 活动要求), so the clerk sees the result before confirming."""

from datetime import time

from campaign.plan.document import Line
from campaign.plan.importing.draft import DraftActivity
from campaign.plan.importing.times import read_when
from campaign.plan.models import MODE_ONSITE, UNIT_ROLE_LABELS, UNIT_ROLES, VENUE_KIND_LABELS
from campaign.shared.formatting import cn_span
from campaign.shared.timeutil import local_datetime
from campaign.units.names import written_names


def _time_text(text: str, year: int | None, style: str) -> str:
    when = read_when(text)
    if when is None or year is None or not 1 < year < 9999:
        return text
    first, last = when.days(year)
    if when.start_time is None:
        return cn_span(local_datetime(first, time(0, 0)), local_datetime(last or first, time(23, 59)), True, style)
    ends = local_datetime(last or first, when.end_time) if when.end_time else None
    return cn_span(local_datetime(first, when.start_time), ends, False, style)


def _role_text(text: str) -> str:
    """The list as the plan will print it: each name as the source writes it, whatever unit it is matched to."""
    names, etc = written_names(text)
    printed = [each.written for each in names]
    return "、".join(printed) + ("等" if etc and printed else "")


def printed_activity(activity: DraftActivity, year: int | None, style: str) -> list[Line]:
    values = activity.values
    lines = [Line("活动时间", _time_text(values["time"], year, style or "cn"))]
    if values["mode"] == MODE_ONSITE and values["venue"]:
        label = VENUE_KIND_LABELS.get(values["venue_kind"], "")
        lines.append(Line("活动地点", values["venue"] + (f"（{label}）" if label else "")))
    for role in UNIT_ROLES:
        if values[role].strip():
            lines.append(Line(UNIT_ROLE_LABELS[role], _role_text(values[role])))
    if values["requirements"].strip():
        lines.append(Line("活动要求", " ".join(values["requirements"].split())))
    return lines
