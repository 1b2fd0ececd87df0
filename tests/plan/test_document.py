"""The plan document: the same texts in the preview, the PDF and the Word file; fonts, pages, access."""

import io
import re
import subprocess
from datetime import date, datetime
from urllib.parse import unquote

import pytest
from docx import Document
from docx.oxml.ns import qn

from campaign.documents.pdf import local_url_fetcher
from campaign.plan.document import plan_document, title_lines
from campaign.plan.models import STATUS_ISSUED
from campaign.plan.overview import load_plan
from campaign.shared.timeutil import LOCAL_TZ
from tests.conftest import log_in
from tests.statements import count_statements

RARE_UNIT = "江滨区甡堃喆㛃服务中心"
SLOGANS = [
    "坚持依法行政　深化政务公开",
    "公开是常态　不公开是例外",
    "推进政务公开　优化营商环境",
    "阳光政府　透明行政",
    "让权力在阳光下运行",
    "政务公开惠民生　阳光施政暖人心",
    "深化政务公开，助力法治政府建设",
    "公开透明　便民利民",
    "以公开促落实　以公开促规范　以公开促服务",
    "政务公开你我同行",
]


@pytest.fixture
def plan(factory):
    """An issued plan with two groups, an online and two on-site activities, a rare-character unit, 10 slogans."""
    campaign = factory.campaign(
        status=STATUS_ISSUED,
        basis_title="临州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知",
        basis_number="临政办〔2025〕12号",
        form_text="采取线上与线下相结合的方式，集中宣传解读利企惠民政策。",
        closing_requirements="加强组织领导。各单位要高度重视。\n注重活动实效。杜绝形式主义。",
        issue_date=date(2025, 5, 8),
    )
    hotline = factory.unit("江滨区12345政务服务便民热线中心", kind="institution")
    rare = factory.unit(RARE_UNIT, kind="institution")
    hrss = factory.unit("江滨区人力资源和社会保障局")
    town = factory.unit("临江镇人民政府", kind="town")
    online = factory.group(campaign, "线上主题宣传活动")
    onsite = factory.group(campaign, "线下实地宣传")
    main_venue = factory.venue(campaign, "江滨区市民广场", is_main=True)
    branch = factory.venue(campaign, "临江镇便民服务中心广场")
    activities = [
        factory.activity(
            online,
            title="开展“群众难题我来答”活动",
            description="梳理12345热线平台受理的热点问题并集中解答。",
            mode="online",
            all_day=True,
            starts_at=datetime(2025, 5, 15, 0, 0, tzinfo=LOCAL_TZ),
            ends_at=datetime(2025, 5, 20, 23, 59, tzinfo=LOCAL_TZ),
            units={hotline: "lead", hrss: "cooperating", rare: "cooperating"},
        ),
        factory.activity(
            onsite,
            title="举办主会场集中宣传咨询活动",
            description="在主会场设立政策咨询台，面对面解答群众咨询。",
            venue_id=main_venue.id,
            requirements="各参加单位安排1名分管领导和2名工作人员参加。",
            units={hrss: "lead", rare: "cooperating", town: "cooperating"},
        ),
        factory.activity(
            onsite,
            title="举办临江镇分会场宣传活动",
            venue_id=branch.id,
            starts_at=datetime(2025, 5, 16, 14, 30, tzinfo=LOCAL_TZ),
            ends_at=datetime(2025, 5, 16, 16, 30, tzinfo=LOCAL_TZ),
            units={town: "responsible", hotline: "lead"},
        ),
    ]
    for text in SLOGANS:
        factory.slogan(campaign, text)
    return {
        "campaign": campaign,
        "activities": [a.title for a in activities],
        "units": [hotline.name, rare.name, hrss.name, town.name],
    }


def _flat(text: str) -> str:
    """Text without the layout's line breaks and spaces, so a wrapped title still reads as one string."""
    return re.sub(r"\s+", "", text)


