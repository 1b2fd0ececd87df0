"""How the plan document is set: the GB/T 9704-2012 geometry measured on the PDF (page, margins, type area, line
grid, red 版头, 版记 at the foot of the last page, page numbers at the outside edges), the same parts in the DOCX,
and the layout rules (justified lines, long strings wrapped, spaces in slogans kept, a total row only at the end)."""

import io
import re
from datetime import date
from pathlib import Path

import pymupdf
import pytest
from docx import Document
from docx.oxml.ns import qn

from campaign.documents.pdf import render_pdf
from campaign.plan.document import issuer_mark_size, plan_document
from campaign.plan.models import STATUS_ISSUED
from campaign.plan.overview import load_plan
from campaign.web.extensions import db
from tests.pdfread import MM, drawn_chars

STATIC = Path(__file__).resolve().parents[2] / "static"
PITCH = 28.95  # pt: 22 lines on the 225 mm type area
LEFT, RIGHT, TOP, BOTTOM = 28, 28 + 156, 37, 37 + 225  # mm
EXT_B_UNIT = "江滨区𪚥𠮷服务中心"
LONG_STRING = "https://www.jiangbin.gov.cn/" + "a1B2c3D4e5" * 28  # 308 characters without a break
SPACED_SLOGAN = "推进权力公开    建设服务政府"
# A paragraph long enough that some page holds nothing but its lines.
REQUIREMENTS = "".join(
    f"第{n}项要求。各单位要高度重视，明确分管领导和联络员，结合本单位职能制定具体工作措施，确保活动有序开展，"
    "围绕群众和企业关心关注的热点问题开展宣传解读，做到内容实在、形式多样，杜绝形式主义。"
    for n in range(1, 13)
)


@pytest.fixture
def typeset_plan(factory):
    campaign = factory.campaign(
        status=STATUS_ISSUED,
        issue_date=date(2025, 5, 8),
        closing_requirements=REQUIREMENTS + "\n报送网址：" + LONG_STRING,
        masthead_shown=True,
        issuer_mark="江滨区人民政府办公室文件",
        copy_to="区委办公室，区人大常委会办公室，区政协办公室",
        printed_by="江滨区人民政府办公室",
        printed_on=date(2025, 5, 9),
    )
    unit = factory.unit(EXT_B_UNIT, kind="institution")
    group = factory.group(campaign, "线下实地宣传")
    factory.activity(group, title="举办集中宣传咨询活动", description="在主会场设立政策咨询台。", units={unit: "lead"})
    factory.slogan(campaign, SPACED_SLOGAN)
    factory.slogan(campaign, "公开是常态　不公开是例外")
    return campaign


def _pdf(organizer_client, campaign) -> bytes:
    response = organizer_client.get(f"/campaigns/{campaign.id}/plan/pdf")
    assert response.status_code == 200
    return response.data


def _lines(page) -> list[dict]:
    """Each text line of a page: its text, left and right edge (mm), baseline (pt), font size and colour."""
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [span for span in line["spans"] if span["text"].strip()]
            if not spans:
                continue
            lines.append({
                "text": "".join(span["text"] for span in spans),
                "x0": min(span["bbox"][0] for span in spans) / MM,
                "x1": max(span["bbox"][2] for span in spans) / MM,
                "baseline": spans[0]["origin"][1],
                "size": spans[0]["size"],
                "color": spans[0]["color"],
            })
    return lines


def _body_lines(page) -> list[dict]:
    return [line for line in _lines(page) if abs(line["size"] - 16) < 0.1 and not line["text"].startswith("—")]


