"""The staff page's JSON API, which the phone's queue sends to: idempotency, refusals in JSON, recorded times."""

import re
import uuid

import pytest

from campaign.booths import recording
from campaign.booths.models import Booth, Consultation, FollowUp, MaterialHandout
from campaign.booths.receipts import code_of
from campaign.web.extensions import db
from tests.booths.staff import count, entry, sign_in
from tests.racing import at_once

# JSON API ----------------------------------------------------------------------------------------------------


def test_api_records_once_per_uuid(client, booth):
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    data = entry(recorded_at="2026-05-15T09:12:00+08:00")
    first = client.post(url, json=data)
    assert first.status_code == 200
    assert first.json == {"ok": True, "uuid": data["uuid"], "id": first.json["id"], "receipt": code_of(data["uuid"])}
    assert first.json["receipt"]
    again = client.post(url, json=data)
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert count(Consultation) == 1
    assert client.post(url, json=entry()).status_code == 200
    assert count(Consultation) == 2
    saved = db.session.get(Consultation, first.json["id"])
    assert saved.recorded_at.isoformat() == "2026-05-15T01:12:00+00:00"


def test_api_refuses_invalid_fields_in_chinese(client, booth):
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    bad = entry(kind="闲聊", topic="不存在", asker_type="x", handling="y", satisfaction="z", question="问" * 501)
    response = client.post(url, json=bad)
    assert response.status_code == 400 and response.json["ok"] is False
    errors = response.json["errors"]
    assert set(errors) == {"kind", "topic", "asker_type", "handling", "satisfaction", "question"}
    assert all(re.search(r"[\u4e00-\u9fff]", message) for message in errors.values())
    for payload in (entry(uuid="not-a-uuid"), entry(uuid=str(uuid.uuid4()) + "x"), entry(recorded_at="yesterday")):
        assert client.post(url, json=payload).status_code == 400
    response = client.post(url, data={"uuid": str(uuid.uuid4())})
    assert response.status_code == 400 and "body" in response.json["errors"]
    assert count(Consultation) == 0


def test_api_without_the_device_cookie_is_401(client, booth):
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert response.status_code == 401 and response.json["error"] == "pin_required"
    assert count(Consultation) == 0
    summary = client.get(f"/b/{booth.staff_token}/api/summary")
    assert summary.status_code == 401 and summary.json["error"] == "pin_required"


# The race ----------------------------------------------------------------------------------------------------


def test_two_copies_at_the_same_moment_make_one_row(app, booth):
    """Two app contexts (as two server threads) insert the same UUID at once: the UNIQUE constraint decides."""
    client_uuid = str(uuid.uuid4())

    def send(ready, _copy) -> tuple[int, bool]:
        own_booth = db.session.get(Booth, booth.id)
        ready()
        consultation, created, _receipt = recording.record_consultation(
            own_booth, entry(handling="转办"), client_uuid, device_id="d"
        )
        return consultation.id, created

    results = at_once(app, send, range(2), timeout=20)
    assert len(results) == 2
    assert results[0][0] == results[1][0]
    assert sorted(created for _id, created in results) == [False, True]
    db.session.expire_all()
    assert count(Consultation) == 1 and count(FollowUp) == 1


@pytest.mark.parametrize(("recorded_at", "message"), [
    ("0001-01-01T00:00:00", "记录时间无效"),  # once an overflow: an HTML 500 the phone retried forever
    ("1970-01-01T08:00:00+08:00", "记录时间早于活动开始（5月15日）"),  # a phone whose clock was never set
    ("2025-05-13T23:59:00+08:00", "记录时间早于活动开始（5月15日）"),
    ("not a time", "记录时间无效"),
])
@pytest.mark.parametrize("kind", ["consultations", "handouts"])
def test_the_api_refuses_a_time_before_the_campaign_in_json_and_stores_nothing(client, booth, recorded_at, message,
                                                                                 kind):
    sign_in(client, booth)
    body = entry() if kind == "consultations" else {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 5}
    response = client.post(f"/b/{booth.staff_token}/api/{kind}", json={**body, "recorded_at": recorded_at})

    # A 400 with the field's message in JSON: the phone shows it to the volunteer instead of retrying it.
    assert response.status_code == 400 and response.is_json
    assert message in response.get_json()["errors"]["recorded_at"]
    assert count(Consultation) == 0 and count(MaterialHandout) == 0


