"""Units: the list, adding and editing, (de)activating, ordering, access. Bulk import: test_units_import.py."""

import re

import pytest

from campaign.shared.phones import clean_phone, valid_phone
from campaign.units.models import Unit
from campaign.units.services import UnitFields, create_unit, move_unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.statements import page_statements
from tests.units.helpers import audit_events, page_text, unit_names, units_in_order

# The list


def test_list_shows_units_in_order_with_counts(organizer_client, factory):
    factory.unit("江滨区发展和改革局", short_name="区发改局", contact_person="王敏", contact_phone="0571-88886666")
    factory.unit("城关镇", kind="town")
    factory.unit("江滨区残疾人联合会", kind="other", active=False)

    page = page_text(organizer_client.get("/units/"))

    assert page.index("江滨区发展和改革局") < page.index("城关镇") < page.index("江滨区残疾人联合会")
    assert "区发改局" in page and "0571-88886666" in page and "王敏" in page
    assert "区政府部门" in page and "镇/街道" in page
    assert "共 3 个单位" in page and "（其中停用 1 个）" in page
    assert re.search(r'<tr id="unit-\d+" class="inactive">\s*<td[^>]*>3</td>', page)
    assert "已停用" in page
    assert 'href="/units/new"' in page and 'href="/units/import"' in page


def test_list_filters_by_kind_and_text(organizer_client, factory):
    factory.unit("江滨区教育局", contact_person="赵磊")
    factory.unit("城关镇", kind="town")
    factory.unit("江滨区卫生健康局")

    by_kind = page_text(organizer_client.get("/units/?kind=town"))
    by_text = page_text(organizer_client.get("/units/?q=赵磊"))

    assert "城关镇" in by_kind and "江滨区教育局" not in by_kind
    assert "江滨区教育局" in by_text and "城关镇" not in by_text and "江滨区卫生健康局" not in by_text
    assert "找到 1 个单位" in by_text
    assert "上移" not in by_text  # moving inside a filtered list would jump over hidden units


# Adding and editing


def test_organizer_adds_a_unit_at_the_end(organizer_client, factory, organizer):
    factory.unit("江滨区教育局")

    response = organizer_client.submit("/units/new", {
        "name": "  江滨区医疗保障局　", "short_name": "区医保局", "kind": "bureau",
        "contact_person": "孙丽", "contact_phone": "138 0000 1111", "contact_email": " sunli@YBJ.jiangbin.gov.cn ",
    })

    assert response.status_code == 302
    unit = units_in_order()[-1]
    assert (unit.name, unit.short_name, unit.kind, unit.contact_phone) == ("江滨区医疗保障局", "区医保局", "bureau",
                                                                           "13800001111")
    assert unit.contact_email == "sunli@ybj.jiangbin.gov.cn"
    assert unit.sort_order > units_in_order()[0].sort_order and unit.active
    [event] = audit_events("unit_created")
    assert event.object_id == unit.id and event.user_id == organizer.id


def test_duplicate_name_is_refused_and_nothing_saved(organizer_client, factory):
    factory.unit("江滨区教育局")

    response = organizer_client.submit("/units/new", {"name": "　江滨区教育局 ", "kind": "bureau"})

    assert response.status_code == 200
    assert "已有名为“江滨区教育局”的单位。" in page_text(response)
    assert unit_names() == ["江滨区教育局"]
    assert audit_events("unit_created") == []