def test_geometry_of_the_pdf(organizer_client, typeset_plan):
    doc = pymupdf.open(stream=_pdf(organizer_client, typeset_plan), filetype="pdf")

    # A4.
    for page in doc:
        assert abs(page.rect.width / MM - 210) < 0.2 and abs(page.rect.height / MM - 297) < 0.2

    body = [line for page in doc for line in _body_lines(page)]
    # 28 mm left margin, 156 mm type area: lines start at the left edge and none passes the right one.
    assert abs(min(line["x0"] for line in body) - LEFT) < 0.3
    # (A justified line's last character carries the spacing added after each character, so its box may pass the
    # edge by that much; its ink does not.)
    assert max(line["x1"] for line in body) <= RIGHT + 0.5
    # 28 characters a line: a full line of Chinese (not a paragraph's first or last) holds 28, or 27 where the
    # character after it carries a comma that may not start a line ("开|展，") and goes down with it.
    full = [
        line for line in body
        if abs(line["x0"] - LEFT) < 0.3 and line["x1"] > RIGHT - 1 and re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef]+", line["text"])
    ]
    assert full and not [line["text"] for line in full if len(line["text"]) not in (27, 28)]
    assert sum(len(line["text"]) == 28 for line in full) > len(full) / 2

    # 22 lines on a full page, 28.95 pt apart; the first in the first line slot under the 37 mm top margin. (A page
    # with a 版头 or a 2号 title, whose lines are 36 pt, leaves the grid below them.)
    counts = []
    for page in doc:
        if any(line["size"] > 17 for line in _lines(page)):
            continue
        lines = _body_lines(page)
        baselines = sorted({round(line["baseline"], 1) for line in lines})
        counts.append(len(baselines))
        steps = [b - a for a, b in zip(baselines, baselines[1:], strict=False)]
        # Lines of another face (楷体 headings) sit up to a point higher or lower in the same 28.95 pt line.
        assert all(abs(step - PITCH * round(step / PITCH)) < 1.2 for step in steps), steps
        if len(baselines) == 22:
            # The em box (0.88 em above the baseline, 0.12 em below) of the first line is centred in its slot.
            centre = (baselines[0] - 0.38 * 16) / MM
            assert abs(centre - (TOP + PITCH / 2 / MM)) < 1.5, centre
            assert (baselines[-1] - baselines[0]) / PITCH == pytest.approx(21, abs=0.01)
    assert max(counts) == 22

    # Page numbers "— N —" in 4号, one character in from the outside edge: right on odd pages, left on even.
    for number, page in enumerate(doc, start=1):
        [folio] = [line for line in _lines(page) if line["text"].startswith("—")]
        assert re.fullmatch(rf"—\s*{number}\s*—", folio["text"]), folio["text"]
        if number % 2:
            assert abs(folio["x1"] - (RIGHT - 14 / MM)) < 0.5
        else:
            assert abs(folio["x0"] - (LEFT + 14 / MM)) < 0.5


def _red(color: int) -> bool:
    return (color >> 16) > 0xC0 and (color >> 8 & 0xFF) < 0x40 and (color & 0xFF) < 0x40


def _rules(page) -> list[tuple[float, float, float, float, tuple]]:
    """The horizontal rules drawn on a page: (x0, y0, x1, y1) in mm and colour. WeasyPrint draws a box's borders as
    its outer rectangle filled even-odd with its inner one, so each such pair gives a top and a bottom rule."""
    rules = set()
    for drawing in page.get_drawings():
        color = drawing.get("fill") or drawing.get("color")
        rects = sorted((item[1] for item in drawing["items"] if item[0] == "re"), key=lambda rect: -rect.height)
        if not rects:
            continue
        outer, inner = rects[0], (rects[1] if len(rects) > 1 else None)
        edges = [(outer.y0, outer.y1)] if inner is None else [(outer.y0, inner.y0), (inner.y1, outer.y1)]
        for top, bottom in edges:
            if bottom - top > 0.05 * MM:
                rules.add((outer.x0 / MM, top / MM, outer.x1 / MM, bottom / MM, color))
    return sorted(rules, key=lambda rule: rule[1])


def test_masthead_is_red_and_placed_as_the_standard_says(organizer_client, typeset_plan):
    doc = pymupdf.open(stream=_pdf(organizer_client, typeset_plan), filetype="pdf")
    first = doc[0]
    lines = _lines(first)
    [mark] = [line for line in lines if line["text"] == "江滨区人民政府办公室文件"]
    assert _red(mark["color"])
    # Centred, and its top (the em box's) 35 mm under the type area's top.
    assert abs((mark["x0"] + mark["x1"]) / 2 - (LEFT + RIGHT) / 2) < 1
    assert abs((mark["baseline"] - 0.88 * mark["size"]) / MM - (TOP + 35)) < 1.5
    # The 文号 two lines under the mark, then the red rule across the type area 4 mm under the 文号.
    [number] = [line for line in lines if "〔2025〕" in line["text"]]
    assert not _red(number["color"])
    gap_lines = (number["baseline"] - mark["baseline"]) / PITCH
    assert 2.5 < gap_lines < 3.5
    red_rules = [rule for rule in _rules(first) if rule[4] and rule[4][0] > 0.75 and max(rule[4][1:]) < 0.25]
    [rule] = red_rules
    assert abs(rule[0] - LEFT) < 0.3 and abs(rule[2] - RIGHT) < 0.3
    assert 2 < rule[1] - number["baseline"] / MM < 6
    # No red anywhere else: the rest of the document is black.
    red = [(number, line["text"]) for number, page in enumerate(doc) for line in _lines(page) if _red(line["color"])]
    assert red == [(0, "江滨区人民政府办公室文件")]


