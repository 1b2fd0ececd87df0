"""从方案文件导入 through the pages: three plans of other districts pasted or uploaded as .docx (built here with
python-docx), previewed, confirmed; every field lands where it belongs, units match, and the issued document says
what the source said (read back from the PDF with pdftotext and from the Word file) — each role's list too, in the
source's words whatever unit a name was matched to."""

import io
import re
import subprocess
import unicodedata

import pytest
import sqlalchemy as sa
import zhconv
from docx import Document

from campaign.plan.importing.text import is_debris
from campaign.plan.models import Activity, Campaign
from campaign.units.models import Unit, UnitAlias, UnitGroup
from campaign.web.extensions import db
from tests.plan.formreader import form_values
from tests.plan.plan_texts import TRADITIONAL, WEB_COPY, WORD_EXPORT

CONFIRM = "/campaigns/import/confirm"


@pytest.fixture
def heyang(factory):
    """河阳区's units, short names as its plans write them but one (区人力社保局, which plans write 区人社局);
    区档案馆 is not on the list yet."""
    units = {}
    for full, short in (("河阳区人民政府办公室", "区政府办"), ("河阳区发展和改革局", "区发改局"),
                        ("河阳区教育局", "区教育局"), ("河阳区人力资源和社会保障局", "区人力社保局"),
                        ("河阳区卫生健康局", "区卫健局"), ("河阳区住房和城乡建设局", "区住建局"),
                        ("河阳区市场监督管理局", "区市场监管局"), ("河阳区医疗保障局", "区医保局"),
                        ("河阳区营商环境建设局", "区营商局")):
        units[short] = factory.unit(full, short_name=short)
    for town in ("河东街道", "柳湾镇"):
        units[town] = factory.unit(town, kind="town")
    db.session.add_all([UnitGroup(name="各镇街", unit_kind="town"), UnitGroup(name="区政府各部门", unit_kind="bureau")])
    db.session.commit()
    return units


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _comparable(text: str) -> str:
    return _flat(unicodedata.normalize("NFKC", text))


