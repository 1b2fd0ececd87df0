"""Bulk import of units: pasted lines, .xlsx and .csv; a preview that saves nothing, a confirmation that saves all
rows or none, and a clear message (never a 500) for anything it cannot read."""

import html
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from campaign.units.importing import parse_file, parse_pasted, validate_rows
from campaign.units.models import Unit
from campaign.web.extensions import db
from tests.units.helpers import audit_events, page_text, unit_names


def _hidden_rows(response) -> str:
    match = re.search(r'<textarea[^>]*name="rows"[^>]*>(.*?)</textarea>', response.get_data(as_text=True), re.S)
    assert match, "the preview carries no rows to confirm"
    # A browser drops the newline right after <textarea>, and so do we.
    return html.unescape(match.group(1)).removeprefix("\r\n").removeprefix("\n")


HAPPY_PASTE = (
    "名称\t简称\t类型\t联系人\t电话\n"
    "江滨区人力资源和社会保障局\t区人社局\t区政府部门\t王敏\t0571-88886666\n"
    "\n"
    "城关镇，城关镇，镇，李强，13800001111\n"
    "江滨区残疾人联合会  区残联  其他\n"
    "江滨区综合行政执法大队,,事业单位,,88886666转12\n"
)


def test_paste_import_preview_then_confirm(organizer_client, factory, organizer):
    factory.unit("江滨区教育局")

    preview = organizer_client.submit("/units/import", {"action": "preview", "text": HAPPY_PASTE})

    page = page_text(preview)
    assert preview.status_code == 200
    assert "确认导入 4 个单位" in page and "bad-row" not in page
    assert unit_names() == ["江滨区教育局"]  # nothing saved by a preview

    done = organizer_client.submit("/units/import", {"action": "confirm", "rows": _hidden_rows(preview)},
                                   follow_redirects=True)

    assert "已导入 4 个单位" in page_text(done)
    assert unit_names() == ["江滨区教育局", "江滨区人力资源和社会保障局", "城关镇", "江滨区残疾人联合会",
                        "江滨区综合行政执法大队"]
    town = db.session.scalar(sa.select(Unit).where(Unit.name == "城关镇"))
    assert (town.kind, town.contact_person, town.contact_phone) == ("town", "李强", "13800001111")
    hr = db.session.scalar(sa.select(Unit).where(Unit.short_name == "区人社局"))
    assert (hr.kind, hr.contact_phone) == ("bureau", "0571-88886666")
    assert db.session.scalar(sa.select(Unit.kind).where(Unit.short_name == "区残联")) == "other"
    assert db.session.scalar(sa.select(Unit.kind).where(Unit.name == "江滨区综合行政执法大队")) == "institution"
    [event] = audit_events("units_imported")
    assert event.detail["count"] == 4 and event.user_id == organizer.id


def test_paste_with_bad_rows_saves_nothing_and_names_each_problem(organizer_client, factory):
    factory.unit("江滨区教育局")
    text = (
        "名称 简称 类型 联系人 电话\n"          # 1: a header typed with single spaces
        "江滨区信访局\t区信访局\t部门\n"          # 2: good
        "\t区无名局\t部门\n"                    # 3: no name
        "江滨区统计局\t区统计局\t司局\n"          # 4: unknown kind
        "江滨区审计局\t\t部门\t周明\t12345\n"    # 5: bad phone
        "江滨区信访局\t\t部门\n"                # 6: repeats line 2
        "江滨区教育局\t\t部门\n"                # 7: exists already
    )

    response = organizer_client.submit("/units/import", {"action": "preview", "text": text})

    page = page_text(response)
    assert response.status_code == 200
    for message in ("第3行：缺少单位名称", "第4行：类型“司局”无法识别", "第5行：电话“12345”格式不正确",
                    "第6行：与第2行重复", "第7行：已存在同名单位"):
        assert message in page
    assert "第2行：" not in page
    assert "确认导入" not in page and 'name="rows"' not in page
    assert page.count('class="bad-row"') == 5
    assert unit_names() == ["江滨区教育局"]


def test_confirm_with_tampered_rows_saves_nothing(organizer_client, factory):
    preview = organizer_client.submit("/units/import", {"action": "preview", "text": "江滨区信访局\t区信访局\t部门"})
    rows = _hidden_rows(preview) + "\n3\t\t无名\tbureau\t\t\n4\t江滨区审计局\t\tbureau\t\t999"

    response = organizer_client.submit("/units/import", {"action": "confirm", "rows": rows})

    page = page_text(response)
    assert response.status_code == 200
    assert "第3行：缺少单位名称" in page and "第4行：电话“999”格式不正确" in page
    assert "没有导入任何单位" in page
    assert unit_names() == []
    assert audit_events("units_imported") == []


def test_confirm_refuses_a_name_taken_since_the_preview(organizer_client, factory):
    preview = organizer_client.submit("/units/import", {"action": "preview", "text": "甲局\n乙局"})
    factory.unit("乙局")

    response = organizer_client.submit("/units/import", {"action": "confirm", "rows": _hidden_rows(preview)})

    assert "第2行：已存在同名单位" in page_text(response)
    assert unit_names() == ["乙局"]


def test_empty_import_and_too_many_rows_get_a_message(organizer_client):
    empty = organizer_client.submit("/units/import", {"action": "preview", "text": "  \n "})
    many = organizer_client.submit("/units/import", {
        "action": "preview", "text": "\n".join(f"测试局{n}" for n in range(2001)),
    })

    assert empty.status_code == 200 and "请粘贴单位列表" in page_text(empty)
    assert many.status_code == 200 and "一次最多导入2000个单位" in page_text(many)
    assert unit_names() == []


