"""The phone's entry posts in the common case, answered before Flask (campaign/booths/views/entry_posts.py): what it
takes is stored once with its tallies and receipt code and answered as the view answers; everything else reaches the
view untouched, with nothing written before it."""

import json
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import request_started

from campaign.booths import tallies
from campaign.booths.models import Consultation, FollowUp, MaterialHandout, ReceiptCode
from campaign.booths.receipts import code_of
from campaign.booths.views import entry_posts
from campaign.web.extensions import db
from campaign.web.security import CONTENT_SECURITY_POLICY
from tests.booths.staff import count, entry, rehearsing_booth, sign_in


@contextmanager
def flask_requests(app):
    """The endpoints of the requests Flask itself handled in the block."""
    endpoints: list[str] = []

    def started(sender, **extra):
        from flask import request

        endpoints.append(request.endpoint)

    with request_started.connected_to(started, app):
        yield endpoints


def handout(**fields) -> dict:
    return {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 2, **fields}


def test_a_new_entry_is_stored_with_its_tallies_and_code_and_never_reaches_flask(app, client, booth):
    sign_in(client, booth)
    # Copied from a page with a right-to-left override in it: taken out, as from every request.
    consultation = entry(question="䶮山街道𠮷祥社区\u202e的低保怎么申请？", person_name="𪚥", person_phone="13812345678",
                         consent=True)
    with flask_requests(app) as endpoints:
        stored = client.post(f"/b/{booth.staff_token}/api/consultations", json=consultation)
        given = client.post(f"/b/{booth.staff_token}/api/handouts", json=handout())
    assert endpoints == []
    assert stored.status_code == 200 and given.status_code == 200
    assert stored.json == {"ok": True, "uuid": consultation["uuid"], "id": stored.json["id"],
                           "receipt": code_of(consultation["uuid"])}
    assert stored.json["receipt"] and given.json["receipt"] and stored.json["receipt"] != given.json["receipt"]
    # The headers every response carries, as Flask's own hook sets them.
    assert stored.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert stored.headers["X-Content-Type-Options"] == "nosniff" and stored.mimetype == "application/json"
    row = db.session.get(Consultation, stored.json["id"])
    assert (row.question, row.person_name, row.person_phone, row.source) == (
        "䶮山街道𠮷祥社区的低保怎么申请？", "𪚥", "13812345678", "staff")
    assert db.session.get(MaterialHandout, given.json["id"]).quantity == 2
    assert count(Consultation) == 1 and count(MaterialHandout) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReceiptCode)) == 2
    assert tallies.stored(booth.campaign_id) == tallies.recount(booth.campaign_id) != {}

    # The phone lost the answer and sends it again: the view answers it, with the same bytes, and stores nothing.
    with flask_requests(app) as endpoints:
        again = client.post(f"/b/{booth.staff_token}/api/consultations", json=consultation)
    assert endpoints == ["booths.staff.api_consultations"]
    assert again.get_data() == stored.get_data()
    assert count(Consultation) == 1 and tallies.stored(booth.campaign_id) == tallies.recount(booth.campaign_id)


PASSED_ON = {
    "a referral": lambda booth: ("consultations", entry(handling="转办")),
    "a call back": lambda booth: ("consultations", entry(handling="需回访")),
    "a refusal": lambda booth: ("consultations", entry(kind="闲聊")),
    "a handout refused": lambda booth: ("handouts", handout(quantity=0)),
    "no UUID": lambda booth: ("consultations", {**entry(), "uuid": "无"}),
    "a list for a body": lambda booth: ("consultations", [entry()]),
    "NaN in the body": lambda booth: ("consultations", {**entry(), "consent": float("nan")}),
}


@pytest.mark.parametrize("case", PASSED_ON)
def test_what_the_common_case_does_not_take_reaches_the_view_as_sent(app, client, booth, case, caplog):
    sign_in(client, booth)
    kind, body = PASSED_ON[case](booth)
    with flask_requests(app) as endpoints:
        response = client.post(f"/b/{booth.staff_token}/api/{kind}", data=json.dumps(body, allow_nan=True),
                               content_type="application/json")
    assert endpoints == [f"booths.staff.api_{kind}"]
    assert [record for record in caplog.records if record.name == entry_posts.__name__] == []  # declined, not failed
    # The view read the body the middleware had read: it answered it, whole.
    if case in ("a referral", "a call back"):
        assert response.status_code == 200 and count(FollowUp) == 1 and count(Consultation) == 1
    else:
        assert response.status_code == 400
        assert count(Consultation) == 0 and count(MaterialHandout) == 0
    assert tallies.stored(booth.campaign_id) == tallies.recount(booth.campaign_id)


def test_a_phone_not_admitted_or_a_link_not_current_reaches_the_view(app, client, booth):
    url = f"/b/{booth.staff_token}/api/consultations"
    with flask_requests(app) as endpoints:
        assert client.post(url, json=entry()).status_code == 401  # no PIN entered on this phone
        assert client.post("/b/no-such-link/api/consultations", json=entry()).status_code == 404
        sign_in(client, booth)
        assert client.post(url, data=json.dumps(entry()), content_type="text/plain").status_code == 400
    assert endpoints[:2] == ["booths.staff.api_consultations"] * 2 and endpoints[-1] == "booths.staff.api_consultations"
    assert count(Consultation) == 0


def test_a_body_past_the_entry_size_reaches_the_view(app, client, booth):
    sign_in(client, booth)
    padded = entry(note="备注" * (entry_posts.ENTRY_BODY_MAX // 6 + 1))  # a field the API ignores
    with flask_requests(app) as endpoints:
        response = client.post(f"/b/{booth.staff_token}/api/consultations", json=padded)
    assert endpoints == ["booths.staff.api_consultations"]
    assert response.status_code == 200 and count(Consultation) == 1


def test_a_rehearsals_entry_reaches_the_view(app, client, factory, organizer):
    booth = rehearsing_booth(factory, organizer)
    sign_in(client, booth)
    with flask_requests(app) as endpoints:
        response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert endpoints == ["booths.staff.api_consultations"] and response.status_code == 200
    assert count(Consultation) == 0  # a test entry, counted nowhere


def test_an_error_while_storing_passes_the_post_on_and_the_entry_is_stored_once(
    app, client, booth, monkeypatch, caplog
):
    sign_in(client, booth)
    consultation = entry()

    monkeypatch.setattr(entry_posts, "store_new_consultation", _failing_after_the_writes)
    with flask_requests(app) as endpoints:
        response = client.post(f"/b/{booth.staff_token}/api/consultations", json=consultation)
    assert endpoints == ["booths.staff.api_consultations"]
    assert [record.levelname for record in caplog.records if record.name == entry_posts.__name__] == ["ERROR"]
    assert response.status_code == 200 and response.json["receipt"] == code_of(consultation["uuid"])
    assert count(Consultation) == 1
    assert tallies.stored(booth.campaign_id) == tallies.recount(booth.campaign_id)


def _failing_after_the_writes(connection, booth, fields, client_uuid, device_id):
    """store_new_consultation's writes, then a database error before its commit (as a full disk would give)."""
    from campaign.booths import recording
    from campaign.booths.models import Consultation as Model
    from campaign.shared.timeutil import utcnow

    values = recording.clean_consultation(booth, fields)
    now = utcnow()
    values = dict(client_uuid=client_uuid, booth_id=booth.id, recorded_at=now, received_at=now, source="staff",
                  device_id=device_id, **values)
    assert recording.insert_new(connection, Model, values, tallies.consultation_contribution) is not None
    raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))
