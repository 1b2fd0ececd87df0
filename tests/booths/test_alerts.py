"""The boards' 预警 (campaign/booths/alerts.py, summaries/alerts.py), at fixed moments of a fixed day."""

from datetime import datetime, timedelta

import pytest

from campaign.booths import alerts
from campaign.booths.models import SOURCE_PUBLIC
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from tests.statements import count_statements


def at(hour: int, minute: int = 0, day: int = 15) -> datetime:
    return datetime(2025, 5, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def day(factory):
    """The morning activity runs 9:00–11:30 on 15 May (the factory's), the afternoon one 14:00–16:00."""
    campaign = factory.campaign()
    group = factory.group(campaign)
    names = ["区人社局", "区医保局", "区民政局", "区教育局", "区已停用局", "区下午局"]
    units = {name: factory.unit(f"江滨{name}", short_name=name) for name in names}
    morning = factory.activity(group, title="上午集中咨询", units={units[name]: "lead" for name in names[:5]})
    afternoon = factory.activity(group, title="下午集中咨询", units={units["区下午局"]: "lead"},
                                 starts_at=at(14), ends_at=at(16))
    booths = {name: factory.booth(morning, units[name], active=name != "区已停用局") for name in names[:5]}
    booths["区下午局"] = factory.booth(afternoon, units["区下午局"])
    factory.consultation(booths["区人社局"], recorded_at=at(9, 50))
    # Withdrawn, or from the public card: neither shows the desk's phone at work.
    factory.consultation(booths["区医保局"], recorded_at=at(10, 10), withdrawn_at=at(10, 11))
    factory.consultation(booths["区民政局"], recorded_at=at(10, 10), source=SOURCE_PUBLIC)
    factory.handout(booths["区教育局"], recorded_at=at(10, 5))
    return dict(campaign=campaign, booths=booths, units=units)


def _quiet(day, now) -> dict[str, tuple[int, datetime | None]]:
    return {alert.subject: (alert.count, alert.at) for alert in alerts.quiet_booths(day["campaign"].id, now)}


def test_a_booth_open_during_its_activity_with_no_entry_for_30_minutes(day):
    # 10:20: the 9:50 entry is exactly 30 minutes old — not yet quiet; a handout at 10:05 counts as an entry.
    quiet = _quiet(day, at(10, 20))
    assert quiet == {"区医保局咨询台": (80, None), "区民政局咨询台": (80, None)}
    # 10:21: the 区人社局 desk has been quiet for 31 minutes since its last entry; the longest quiet come first.
    found = alerts.quiet_booths(day["campaign"].id, at(10, 21))
    assert [(alert.subject, alert.count) for alert in found] == [
        ("区医保局咨询台", 81), ("区民政局咨询台", 81), ("区人社局咨询台", 31)]
    assert found[2].at == at(9, 50) and found[2].place == day["booths"]["区人社局"].activity.venue.name


def test_no_warning_before_half_an_hour_of_the_activity_nor_after_it_ends(day):
    assert _quiet(day, at(9, 29)) == {}
    assert set(_quiet(day, at(9, 30))) == {"区人社局咨询台", "区医保局咨询台", "区民政局咨询台", "区教育局咨询台"}
    assert _quiet(day, at(11, 30)) == {}
    # The afternoon desk from 14:30, alone (the switched-off booth never).
    assert set(_quiet(day, at(14, 45))) == {"区下午局咨询台"}


def test_overdue_referrals_are_counted(day, factory):
    factory.consultation(day["booths"]["区人社局"], recorded_at=at(9, 40), handling="转办")
    kinds = lambda now: [(alert.kind, alert.count) for alert in alerts.alerts(day["campaign"], now)  # noqa: E731
                         if alert.kind == alerts.OVERDUE_REFERRALS]
    assert kinds(at(11, 0)) == []
    assert kinds(at(9, 0, day=30) + timedelta(days=60)) == [(alerts.OVERDUE_REFERRALS, 1)]


def test_units_not_started_two_days_before_the_summary_deadline(day, factory):
    campaign = day["campaign"]  # deadline 18 May 17:30
    factory.summary(campaign, day["units"]["区医保局"])  # a draft saved once: started

    def not_started(now):
        return [alert.subject for alert in alerts.alerts(campaign, now) if alert.kind == alerts.SUMMARY_NOT_STARTED]

    assert not_started(at(17, 29, day=16)) == []
    names = not_started(at(17, 30, day=16))
    assert names == ["区人社局", "区民政局", "区教育局", "区已停用局", "区下午局"]
    # After the deadline still, until each has started or the campaign is closed.
    assert not_started(at(9, 0, day=25)) == names
    campaign.status = "closed"
    assert not_started(at(9, 0, day=25)) == []


def test_one_query_each_whatever_the_number_of_booths(day, factory):
    def statements(now) -> int:
        return count_statements(lambda: alerts.alerts(day["campaign"], now))

    now = at(10, 30, day=17)  # inside the summaries' window too
    before = statements(at(10, 30))
    before_late = statements(now)
    morning = day["booths"]["区人社局"].activity
    for n in range(20):
        booth = factory.booth(morning, factory.unit(f"江滨区加测局{n}"))
        factory.consultation(booth, recorded_at=at(9, 10))
    db.session.expire_all()
    assert statements(at(10, 30)) == before
    assert statements(now) == before_late <= 4


def test_the_boards_show_the_alerts(organizer_client, factory):
    campaign = factory.campaign(summary_deadline=datetime.now(LOCAL_TZ) + timedelta(days=1))
    unit = factory.unit("江滨区退役军人事务局", short_name="区退役军人局")
    factory.activity(factory.group(campaign), units={unit: "lead"})
    page = organizer_client.get(f"/campaigns/{campaign.id}/board").get_data(as_text=True)
    assert "区退役军人局：尚未开始填写总结" in page
    screen = organizer_client.get(f"/campaigns/{campaign.id}/board?screen=1").get_data(as_text=True)
    assert "区退役军人局：尚未开始填写总结" in screen and "js/screen.js" in screen
    data = organizer_client.get(f"/campaigns/{campaign.id}/board/data.json").get_json()
    assert [row["kind"] for row in data["alerts"]] == [alerts.SUMMARY_NOT_STARTED]