def _assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(_flat(needle), position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found + 1


def _assert_all_texts(text: str, plan: dict) -> None:
    flat = _flat(text)
    campaign = plan["campaign"]
    for needle in [campaign.theme, campaign.doc_number, campaign.title, *plan["activities"], *plan["units"]]:
        assert _flat(needle) in flat, needle
    _assert_in_order(flat, SLOGANS)
    assert "请各单位于5月18日下午5时30分前报送活动总结报告（包含图片、视频等）。" in flat
    assert "2025年5月15日至5月20日" in flat
    assert "江滨区市民广场（主会场）" in flat
    assert "第十九届“5·15政务公开日”活动宣传标语" in flat


def _pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_plan_pdf_has_every_text_real_fonts_and_pages(organizer_client, plan):
    response = organizer_client.get(f"/campaigns/{plan['campaign'].id}/plan/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="plan-2025.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{plan['campaign'].title}.pdf"
    pdf = response.data

    text = _pdftotext(pdf)
    _assert_all_texts(text, plan)
    assert RARE_UNIT in text  # the rare characters came through as themselves
    assert "— 1 —" in text
    assert "关于印发《" in _flat(text)

    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    assert any("CJK" in row for row in rows), fonts
    for row in rows:
        # name type encoding emb sub uni object ID: "emb" is the fifth column from the right.
        assert row.split()[-5] == "yes", f"font not embedded: {row}"

    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()).group(1))
    last = _pdftotext(pdf, "-f", str(pages), "-l", str(pages))
    before = _pdftotext(pdf, "-f", str(pages - 1), "-l", str(pages - 1))
    assert last.lstrip().startswith("附件")
    # The page before the attachment ends with the 附件说明 under the plan's body (GB/T 9704-2012 §7.3.4).
    assert before.count("附件") == 1 and "附件：第十九届“5·15政务公开日”活动宣传标语" in before
    assert "五、活动要求" in before


def test_plan_docx_has_every_text_and_chinese_fonts(organizer_client, plan):
    response = organizer_client.get(f"/campaigns/{plan['campaign'].id}/plan/docx")
    assert response.status_code == 200
    assert 'filename="plan-2025.docx"' in response.headers["Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    _assert_all_texts("\n".join(p.text for p in doc.paragraphs), plan)

    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                fonts = run._element.rPr.find(qn("w:rFonts"))
                assert fonts is not None and fonts.get(qn("w:eastAsia")), f"no East Asian font on {run.text!r}"
    used = {p.style.style_id for p in doc.paragraphs}
    for style_id in used:
        fonts = doc.styles.element.get_by_id(style_id).rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), style_id
        assert fonts.get(qn("w:eastAsiaTheme")) is None, style_id
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"

    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert "PAGE" in section.footer._element.xml and "— " in section.footer.paragraphs[0].text
    assert "PAGE" in section.even_page_footer._element.xml

    attachment = next(p for p in doc.paragraphs if p.text == "附件")
    assert attachment.paragraph_format.page_break_before