def test_the_api_takes_a_time_from_the_day_before_the_campaign(client, booth):
    """A rehearsal at the desk on the eve of the day."""
    sign_in(client, booth)
    response = client.post(f"/b/{booth.staff_token}/api/consultations",
                           json={**entry(), "recorded_at": "2025-05-14T16:00:00+08:00"})
    assert response.status_code == 200 and response.get_json()["ok"]
    assert count(Consultation) == 1


# The hot path (campaign/web/hotpath.py) ----------------------------------------------------------------------


def test_the_api_reads_the_session_for_the_language_only_and_never_resends_it(client, booth):
    sign_in(client, booth)
    client.submit("/language", {"lang": "en"})
    url = f"/b/{booth.staff_token}/api/consultations"
    stored = client.post(url, json=entry())
    assert stored.status_code == 200 and "Set-Cookie" not in stored.headers
    refused = client.post(url, json=entry(kind="闲聊"))
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    # An English user's refusal in English: the deferred session was read for the locale.
    assert refused.json["errors"] == {"kind": "Please choose the kind of consultation."}
    # The session is as the browser had it: the next page is still in English.
    assert '<html lang="en">' in client.get(f"/b/{booth.staff_token}").get_data(as_text=True)
    assert count(Consultation) == 1


def test_an_entry_passed_on_to_flask_never_decodes_the_session_cookie(app, client, booth):
    """An entry the common case does not take (views/entry_posts.py) goes the whole way through Flask, and nothing
    there reads the session for an entry in Chinese: not the locale, not Flask-Login's remember-cookie hook (which
    asked it on every request)."""
    from flask import request_finished, session

    sign_in(client, booth)
    seen = []

    def finished(sender, response, **extra):
        current = session._get_current_object()  # type: ignore[attr-defined]
        seen.append((type(current).__name__, getattr(current, "_loaded", "opened")))

    request_finished.connect(finished, app)
    try:
        # 需回访 opens a follow-up: passed on.
        response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(handling="需回访"))
        assert response.status_code == 200
    finally:
        request_finished.disconnect(finished, app)
    assert seen == [("DeferredSession", None)]
    assert count(FollowUp) == 1


def test_the_entry_api_skips_the_rate_limiter_that_the_other_pages_run(app, client, booth):
    from flask import request_finished
    from flask.globals import request_ctx

    limited = {}

    def seen_by_the_limiter(sender, response, **extra):
        # Flask-Limiter keeps its state of a request on the request context, from its first hook on.
        limited[request_ctx.request.endpoint] = hasattr(request_ctx._get_current_object(), "_limiter_request_context")

    sign_in(client, booth)
    handout = {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 1}
    assert client.post(f"/b/{booth.staff_token}/api/handouts", json=handout).status_code == 200
    with request_finished.connected_to(seen_by_the_limiter, app):
        # A resend and a referral: both passed on to Flask by the common case (views/entry_posts.py).
        assert client.post(f"/b/{booth.staff_token}/api/handouts", json=handout).status_code == 200
        referral = entry(handling="需回访")
        assert client.post(f"/b/{booth.staff_token}/api/consultations", json=referral).status_code == 200
        assert client.get(f"/b/{booth.staff_token}/api/summary").status_code == 200
    assert limited == {
        "booths.staff.api_handouts": False, "booths.staff.api_consultations": False, "booths.staff.api_summary": True,
    }


def test_the_entry_api_checks_against_the_campaigns_own_lists(client, booth):
    from campaign.booths.models import BoothSettings

    db.session.add(BoothSettings(campaign_id=booth.campaign_id, topics=["退役军人优待"], materials=["台历"]))
    db.session.commit()
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    assert client.post(url, json=entry(topic="退役军人优待")).status_code == 200
    assert client.post(url, json=entry(topic="社会保险")).json["errors"].keys() == {"topic"}
    handouts = f"/b/{booth.staff_token}/api/handouts"
    assert client.post(handouts, json={"uuid": str(uuid.uuid4()), "material": "台历", "quantity": 2}).status_code == 200
    assert client.post(handouts, json={"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 2}).status_code == 400
    assert count(Consultation) == 1 and count(MaterialHandout) == 1
