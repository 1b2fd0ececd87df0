"""Each unit's record over the years: on time, late by how long, or missing per campaign; consultations and referrals;
the matrix of units × years and a unit's own page."""

import re
from datetime import datetime, timedelta

from campaign.report.history import LATE, MISSING, ON_TIME, history
from campaign.shared.timeutil import LOCAL_TZ


def _years(factory):
    first, second = factory.unit("江滨区发展和改革局"), factory.unit("临江镇人民政府", kind="town")
    old = factory.campaign(2023, status="closed", summary_deadline=datetime(2023, 5, 18, 17, 30, tzinfo=LOCAL_TZ))
    new = factory.campaign(2025, status="issued", summary_deadline=datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ))
    draft = factory.campaign(2026, status="draft")
    for campaign in (old, new, draft):
        factory.activity(factory.group(campaign), units={first: "lead", second: "cooperating"})
    early = old.summary_deadline - timedelta(hours=1)
    factory.summary(old, first, status="accepted", submitted_at=early, first_submitted_at=early)
    late = new.summary_deadline + timedelta(days=2, hours=3)
    factory.summary(new, first, status="submitted", late=True, submitted_at=late, first_submitted_at=late)
    # Returned and not yet resubmitted: it was handed in on time when first sent.
    factory.summary(new, second, status="returned", submitted_at=early.replace(year=2025),
                    first_submitted_at=early.replace(year=2025))
    booth = factory.booth(_activity(new), first)
    for _ in range(2):
        factory.consultation(booth)
    return first, second, old, new


def _activity(campaign):
    from campaign.plan.models import Activity
    from campaign.web.extensions import db

    return db.session.query(Activity).filter_by(campaign_id=campaign.id).first()


def test_each_units_outcome_per_year(app, factory):
    first, second, old, new = _years(factory)
    campaigns, units = history()
    assert [campaign.year for campaign in campaigns] == [2023, 2025]
    records = {record.unit.id: record for record in units}
    assert records[first.id].years[old.id].outcome == ON_TIME
    year = records[first.id].years[new.id]
    assert (year.outcome, year.late_days, year.consultations) == (LATE, 3, 2)
    assert records[second.id].years[old.id].outcome == MISSING
    assert records[second.id].years[new.id].outcome == ON_TIME
    assert records[first.id].on_time_rate == 50 and records[second.id].on_time_rate == 50


def test_the_matrix_and_a_units_page(organizer_client, factory):
    first, second, old, new = _years(factory)
    page = organizer_client.get("/report/history/").get_data(as_text=True)
    row = re.search(rf'<tr data-unit="{first.id}">(.*?)</tr>', page, re.S).group(1)
    assert "按时报送" in row and "逾期报送 3天" in row and "咨询2" in row and "50%" in row
    row = re.search(rf'<tr data-unit="{second.id}">(.*?)</tr>', page, re.S).group(1)
    assert "未报送" in row and "2026" not in page
    page = organizer_client.get(f"/report/history/units/{first.id}").get_data(as_text=True)
    assert "（逾期3天）" in page and "报送及时率：50%" in page
    assert organizer_client.get("/report/history/units/999999").status_code == 404
