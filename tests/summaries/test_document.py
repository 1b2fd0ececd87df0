"""A unit's summary as a PDF and a Word file in the official layout, with its photos; who may download it."""

import io
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from flask import current_app

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.models import FigureCorrection
from campaign.web.extensions import db
from tests.conftest import log_in

NARRATIVE = {
    "leadership": "区教育局高度重视，召开专题会议研究部署，制定了具体工作方案。",
    "activities": "5月15日上午，在区政务服务中心广场设立政策咨询台，解答群众关于入学政策的问题。",
    "problems": "企业参与热情不高，宣传面仍需加大。",
}


@pytest.fixture
def summary(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    activity = factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    booth = factory.booth(activity, unit_contact.unit)
    for _ in range(4):
        factory.consultation(booth, kind="政策咨询")
    factory.consultation(booth, kind="办事咨询", handling="转办")
    factory.handout(booth, material="宣传单", quantity=120)
    factory.handout(booth, material="政策汇编", quantity=30)
    summary = factory.summary(
        campaign, unit_contact.unit, narrative=NARRATIVE, status="submitted",
        submitted_at=datetime(2025, 5, 17, 16, 0, tzinfo=LOCAL_TZ),
        unit_figures={"display_boards": 6, "banners": 2},
        video_links=[{"title": "活动现场视频", "url": "https://example.org/v/515"}],
    )
    db.session.add(FigureCorrection(summary_id=summary.id, key="material:宣传单", recorded=120, corrected=150,
                                    reason="现场补发30份未登记"))
    db.session.commit()
    factory.photo(summary, caption="咨询台现场解答群众问题")
    factory.photo(summary, caption="发放入学政策宣传资料", color="navy")
    factory.photo(summary, caption="活动合影", color="olive")
    return summary


def _run(tool: str, data: bytes, tmp_path: Path, *args) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
                          capture_output=True, text=True, check=True).stdout


def test_pdf_holds_the_title_text_figures_and_photos(organizer_client, summary, tmp_path):
    response = organizer_client.get(f"/summaries/{summary.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    pdf = response.data

    text = re.sub(r"\s+", "", _run("pdftotext", pdf, tmp_path))
    assert "江滨区教育局关于2025年“5·15政务公开日”活动开展情况的总结" in text
    assert "一、领导重视，精心部署" in text and "二、活动开展情况" in text and "三、存在问题" in text
    assert "在区政务服务中心广场设立政策咨询台" in text
    # Figures woven into the opening paragraph and the table; the corrected one with both values.
    assert "接待群众咨询5人次" in text and "发放宣传资料180份" in text
    assert "宣传单（份）150" in text and "系统登记120，单位更正：现场补发30份未登记" in text
    assert "展板（块）6" in text and "横幅（条）2" in text
    assert "图1咨询台现场解答群众问题" in text and "图3活动合影" in text
    assert "活动现场视频（https://example.org/v/515）" in text
    assert "2025年5月17日" in text  # dated the day it was submitted

    fonts = _run("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\b\s+yes\b", line) for line in fonts), fonts  # embedded and subset

    images = _run("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    sizes = [tuple(line.split()[3:5]) for line in images]
    # The display copies, as JPEGs passed through: never the 4032×3024 originals.
    assert sizes == [("1600", "1200")] * 3
    assert all(line.split()[8] == "jpeg" for line in images)


def test_docx_reads_back_with_chinese_fonts_table_and_photos(organizer_client, summary):
    response = organizer_client.get(f"/summaries/{summary.id}/docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "江滨区教育局关于2025年“5·15政务公开日”活动开展情况的总结" in text.replace("\n", "")
    assert "二、活动开展情况" in text and "附件" in text and "活动照片和视频" in text

    figures = doc.tables[0]
    cells = [[cell.text for cell in row.cells] for row in figures.rows]
    assert cells[0] == ["项目", "数量", "说明"]
    assert ["宣传单（份）", "150", "系统登记120，单位更正：现场补发30份未登记"] in cells
    assert ["接待群众（人次）", "5", ""] in cells

    assert len(doc.inline_shapes) == 3
    captions = [cell.text for table in doc.tables[1:] for cell in table.rows[1].cells]
    assert "图1　咨询台现场解答群众问题" in captions and "图3　活动合影" in captions

    runs = [run for p in doc.paragraphs for run in p.runs if run.text.strip()]
    runs += [run for table in doc.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs for run in p.runs if run.text.strip()]
    for run in runs:
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.text


def test_unit_contact_downloads_its_own_summary_but_not_another_units(client, summary, factory):
    own = summary.unit
    log_in(client, factory.user("unit", unit=own))
    pdf = client.get(f"/summaries/{summary.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    docx = client.get(f"/summaries/{summary.id}/docx")
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    assert own.name in "".join(paragraph.text for paragraph in Document(io.BytesIO(docx.data)).paragraphs)

    other = factory.user("unit", unit=factory.unit("临江镇人民政府", kind="town"))
    client.submit("/auth/logout")
    log_in(client, other)
    for kind in ("pdf", "docx"):
        refused = client.get(f"/summaries/{summary.id}/{kind}")
        assert refused.status_code == 403 and "您没有权限访问此页面" in refused.get_data(as_text=True)
    assert client.get("/summaries/999999/pdf").status_code == 404


def test_a_photo_lost_from_storage_is_left_out_not_a_failure(organizer_client, summary, tmp_path):
    lost = summary.photos[1]
    (Path(current_app.config["UPLOAD_DIR"]) / lost.display_path).unlink()
    response = organizer_client.get(f"/summaries/{summary.id}/pdf")
    assert response.status_code == 200
    text = re.sub(r"\s+", "", _run("pdftotext", response.data, tmp_path))
    assert "图2活动合影" in text and "发放入学政策宣传资料" not in text
    assert len(_run("pdfimages", response.data, tmp_path, "-list").splitlines()[2:]) == 2


def test_a_draft_without_photos_or_figures_still_makes_a_document(organizer_client, factory, unit_contact, tmp_path):
    campaign = factory.campaign(status=STATUS_ISSUED)
    factory.activity(factory.group(campaign), units={unit_contact.unit: "cooperating"})
    summary = factory.summary(campaign, unit_contact.unit)
    pdf = organizer_client.get(f"/summaries/{summary.id}/pdf")
    assert pdf.status_code == 200
    text = re.sub(r"\s+", "", _run("pdftotext", pdf.data, tmp_path))
    assert "现将有关情况总结如下" in text and "附件" not in text
    doc = Document(io.BytesIO(organizer_client.get(f"/summaries/{summary.id}/docx").data))
    assert len(doc.inline_shapes) == 0


@pytest.mark.slow
def test_the_figures_title_never_ends_a_page_without_its_table(organizer_client, summary, tmp_path):
    # The table follows the 开展情况 section: lengthening it line by line (28 characters) moves the title through
    # every position on the page, the foot included.
    caption = "活动主要数据"
    for lines in range(22):
        summary.narrative = {**NARRATIVE, "activities": NARRATIVE["activities"] + "开展政策宣传解读。" * 3 * lines}
        db.session.commit()
        pdf = organizer_client.get(f"/summaries/{summary.id}/pdf").data
        pages = _run("pdftotext", pdf, tmp_path, "-layout").split("\f")
        for number, page in enumerate(pages, 1):
            text = [line.strip() for line in page.splitlines() if line.strip() and not line.strip().startswith("—")]
            assert not (text and text[-1].endswith(caption)), f"{lines} lines more: the title ends page {number}"
