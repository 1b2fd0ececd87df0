"""A real compilation job run to completion, and its files read back: the PDF (pdftotext, pdffonts, pdfimages), the
DOCX (python-docx), the XLSX (openpyxl); the snapshot keeps them; the preview page carries the SVG charts."""

import hashlib
import io
import re
import subprocess
from datetime import datetime

import pytest
import sqlalchemy as sa
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from campaign.report.models import ReportDraft, ReportJob, ReportSnapshot
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.summaries.models import FigureCorrection
from campaign.web.extensions import db

UNIT_NAMES = ("江滨区教育局", "江滨区人力资源和社会保障局", "临江镇人民政府")


@pytest.fixture
def campaign_data(factory):
    """Three units: two reported (one with a correction and three photos), one silent; booth records with a
    phone number and a question typed like a formula; score rules; the scorecard in the PDF."""
    education, social, town = (factory.unit(name) for name in UNIT_NAMES)
    campaign = factory.campaign(status="issued")
    group = factory.group(campaign)
    main = factory.venue(campaign, "市民广场", is_main=True)
    activity = factory.activity(group, units={education: "lead", social: "cooperating", town: "cooperating"},
                                venue_id=main.id, title="开展“政策咨询进广场”活动")
    factory.activity(factory.group(campaign, "线上主题宣传活动"), units={social: "responsible"}, mode="online",
                     venue_id=None, title="开展“政策解读上线”活动")
    day = datetime(2025, 5, 15, 9, 20, tzinfo=LOCAL_TZ)
    booths = [factory.booth(activity, education), factory.booth(activity, social)]
    topics = ("社会保险", "教育入学", "医疗保障")
    for n in range(12):
        factory.consultation(booths[n % 2], topic=topics[n % 3], recorded_at=day.replace(hour=9 + n % 3),
                             satisfaction="满意" if n % 4 else "基本满意", handling="转办" if n == 0 else "当场解答",
                             person_name="张三", person_phone="13812341234", consent=True,
                             question="=HYPERLINK(\"http://x\")" if n == 1 else "孩子入学要准备什么材料？")
    factory.handout(booths[0], "宣传单", 120)
    factory.handout(booths[1], "宣传册", 45)
    reported = datetime(2025, 5, 17, 16, 0, tzinfo=LOCAL_TZ)
    first = factory.summary(campaign, education, status="accepted", submitted_at=reported, first_submitted_at=reported,
                            unit_figures={"display_boards": 6, "banners": 2})
    second = factory.summary(campaign, social, status="submitted", submitted_at=reported, first_submitted_at=reported,
                             unit_figures={"display_boards": 4})
    db.session.add(FigureCorrection(summary_id=second.id, key="consultations", recorded=6, corrected=9,
                                    reason="纸质登记3人次"))
    photos = [factory.photo(first, caption="咨询台现场", color=color) for color in ("teal", "navy", "olive")]
    factory.photo(second, caption="发放宣传资料", color="maroon")
    factory.score_rule(campaign, "on_time", 40, label="按时报送活动总结")
    factory.score_rule(campaign, "photos", 20, label="照片不少于2张", threshold=2)
    db.session.add(ReportDraft(campaign_id=campaign.id, narrative={"results": "活动取得了明显成效。"},
                               include_scorecard=True))
    db.session.commit()
    return {"campaign": campaign, "photos": photos, "units": (education, social, town)}


@pytest.fixture
def compiled(organizer_client, campaign_data, finished_job):
    campaign = campaign_data["campaign"]
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/compile",
                                       headers={"Accept": "application/json"})
    assert response.status_code == 202
    started = response.get_json()
    assert started["created"] is True
    state = finished_job(f"/campaigns/{campaign.id}/report/jobs/{started['id']}")
    assert state["status"] == "done", state
    assert state["progress"] == 100
    snapshot = db.session.get(ReportSnapshot, state["snapshot_id"])
    files = {}
    for kind in ("pdf", "docx", "xlsx"):
        download = organizer_client.get(f"/campaigns/{campaign.id}/report/snapshots/{snapshot.id}/{kind}")
        assert download.status_code == 200
        assert "attachment" in download.headers["Content-Disposition"]
        files[kind] = download.data
    return {**campaign_data, "snapshot": snapshot, "files": files}


def _pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_holds_the_totals_every_unit_the_charts_and_the_photos(compiled):
    pdf = compiled["files"]["pdf"]
    assert pdf.startswith(b"%PDF")
    text = _pdftotext(pdf)
    flat = _flat(text)
    figures = compiled["snapshot"].figures
    totals = figures["totals"]
    assert (totals["consultations"], totals["materials"], totals["units_reported"]) == (12, 165, 2)
    # The drafted overview quotes the totals, each material named; the organizer's own text stands where it was written.
    assert "现场接待群众咨询12人次" in flat and "发放宣传单120份、宣传册45份，共计165份" in flat and "摆放展板10块" in flat
    assert "活动取得了明显成效。" in flat
    assert "合计2/312165100%0/14" in flat  # reported/taking part, consultations, materials, rate, follow-ups, photos
    # The per-unit table, read in content order: every unit's row, the corrected figure with the recorded one.
    table = _flat(subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                                 check=True).stdout.decode())
    assert "1江滨区教育局已采纳6120100%0/13" in table
    assert "2江滨区人力资源和社会保障局已报送9（6）45100%0/01" in table
    assert "3临江镇人民政府未报送00—0/00" in table
    assert "未报送总结的单位：临江镇人民政府（未报送）" in flat
    # Charts: their titles and labels are text in the PDF.
    for label in ("各主题咨询量", "各单位咨询量", "各时段咨询量", "社会保险", "教育入学", "9时", "11时"):
        assert label in flat, label
    assert "各单位绩效考核评分表" in flat and "一、按时报送活动总结（40分）" in flat
    assert "— 1 —" in text
    assert "开展“政策咨询进广场”活动" in flat and "开展“政策解读上线”活动" in flat

    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert any("CJK" in row for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows), fonts
    images = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    jpegs = [line for line in images.splitlines()[2:] if " jpeg " in line]
    # Two photos of the first unit (the default), one of the second.
    assert len(jpegs) == 3, images