@pytest.mark.parametrize("data, message", [
    ({"name": "　", "kind": "bureau"}, "请输入单位名称。"),
    ({"name": "江滨区信访局", "kind": "bureau", "contact_phone": "12345"}, "请填写手机号"),
    ({"name": "江滨区信访局", "kind": "ministry"}, "不是有效的选择"),
    ({"name": "江滨区信访局", "kind": "bureau", "contact_email": "xinfang@"}, "电子邮箱“xinfang@”格式不正确。"),
    ({"name": "局" * 101, "kind": "bureau"}, "单位名称不能超过100个字。"),
])
def test_bad_unit_input_is_refused(organizer_client, data, message):
    response = organizer_client.submit("/units/new", data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert unit_names() == []


def test_organizer_edits_a_unit(organizer_client, factory):
    unit = factory.unit("江滨区市场监督管理局")
    factory.unit("江滨区教育局")

    renamed = organizer_client.submit(f"/units/{unit.id}/edit", {
        "name": "江滨区市场监管局", "short_name": "区市场局", "kind": "bureau", "contact_phone": "0571-87001234-802",
    })
    clash = organizer_client.submit(f"/units/{unit.id}/edit", {"name": "江滨区教育局", "kind": "bureau"})
    same_name = organizer_client.submit(f"/units/{unit.id}/edit", {"name": "江滨区市场监管局", "kind": "institution"})

    assert renamed.status_code == 302
    assert clash.status_code == 200 and "已有名为“江滨区教育局”的单位。" in page_text(clash)
    assert same_name.status_code == 302  # keeping its own name is no clash
    unit = db.session.get(Unit, unit.id)
    assert (unit.name, unit.short_name, unit.kind, unit.contact_phone) == ("江滨区市场监管局", "区市场局", "institution",
                                                                           "0571-87001234-802")
    assert len(audit_events("unit_updated")) == 2


def test_edit_page_is_prefilled_and_unknown_unit_is_404(organizer_client, factory):
    unit = factory.unit("江滨区教育局", short_name="区教育局")

    assert 'value="区教育局"' in organizer_client.get(f"/units/{unit.id}/edit").get_data(as_text=True)
    assert organizer_client.get("/units/9999/edit").status_code == 404


# Active, order


def test_deactivate_and_reactivate(organizer_client, factory):
    unit = factory.unit("江滨区教育局")

    off = organizer_client.submit(f"/units/{unit.id}/active", {"active": "0"}, follow_redirects=True)
    assert db.session.get(Unit, unit.id).active is False
    assert "已停用单位“江滨区教育局”" in page_text(off)
    organizer_client.submit(f"/units/{unit.id}/active", {"active": "0"})  # a second click changes nothing
    assert len(audit_events("unit_deactivated")) == 1

    organizer_client.submit(f"/units/{unit.id}/active", {"active": "1"})
    assert db.session.get(Unit, unit.id).active is True
    assert len(audit_events("unit_activated")) == 1

    organizer_client.submit(f"/units/{unit.id}/active", {})
    assert db.session.get(Unit, unit.id).active is True


def test_move_swaps_with_the_neighbour_and_renumbers(organizer_client, factory):
    first = factory.unit("甲局")
    second = factory.unit("乙局")
    third = factory.unit("丙局")
    third.sort_order = 40  # gaps, as older data may have
    db.session.commit()

    organizer_client.submit(f"/units/{third.id}/move", {"direction": "up"})
    assert unit_names() == ["甲局", "丙局", "乙局"]
    assert [unit.sort_order for unit in units_in_order()] == [1, 2, 3]

    organizer_client.submit(f"/units/{first.id}/move", {"direction": "up"})  # already first: stays
    organizer_client.submit(f"/units/{first.id}/move", {"direction": "down"})
    assert unit_names() == ["丙局", "甲局", "乙局"]

    response = organizer_client.submit(f"/units/{second.id}/move", {"direction": "sideways"}, follow_redirects=True)
    assert "无法识别的移动方向" in page_text(response)
    assert unit_names() == ["丙局", "甲局", "乙局"]


# Access


UNIT_ENDPOINTS = [
    ("GET", "/units/"), ("GET", "/units/new"), ("POST", "/units/new"), ("GET", "/units/{id}/edit"),
    ("POST", "/units/{id}/edit"), ("POST", "/units/{id}/active"), ("POST", "/units/{id}/move"),
    ("GET", "/units/import"), ("POST", "/units/import"),
]


def test_unit_contact_is_forbidden_everywhere(unit_client, unit_contact):
    unit = unit_contact.unit
    for method, url in UNIT_ENDPOINTS:
        url = url.format(id=unit.id)
        data = {"name": "篡改", "kind": "other", "active": "0", "direction": "down", "text": "甲局"}
        response = unit_client.get(url) if method == "GET" else unit_client.submit(url, data)
        assert response.status_code == 403, f"{method} {url}"
    assert unit_names() == ["江滨区教育局"] and db.session.get(Unit, unit.id).active


def test_anonymous_is_sent_to_login(client, factory):
    unit = factory.unit("江滨区教育局")
    for method, url in UNIT_ENDPOINTS:
        url = url.format(id=unit.id)
        response = client.get(url) if method == "GET" else client.submit(url, {"active": "0"})
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], f"{method} {url}"
    assert db.session.get(Unit, unit.id).active


