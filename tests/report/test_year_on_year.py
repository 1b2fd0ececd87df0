"""Year on year (report/year_on_year.py): two campaigns of consecutive years, the sentences and the table in the
report equal to the data (the PDF and the DOCX read back); no previous campaign, nothing shown."""

import io
import subprocess
from datetime import datetime, timedelta

import pytest
from docx import Document

from campaign.booths.models import CLOSED, FollowUp
from campaign.report.compile import compile_report
from campaign.report.consistency import find_mismatches
from campaign.report.document import report_document
from campaign.report.narrative import draft_sections
from campaign.report.snapshots import export_snapshot, snapshot_file
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db


def _year(factory, year: int, units: list, desks: int, people: int, leaflets: int, in_time: int, **fields):
    """A campaign with `desks` desks among `units`, `people` consultations (the first 转办 when in_time), the
    first `in_time` referrals closed the day after."""
    campaign = factory.campaign(year, **fields)
    activity = factory.activity(factory.group(campaign), units={unit: "lead" if n == 0 else "participating"
                                                                for n, unit in enumerate(units)})
    booths = [factory.booth(activity, unit) for unit in units[:desks]]
    day = datetime(year, 5, 15, 9, 30, tzinfo=LOCAL_TZ)
    for n in range(people):
        referred = n < in_time + 1
        factory.consultation(booths[n % desks], recorded_at=day, handling="转办" if referred else "当场解答",
                             satisfaction="不满意" if n == 0 else "满意")
    for booth in booths:
        factory.handout(booth, "宣传册", leaflets // desks)
    follow_ups = db.session.query(FollowUp).join(FollowUp.consultation).filter(
        FollowUp.consultation.has()).all()
    for follow_up in [f for f in follow_ups if f.consultation.booth.campaign_id == campaign.id][:in_time]:
        follow_up.status, follow_up.closed_at = CLOSED, day + timedelta(days=1)
    db.session.commit()
    return campaign


@pytest.fixture
def two_years(factory):
    units = [factory.unit(f"区测试局{n}") for n in range(8)]
    last = _year(factory, 2024, units[:5], desks=3, people=6, leaflets=300, in_time=1, status="closed")
    this = _year(factory, 2025, units, desks=5, people=10, leaflets=500, in_time=3, status="issued")
    return last, this


def test_two_consecutive_years_compared_in_sentences_and_a_table_equal_to_the_data(app, two_years):
    last, this = two_years
    before, now = compile_report(last, compare=False), compile_report(this)
    comparison = now["year_on_year"]
    assert comparison is not None and (comparison["previous_year"], comparison["than"]) == (2024, "上年")
    rows = {row["key"]: (row["current"], row["previous"], row["change"]) for row in comparison["rows"]}
    for key in ("units_taking_part", "booths", "people", "materials", "satisfaction_rate"):
        assert rows[key] == (now["totals"][key], before["totals"][key],
                             now["totals"][key] - before["totals"][key]), key
    assert rows["units_taking_part"] == (8, 5, 3) and rows["booths"] == (5, 3, 2)
    assert rows["people"] == (10, 6, 4) and rows["materials"] == (500, 300, 200)
    assert rows["satisfaction_rate"] == (90, 83, 7)
    assert rows["follow_ups_closed_in_time"] == (3, 1, 2)
    assert comparison["sentences"] == [
        "参加单位8家，比上年增加3家。", "设立政策咨询台5个，比上年增加2个。", "接待群众咨询10人次，比上年增加4人次。",
        "发放宣传资料500份，比上年增加200份。", "群众满意率90%，比上年提高7个百分点。",
        "转办事项按期办结3件，比上年增加2件。",
    ]
    # In the document: the sentences at the end of 一、基本情况, then one table.
    doc = report_document(now, draft_sections(now))
    overview = doc.sections[0]
    assert overview.paragraphs[-1] == "与上年相比：" + "".join(comparison["sentences"])
    (table,) = overview.tables
    assert table.head == ("项目", "2025年", "2024年", "增减")
    assert table.rows[0] == ["参加单位（家）", "8", "5", "+3家"]
    assert table.rows[4] == ["群众满意率（%）", "90%", "83%", "+7个百分点"]
    assert all(not section.tables for section in doc.sections[1:])
    # The drafted text, with the comparison's figures, passes the numbers check.
    assert find_mismatches(now, draft_sections(now)) == []


def test_the_comparison_is_in_the_pdf_and_the_docx(app, two_years, organizer):
    _last, this = two_years
    snapshot = export_snapshot(this, organizer.id)
    pdf, _name = snapshot_file(snapshot, "pdf", app.config["UPLOAD_DIR"])
    text = "".join(subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                                  check=True).stdout.decode().split())
    assert "与上年相比：参加单位8家，比上年增加3家。" in text
    assert "表12025年与2024年活动情况对比" in text
    assert "发放宣传资料（份）500300+200份" in text
    docx, _name = snapshot_file(snapshot, "docx", app.config["UPLOAD_DIR"])
    word = Document(io.BytesIO(docx))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]
    comparison = next(table for table in tables if table[0] == ["项目", "2025年", "2024年", "增减"])
    assert comparison[1] == ["参加单位（家）", "8", "5", "+3家"]
    assert comparison[3] == ["接待群众咨询（人次）", "10", "6", "+4人次"]
    assert any("比上年提高7个百分点" in paragraph.text for paragraph in word.paragraphs)


