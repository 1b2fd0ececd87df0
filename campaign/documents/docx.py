"""Word documents in the official layout, with python-docx.

python-docx only names the Latin font of a run, and its built-in template declares Japanese (themeFontLang) and
American English (docDefaults) as the East Asian language: Word would then lay Chinese out with Japanese rules and
pick a Japanese font. Every style and run made here therefore names its East Asian font (w:eastAsia) and the
document says zh-CN.
"""

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

LATIN_FONT = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
# Characters outside the BMP (CJK Extension B and later: 𠮷 𪚥 in people's names) are in none of the fonts above;
# on a Chinese Windows PC SimSun-ExtB has them, and Word falls back to nothing by itself.
EXT_B_FONT = "SimSun-ExtB"
OUTSIDE_BMP = re.compile("([\U00010000-\U0010FFFF]+)")

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
# 22 lines on the 225 mm type area: a 28.95 pt pitch, the grid Word users set as 579 twips.
LINE_PITCH = Pt(28.95)
LINE_PITCH_TWIPS = 579
# 28 characters a line on the 156 mm width: a character pitch of 15.79 pt, given as the amount (in 1/4096 pt) by
# which Word narrows the 16 pt grid.
CHAR_SPACE = -850

# Heading levels of the official numbering 一、 → （一） → 1. → （1）: 黑体, 楷体, then the body's 仿宋.
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
TITLE_STYLE = "Official Title"

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a run or style explicitly, dropping theme fonts (which would win over them in Word)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _name_fonts(fonts, east_asia, latin)


def _name_fonts(fonts, east_asia: str, latin: str) -> None:
    """Set the font names on a w:rFonts element, its theme fonts dropped."""
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def new_document():
    """An empty A4 document with the official margins, fonts, language, line grid and page numbers."""
    doc = Document()
    _set_language(doc)
    _set_defaults(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _add_page_numbers(doc)
    return doc


def _set_language(doc) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    for element in styles.iter(qn("w:lang")):
        element.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    _name_fonts(rpr_default.find(qn("w:rFonts")), FANGSONG, LATIN_FONT)


def _body_format(fmt, first_line_indent: bool = True) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.first_line_indent = BODY_SIZE * 2 if first_line_indent else Pt(0)
    fmt.widow_control = True


def _set_defaults(doc) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal.element, FANGSONG)
    normal.font.size = BODY_SIZE
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _body_format(normal.paragraph_format)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for level, east_asia in HEADING_FONTS.items():
        style = doc.styles[f"Heading {level}"]
        rpr = style.element.get_or_add_rPr()
        for child in list(rpr):
            rpr.remove(child)
        set_fonts(style.element, east_asia)
        style.font.size = BODY_SIZE
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _body_format(style.paragraph_format)
        style.paragraph_format.keep_with_next = True
        # The linked character style ("Heading 1 Char") shows up when a user retypes a heading: same fonts.
        linked = style.element.find(qn("w:link"))
        if linked is not None:
            char_style = doc.styles.element.get_by_id(linked.get(qn("w:val")))
            if char_style is not None:
                set_fonts(char_style, east_asia)

    title = doc.styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    set_fonts(title.element, XIAOBIAOSONG)
    title.font.size = TITLE_SIZE
    _body_format(title.paragraph_format, first_line_indent=False)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True

    footer = doc.styles["Footer"]
    set_fonts(footer.element, SONGTI)
    footer.font.size = PAGE_NUMBER_SIZE


