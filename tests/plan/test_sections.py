"""The plan's own sections beside the standard five (一、指导思想 before them, 六、其他事项 after): edited on their
page, numbered with the others in the PDF and the Word file, copied to next year, and read from a pasted plan."""

import io
import re
import subprocess

import sqlalchemy as sa
from docx import Document

from campaign.plan import sections
from campaign.plan.copying import copy_campaign
from campaign.plan.document import plan_document
from campaign.plan.models import PlanSection
from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db
from tests.plan.formreader import form_values
from tests.plan.plan_texts import WEB_COPY
from tests.plan.test_import import CONFIRM, heyang, preview  # noqa: F401 - heyang is a fixture

GUIDING = "以习近平新时代中国特色社会主义思想为指导，全面落实《政府信息公开条例》。"


def headings(campaign) -> list[str]:
    return [f"{section.number}{section.title}" for section in plan_document(campaign).sections]


def test_sections_take_their_places_and_the_numbering_follows(app, factory, organizer):
    campaign = factory.campaign()
    assert headings(campaign) == ["一、活动主题", "二、活动形式", "三、活动时间", "四、活动内容", "五、活动要求"]
    sections.add_section(organizer, campaign, "其他事项", "如遇恶劣天气，活动顺延。", "requirements")
    # Pasted with its number and a colon: the number is the document's to give.
    sections.add_section(organizer, campaign, "一、指导思想：", GUIDING, "start")
    sections.add_section(organizer, campaign, "（三）组织领导", "成立活动领导小组。\n组长：李䶮", "content")
    db.session.commit()
    db.session.expire_all()
    assert headings(campaign) == ["一、指导思想", "二、活动主题", "三、活动形式", "四、活动时间", "五、活动内容",
                                  "六、组织领导", "七、活动要求", "八、其他事项"]
    # A date is no number: 5.15 stays.
    assert sections.cleaned("5.15宣传周安排", "", "content")["title"] == "5.15宣传周安排"
    leadership = plan_document(campaign).sections[5]
    assert [paragraph.text for paragraph in leadership.paragraphs] == ["成立活动领导小组。", "组长：李䶮"]


def test_the_pdf_and_the_word_file_carry_them_in_order(app, client, factory, organizer):
    from tests.conftest import log_in

    campaign = factory.campaign()
    sections.add_section(organizer, campaign, "指导思想", GUIDING, "start")
    sections.add_section(organizer, campaign, "其他事项", "联系人：𠮷祥，电话0571-88886666。", "requirements")
    db.session.commit()
    log_in(client, organizer)
    pdf = client.get(f"/campaigns/{campaign.id}/plan/pdf")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout
    flat = re.sub(r"\s+", "", text.decode())
    order = [flat.index(heading) for heading in ("一、指导思想", "二、活动主题", "六、活动要求", "七、其他事项")]
    assert order == sorted(order)
    assert "以习近平新时代中国特色社会主义思想为指导" in flat and "联系人：𠮷祥" in flat
    word = Document(io.BytesIO(client.get(f"/campaigns/{campaign.id}/plan/docx").data))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert paragraphs.index("一、指导思想") < paragraphs.index(GUIDING) < paragraphs.index("二、活动主题")
    assert paragraphs.index("六、活动要求") < paragraphs.index("七、其他事项")