def test_the_docx_reads_back_with_chinese_fonts_tables_and_pictures(compiled):
    doc = Document(io.BytesIO(compiled["files"]["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于第十九届“5·15政务公开日”活动开展情况的报告" in _flat(text)
    assert "一、基本情况" in text and "五、下一步工作" in text
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    for name in UNIT_NAMES:
        assert name in cells
    assert "合计" in cells
    assert any(cell.startswith("9（6）") for cell in cells)
    east_asia = {run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for run in p.runs
                 if run._element.rPr is not None and run._element.rPr.rFonts is not None}
    assert {"仿宋_GB2312", "黑体"} <= east_asia
    pictures = doc.inline_shapes
    assert len(pictures) == 3 + 3  # three charts (PNG) and three photos


def test_the_xlsx_reads_back_with_masked_phones_and_the_scorecard(compiled):
    book = load_workbook(io.BytesIO(compiled["files"]["xlsx"]))
    assert book.sheetnames == ["汇总", "各单位", "咨询登记", "评分"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["咨询登记（人次）"] == 12 and summary["发放宣传资料（份）"] == 165
    units = {row[0]: row for row in book["各单位"].iter_rows(min_row=2, values_only=True)}
    assert set(units) == set(UNIT_NAMES)
    social = units["江滨区人力资源和社会保障局"]
    assert social[4:6] == (9, 6)  # effective and recorded consultations
    assert "纸质登记3人次" in social[-1]
    consultations = list(book["咨询登记"].iter_rows(min_row=2, values_only=True))
    assert len(consultations) == 12
    assert {row[9] for row in consultations} == {"138****1234"}
    assert {row[8] for row in consultations} == {"张*"}
    assert "13812341234" not in str(consultations)
    assert any(row[5] == "'=HYPERLINK(\"http://x\")" for row in consultations)
    scores = list(book["评分"].iter_rows(values_only=True))
    assert scores[0] == ("名次", "单位", "按时报送活动总结（40分）", "照片不少于2张（20分）", "计算得分", "调整", "调整原因",
                         "总分", "备注")
    assert scores[1][1:5] == ("江滨区教育局", 40, 20, 60) and scores[1][5] == 0 and scores[1][7] == 60
    assert not scores[1][6] and not scores[1][8]


def test_the_snapshot_keeps_what_was_exported(organizer_client, compiled):
    campaign, snapshot = compiled["campaign"], compiled["snapshot"]
    stored = {item["kind"]: item for item in snapshot.files}
    for kind, data in compiled["files"].items():
        assert stored[kind]["sha256"] == hashlib.sha256(data).hexdigest()
        assert stored[kind]["path"].startswith(f"reports/{campaign.id}/{snapshot.id}/")
    assert snapshot.narrative["results"] == "活动取得了明显成效。"

    # Later edits do not reach the snapshot: its page shows the text as it was sent.
    draft = db.session.get(ReportDraft, campaign.id)
    draft.narrative = {"results": "后来改写的文字。"}
    db.session.commit()
    page = organizer_client.get(f"/campaigns/{campaign.id}/report/snapshots/{snapshot.id}").get_data(as_text=True)
    assert "活动取得了明显成效。" in page and "后来改写的文字。" not in page
    listing = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert f"/report/snapshots/{snapshot.id}/pdf" in listing
    again = organizer_client.get(f"/campaigns/{campaign.id}/report/snapshots/{snapshot.id}/pdf")
    assert again.data == compiled["files"]["pdf"]


def test_the_preview_carries_svg_charts_and_the_text(organizer_client, campaign_data):
    campaign = campaign_data["campaign"]
    page = organizer_client.get(f"/campaigns/{campaign.id}/report/preview").get_data(as_text=True)
    assert page.count("<svg") == 3
    assert 'font-family="Noto Sans CJK SC' in page
    assert "各主题咨询量" in page and ">社会保险</text>" in page
    assert " style=" not in page.split("<svg", 1)[1]  # the CSP would block it
    for photo in campaign_data["photos"][:2]:
        assert f"/photos/{photo.id}/display.jpg" in page
    index = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert index.count("<svg") == 3


def test_a_second_request_joins_the_running_job(organizer_client, factory):
    campaign = factory.campaign()
    running = factory.report_job(campaign, status="running", started_at=utcnow(), heartbeat_at=utcnow(), progress=40,
                                 step="pdf")
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/compile", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json()["id"] == running.id and response.get_json()["created"] is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportJob)) == 1
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert '<progress max="100" value="40"' in page and 'data-active="1"' in page