def test_the_previous_year_as_it_was_reported_and_an_older_one_named_by_its_year(app, factory, organizer):
    units = [factory.unit(f"区测试局{n}") for n in range(4)]
    old = _year(factory, 2022, units[:2], desks=2, people=4, leaflets=100, in_time=0, status="closed")
    this = _year(factory, 2025, units, desks=4, people=4, leaflets=100, in_time=0, status="issued")
    # A draft of 2024 and another office's campaign of 2023 are not the previous campaign.
    factory.campaign(2024, status="draft")
    factory.campaign(2023, status="closed", issuing_office="临江镇人民政府")
    comparison = compile_report(this)["year_on_year"]
    assert comparison["previous_id"] == old.id and comparison["than"] == "2022年"
    assert "参加单位4家，比2022年增加2家。" in comparison["sentences"]
    assert "接待群众咨询4人次，与2022年持平。" in comparison["sentences"]
    # Once the previous campaign was exported, its figures are the ones it was reported with.
    snapshot = export_snapshot(old, organizer.id)
    snapshot.figures = {**snapshot.figures, "totals": {**snapshot.figures["totals"], "people": 3}}
    db.session.commit()
    assert "接待群众咨询4人次，比2022年增加1人次。" in compile_report(this)["year_on_year"]["sentences"]


def test_no_previous_campaign_shows_nothing(app, factory):
    units = [factory.unit(f"区测试局{n}") for n in range(3)]
    only = _year(factory, 2025, units, desks=2, people=3, leaflets=100, in_time=0, status="issued")
    figures = compile_report(only)
    assert figures["year_on_year"] is None
    doc = report_document(figures, draft_sections(figures))
    assert not any(section.tables for section in doc.sections)
    assert not any("上年" in paragraph for section in doc.sections for paragraph in section.paragraphs)


def test_a_previous_campaign_without_desks_recorded_compares_units_only(app, factory):
    units = [factory.unit(f"区测试局{n}") for n in range(3)]
    last = factory.campaign(2024, status="closed")
    factory.activity(factory.group(last), units={units[0]: "lead"})
    this = _year(factory, 2025, units, desks=2, people=3, leaflets=100, in_time=0, status="issued")
    comparison = compile_report(this)["year_on_year"]
    assert comparison["sentences"] == ["参加单位3家，比上年增加2家。"]
