"""A unit's summary as an official document (GB/T 9704 layout), as a PDF and a Word file, with its photos.

`summary_document(summary, upload_dir)` gives a plain tree of texts that the PDF template
(templates/documents/summary.html) and the DOCX writer both walk, so the two files say the same thing. The
photos are the display copies made at upload (upright, no EXIF, about 1600 px): never the originals, which are
not kept. Document text is Chinese and not translated.
"""

import base64
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt
from flask import render_template

from campaign.documents import docx as wd
from campaign.documents.pdf import render_pdf
from campaign.plan.document import title_lines
from campaign.shared.formatting import cn_date, cn_month_day, cn_number
from campaign.shared.media import open_photo
from campaign.shared.timeutil import local, utcnow
from campaign.summaries.drafting import count_text
from campaign.summaries.figures import effective_figures, figure_label, figure_rows, recorded_figures
from campaign.summaries.models import SECTIONS, UNIT_FIGURES, UnitSummary
from campaign.web.refusal import Refusal

# The narrative's sections under the headings summaries are written with.
DOC_HEADINGS = {
    "leadership": "领导重视，精心部署",
    "activities": "活动开展情况",
    "results": "主要成效",
    "problems": "存在问题",
    "next_steps": "下一步工作",
}
# The figures table follows the section that reports what was done.
FIGURES_AFTER = "activities"
TABLE_SIZE = Pt(14)  # 4号, as tables in official documents are usually set
PHOTO_WIDTH = Mm(75)


@dataclass
class DocSection:
    number: str  # "一、"
    title: str
    paragraphs: list[str]
    with_figures: bool = False


@dataclass
class FigureLine:
    label: str
    value: str
    note: str = ""
    sub: bool = False  # a part of the line above it (其中……)


@dataclass
class DocPhoto:
    number: int
    caption: str
    data: bytes
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        # Embedded in the HTML: WeasyPrint reads nothing outside the static folder, and a JPEG it need not
        # re-encode goes into the PDF as it is.
        return "data:image/jpeg;base64," + base64.b64encode(self.data).decode("ascii")

    @property
    def label(self) -> str:
        return f"图{self.number}　{self.caption}" if self.caption else f"图{self.number}"


@dataclass
class SummaryDocument:
    title: str
    intro: str
    sections: list[DocSection]
    figures_caption: str
    figures: list[FigureLine]
    signature: str
    date_text: str
    photos: list[DocPhoto] = field(default_factory=list)
    videos: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title_lines(self) -> list[str]:
        return title_lines(self.title)

    @property
    def photo_rows(self) -> list[list[DocPhoto]]:
        """Two photos a row, as summaries lay them out."""
        return [self.photos[index : index + 2] for index in range(0, len(self.photos), 2)]

    @property
    def has_attachment(self) -> bool:
        return bool(self.photos or self.videos)

    @property
    def attachment_title(self) -> str:
        if self.photos and self.videos:
            return "活动照片和视频"
        return "活动照片" if self.photos else "活动视频"

    @property
    def filename_stem(self) -> str:
        # Characters Windows and macOS refuse in a file name.
        return re.sub(r'[\\/:*?"<>|\r\n]+', "", self.title).strip() or "活动总结"


def summary_document(summary: UnitSummary, upload_dir: str, today: date | None = None) -> SummaryDocument:
    campaign, unit = summary.campaign, summary.unit
    recorded = recorded_figures(summary.campaign_id, summary.unit_id)
    figures = effective_figures(summary, recorded)
    sections = _sections(summary)
    dated = local(summary.submitted_at).date() if summary.submitted_at else (today or local(utcnow()).date())
    return SummaryDocument(
        title=f"{unit.name}关于{campaign.year}年“5·15政务公开日”活动开展情况的总结",
        intro=_intro(summary, figures),
        sections=sections,
        figures_caption=f"{unit.label}第{cn_number(campaign.edition)}届“5·15政务公开日”活动主要数据",
        figures=_figure_lines(summary, recorded, figures),
        signature=unit.name,
        date_text=cn_date(dated),
        photos=_photos(summary, upload_dir),
        videos=[(link.get("title") or link.get("url", ""), link.get("url", "")) for link in summary.video_links or []],
    )


def _intro(summary: UnitSummary, figures: dict) -> str:
    campaign, unit = summary.campaign, summary.unit
    basis = ""
    if campaign.title:
        number = f"（{campaign.doc_number}）" if campaign.doc_number else ""
        basis = f"根据《{campaign.title.strip('《》')}》{number}要求，"
    theme = campaign.theme.strip().rstrip("。；，")
    theme = f"围绕“{theme}”主题，" if theme and len(theme) <= 40 else ""
    if campaign.first_day == campaign.last_day:
        period = cn_date(campaign.first_day)
    else:
        period = f"{cn_date(campaign.first_day)}至{cn_month_day(campaign.last_day)}"
    text = (
        f"{basis}{unit.name}{theme}于{period}组织开展了第{cn_number(campaign.edition)}届“5·15政务公开日”活动。"
    )
    done = []
    if figures.get("people"):
        done.append(f"接待群众咨询{count_text(figures['people'])}人次")
    if figures.get("materials"):
        done.append(f"发放宣传资料{count_text(figures['materials'])}份")
    if figures.get("satisfaction_rate") is not None and figures.get("satisfaction_rated"):
        done.append(f"问题解答满意率{figures['satisfaction_rate']}%")
    if done:
        text += f"活动期间共{'，'.join(done)}。"
    return text + "现将有关情况总结如下："


