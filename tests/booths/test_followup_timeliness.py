"""按期办结 from the follow-up tallies: whether a closed follow-up was closed by its deadline (Asia/Shanghai), kept
in step through closing, reopening and withdrawal, and equal to the follow-ups counted one by one."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from campaign.booths import followups, tallies
from campaign.booths.followup_lists import follow_up_timeliness
from campaign.booths.models import CLOSED, FollowUp
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db


def _by_rows(campaign_id: int) -> dict[int, tuple[int, int]]:
    counted: dict[int, list[int]] = {}
    for follow_up in db.session.scalars(sa.select(FollowUp)):
        if follow_up.consultation.withdrawn_at is not None or follow_up.consultation.booth.campaign_id != campaign_id:
            continue
        row = counted.setdefault(follow_up.unit_id, [0, 0])
        row[0] += 1
        row[1] += bool(followups.closed_in_time(follow_up))
    return {unit_id: (total, in_time) for unit_id, (total, in_time) in counted.items()}


def _close(follow_up: FollowUp, at: datetime) -> None:
    follow_up.status, follow_up.closed_at = CLOSED, at
    db.session.commit()


def test_closed_in_time_is_read_from_the_tallies_and_equals_the_rows(factory):
    unit = factory.unit("滨海市䶮山区人社局")
    other = factory.unit("滨海市𠮷安区医保局")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={unit: "lead", other: "cooperating"})
    booth = factory.booth(activity, unit)
    made = []
    for number in range(5):
        consultation = factory.consultation(booth, handling="转办", question=f"问题{number}",
                                            recorded_at=datetime(2025, 5, 15, 10, tzinfo=LOCAL_TZ))
        made.append(db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id)))
    made[4].unit_id = other.id
    db.session.commit()
    due = made[0].close_due_date
    _close(made[0], datetime.combine(due, time(23, 59), LOCAL_TZ))  # the last minute of the due day: in time
    # 00:30 the next day in Beijing is still the due day in UTC: late all the same.
    _close(made[1], datetime.combine(due + timedelta(days=1), time(0, 30), LOCAL_TZ))
    _close(made[4], datetime.combine(due - timedelta(days=3), time(9), LOCAL_TZ))
    assert follow_up_timeliness(campaign.id) == _by_rows(campaign.id) == {unit.id: (4, 1), other.id: (1, 1)}

    # Reopened: no longer closed in time; closed again late; its consultation withdrawn: counted nowhere.
    made[0].status, made[0].closed_at = "pending", None
    db.session.commit()
    assert follow_up_timeliness(campaign.id)[unit.id] == (4, 0)
    _close(made[0], datetime.combine(due + timedelta(days=2), time(9), LOCAL_TZ))
    made[4].consultation.withdrawn_at = made[4].consultation.recorded_at
    db.session.commit()
    assert follow_up_timeliness(campaign.id) == _by_rows(campaign.id) == {unit.id: (4, 0)}
    assert tallies.stored(campaign.id) == tallies.recount(campaign.id)
