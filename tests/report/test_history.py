"""Each unit's record over the years: on time, late by how long, or missing per campaign; consultations, referrals
and the score; the matrix of units × years (paged, a fixed number of queries), its XLSX and a unit's own page."""

import io
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.plan.models import Activity
from campaign.report.history import LATE, MISSING, ON_TIME, history
from campaign.report.history_export import year_cells
from campaign.report.models import ScoreAdjustment
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from tests.statements import count_statements


def _years(factory):
    first, second = factory.unit("江滨区发展和改革局"), factory.unit("临江镇人民政府", kind="town")
    old = factory.campaign(2023, status="closed", summary_deadline=datetime(2023, 5, 18, 17, 30, tzinfo=LOCAL_TZ))
    new = factory.campaign(2025, status="issued", summary_deadline=datetime(2025, 5, 16, 17, 30, tzinfo=LOCAL_TZ))
    draft = factory.campaign(2026, status="draft")
    for campaign in (old, new, draft):
        factory.activity(factory.group(campaign), units={first: "lead", second: "cooperating"})
    early = old.summary_deadline - timedelta(hours=1)
    factory.summary(old, first, status="accepted", submitted_at=early, first_submitted_at=early)
    # Friday's deadline, handed in on Sunday evening: 2 days 3 hours by the clock, 1 working day.
    late = new.summary_deadline + timedelta(days=2, hours=3)
    factory.summary(new, first, status="submitted", late=True, submitted_at=late, first_submitted_at=late)
    # Returned and not yet resubmitted: it was handed in on time when first sent.
    factory.summary(new, second, status="returned", submitted_at=early.replace(year=2025, day=16),
                    first_submitted_at=early.replace(year=2025, day=16))
    booth = factory.booth(_activity(new), first)
    for _ in range(2):
        factory.consultation(booth)
    factory.score_rule(new, "on_time", 30)
    factory.score_rule(new, "consultations", 20, threshold=2)
    return first, second, old, new


def _activity(campaign):
    return db.session.scalars(sa.select(Activity).filter_by(campaign_id=campaign.id)).first()


def test_each_units_outcome_and_score_per_year(app, factory):
    first, second, old, new = _years(factory)
    found = history()
    assert [campaign.year for campaign in found.campaigns] == [2023, 2025]
    records = {record.unit.id: record for record in found.units}
    assert records[first.id].years[old.id].outcome == ON_TIME
    year = records[first.id].years[new.id]
    assert (year.outcome, year.late_days, year.consultations) == (LATE, 1, 2)  # as the scorecard counts
    # Late: the on-time rule earns nothing (no partial credit set); 2 consultations meet the threshold.
    assert year.score == 20
    assert records[first.id].years[old.id].score is None  # 2023 has no scoring rules
    assert records[second.id].years[old.id].outcome == MISSING
    assert records[second.id].years[new.id].outcome == ON_TIME
    assert records[second.id].years[new.id].score == 0  # returned: not in the office's hands
    assert records[first.id].on_time_rate == 50 and records[second.id].on_time_rate == 50


def test_the_score_follows_adjustments_and_partial_credit(app, factory):
    from campaign.report.models import ScorecardSettings

    first, second, old, new = _years(factory)
    db.session.add(ScorecardSettings(campaign_id=new.id, late_points_per_day=5))
    db.session.add(ScoreAdjustment(campaign_id=new.id, unit_id=first.id, points=-3, reason="展板内容有误"))
    db.session.commit()
    year = {record.unit.id: record for record in history().units}[first.id].years[new.id]
    # 30 − 1 working day × 5, plus 20 for the consultations, less the adjustment's 3.
    assert (year.score, year.adjustment) == (42, -3)


def test_the_matrix_and_a_units_page(organizer_client, factory):
    first, second, old, new = _years(factory)
    page = organizer_client.get("/report/history/").get_data(as_text=True)
    row = re.search(rf'<tr data-unit="{first.id}">(.*?)</tr>', page, re.S).group(1)
    assert "按时报送" in row and "逾期报送 1个工作日" in row and "咨询2" in row and "得分20" in row and "50%" in row
    row = re.search(rf'<tr data-unit="{second.id}">(.*?)</tr>', page, re.S).group(1)
    assert "未报送" in row and "2026" not in page
    page = organizer_client.get(f"/report/history/units/{first.id}").get_data(as_text=True)
    assert "（逾期1个工作日）" in page and "报送及时率：50%" in page
    assert re.search(rf'class="score"><a href="[^"]*/campaigns/{new.id}/report/scorecard#unit-{first.id}">20</a>', page)
    assert organizer_client.get("/report/history/units/999999").status_code == 404


def test_the_matrix_is_paged_and_takes_a_fixed_number_of_queries(organizer_client, factory):
    def count_queries(**arguments) -> int:
        return count_statements(lambda: history(**arguments), expire=True)

    first, second, old, new = _years(factory)
    few = count_queries(page=1)
    units = [factory.unit() for _ in range(12)]
    for year in (2022, 2024):
        campaign = factory.campaign(year, status="closed")
        factory.activity(factory.group(campaign), units={unit: "cooperating" for unit in units})
        booth = factory.booth(_activity(campaign), units[0])
        factory.consultation(booth, handling="转办")
        factory.score_rule(campaign, "submitted", 10)
    assert count_queries(page=1) == few
    found = history(page=2, per_page=5)
    assert (found.page.total, found.page.pages, len(found.units)) == (14, 3, 5)
    assert [campaign.year for campaign in found.campaigns] == [2022, 2023, 2024, 2025]
    page = organizer_client.get("/report/history/?page=3").get_data(as_text=True)
    assert page.count("<tr data-unit=") == 14  # past the last page: the last (one page of 50)


def test_the_xlsx_reads_back_as_the_matrix(organizer_client, factory):
    first, second, old, new = _years(factory)
    response = organizer_client.get("/report/history/history.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["各单位历年情况"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("单位", "2023年总结报送", "2023年逾期工作日", "2023年咨询登记", "2023年转办按期办结", "2023年得分")
    found = history()
    expected = [(record.unit.name, *[cell for campaign in found.campaigns
                                     for cell in year_cells(record.years.get(campaign.id))], record.on_time_rate)
                for record in found.units]
    assert rows[1:] == expected
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["江滨区发展和改革局"] == ("江滨区发展和改革局", "按时报送", None, 0, None, None,
                                          "逾期报送", 1, 2, None, 20, 50)
    assert by_name["临江镇人民政府"][1] == "未报送"
