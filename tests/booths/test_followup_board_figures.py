"""The referral figures read at city scale: 按期办结 from the follow-up tallies (whether a closed follow-up was closed
by its deadline, Asia/Shanghai, kept in step through closing, reopening and withdrawal, equal to the follow-ups
counted one by one), and the board's overdue list read in index order, equal to sorting them all."""

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


def test_the_boards_overdue_list_is_the_most_overdue_first_across_both_steps(factory):
    """Pending ones by their reply's deadline and replied ones by their closing deadline, merged, the few shown."""
    from datetime import date

    from campaign.booths.followup_lists import overdue_follow_ups

    unit = factory.unit("滨海市䶮山区人社局")
    campaign = factory.campaign(status="issued")
    booth = factory.booth(factory.activity(factory.group(campaign), units={unit: "lead"}), unit)
    made = []
    for number in range(8):
        consultation = factory.consultation(booth, handling="转办", question=f"问题{number}",
                                            recorded_at=datetime(2025, 5, 15, 10, tzinfo=LOCAL_TZ))
        made.append(db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id)))
    base = date(2025, 6, 1)
    for number, follow_up in enumerate(made):
        follow_up.due_date = base + timedelta(days=number)
        follow_up.close_due_date = base + timedelta(days=20 - 2 * number)
        follow_up.status = "pending" if number % 2 == 0 else "replied"
    made[6].status = CLOSED  # closed: never overdue
    made[6].closed_at = datetime(2025, 6, 2, tzinfo=LOCAL_TZ)
    made[4].consultation.withdrawn_at = made[4].consultation.recorded_at  # withdrawn: counted nowhere
    db.session.commit()
    today = date(2025, 7, 1)

    def applies(follow_up):
        return follow_up.due_date if follow_up.status == "pending" else follow_up.close_due_date

    expected = sorted((f for f in made if f.status != CLOSED and f.consultation.withdrawn_at is None),
                      key=lambda f: (applies(f), f.id))
    assert [f.id for f in overdue_follow_ups(campaign.id, today)] == [f.id for f in expected]
    assert [f.id for f in overdue_follow_ups(campaign.id, today, limit=3)] == [f.id for f in expected[:3]]
    # Only those past the deadline of their step: on 10 June, the replied ones closing 11–19 June are not.
    early = [f.id for f in expected if applies(f) < date(2025, 6, 10)]
    assert [f.id for f in overdue_follow_ups(campaign.id, date(2025, 6, 10))] == early
    assert {f.status for f in made if f.id in early} == {"pending", "replied"}