def _add_page_numbers(doc) -> None:
    """"— N —" in 4号 宋体, on the outside edge: right on odd pages, left on even ones."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        fmt = paragraph.paragraph_format
        fmt.alignment = ALIGN[align]
        fmt.first_line_indent = Pt(0)
        # One character in from the edge, as the standard puts it.
        if align == "right":
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        _footer_run(paragraph, "— ")
        _page_field(paragraph)
        _footer_run(paragraph, " —")


def _footer_run(paragraph, text: str = ""):
    run = paragraph.add_run(text)
    # Half-width 宋体 digits, as the standard asks, so the Latin font is 宋体 too.
    set_fonts(run._element, SONGTI, latin=SONGTI)
    run.font.size = PAGE_NUMBER_SIZE
    return run


def _page_field(paragraph) -> None:
    """A PAGE field, one part per run as Word writes it (begin, instruction, separator, cached value, end)."""
    for part in ("begin", " PAGE ", "separate", "1", "end"):
        run = _footer_run(paragraph)
        if part in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._element.append(char)
        elif part == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = part
            run._element.append(instr)
        else:
            run.text = part


def add_run(paragraph, text: str, east_asia: str = FANGSONG, size=None, bold: bool = False):
    """Text in the given East Asian font; any stretch of characters outside the BMP gets a run of its own in
    SimSun-ExtB. Returns the last run."""
    run = None
    parts = OUTSIDE_BMP.split(text)  # even indexes: BMP text (maybe empty), odd: characters outside the BMP
    for index, part in enumerate(parts):
        if not part and (run is not None or index < len(parts) - 1):
            continue
        run = paragraph.add_run(part)
        if index % 2:
            set_fonts(run._element, EXT_B_FONT, latin=EXT_B_FONT)
            run._element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
        else:
            set_fonts(run._element, east_asia)
        if size is not None:
            run.font.size = size
        if bold:
            run.bold = True
    return run


def add_paragraph(
    doc,
    text: str = "",
    *,
    align: str | None = None,
    indent: bool = True,
    east_asia: str = FANGSONG,
    size=None,
    style: str | None = None,
    new_page: bool = False,
    right_indent_chars: float = 0,
):
    """One body paragraph (first-line indent 2 characters unless indent=False); returns it for more runs."""
    paragraph = doc.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    if not indent:
        fmt.first_line_indent = Pt(0)
    if align:
        fmt.alignment = ALIGN[align]
    if right_indent_chars:
        fmt.right_indent = BODY_SIZE * right_indent_chars
    if new_page:
        fmt.page_break_before = True
    if text:
        add_run(paragraph, text, east_asia=east_asia, size=size)
    return paragraph


def add_title(doc, text: str | list[str], new_page: bool = False):
    """The document title: 2号 小标宋, centred; a list gives the lines, broken where the caller chose."""
    paragraph = add_paragraph(doc, style=TITLE_STYLE, indent=False, new_page=new_page)
    lines = [text] if isinstance(text, str) else text
    for index, line in enumerate(lines):
        run = add_run(paragraph, line, east_asia=XIAOBIAOSONG, size=TITLE_SIZE)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def add_heading_level(doc, level: int, text: str, new_page: bool = False):
    """A heading of the official numbering (the caller writes the number: 一、 （一） 1. （1））."""
    paragraph = doc.add_paragraph(style=doc.styles[f"Heading {level}"])
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    add_run(paragraph, text, east_asia=HEADING_FONTS[level])
    return paragraph


RED = RGBColor(0xFF, 0x00, 0x00)
COLOPHON_SIZE = Pt(14)  # 4号
TYPE_AREA_WIDTH = Mm(156)


# What follows each element in its parent, in the order the WordprocessingML schema requires (Word refuses a file
# whose elements are out of order).
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
PPR_AFTER_SNAP = PPR_AFTER_BORDER[PPR_AFTER_BORDER.index("w:snapToGrid") + 1 :]
TBLPR_AFTER_ANCHOR = (
    "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc",
    "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
)
TBLPR_AFTER_BORDERS = TBLPR_AFTER_ANCHOR[TBLPR_AFTER_ANCHOR.index("w:tblBorders") + 1 :]


def _off_grid(paragraph) -> None:
    """A paragraph whose lines are not snapped to the document's line grid (it would round 36 pt up to two lines)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *PPR_AFTER_SNAP)


def _borders(parent, tag: str, successors: tuple, lines: dict) -> None:
    """Set borders on a paragraph (w:pBdr) or table (w:tblBorders): {side: (width in 1/8 pt, colour, space pt)}."""
    borders = OxmlElement(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side not in lines:
            continue
        eighths, color, space = lines[side]
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single" if eighths else "nil")
        line.set(qn("w:sz"), str(eighths))
        line.set(qn("w:space"), str(space))
        line.set(qn("w:color"), color)
        borders.append(line)
    parent.insert_element_before(borders, *successors)


def add_masthead(doc, issuer_mark: str, size_pt: int, doc_number: str) -> None:
    """The 版头 (GB/T 9704-2012 §7.2): the red 发文机关标志 centred, its top 35 mm under the type area's top; the 文号
    two lines under it; a red rule 4 mm under the 文号; two blank lines before the title."""
    mark = add_paragraph(doc, indent=False, align="center")
    _off_grid(mark)
    fmt = mark.paragraph_format
    fmt.space_before = Mm(35)
    fmt.line_spacing = Pt(size_pt * 1.2)
    run = add_run(mark, issuer_mark, east_asia=XIAOBIAOSONG, size=Pt(size_pt))
    run.font.color.rgb = RED
    number = add_paragraph(doc, doc_number, indent=False, align="center")
    number.paragraph_format.space_before = LINE_PITCH * 2
    # A 1 pt red rule, 11 pt (4 mm) under the 文号.
    _borders(number._p.get_or_add_pPr(), "w:pBdr", PPR_AFTER_BORDER, {"bottom": (8, "FF0000", 11)})
    add_blank_line(doc)
    add_blank_line(doc)


def add_colophon(doc, copy_to: str, printed_by: str, printed_date: str) -> None:
    """The 版记 (GB/T 9704-2012 §8) as a table anchored to the foot of the type area of the last page: 抄送 (hanging
    after "抄送："), then 印发机关 left and 印发日期 right, one character in from each side; the first and last rules
    thick, the one between thin."""
    rows = [text for text in (copy_to, printed_by or printed_date) if text]
    table = doc.add_table(rows=len(rows), cols=1)
    tbl_pr = table._tbl.tblPr
    anchor = OxmlElement("w:tblpPr")
    for name, value in (("w:vertAnchor", "margin"), ("w:horzAnchor", "margin"), ("w:tblpYSpec", "bottom")):
        anchor.set(qn(name), value)
    tbl_pr.insert_element_before(anchor, *TBLPR_AFTER_ANCHOR)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.insert_element_before(width, *TBLPR_AFTER_ANCHOR[TBLPR_AFTER_ANCHOR.index("w:tblW") + 1 :])
    width.set(qn("w:w"), str(int(TYPE_AREA_WIDTH.twips)))
    width.set(qn("w:type"), "dxa")
    thick, thin, none = (8, "000000", 0), (6, "000000", 0), (0, "000000", 0)  # 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm
    lines = {"top": thick, "left": none, "bottom": thick, "right": none, "insideH": thin, "insideV": none}
    _borders(tbl_pr, "w:tblBorders", TBLPR_AFTER_BORDERS, lines)
    cells = [row.cells[0] for row in table.rows]
    if copy_to:
        paragraph = cells.pop(0).paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = COLOPHON_SIZE * 4, -COLOPHON_SIZE * 3
        add_run(paragraph, "抄送：", size=COLOPHON_SIZE)
        add_run(paragraph, copy_to, size=COLOPHON_SIZE)
        _colophon_line(paragraph)
    paragraph = cells.pop(0).paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.first_line_indent = COLOPHON_SIZE, Pt(0)
    fmt.tab_stops.add_tab_stop(TYPE_AREA_WIDTH - COLOPHON_SIZE * 2, WD_TAB_ALIGNMENT.RIGHT)
    add_run(paragraph, f"{printed_by}\t{printed_date}", size=COLOPHON_SIZE)
    _colophon_line(paragraph)


def _colophon_line(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.right_indent = COLOPHON_SIZE
    fmt.line_spacing = Pt(21)
    fmt.space_before = fmt.space_after = Pt(2)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT


def add_blank_line(doc):
    return add_paragraph(doc, indent=False)


def add_page_break(doc) -> None:
    """A hard page break; prefer new_page=True on the next paragraph, which leaves no empty line behind."""
    add_paragraph(doc, indent=False).add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