def test_colophon_sits_at_the_foot_of_the_last_page(organizer_client, typeset_plan):
    doc = pymupdf.open(stream=_pdf(organizer_client, typeset_plan), filetype="pdf")
    last = doc[-1]
    texts = [line["text"] for line in _lines(last)]
    assert "抄送：区委办公室，区人大常委会办公室，区政协办公室。" in texts
    printed = [line for line in _lines(last) if line["text"].endswith("印发")]
    assert [line["text"] for line in printed] == ["2025年5月9日印发"]
    # 印发机关 one character in from the left, 印发日期 one in from the right, 4号.
    [office] = [line for line in _lines(last) if line["text"] == "江滨区人民政府办公室"]
    assert abs(office["x0"] - (LEFT + 14 / MM)) < 0.5 and abs(printed[0]["x1"] - (RIGHT - 14 / MM)) < 0.5
    assert office["size"] == pytest.approx(14, abs=0.1)
    # Three rules across the type area: the last on the type area's lower edge; first and last thicker.
    rules = sorted(
        (rule for rule in _rules(last) if abs(rule[0] - LEFT) < 0.3 and abs(rule[2] - RIGHT) < 0.3),
        key=lambda rule: rule[1],
    )
    assert len(rules) == 3
    thickness = [rule[3] - rule[1] for rule in rules]
    assert abs(rules[-1][3] - BOTTOM) < 0.3
    assert thickness[0] == pytest.approx(0.35, abs=0.05) and thickness[2] == pytest.approx(0.35, abs=0.05)
    assert thickness[1] == pytest.approx(0.25, abs=0.05)
    # Nowhere else.
    assert not any("抄送" in line["text"] for page in doc[:-1] for line in _lines(page))


def test_layout_wraps_long_strings_keeps_slogan_spaces_and_justifies(organizer_client, typeset_plan):
    pdf = _pdf(organizer_client, typeset_plan)
    chars = drawn_chars(pdf)
    # The 300-character string is drawn whole, every character inside the type area.
    url_chars = [item for item in chars if item.char in "aBcDe12345"]
    assert len(url_chars) >= 280
    assert all(item.bbox[0] / MM >= LEFT - 0.3 and item.bbox[2] / MM <= RIGHT + 0.5 for item in url_chars)
    # The four spaces between the slogan's halves are kept: the gap is about two characters wide, not one space.
    slogan = "".join(SPACED_SLOGAN.split())
    text = "".join(item.char for item in chars)
    start = text.index(slogan)
    left, right = chars[start + 5], chars[start + 6]
    assert (left.char, right.char) == ("开", "建")
    gap = (right.bbox[0] - left.bbox[2]) / 16  # in ems of the 16 pt body
    assert 1.5 < gap < 2.5, gap
    # Justified: every line of a paragraph but its last ends at the right edge of the type area.
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    for page in doc:
        lines = _body_lines(page)
        for line, following in zip(lines, lines[1:], strict=False):
            continues = abs(following["x0"] - LEFT) < 0.3  # the next line is not a new (indented) paragraph
            # (Except the line cut short before the long address: it is not spaced out letter by letter.)
            if continues and abs(following["baseline"] - line["baseline"] - PITCH) < 0.5 and "://" not in line["text"]:
                assert line["x1"] > RIGHT - 1.0, line["text"]


def test_total_row_only_at_the_end_of_a_split_table():
    rows = "".join(f"<tr><td>{n}</td><td>单位{n}</td></tr>" for n in range(1, 90))
    html = (
        '<!doctype html><html lang="zh-CN"><head><link rel="stylesheet" href="css/official.css"></head>'
        '<body class="official-print"><article class="official-doc"><table style="width: 100%">'
        f"<thead><tr><th>序号</th><th>单位名称</th></tr></thead><tbody>{rows}</tbody>"
        "<tfoot><tr><td>合计</td><td>89家</td></tr></tfoot></table></article></body></html>"
    )
    doc = pymupdf.open(stream=render_pdf(html, STATIC), filetype="pdf")
    assert len(doc) > 1
    pages = [page.get_text() for page in doc]
    assert all("单位名称" in text for text in pages)  # the head repeats on every page
    assert [n for n, text in enumerate(pages) if "合计" in text] == [len(pages) - 1]
    last = pages[-1]
    assert last.index("单位89") < last.index("合计")


def _paragraph_with(doc, text: str):
    return next(p for p in doc.paragraphs if text in p.text)