def test_preview_shows_the_same_texts(organizer_client, plan):
    response = organizer_client.get(f"/campaigns/{plan['campaign'].id}/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    _assert_all_texts(re.sub(r"<[^>]+>", "", page), plan)
    assert "/plan/pdf" in page and "/plan/docx" in page


def test_notice_without_basis_and_with_revision(app, factory):
    campaign = factory.campaign(revised_at=datetime(2025, 5, 10, 9, 0, tzinfo=LOCAL_TZ), summary_deadline=None)
    document = plan_document(campaign, today=date(2025, 5, 9))
    assert document.notice_body[0].startswith("为深入推进政务公开")
    assert "根据" not in document.notice_body[0]
    assert document.date_text == "2025年5月9日"
    assert document.revision_note == "（2025年5月10日修订）"
    assert not any("总结报告" in p.text for p in document.sections[4].paragraphs)


def test_deadline_is_not_said_twice(app, factory):
    campaign = factory.campaign(closing_requirements="各单位于2025年5月18日17:30前报送活动总结。")
    paragraphs = plan_document(campaign).sections[4].paragraphs
    assert [p.text for p in paragraphs] == ["各单位于2025年5月18日17:30前报送活动总结。"]


def test_closing_requirements_numbered_with_run_in_headings(plan):
    paragraphs = plan_document(plan["campaign"]).sections[4].paragraphs
    assert (paragraphs[0].lead, paragraphs[0].text) == ("（一）加强组织领导。", "各单位要高度重视。")
    assert paragraphs[1].lead == "（二）注重活动实效。"


def test_activity_lines(plan):
    groups = plan_document(plan["campaign"]).sections[3].groups
    assert [g.number + g.title for g in groups] == ["（一）线上主题宣传活动", "（二）线下实地宣传"]
    online = {line.label: line.text for line in groups[0].activities[0].lines}
    assert online == {
        "活动时间": "5月15日至5月20日",
        "牵头单位": "江滨区12345政务服务便民热线中心",
        # In the order the plan gives them, not the unit list's.
        "配合单位": f"江滨区人力资源和社会保障局、{RARE_UNIT}",
    }
    branch = {line.label: line.text for line in groups[1].activities[1].lines}
    assert branch["活动时间"] == "5月16日下午2时30分至4时30分"
    assert branch["活动地点"] == "临江镇便民服务中心广场（分会场）"
    assert branch["责任单位"] == "临江镇人民政府"
    assert [a.number for a in groups[1].activities] == ["1.", "2."]


def test_document_queries_do_not_grow_with_the_plan(app, factory, plan):
    def count_queries(campaign_id):
        return count_statements(lambda: plan_document(load_plan(campaign_id)), expire=True)

    small = factory.campaign(year=2024)
    factory.activity(factory.group(small), units={factory.unit(): "lead"})
    assert count_queries(plan["campaign"].id) == count_queries(small.id) <= 7


def test_fetcher_refuses_remote_and_outside_files(tmp_path):
    inside = tmp_path / "a.css"
    inside.write_text("p{}")
    fetch = local_url_fetcher(tmp_path)
    assert fetch(inside.as_uri())
    for url in ("https://example.com/x.css", "http://127.0.0.1/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetch(url)


def test_unit_contact_sees_issued_plan_only(client, factory, unit_contact):
    draft = factory.campaign(year=2024)
    issued = factory.campaign(status=STATUS_ISSUED)
    log_in(client, unit_contact)
    # A draft does not exist for a unit contact: 404, as for its summary page, not 403.
    for suffix in ("", "/pdf", "/docx"):
        hidden = client.get(f"/campaigns/{draft.id}/plan{suffix}")
        assert hidden.status_code == 404 and draft.title not in hidden.get_data(as_text=True)
    page = client.get(f"/campaigns/{issued.id}/plan")
    assert page.status_code == 200 and issued.title in page.get_data(as_text=True)
    docx = client.get(f"/campaigns/{issued.id}/plan/docx")
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    assert issued.title in "".join(paragraph.text for paragraph in Document(io.BytesIO(docx.data)).paragraphs)
    assert client.get("/campaigns/9999/plan").status_code == 404


def test_anonymous_is_sent_to_login(client, factory):
    campaign = factory.campaign(status=STATUS_ISSUED)
    for suffix in ("", "/pdf", "/docx"):
        response = client.get(f"/campaigns/{campaign.id}/plan{suffix}")
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_organizer_sees_draft(organizer_client, factory):
    draft = factory.campaign()
    response = organizer_client.get(f"/campaigns/{draft.id}/plan")
    assert response.status_code == 200
    assert "草稿" in response.get_data(as_text=True)


def test_long_titles_break_at_a_natural_place():
    assert title_lines("江滨区第十九届“5·15政务公开日”活动方案") == ["江滨区第十九届", "“5·15政务公开日”活动方案"]
    assert title_lines("关于印发《江滨区第十九届“5·15政务公开日”活动方案》的通知") == [
        "关于印发《江滨区第十九届",
        "“5·15政务公开日”活动方案》的通知",
    ]
    assert title_lines("第十九届“5·15政务公开日”活动宣传标语") == ["第十九届“5·15政务公开日”活动宣传标语"]


def test_texts_are_escaped_in_the_preview(organizer_client, factory):
    campaign = factory.campaign(title="江滨区第十九届“5·15政务公开日”活动方案<script>x</script>")
    page = organizer_client.get(f"/campaigns/{campaign.id}/plan").get_data(as_text=True)
    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page


def test_rendering_refuses_to_run_without_harfbuzz_subset(monkeypatch):
    import ctypes.util

    from campaign.documents import pdf

    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "harfbuzz-subset" else real(name))
    pdf.check_fonts.cache_clear()
    try:
        with pytest.raises(pdf.FontSetupError, match="libharfbuzz-subset"):
            pdf.render_pdf("<p>测试</p>", ".")
    finally:
        monkeypatch.undo()
        pdf.check_fonts.cache_clear()