def _sections(summary: UnitSummary) -> list[DocSection]:
    narrative = summary.narrative or {}
    sections: list[DocSection] = []
    for key, _label in SECTIONS:
        paragraphs = [line.strip() for line in (narrative.get(key) or "").splitlines() if line.strip()]
        if not paragraphs and key != FIGURES_AFTER:
            continue
        number = f"{cn_number(len(sections) + 1)}、"
        sections.append(DocSection(number, DOC_HEADINGS[key], paragraphs, with_figures=key == FIGURES_AFTER))
    return sections


def _number(value) -> str:
    return "—" if value is None else f"{value:,}"


def _figure_lines(summary: UnitSummary, recorded: dict, figures: dict) -> list[FigureLine]:
    rows = {row.key: row for row in figure_rows(summary, recorded)}
    lines = []

    def add(key: str, sub: bool = False, suffix: str = "") -> None:
        row = rows.get(key)
        note = ""
        if row is not None and row.is_corrected:
            note = f"系统登记{_number(row.recorded)}，单位更正" + (f"：{row.reason}" if row.reason else "")
        lines.append(FigureLine(figure_label(key), _number(figures.get(key)) + suffix, note, sub))

    def parts(prefix: str) -> list[str]:
        return [key for key in rows if key.startswith(prefix) and (figures.get(key) or rows[key].is_corrected)]

    add("people")
    for key in parts("kind:") + parts("handling:"):
        add(key, sub=True)
    if figures.get("satisfaction_rate") is not None and figures.get("satisfaction_rated"):
        add("satisfaction_rate")
    add("materials")
    for key in parts("material:"):
        add(key, sub=True)
    if figures.get("follow_ups") or "follow_ups_closed" in parts("follow_ups_closed"):
        add("follow_ups")
        add("follow_ups_closed", sub=True)
    unit_values = summary.unit_figures or {}
    for key, label in UNIT_FIGURES:
        # A unit's own "0 banners" says nothing a summary would print.
        if unit_values.get(key):
            lines.append(FigureLine(label, _number(unit_values[key])))
    return lines


def _photos(summary: UnitSummary, upload_dir: str) -> list[DocPhoto]:
    photos: list[DocPhoto] = []
    for photo in summary.photos:
        try:
            with open_photo(upload_dir, photo.display_path) as stream:
                data = stream.read()
        except (FileNotFoundError, Refusal):
            # A file lost from storage leaves its photo out rather than failing the whole document.
            continue
        photos.append(
            DocPhoto(len(photos) + 1, photo.caption.strip(), data, photo.display_width, photo.display_height)
        )
    return photos


def summary_pdf(document: SummaryDocument, static_folder: str | Path) -> bytes:
    html = render_template("documents/summary.html", doc=document)
    return render_pdf(html, base_url=static_folder)


# The Word file


def _cell_paragraph(cell, text: str, align: str = "left", indent_chars: float = 0, east_asia: str = wd.FANGSONG):
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    if indent_chars:
        fmt.left_indent = TABLE_SIZE * indent_chars
    fmt.alignment = wd.ALIGN[align]
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    wd.add_run(paragraph, text, east_asia=east_asia, size=TABLE_SIZE)
    return paragraph


def _docx_figures(doc, document: SummaryDocument) -> None:
    wd.add_paragraph(doc, document.figures_caption, align="center", indent=False, east_asia=wd.HEITI,
                     size=TABLE_SIZE)
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("项目", "数量", "说明"), strict=True):
        _cell_paragraph(cell, text, align="center", east_asia=wd.HEITI)
    for line in document.figures:
        cells = table.add_row().cells
        _cell_paragraph(cells[0], line.label, indent_chars=1 if line.sub else 0)
        _cell_paragraph(cells[1], line.value, align="right")
        _cell_paragraph(cells[2], line.note)
    for row in table.rows:
        for cell, width in zip(row.cells, (Mm(62), Mm(30), Mm(64)), strict=True):
            cell.width = width


def _docx_photos(doc, document: SummaryDocument) -> None:
    for pair in document.photo_rows:
        table = doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for column, photo in enumerate(pair):
            picture = table.cell(0, column).paragraphs[0]
            picture.paragraph_format.first_line_indent = Pt(0)
            picture.paragraph_format.alignment = wd.ALIGN["center"]
            # Exact line spacing, the body's, would crop a picture to one line's height.
            picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            picture.add_run().add_picture(io.BytesIO(photo.data), width=PHOTO_WIDTH)
            _cell_paragraph(table.cell(1, column), photo.label, align="center")
        wd.add_blank_line(doc)


def summary_docx(document: SummaryDocument) -> bytes:
    doc = wd.new_document()
    doc.core_properties.title = document.title
    doc.core_properties.language = "zh-CN"

    wd.add_title(doc, document.title_lines)
    wd.add_blank_line(doc)
    wd.add_paragraph(doc, document.intro)
    for section in document.sections:
        wd.add_heading_level(doc, 1, f"{section.number}{section.title}")
        for text in section.paragraphs:
            wd.add_paragraph(doc, text)
        if section.with_figures and document.figures:
            _docx_figures(doc, document)
    wd.add_blank_line(doc)
    wd.add_blank_line(doc)
    for text in (document.signature, document.date_text):
        wd.add_paragraph(doc, text, align="right", indent=False, right_indent_chars=2)

    if document.has_attachment:
        wd.add_paragraph(doc, "附件", indent=False, east_asia=wd.HEITI, new_page=True)
        wd.add_blank_line(doc)
        wd.add_title(doc, document.attachment_title)
        wd.add_blank_line(doc)
        _docx_photos(doc, document)
        if document.videos:
            wd.add_paragraph(doc, "活动视频：", indent=False)
            for number, (title, url) in enumerate(document.videos, start=1):
                wd.add_paragraph(doc, f"{number}. {title}（{url}）" if title != url else f"{number}. {url}")
    return wd.to_bytes(doc)