def test_docx_has_masthead_colophon_and_ext_b_runs(organizer_client, typeset_plan):
    response = organizer_client.get(f"/campaigns/{typeset_plan.id}/plan/docx")
    doc = Document(io.BytesIO(response.data))

    mark = _paragraph_with(doc, "江滨区人民政府办公室文件")
    [run] = mark.runs
    assert str(run.font.color.rgb) == "FF0000"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert run.font.size.pt == 36
    assert mark.paragraph_format.space_before.mm == pytest.approx(35, abs=0.1)
    number = _paragraph_with(doc, "〔2025〕")
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    elements = [paragraph._p for paragraph in doc.paragraphs]
    assert elements.index(number._p) == elements.index(mark._p) + 1

    [table] = [t for t in doc.tables if "抄送" in t._tbl.xml]
    anchor = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert anchor.get(qn("w:tblpYSpec")) == "bottom" and anchor.get(qn("w:vertAnchor")) == "margin"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: int(borders.find(qn(f"w:{side}")).get(qn("w:sz"))) for side in ("top", "bottom", "insideH")}
    assert sizes["top"] == sizes["bottom"] > sizes["insideH"] > 0
    cells = [row.cells[0].text for row in table.rows]
    assert cells == ["抄送：区委办公室，区人大常委会办公室，区政协办公室。", "江滨区人民政府办公室\t2025年5月9日印发"]
    # The table is the document's last block, after the attachment.
    assert doc.element.body.index(table._tbl) > doc.element.body.index(_paragraph_with(doc, SPACED_SLOGAN)._p)

    # Characters outside the BMP: runs of their own in SimSun-ExtB.
    line = _paragraph_with(doc, EXT_B_UNIT)
    fonts = {run.text: run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in line.runs}
    assert fonts["𪚥𠮷"] == "SimSun-ExtB"
    assert all(font != "SimSun-ExtB" for text, font in fonts.items() if text != "𪚥𠮷")


def test_without_masthead_and_colophon_neither_is_printed(organizer_client, factory):
    campaign = factory.campaign(status=STATUS_ISSUED)
    factory.activity(factory.group(campaign), title="举办集中宣传咨询活动")
    doc = pymupdf.open(stream=_pdf(organizer_client, campaign), filetype="pdf")
    text = "".join(page.get_text() for page in doc)
    assert "文件" not in text and "抄送" not in text and "印发\n" not in text
    assert not [rule for page in doc for rule in _rules(page) if rule[4] and rule[4][0] > 0.75 and rule[4][1] < 0.25]
    word = Document(io.BytesIO(organizer_client.get(f"/campaigns/{campaign.id}/plan/docx").data))
    assert not word.tables and not any("抄送" in p.text for p in word.paragraphs)



def _campaign_form(**overrides) -> dict:
    data = {
        "edition": "19", "year": "2025", "title": "江滨区第十九届“5·15政务公开日”活动方案",
        "first_day": "2025-05-15", "last_day": "2025-05-20", "issuing_office": "江滨区人民政府办公室",
        "doc_number": "江政办〔2025〕7号",
    }
    data.update(overrides)
    return data


def test_masthead_and_colophon_are_set_on_the_campaign_form(organizer_client, factory):
    campaign = factory.campaign()
    page = organizer_client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "版头和版记" in page and 'name="issuer_mark"' in page

    fields = dict(
        masthead_shown="y", issuer_mark="  江滨区人民政府办公室文件 ", copy_to="抄送：区委办公室，\n区人大常委会办公室",
        printed_by="江滨区人民政府办公室", printed_on="2025-05-09",
    )
    response = organizer_client.submit(f"/campaigns/{campaign.id}/edit", _campaign_form(**fields))
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.masthead_shown and campaign.issuer_mark == "江滨区人民政府办公室文件"
    assert campaign.copy_to == "抄送：区委办公室， 区人大常委会办公室" and campaign.printed_on == date(2025, 5, 9)
    plan = plan_document(load_plan(campaign.id))
    # "抄送：" typed into the field is not printed twice; the list ends with a full stop.
    assert plan.colophon.copy_to == "区委办公室， 区人大常委会办公室。"
    assert plan.issuer_mark == "江滨区人民政府办公室文件" and plan.issuer_mark_size == 36


def test_masthead_without_a_mark_is_refused_and_changes_nothing(organizer_client, factory):
    campaign = factory.campaign()
    response = organizer_client.submit(
        f"/campaigns/{campaign.id}/edit", _campaign_form(masthead_shown="y", issuer_mark="", title="改过的标题")
    )
    assert response.status_code == 200
    assert "显示版头时请填写发文机关标志" in response.get_data(as_text=True)
    db.session.refresh(campaign)
    assert not campaign.masthead_shown and campaign.title != "改过的标题"


def test_issuer_mark_size_fits_the_type_area():
    assert issuer_mark_size("江滨区人民政府办公室文件") == 36  # 12 characters
    assert issuer_mark_size("中共江滨区委办公室江滨区人民政府办公室文件") == 17  # 21
    for mark in ("江滨区人民政府办公室文件", "江滨区人民政府办公室关于政务公开工作文件", "中共江滨区委办公室江滨区人民政府办公室文件"):
        assert len(mark) * issuer_mark_size(mark) <= 442.2  # pt: 156 mm
