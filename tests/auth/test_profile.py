"""A unit contact's own profile: name, phone and e-mail; bad input refused in place, nothing saved."""

import pytest

from campaign.web.extensions import db


def test_a_contact_edits_their_own_details(unit_client, unit_contact):
    page = unit_client.get("/auth/profile").get_data(as_text=True)
    assert unit_contact.username in page and "江滨区教育局" in page
    response = unit_client.submit("/auth/profile", {"display_name": "王甡", "phone": "＋86 138 0000 0203",
                                                    "email": "wang.shen@jiangbin.example"})
    assert response.status_code == 302
    db.session.refresh(unit_contact)
    assert (unit_contact.display_name, unit_contact.phone, unit_contact.email) == (
        "王甡", "13800000203", "wang.shen@jiangbin.example")


@pytest.mark.parametrize(("fields", "message"), [
    ({"phone": "call me"}, "不是有效的电话号码"),
    ({"email": "wang@@x"}, "格式不正确"),
    ({"display_name": "  "}, "请输入姓名"),
])
def test_bad_profile_input_is_refused_in_place(unit_client, unit_contact, fields, message):
    data = {"display_name": "王甡", "phone": "", "email": "", **fields}
    response = unit_client.submit("/auth/profile", data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.refresh(unit_contact)
    assert unit_contact.display_name == "测试用户" and unit_contact.phone == "" and unit_contact.email == ""