def test_the_page_adds_edits_moves_and_deletes_with_the_change_recorded(app, client, factory, organizer):
    from tests.conftest import log_in

    campaign = factory.campaign()
    log_in(client, organizer)
    url = f"/campaigns/{campaign.id}/sections"
    page = client.get(url).get_data(as_text=True)
    assert "五、活动要求" in page and "添加章节" in page
    for title in ("组织领导", "保障措施"):
        added = client.submit(url, {"title": title, "text": "各单位明确一名联络员。", "place": "content"})
        assert added.status_code == 302
    first, second = db.session.scalars(sa.select(PlanSection).order_by(PlanSection.id)).all()
    page = client.get(url).get_data(as_text=True)
    assert page.index("四、活动内容") < page.index("五、组织领导") < page.index("六、保障措施") < page.index("七、活动要求")
    moved = client.submit(f"{url}/{second.id}/move", {"direction": "up"})
    assert moved.status_code == 302
    db.session.expire_all()
    assert headings(campaign)[4:6] == ["五、保障措施", "六、组织领导"]
    edit = f"{url}/{first.id}/edit"
    assert client.submit(edit, {"title": "组织领导", "text": "", "place": "start"}).status_code == 302
    db.session.expire_all()
    assert headings(campaign)[0] == "一、组织领导"
    assert client.submit(f"{url}/{first.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanSection)) == 1
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert [action for action in actions if action.startswith("section_")] == [
        "section_added", "section_added", "section_moved", "section_updated", "section_deleted"]


def test_a_wrong_section_is_refused_on_the_form_and_changes_nothing(app, client, factory, organizer):
    from tests.conftest import log_in

    campaign = factory.campaign()
    log_in(client, organizer)
    url = f"/campaigns/{campaign.id}/sections"
    for form, message in (
        ({"title": "一、", "text": "正文", "place": "start"}, "请填写章节标题"),
        ({"title": "题" * 41, "text": "", "place": "start"}, "章节标题不能超过40个字"),
        ({"title": "其他事项", "text": "", "place": "nowhere"}, "请选择章节放在哪里"),
    ):
        refused = client.submit(url, form)
        assert refused.status_code == 200 and message in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanSection)) == 0


def test_next_years_copy_keeps_them(app, factory, organizer):
    campaign = factory.campaign(year=2025)
    sections.add_section(organizer, campaign, "指导思想", GUIDING, "start")
    db.session.commit()
    copy = copy_campaign(campaign, 2026, campaign.edition + 1, organizer)
    db.session.commit()
    assert [(section.title, section.text, section.place) for section in copy.sections] == [
        ("指导思想", GUIDING, "start")]


# Read from a pasted plan -----------------------------------------------------------------------------------------

WITH_OWN_SECTIONS = WEB_COPY.replace(
    "一、活动主题\n", "一、指导思想\n以习近平新时代中国特色社会主义思想为指导,推动政务公开走进群众。\n二、活动主题\n"
).replace("二、活动形式", "三、活动形式").replace("三、活动时间", "四、活动时间").replace(
    "四、活动内容", "五、活动内容").replace("五、活动要求", "六、活动要求").replace(
    "\n\n附件:", "\n七、其他事项\n活动期间如遇恶劣天气,现场活动顺延。\n\n附件:")


def test_a_pasted_plans_own_sections_are_read_placed_and_imported(app, organizer_client, heyang):  # noqa: F811
    from campaign.plan.models import Campaign

    page = preview(organizer_client, 2022, WITH_OWN_SECTIONS)
    assert "方案另有的章节" in page
    form = form_values(page, CONFIRM)
    assert (form["s-0-title"], form["s-0-place"]) == ("指导思想", "start")
    assert (form["s-1-title"], form["s-1-place"]) == ("其他事项", "requirements")
    assert "推动政务公开走进群众" in form["s-0-text"] and "顺延" in form["s-1-text"]
    form["action"] = "import"
    saved = organizer_client.post(CONFIRM, data=form)
    assert saved.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign).order_by(Campaign.id.desc()))
    assert headings(campaign) == ["一、指导思想", "二、活动主题", "三、活动形式", "四、活动时间", "五、活动内容",
                                  "六、活动要求", "七、其他事项"]
    # Nothing of them is left among the lines the import could not place.
    unplaced = page[page.find("未归入任何一项的文字"):] if "未归入任何一项的文字" in page else ""
    assert "指导思想" not in unplaced and "其他事项" not in unplaced


def test_a_section_emptied_on_the_preview_is_not_imported(app, organizer_client, heyang):  # noqa: F811
    page = preview(organizer_client, 2022, WITH_OWN_SECTIONS)
    form = form_values(page, CONFIRM)
    form.update({"s-0-title": "", "s-0-text": "", "action": "import"})
    assert organizer_client.post(CONFIRM, data=form).status_code == 302
    assert db.session.scalars(sa.select(PlanSection.title)).all() == ["其他事项"]
