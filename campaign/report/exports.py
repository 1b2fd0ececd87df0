"""The district report's files: PDF (WeasyPrint, official layout, SVG charts, photos), DOCX (python-docx, charts as
PNG) and XLSX (figures per unit, consultations with masked names and phones, the scorecard).

Photos go in at print size: a copy of each display copy, at most PRINT_SIDE pixels (about 275 dpi at half the
type area's width), made while exporting. Forty units with two photos each then make a PDF of a few MB rather than
the tens of MB the display copies would.
"""

import io
import math
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import render_template
from markupsafe import Markup
from PIL import Image, UnidentifiedImageError

from campaign.booths import records
from campaign.booths.models import SOURCE_PUBLIC
from campaign.booths.privacy import mask_name, mask_phone
from campaign.documents import docx as wd
from campaign.documents import xlsx
from campaign.documents.charts import to_png, to_svg
from campaign.documents.pdf import render_pdf
from campaign.report.document import ReportDocument
from campaign.report.figures import ReportFigures, UnitEntry
from campaign.report.scorecard import flag_words
from campaign.summaries.figures import FIXED_LABELS
from campaign.summaries.models import UNIT_FIGURES
from campaign.web.downloads import DOCX_MIMETYPE, XLSX_MIMETYPE

PRINT_SIDE = 800
PRINT_QUALITY = 80
MIMETYPES = {"pdf": "application/pdf", "docx": DOCX_MIMETYPE, "xlsx": XLSX_MIMETYPE}


def print_photo(upload_dir: str, relative_path: str) -> bytes | None:
    """A print-size JPEG of a stored display copy; None when the file is gone or unreadable."""
    root = Path(upload_dir).resolve()
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    image: Image.Image
    try:
        with Image.open(path) as image:
            # A JPEG decodes straight at 1/2, 1/4 … of its size: a 1600-pixel display copy comes out at 800 without
            # a resampling pass.
            scale = min(1.0, PRINT_SIDE / max(image.size))
            image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            image = image.convert("RGB")
            image.thumbnail((PRINT_SIDE, PRINT_SIDE), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=PRINT_QUALITY)
            return buffer.getvalue()
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def print_photos(doc: ReportDocument, upload_dir: str) -> dict[int, bytes]:
    """{photo id: print-size JPEG} of the document's photos whose files are there. Pillow decodes and encodes
    without holding the GIL, so a few threads use every core."""
    workers = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        made = pool.map(lambda photo: (photo.id, print_photo(upload_dir, photo.display_path)), doc.photos)
        return {photo_id: data for photo_id, data in made if data is not None}


def chart_svgs(doc: ReportDocument) -> list[Markup]:
    # Our own markup from numbers and escaped labels (charts.to_svg escapes every text).
    return [Markup(to_svg(chart)) for chart in doc.charts]


PRINT_STYLESHEETS = ("official.css", "report.css")


def report_html(doc: ReportDocument, photo_src: dict[int, str]) -> str:
    return render_template("documents/report.html", doc=doc, chart_svgs=chart_svgs(doc), photo_src=photo_src)


def report_pdf(doc: ReportDocument, photos: dict[int, bytes], static_folder: str, scratch: Path | None = None) -> bytes:
    """The PDF, rendered in a folder of its own: the stylesheets and the print-size photos side by side, so the
    renderer reads the photos as files (data: URLs of 80 photos would cost a second of HTML parsing) and can
    fetch nothing else."""
    with tempfile.TemporaryDirectory(prefix="report-pdf-", dir=scratch) as folder:
        root = Path(folder)
        (root / "css").mkdir()
        (root / "photos").mkdir()
        for name in PRINT_STYLESHEETS:
            shutil.copyfile(Path(static_folder) / "css" / name, root / "css" / name)
        for photo_id, data in photos.items():
            (root / "photos" / f"{photo_id}.jpg").write_bytes(data)
        html = report_html(doc, {photo_id: f"photos/{photo_id}.jpg" for photo_id in photos})
        return render_pdf(html, base_url=root)


# Word


TABLE_FONT_SIZE = Pt(10.5)


