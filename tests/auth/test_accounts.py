"""The organizers' accounts pages: the list and its filters, creating, editing, deactivating; bad input refused in
place with nothing saved; every change in the audit log in words."""

import re

import pytest
import sqlalchemy as sa

from campaign.auth.models import User
from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db
from tests.auth.helpers import batch_of, invited


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="user-\d+"[^>]*>\s*<td[^>]*><code class="login-name">([^<]+)</code>', page)


def test_the_list_filters_by_role_unit_and_state(organizer_client, organizer, unit_contact, factory):
    other_unit = factory.unit("江滨区民政局")
    invited(factory, unit=other_unit, username="minzheng")
    second = factory.user("unit", unit=unit_contact.unit, username="contact2")  # a unit may have several contacts
    second.active = False
    db.session.commit()

    everyone = organizer_client.get("/accounts/").get_data(as_text=True)
    assert _rows(everyone) == ["organizer", "contact", "contact2", "minzheng"]
    assert "共 4 个账号" in everyone
    assert _rows(organizer_client.get("/accounts/?role=organizer").get_data(as_text=True)) == ["organizer"]
    by_unit = organizer_client.get(f"/accounts/?unit={unit_contact.unit_id}").get_data(as_text=True)
    assert _rows(by_unit) == ["contact", "contact2"]
    assert _rows(organizer_client.get("/accounts/?state=invited").get_data(as_text=True)) == ["minzheng"]
    assert _rows(organizer_client.get("/accounts/?state=inactive").get_data(as_text=True)) == ["contact2"]
    assert _rows(organizer_client.get("/accounts/?q=MINZ").get_data(as_text=True)) == ["minzheng"]
    # Nonsense filters are ignored rather than a 500.
    assert organizer_client.get("/accounts/?state=x&unit=abc&role=%00").status_code == 200


def _new_form(client, **fields):
    page = client.get("/accounts/new").get_data(as_text=True)
    data = {"batch": batch_of(page), "username": "renshe2", "display_name": "钱芳", "role": "unit", "unit_id": "",
            "phone": "", "email": ""}
    data.update(fields)
    return client.submit("/accounts/new", data)


def test_create_a_unit_contact_shows_the_link_once(organizer_client, unit_contact):
    response = _new_form(organizer_client, unit_id=str(unit_contact.unit_id), phone="138 0000 1111",
                         email="QianFang@Example.com")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('class="sheet-qr"') == 1 and "renshe2" in page
    user = db.session.scalar(sa.select(User).where(User.username == "renshe2"))
    assert (user.unit_id, user.phone, user.email) == (unit_contact.unit_id, "13800001111", "QianFang@example.com")
    assert not user.has_password


@pytest.mark.parametrize(("fields", "message"), [
    ({"username": "contact"}, "已被使用"),
    ({"username": "CONTACT"}, "已被使用"),
    ({"username": "王 芳"}, "英文字母"),
    ({"phone": "12345"}, "不是有效的电话号码"),
    ({"email": "qianfang@"}, "格式不正确"),
    ({"unit_id": ""}, "必须属于一个单位"),
    ({"display_name": ""}, "请输入姓名"),
])
def test_bad_input_is_refused_in_place_and_nothing_is_saved(organizer_client, unit_contact, fields, message):
    data = {"unit_id": str(unit_contact.unit_id), **fields}
    response = _new_form(organizer_client, **data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and 'class="sheet-qr"' not in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_edit_changes_the_unit_and_the_log_says_so_in_words(organizer_client, organizer, unit_contact, factory):
    new_unit = factory.unit("江滨区民政局")
    response = organizer_client.submit(f"/accounts/{unit_contact.id}", {
        "username": "contact", "display_name": "王甡", "role": "unit", "unit_id": str(new_unit.id),
        "phone": "0571-88000212", "email": "",
    })
    assert response.status_code == 302
    db.session.refresh(unit_contact)
    assert unit_contact.unit_id == new_unit.id and unit_contact.display_name == "王甡"
    page = organizer_client.get(f"/accounts/{unit_contact.id}").get_data(as_text=True)
    assert "修改了账号 contact（王甡）" in page
    assert "江滨区教育局 → 江滨区民政局" in page
    # An edit refused (a login taken) changes nothing.
    refused = organizer_client.submit(f"/accounts/{unit_contact.id}", {
        "username": "organizer", "display_name": "别的名字", "role": "unit", "unit_id": str(new_unit.id),
    })
    assert "已被使用" in refused.get_data(as_text=True)
    db.session.refresh(unit_contact)
    assert unit_contact.display_name == "王甡" and unit_contact.username == "contact"


def test_deactivate_and_reactivate_in_the_log(organizer_client, organizer, unit_contact):
    organizer_client.submit(f"/accounts/{unit_contact.id}/active", {"active": "0"})
    organizer_client.submit(f"/accounts/{unit_contact.id}/active", {"active": "0"})  # twice: no second event
    organizer_client.submit(f"/accounts/{unit_contact.id}/active", {"active": "1"})
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == unit_contact.id,
                                                                     AuditEvent.object_type == "User")).all()
    assert [a for a in actions if a.startswith("user_")] == ["user_deactivated", "user_activated"]
    history = organizer_client.get("/accounts/history").get_data(as_text=True)
    assert "测试用户 停用了账号 contact（测试用户），其所有登录随即失效" in history
    assert "测试用户 启用了账号 contact" in history


def test_an_organizer_cannot_lock_themselves_out(organizer_client, organizer):
    organizer_client.submit(f"/accounts/{organizer.id}/active", {"active": "0"})
    db.session.refresh(organizer)
    assert organizer.active
    page = organizer_client.submit(f"/accounts/{organizer.id}", {
        "username": "organizer", "display_name": "测试用户", "role": "unit", "unit_id": "",
    }).get_data(as_text=True)
    assert "必须属于一个单位" in page or "不能修改自己的角色" in page
    db.session.refresh(organizer)
    assert organizer.role == "organizer"
