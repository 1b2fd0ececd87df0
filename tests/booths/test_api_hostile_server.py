"""Issue 19 point 1 against gunicorn on loopback, as the attack ran it: a phone's entry with a time of year 1 once
overflowed into an HTML 500, which the phone's queue retried forever at its head. Now a JSON 4xx, final."""

import json
import uuid

import pytest

from tests.serverutil import Browser, served_booth, staff_sign_in

SECRET_KEY = "api-hostile-secret"

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path):
    with served_booth(tmp_path, SECRET_KEY) as served:
        yield served


@pytest.mark.parametrize("recorded_at", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1970-01-01T08:00:00+08:00"])
def test_a_hostile_time_gets_a_final_json_refusal_from_the_real_server(served, recorded_at):
    phone = Browser(served["server"])
    staff_sign_in(phone, served["token"], served["pin"])
    status, headers, body = phone.post_json(f"/b/{served['token']}/api/consultations", {
        "uuid": str(uuid.uuid4()), "kind": "政策咨询", "topic": "医疗保障", "question": "", "asker_type": "群众",
        "handling": "当场解答", "satisfaction": "", "recorded_at": recorded_at,
    })
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    assert "recorded_at" in json.loads(body)["errors"]
    # The queue behind it goes on: the next entry is stored.
    status, _headers, _body = phone.post_json(f"/b/{served['token']}/api/consultations", {
        "uuid": str(uuid.uuid4()), "kind": "政策咨询", "topic": "医疗保障", "question": "", "asker_type": "群众",
        "handling": "当场解答", "satisfaction": "",
    })
    assert status in (200, 201), _body