# Services


@pytest.mark.parametrize("phone", [
    "13800001111", "+8613800001111", "138 0000 1111", "0571-88886666", "057188886666", "88886666", "8888666",
    "0571-88886666-123", "0571-88886666转8021", "(0571)88886666", "010-12345678".replace("1234", "6234"),
    "０５７１－８８８８６６６６", "138-0000-0203", "+86 138 0000 0203", "+86-138-0000-0203", "１３８－００００－０２０３",
])
def test_valid_phones(phone):
    assert valid_phone(phone)


@pytest.mark.parametrize("written", ["138-0000-0203", "+86 138 0000 0203", "138 0000 0203", "+86-138-0000-0203"])
def test_a_mobile_written_in_groups_is_stored_as_its_eleven_digits(written):
    assert clean_phone(written) == "13800000203"


@pytest.mark.parametrize("phone", [
    "", "12345", "12800001111", "1380000111", "138000011112", "0571-0888666", "abc", "0571-88886666-",
    "13800001111转", "1" * 30,
])
def test_invalid_phones(phone):
    assert not valid_phone(phone)


def test_create_unit_and_move_unit_services(app, organizer):
    with app.test_request_context():
        first = create_unit(organizer, UnitFields(name="甲局", kind="bureau"))
        second = create_unit(organizer, UnitFields(name="乙局", kind="bureau"))
        with pytest.raises(Refusal, match="已有名为“甲局”的单位。"):
            create_unit(organizer, UnitFields(name=" 甲局\u3000", kind="bureau"))
        with pytest.raises(Refusal):
            create_unit(organizer, UnitFields(name="丙局", kind="bureau", contact_phone="12"))
        assert move_unit(second, "up") is True
        assert move_unit(second, "up") is False
    assert unit_names() == ["乙局", "甲局"] and first.sort_order == 2


def test_a_long_list_is_paged_with_its_filters_kept_in_a_fixed_number_of_queries(organizer_client, factory):

    for n in range(60):
        db.session.add(Unit(name=f"第{n:03d}街道办事处", kind="town" if n % 2 else "bureau", sort_order=n + 1))
    db.session.commit()

    def rows(page: str) -> list[tuple[str, str]]:
        return re.findall(r'<td class="num" data-label="[^"]+">(\d+)</td>\s*<td class="unit-name"[^>]*>\s*(第\d+街道办事处)',
                          page)

    first = organizer_client.get("/units/").get_data(as_text=True)
    assert len(rows(first)) == 50 and rows(first)[0] == ("1", "第000街道办事处")
    assert "第 1 / 2 页，共 60 条" in first and 'rel="next"' in first
    second = organizer_client.get("/units/?page=2").get_data(as_text=True)
    assert rows(second) == [(str(n + 1), f"第{n:03d}街道办事处") for n in range(50, 60)]
    # A filter and a search: the pages count the matches, the links keep the filter, each unit keeps its place.
    filtered = organizer_client.get("/units/?kind=town&q=街道").get_data(as_text=True)
    assert "找到 30 个单位" in filtered and len(rows(filtered)) == 30
    assert ("2", "第001街道办事处") in rows(filtered)
    assert organizer_client.get("/units/?page=abc").status_code == 200
    assert "第 1 / 1 页" not in organizer_client.get("/units/?q=%25").get_data(as_text=True)  # % is no wildcard

    def statements(url: str) -> int:
        return page_statements(organizer_client, url)

    before = statements("/units/?page=2")
    for n in range(200):
        db.session.add(Unit(name=f"追加单位{n}", kind="bureau", sort_order=100 + n))
    db.session.commit()
    assert statements("/units/?page=2") == before