# File import


def _upload(client, filename: str, data: bytes, action: str = "preview"):
    return client.submit(
        "/units/import",
        {"action": action, "text": "", "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import(organizer_client, tmp_path):
    path = tmp_path / "units.xlsx"
    # Columns in another order than the default, and a phone typed as a number: the header decides.
    path.write_bytes(_xlsx([
        ["序号", "单位名称", "类型", "简称", "联系电话", "联系人"],
        [1, "江滨区住房和城乡建设局", "区政府部门", "区住建局", 13900002222, "陈刚"],
        [None, None, None, None, None, None],
        [2, "滨江街道", "街道", "", "", ""],
    ]))

    preview = _upload(organizer_client, "单位.xlsx", path.read_bytes())
    page = page_text(preview)
    assert "确认导入 2 个单位" in page
    assert unit_names() == []

    organizer_client.submit("/units/import", {"action": "confirm", "rows": _hidden_rows(preview)})

    unit = db.session.scalar(sa.select(Unit).where(Unit.short_name == "区住建局"))
    assert (unit.name, unit.kind, unit.contact_person, unit.contact_phone) == (
        "江滨区住房和城乡建设局", "bureau", "陈刚", "13900002222")
    assert unit_names() == ["江滨区住房和城乡建设局", "滨江街道"]


def test_xlsx_bad_rows_are_numbered_as_in_the_sheet(organizer_client):
    data = _xlsx([["名称", "类型"], ["甲局", "部门"], ["乙局", "科室"]])

    page = page_text(_upload(organizer_client, "units.xlsx", data))

    assert "第3行：类型“科室”无法识别" in page
    assert unit_names() == []


def test_csv_in_gbk_as_excel_writes_it(organizer_client):
    data = "名称,简称,类型,联系人,电话\r\n江滨区卫生健康局,区卫健局,区政府部门,刘芳,0571-86001234\r\n".encode("gbk")

    preview = _upload(organizer_client, "units.csv", data)
    assert "确认导入 1 个单位" in page_text(preview)
    organizer_client.submit("/units/import", {"action": "confirm", "rows": _hidden_rows(preview)})

    unit = db.session.scalar(sa.select(Unit))
    assert (unit.name, unit.short_name, unit.contact_person) == ("江滨区卫生健康局", "区卫健局", "刘芳")


def test_csv_in_utf8_with_bom(organizer_client):
    data = "\ufeff名称,类型\n江滨区司法局,部门\n".encode()

    assert "确认导入 1 个单位" in page_text(_upload(organizer_client, "units.csv", data))


@pytest.mark.parametrize("filename, data, message", [
    ("units.txt", "江滨区教育局".encode(), "只能上传 .xlsx 或 .csv 文件。"),
    ("units.xls", b"\xd0\xcf\x11\xe0 old excel", "不支持旧版 Excel (.xls) 文件"),
    ("units.xlsx", b"PK\x03\x04 this is not really a workbook", "不是有效的 Excel (.xlsx) 文件"),
    ("units.xlsx", "名称\n江滨区教育局".encode(), "不是有效的 Excel (.xlsx) 文件"),
    ("units.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "不是 CSV 文本文件"),
    ("units.csv", b"", "上传的文件是空的"),
    ("units.csv", b"PK\x03\x04", "这个文件其实是 Excel 文件"),
])
def test_bad_files_are_refused_with_a_message(organizer_client, filename, data, message):
    response = _upload(organizer_client, filename, data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert unit_names() == []


def test_truncated_xlsx_is_refused(organizer_client):
    data = _xlsx([["名称"], ["江滨区教育局"]])

    response = _upload(organizer_client, "units.xlsx", data[: len(data) // 2])

    assert response.status_code == 200
    assert "不是有效的 Excel (.xlsx) 文件" in page_text(response)


def test_xlsx_with_too_many_rows_is_refused(organizer_client):
    data = _xlsx([["名称"]] + [[f"测试局{n}"] for n in range(2001)])

    response = _upload(organizer_client, "units.xlsx", data)

    assert response.status_code == 200 and "一次最多导入2000个单位" in page_text(response)
    assert unit_names() == []


def test_import_page_shows_the_format(organizer_client):
    page = page_text(organizer_client.get("/units/import"))

    assert "江滨区人力资源和社会保障局\t区人社局\t区政府部门" in page
    assert 'accept=".xlsx,.csv"' in page and 'enctype="multipart/form-data"' in page


def test_parse_pasted_columns_and_numbers():
    rows = parse_pasted("\n甲局\t\t\t\t\n乙镇，乙镇，，张三\n丙  丙简称\n丁局\t\t部门\t\t\t多余")

    assert [(row.number, row.name, row.short_name, row.kind) for row in rows] == [
        (2, "甲局", "", "bureau"), (3, "乙镇", "乙镇", "town"), (4, "丙", "丙简称", "other"), (5, "丁局", "", "bureau"),
    ]
    assert rows[1].contact_person == "张三"
    validate_rows(rows, set())
    assert [bool(row.problems) for row in rows] == [False, False, False, True]


def test_parse_file_reads_utf16_text_from_excel():
    data = "名称\t类型\r\n江滨区民政局\t部门\r\n".encode("utf-16")

    [row] = parse_file("units.csv", data)

    assert (row.name, row.kind, row.number) == ("江滨区民政局", "bureau", 2)