def _no_grid(paragraph) -> None:
    """Table text is set at its own line height, not snapped to the body's 22-line grid."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def _cell_text(cell, text: str, east_asia: str = wd.FANGSONG, align: str = "center", note: str = "") -> None:
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = Pt(15)
    fmt.alignment = wd.ALIGN[align]
    _no_grid(paragraph)
    wd.add_run(paragraph, text, east_asia=east_asia, size=TABLE_FONT_SIZE)
    if note:
        wd.add_run(paragraph, note, east_asia=east_asia, size=Pt(9))


def _table(doc, head, rows, total=None):
    table = doc.add_table(rows=1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _cell_text(cell, text, east_asia=wd.HEITI)
    for values in rows + ([total] if total else []):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            text, note, numeric = (value.text, value.note, value.numeric) if hasattr(value, "text") else (value, "", False)
            _cell_text(cell, text, align="right" if numeric else "center", note=note)
    return table


def _note(doc, text: str) -> None:
    paragraph = wd.add_paragraph(doc, indent=False)
    paragraph.paragraph_format.line_spacing = Pt(20)
    _no_grid(paragraph)
    wd.add_run(paragraph, text, size=Pt(12))


def _attachment_head(doc, number: int, title: str) -> None:
    wd.add_paragraph(doc, f"附件{number}", indent=False, east_asia=wd.HEITI, new_page=True)
    wd.add_title(doc, title)
    wd.add_blank_line(doc)


def report_docx(doc: ReportDocument, photos: dict[int, bytes]) -> bytes:
    word = wd.new_document()
    word.core_properties.title = doc.title
    word.core_properties.language = "zh-CN"
    wd.add_title(word, doc.title_lines)
    wd.add_blank_line(word)
    for text in doc.intro:
        wd.add_paragraph(word, text)
    for section in doc.sections:
        wd.add_heading_level(word, 1, section.heading)
        for text in section.paragraphs:
            wd.add_paragraph(word, text)
        for inline in section.tables:
            wd.add_paragraph(word, inline.title, indent=False, align="center", east_asia=wd.HEITI)
            _table(word, inline.head, inline.rows)
        for sub in section.subsections:
            wd.add_heading_level(word, 2, sub.heading)
            for text in sub.paragraphs:
                wd.add_paragraph(word, text)
    wd.add_blank_line(word)
    for number, name in enumerate(doc.attachments, start=1):
        wd.add_paragraph(word, f"{'附件：' if number == 1 else '　　　'}{number}. {name}")
    wd.add_blank_line(word)
    for text in (doc.signature, doc.date_text):
        if text:
            wd.add_paragraph(word, text, align="right", indent=False, right_indent_chars=2)

    _attachment_head(word, doc.attachment_number("各单位活动开展情况统计表"), "各单位活动开展情况统计表")
    _table(word, doc.unit_head, doc.unit_rows, doc.unit_total)
    _note(word, doc.correction_note)
    if doc.unit_figures:
        _note(word, "各单位报送：" + "；".join(f"{label}{total}" for label, total in doc.unit_figures) + "。")
    _note(word, f"未报送总结的单位：{'、'.join(doc.missing) or '无'}。")
    _note(word, f"逾期报送总结的单位：{'、'.join(doc.late) or '无'}。")

    _attachment_head(word, doc.attachment_number("活动数据图表"), "活动数据图表")
    for chart in doc.charts:
        paragraph = wd.add_paragraph(word, indent=False, align="center")
        _no_grid(paragraph)
        paragraph.paragraph_format.line_spacing = None
        paragraph.add_run().add_picture(io.BytesIO(to_png(chart)), width=Mm(150))

    if doc.photos:
        _attachment_head(word, doc.attachment_number("活动照片"), "活动照片")
        table = word.add_table(rows=0, cols=2)
        for start in range(0, len(doc.photos), 2):
            cells = table.add_row().cells
            for cell, photo in zip(cells, doc.photos[start:start + 2], strict=False):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.alignment = wd.ALIGN["center"]
                paragraph.paragraph_format.line_spacing = None
                _no_grid(paragraph)
                if photo.id in photos:
                    paragraph.add_run().add_picture(io.BytesIO(photos[photo.id]), width=Mm(72))
                caption = cell.add_paragraph()
                _cell_text_paragraph(caption, photo.caption)

    if doc.score_rows:
        _attachment_head(word, doc.attachment_number("各单位绩效考核评分表"), "各单位绩效考核评分表")
        for rule in doc.score_rules:
            _note(word, rule)
        _table(word, doc.score_head, doc.score_rows)
    return wd.to_bytes(word)


def _cell_text_paragraph(paragraph, text: str) -> None:
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.alignment = wd.ALIGN["center"]
    fmt.line_spacing = Pt(15)
    _no_grid(paragraph)
    wd.add_run(paragraph, text, east_asia=wd.KAITI, size=TABLE_FONT_SIZE)


# Excel


SUMMARY_COLUMNS = (("项目", 28), ("数值", 14))
UNIT_COLUMNS = (
    ("单位", 24), ("类别", 12), ("总结状态", 14), ("报送时间", 17), ("咨询登记（人次）", 12), ("其中登记数", 10),
    ("发放资料（份）", 12), ("其中登记数", 10), ("满意率（%）", 10), ("转办回访（件）", 10), ("已办结", 8),
    ("逾期未办结", 10), ("照片（张）", 10),
    *[(label, 14) for _key, label in UNIT_FIGURES],
    ("更正说明", 40),
)
CONSULTATION_COLUMNS = (
    ("时间", 17), ("单位", 20), ("活动", 26), ("类别", 10), ("主题", 12), ("问题", 48), ("咨询人", 8),
    ("处理方式", 10), ("姓名", 10), ("电话", 16), ("满意度", 10), ("来源", 8),
)
SOURCE_WORDS = {"staff": "工作人员", SOURCE_PUBLIC: "公众"}


def _summary_rows(figures: ReportFigures) -> list[tuple[str, object]]:
    totals = figures["totals"]
    rows: list[tuple[str, object]] = [
        ("参与单位（个）", totals["units_taking_part"]),
        ("报送总结单位（个）", totals["units_reported"]),
        ("未报送总结单位（个）", totals["units_missing"]),
        ("逾期报送单位（个）", totals["units_late"]),
        ("活动场地（个）", totals["venues"]),
        ("政策咨询台（个）", totals["booths"]),
    ]
    for key in ("people", "consultations", "consultations_staff", "consultations_public", "materials",
                "satisfaction_rated", "satisfied", "satisfaction_rate", "follow_ups", "follow_ups_closed",
                "follow_ups_open", "follow_ups_overdue"):
        rows.append((FIXED_LABELS.get(key, key), totals[key] if totals[key] is not None else "—"))
    rows.append(("照片（张）", totals["photos"]))
    for item in figures["unit_figures"]:
        rows.append((item["label"], item["total"]))
    for title, pairs in (("咨询类别", figures["by_kind"]), ("咨询主题", figures["by_topic"]),
                         ("处理方式", figures["by_handling"]), ("咨询对象", figures["by_asker"]),
                         ("宣传资料（份）", figures["by_material"])):
        rows.append(("", ""))
        rows.append((f"【{title}】", ""))
        rows.extend((name, count) for name, count in pairs)
    rows.append(("", ""))
    rows.append(("【各时段咨询量】", ""))
    rows.extend((f"{hour}:00–{hour + 1}:00", count) for hour, count in figures["by_hour"])
    return rows


def _unit_row(unit: UnitEntry) -> list:
    from datetime import datetime

    f = unit["figures"]
    submitted = datetime.fromisoformat(unit["submitted_at"]) if unit["submitted_at"] else None
    corrections = "；".join(
        f"{c['label']}：登记{c['recorded']}，更正为{c['corrected']}" + (f"（{c['reason']}）" if c["reason"] else "")
        for c in unit["corrections"]
    )
    return [
        unit["name"], unit["kind"], unit["state_text"], submitted,
        f["consultations"]["value"], f["consultations"]["recorded"],
        f["materials"]["value"], f["materials"]["recorded"],
        f["satisfaction_rate"]["value"], f["follow_ups"]["value"],
        f["follow_ups_closed"]["value"], f["follow_ups_overdue"]["value"], unit["photos"],
        *[unit["unit_figures"].get(key, 0) for key, _label in UNIT_FIGURES],
        corrections,
    ]


def report_xlsx(figures: ReportFigures, max_rows: int = xlsx.EXCEL_MAX_DATA_ROWS) -> bytes:
    """汇总, 各单位, 咨询登记 (names and phones masked; left out when the organizer chose so, and continued on
    咨询登记（2）… past `max_rows`), 评分. Every text cell is guarded against formulas."""
    workbook = xlsx.new_workbook()

    sheet = xlsx.add_sheet(workbook, "汇总", SUMMARY_COLUMNS)
    for label, value in _summary_rows(figures):
        sheet.append(xlsx.row([label, value]))

    sheet = xlsx.add_sheet(workbook, "各单位", UNIT_COLUMNS)
    for unit in figures["units"]:
        values = _unit_row(unit)
        sheet.append([*xlsx.row(values[:3]), xlsx.time_cell(sheet, values[3]), *xlsx.row(values[4:])])

    register = figures.get("include_register", True)
    series = xlsx.SheetSeries(workbook, "咨询登记", CONSULTATION_COLUMNS, max_rows) if register else None
    rows = records.consultation_rows(figures["campaign"]["id"], with_receipts=False) if series is not None else []
    for (recorded_at, _booth, unit, _unit_short, activity, kind, topic, question, asker, handling, name, phone,
         satisfaction, source, _receipt) in rows:
        sheet = series.sheet()  # type: ignore[union-attr]  # rows are there only with a series
        sheet.append([
            xlsx.time_cell(sheet, recorded_at),
            *xlsx.row([unit, activity or "", kind, topic]),
            xlsx.wrapped(sheet, question),
            *xlsx.row([asker, handling, mask_name(name), mask_phone(phone), satisfaction,
                       SOURCE_WORDS.get(source, source)]),
        ])

    scorecard = figures.get("scorecard") or {"rules": [], "rows": []}
    columns = [("名次", 6), ("单位", 24), *[(f"{rule['label']}（{rule['points']}分）", 16) for rule in scorecard["rules"]],
               ("计算得分", 10), ("调整", 8), ("调整原因", 30), ("总分", 8), ("备注", 24)]
    sheet = xlsx.add_sheet(workbook, "评分", columns)
    for row in scorecard["rows"]:
        sheet.append(xlsx.row([row["rank"] if row.get("rank") is not None else "—", row["name"], *row["points"],
                               row.get("computed", row["total"]), row.get("adjustment", 0),
                               row.get("adjustment_reason", ""), row["total"], flag_words(row.get("flags", []))]))
    return xlsx.to_bytes(workbook)