def preview(client, year: int, text: str = "", docx: bytes | None = None) -> str:
    data = {"text": text, "year": str(year)}
    if docx is not None:
        data["file"] = (io.BytesIO(docx), "方案.docx")
    response = client.submit("/campaigns/import/", data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def confirm(client, page: str, **changes):
    form = form_values(page, CONFIRM)
    form.update(changes)
    form["action"] = "import"
    return client.post(CONFIRM, data=form)


def as_docx(text: str) -> bytes:
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _issued_text(client, campaign: Campaign) -> str:
    response = client.submit(f"/campaigns/{campaign.id}/status", {"status": "issued", "without_number": "1"})
    assert response.status_code == 302
    pdf = client.get(f"/campaigns/{campaign.id}/plan/pdf").data
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _docx_text(client, campaign: Campaign) -> list[str]:
    response = client.get(f"/campaigns/{campaign.id}/plan/docx")
    assert response.status_code == 200
    return [paragraph.text for paragraph in Document(io.BytesIO(response.data)).paragraphs]


ROLE_LINE = re.compile(r"((?:牵头|配合|参加|责任)单位)[:：]\s*(\S+)")


def _role_lists(source: str) -> list[str]:
    """Each role's list as the source writes it (in Simplified characters): its names, order and 等; the commas
    of a web copy as the 、 a plan prints between names."""
    return [f"{label}：{re.sub('[,，]', '、', names)}" for label, names in ROLE_LINE.findall(zhconv.convert(source, "zh-cn"))]


def assert_role_lists_as_written(client, campaign: Campaign, source: str, pdf_text: str) -> None:
    """The PDF and the DOCX of the issued plan print every role's list exactly as the source wrote it (whitespace
    and full- or half-width punctuation aside): a paragraph of its own in the DOCX, a run of the PDF's text."""
    lists = _role_lists(source)
    assert lists
    paragraphs = {_comparable(paragraph) for paragraph in _docx_text(client, campaign)}
    printed = _comparable(pdf_text)
    for line in lists:
        assert _comparable(line) in paragraphs, line
        assert _comparable(line) in printed, line


def _content_lines(text: str) -> list[str]:
    """The source's lines as the document prints them: numbering 1、 → 1., a closing 。 of a date dropped."""
    lines = []
    for line in text.split("\n"):
        line = _flat(re.sub(r"^(\d{1,2})、", r"\1.", line.strip()))
        if line:
            lines.append(line.rstrip("。") if "年5月" in line else line)
    return lines


@pytest.mark.parametrize("upload", [False, True], ids=["pasted", "docx"])
def test_a_word_plan_imported_prints_as_its_source(organizer_client, heyang, upload):
    page = preview(organizer_client, 2023, docx=as_docx(WORD_EXPORT)) if upload else preview(
        organizer_client, 2023, WORD_EXPORT)
    assert "原文第" in page and "河政办发〔2023〕8号" in page
    # Every field of a clean Word export read for sure; the one unit name not on the list is marked.
    assert re.search(r"从原文读到\d+项内容，其中1项请核对", page)
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0  # nothing is written by the preview
    response = confirm(organizer_client, page)
    assert response.status_code == 302, re.findall(r'role="alert">([^<]+)', response.get_data(as_text=True))
    campaign = db.session.scalar(sa.select(Campaign))
    assert (campaign.year, campaign.edition, campaign.doc_number) == (2023, 17, "河政办发〔2023〕8号")
    assert campaign.basis_number == "河政办明电〔2023〕12号" and campaign.issuing_office == "河阳区人民政府办公室"
    assert campaign.deadline_date_only and campaign.local_deadline.day == 18
    assert [group.title for group in campaign.groups] == ["线上主题宣传活动", "线下实地宣传"]
    square = db.session.scalar(sa.select(Activity).where(Activity.title == "开展“政务公开进广场”活动"))
    assert square.venue.name == "河阳区人民广场" and square.venue.kind == "main"
    assert square.local_start.strftime("%m-%d %H:%M") == "05-15 09:00" and square.local_end.hour == 11
    # The unit not on the list was offered as new, of the kind its name suggests.
    archive = db.session.scalar(sa.select(Unit).where(Unit.name == "区档案馆"))
    assert archive is not None and archive.kind == "institution"
    assert len(campaign.slogans) == 3

    # 区人社局 (matched to 区人力社保局) prints as the plan wrote it.
    printed = _issued_text(organizer_client, campaign)
    text = _flat(printed)
    for line in _content_lines(WORD_EXPORT):
        assert line in text, line
    assert_role_lists_as_written(organizer_client, campaign, WORD_EXPORT, printed)


def test_a_web_copy_with_debris_imports_its_plan_only(organizer_client, heyang):
    for full, short in (("云溪区民政局", "区民政局"),):
        db.session.add(Unit(name=full, short_name=short, kind="bureau"))
    db.session.commit()
    page = preview(organizer_client, 2022, WEB_COPY)
    assert "浏览" not in form_values(page, CONFIRM)["c-notice_body"]
    response = confirm(organizer_client, page)
    assert response.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    assert campaign.time_style == "colon" and campaign.doc_number == ""
    assert campaign.addressees == "各镇街，区政府各部门、区直各单位："
    noon = db.session.scalar(sa.select(Activity).where(Activity.title == "开展机关内部政务公开宣传"))
    assert noon.local_start.hour == 12 and noon.ends_at is None
    text = _issued_text(organizer_client, campaign)
    for line in ("活动时间：5月15日上午9:00至11:30", "活动时间：5月16日中午12:00"):
        assert _flat(line) in _flat(text), line
    # Every other line of the document as the office published it, read with its ASCII marks as full-width ones
    # (NFKC on both sides) and the role lists' commas as the 、 the plan prints.
    printed = _comparable(text)
    document = WEB_COPY[WEB_COPY.index("关于印发"): WEB_COPY.index("【打印本页】")]
    for line in document.split("\n"):
        line = line.strip()
        if not line or is_debris(line) or line.startswith("活动时间"):
            continue
        if line.startswith(("牵头单位", "配合单位", "参加单位", "责任单位")):
            line = line.replace(",", "、")
        assert _comparable(line) in printed, line
    for debris in ("浏览", "ICP", "版权所有", "打印本页"):
        assert debris not in text
    assert_role_lists_as_written(organizer_client, campaign, WEB_COPY, text)


def test_traditional_run_in_plan_moves_to_the_campaign_year_and_checks_weekdays(organizer_client, factory):
    for full, short in (("鹿鸣县人民政府办公室", "县政府办"), ("鹿鸣县发展和改革局", "县发改局"),
                        ("鹿鸣县教育局", "县教育局"), ("鹿鸣县科学技术局", "县科技局"),
                        ("鹿鸣县营商环境建设局", "县营商局")):
        factory.unit(full, short_name=short)
    # Written without a short name: matched through the abbreviation table, with less certainty.
    factory.unit("鹿鸣县卫生健康局")
    page = preview(organizer_client, 2025, TRADITIONAL)
    form = form_values(page, CONFIRM)
    assert form["c-year"] == "2025" and form["c-edition"] == "19"
    assert form["c-title"] == "鹿鸣县第十九届“5·15政务公开日”活动方案"
    assert form["c-doc_number"] == "" and form["c-issue_date"] == ""
    assert "原文是繁体字" in page
    names = {form[key]: form[key.replace("-name", "-choice")] for key in form if key.startswith("u-") and key.endswith("-name")}
    health = db.session.scalar(sa.select(Unit).where(Unit.name == "鹿鸣县卫生健康局"))
    assert names["县卫健局"] == f"unit:{health.id}"
    assert names["县残联"] == "new:other"
    # 教育局 in "县发改局、教育局、科技局" is read with the list's 县.
    assert "教育局" not in names and names["县教育局"].startswith("unit:")
    # …and printed as the source writes it, in the preview as in the document.
    assert "配合单位：县发改局、教育局、科技局" in page and "参加单位：县发改局、县教育局、县卫健局、县残联等" in page
    response = confirm(organizer_client, page, **{"c-period": "2025年5月15日至5月17日"})
    assert response.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    assert (campaign.year, campaign.edition, campaign.first_day.isoformat()) == (2025, 19, "2025-05-15")
    fair = db.session.scalar(sa.select(Activity).where(Activity.title == "开展“政务公开集市”活动"))
    assert fair.local_start.year == 2025 and fair.role_text("participating") == "县发改局、县教育局、县卫健局、县残联等"
    # The clerk's match is remembered: next year 县卫健局 is that unit for certain.
    assert db.session.scalar(sa.select(UnitAlias.unit_id).where(UnitAlias.alias == "县卫健局")) == health.id
    # 2025-05-17 is a Saturday: the plan's weekend warning is shown.
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "星期六" in page
    # The issued document says in Simplified characters what the source said, moved to 2025 and the 19th edition.
    printed = _issued_text(organizer_client, campaign)
    assert_role_lists_as_written(organizer_client, campaign, TRADITIONAL, printed)
    text = _flat(printed)
    for line in ("关于印发《鹿鸣县第十九届“5·15政务公开日”活动方案》的通知", "各乡镇，县政府各部门：",
                 "根据《鹿州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知》（鹿政办明电〔2024〕5号）精神",
                 "今年5月15日是第十九届“政务公开日”，为做好我县活动，特制定本方案。",
                 "一、活动主题", "坚持依法行政，深化政务公开，助力优化营商环境。", "线上线下相结合，集中宣传惠民利企政策。",
                 "2025年5月15日至5月17日", "（一）开展线上主题宣传活动", "1.开展“政策问答”活动",
                 "在县政府门户网站开设专栏，解答群众关切。", "活动时间：5月15日至5月17日", "牵头单位：县政府办",
                 "活动时间：5月15日上午9时至11时30分", "活动地点：鹿鸣县人民广场（主会场）", "牵头单位：县营商局",
                 "活动要求：各单位派2名工作人员参加。", "各单位要加强组织领导，于5月16日下午5时前报送活动总结。",
                 "1.推进政务公开　优化营商环境", "2.公开是常态　不公开是例外", "鹿鸣县人民政府办公室"):
        assert _flat(line) in text, line


def test_cancelling_the_preview_leaves_no_trace(organizer_client, heyang):
    page = preview(organizer_client, 2023, WORD_EXPORT)
    assert "确认导入" in page
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == len(heyang)


def test_a_refusal_shows_on_the_preview_and_saves_nothing(organizer_client, heyang):
    page = preview(organizer_client, 2023, WORD_EXPORT)
    response = confirm(organizer_client, page, **{"a-2-time": "另行通知"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "无法读出“另行通知”中的日期" in body and "确认导入" in body
    assert form_values(body, CONFIRM)["a-2-time"] == "另行通知"  # the clerk's edits are kept
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0
    assert db.session.scalar(sa.select(Unit.id).where(Unit.name == "区档案馆")) is None


@pytest.mark.parametrize("data, message", [
    (b"", "请粘贴方案的文字"),
    (b"%PDF-1.7\n...", "这是 PDF 文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600, "设置了密码"),
    (b"PK\x03\x04" + b"x" * 5 * 1024 * 1024, "文件太大"),
    (b"just text", "不是 Word"),
])
def test_bad_files_are_refused_clearly(organizer_client, data, message):
    payload = {"year": "2025", "text": ""}
    if data:
        payload["file"] = (io.BytesIO(data), "方案.docx")
    response = organizer_client.submit("/campaigns/import/", payload, content_type="multipart/form-data")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_a_zip_bomb_is_refused_before_it_is_unpacked(organizer_client):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = organizer_client.submit("/campaigns/import/", {"year": "2025", "file": (io.BytesIO(buffer.getvalue()), "a.docx")},
                                       content_type="multipart/form-data")
    assert "解压后过大" in response.get_data(as_text=True)


def test_a_news_article_is_not_a_plan(organizer_client):
    news = "我区开展“5·15政务公开日”活动\n5月15日上午，我区在人民广场开展活动。\n浏览:120次"
    response = organizer_client.submit("/campaigns/import/", {"year": "2025", "text": news})
    assert "不像一份活动方案" in response.get_data(as_text=True)


def test_a_tampered_preview_is_refused_without_a_500(organizer_client, heyang):
    page = preview(organizer_client, 2023, WORD_EXPORT)
    response = confirm(organizer_client, page, **{"u-0-choice": "unit:99999999999999999999", "c-year": "x"})
    assert response.status_code == 200 and "请填写年份" in response.get_data(as_text=True)
    response = confirm(organizer_client, page, **{"u-0-choice": "unit:99999999999999999999"})
    assert response.status_code == 200 and "对应的单位不存在" in response.get_data(as_text=True)
    response = organizer_client.submit(CONFIRM, {"source": "", "action": "import"})
    assert response.status_code == 302


@pytest.mark.loaded_demo
def test_the_demo_plan_offered_as_a_sample_comes_back_as_next_years_plan(organizer_client):
    source = db.session.scalar(sa.select(Campaign).order_by(Campaign.year.desc()))
    start = organizer_client.get("/campaigns/import/?sample=1").get_data(as_text=True)
    text = form_values(start, None)["text"]
    assert source.title in text
    page = preview(organizer_client, source.year + 1, text)
    assert "请核对" not in page.split("<legend>")[2]  # every activity read for sure
    response = confirm(organizer_client, page)
    assert response.status_code == 302, re.findall(r'role="alert">([^<]+)', response.get_data(as_text=True))
    copy = db.session.scalar(sa.select(Campaign).where(Campaign.year == source.year + 1))
    assert copy.edition == source.edition + 1 and copy.theme == source.theme
    assert copy.summary_deadline is not None
    assert [group.title for group in copy.groups] == [group.title for group in source.groups]
    for old_group, new_group in zip(source.groups, copy.groups, strict=True):
        for old, new in zip(old_group.activities, new_group.activities, strict=True):
            assert (new.title, new.mode, new.all_day) == (old.title, old.mode, old.all_day)
            for role in ("lead", "cooperating", "participating", "responsible"):
                assert new.role_text(role) == old.role_text(role)
            assert (new.venue and (new.venue.name, new.venue.kind)) == (old.venue and (old.venue.name, old.venue.kind))
            assert new.local_start.strftime("%m-%d %H:%M") == old.local_start.strftime("%m-%d %H:%M")
            assert new.local_start.year == source.year + 1
    assert [slogan.text for slogan in copy.slogans] == [slogan.text for slogan in source.slogans]


def test_a_year_past_any_calendar_is_refused_on_the_preview(organizer_client, heyang):
    page = preview(organizer_client, 2023, WORD_EXPORT)
    response = confirm(organizer_client, page, **{"c-year": "99999999999"})
    assert response.status_code == 200 and "年份应在" in response.get_data(as_text=True)
    response = organizer_client.post(CONFIRM, data={**form_values(page, CONFIRM), "c-year": "99999", "action": "check"})
    assert response.status_code == 200


def test_a_plan_imported_into_an_existing_draft_adds_its_activities(organizer_client, heyang, factory):
    campaign = factory.campaign(2023, edition=17, title="河阳区第十七届“5·15政务公开日”活动方案（草稿）")
    db.session.commit()
    url = f"/campaigns/import/into/{campaign.id}"
    assert "从方案文件导入活动" in organizer_client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    response = organizer_client.submit(url, {"text": WORD_EXPORT, "year": "1999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'action="{url}/confirm"' in page
    form = form_values(page, f"{url}/confirm")
    assert form["c-year"] == "2023"  # the draft's year, whatever the request said
    response = organizer_client.post(f"{url}/confirm", data={**form, "action": "import"})
    assert response.status_code == 302
    campaign = db.session.get(Campaign, campaign.id)
    assert campaign.title == "河阳区第十七届“5·15政务公开日”活动方案（草稿）"  # its own fields are kept
    assert [group.title for group in campaign.groups][-2:] == ["线上主题宣传活动", "线下实地宣传"]
    assert len(campaign.slogans) == 3 and db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 1


def test_an_issued_plan_takes_no_import(organizer_client, heyang, factory):
    campaign = factory.campaign(2023, status="issued")
    db.session.commit()
    url = f"/campaigns/import/into/{campaign.id}"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "方案已印发，不能再导入" in page and "读取并预览" not in page
    response = organizer_client.submit(url, {"text": WORD_EXPORT, "year": "2023"})
    assert response.status_code == 302
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "方案已印发，不能再导入" in page and not campaign.groups
