"""The staff page's JSON API: /b/<token>/api/…, what static/js/booth.js sends each queued entry to. An entry is
stored once however often it arrives. The entry posts are the phone's hot path: their common case is answered before
Flask (views/entry_posts.py), the rest here without the session or limiter work they do not use (web/hotpath.py)."""

from datetime import datetime

from flask import abort, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import instance_state

from campaign.booths.blueprint import staff as bp
from campaign.booths.closing import CLOSED_ERROR
from campaign.booths.on_duty import booth_on_duty
from campaign.booths.receipts import clean_uuid
from campaign.booths.recording import EntriesClosed, Recorded, record_consultation, record_handout
from campaign.booths.views.staff import _api_booth, _page_context, _user_agent
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import csrf
from campaign.web.hotpath import hot_path
from campaign.web.refusal import Refusal


def _json_body() -> dict:
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        abort(make_response(jsonify(ok=False, errors={"body": _("请以JSON格式发送。")}), 400))
    return body


def recorded_at_of(body: dict):
    """The time the phone says it logged the entry at (ISO 8601), None when it sent none; anything else as sent, for
    recording to refuse with its message."""
    value = body.get("recorded_at")
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value  # recording refuses it with its message


def _invalid(errors: dict):
    return jsonify(ok=False, errors=errors), 400


def _closed(error: EntriesClosed):
    # Final for the phone (a 4xx): it stops sending and keeps its queue, showing the message; never retried forever.
    return jsonify(ok=False, error=CLOSED_ERROR, message=error.message), 409


# An entry post in the common case is answered before it reaches these views (views/entry_posts.py); they answer
# every other: a refusal, a referral, a resend, a rehearsal's, a closed campaign's.


@bp.post("/<token>/api/consultations")
@csrf.exempt
@hot_path
def api_consultations(token):
    booth, device = _api_booth(token, booth_on_duty)
    body = _json_body()
    try:
        recorded = record_consultation(
            booth, consultation_fields(body), body.get("uuid"), device.device_id, user_agent=_user_agent()
        )
    except EntriesClosed as error:
        return _closed(error)
    except Refusal as error:
        return _invalid(error.errors)
    return _stored(recorded, body)


def consultation_fields(body: dict) -> dict:
    """A consultation's fields from the phone's JSON body."""
    fields = {name: body.get(name) for name in (
        "kind", "topic", "question", "asker_type", "handling", "person_name", "person_phone", "consent", "satisfaction",
        "referral_unit_id",
    )}
    fields["recorded_at"] = recorded_at_of(body)
    return fields


def stored_answer(body: dict, entry_id: int, receipt: str) -> dict:
    """The answer to an entry post: the same for the first copy and every repeat, with the stored receipt code (the
    phone shows this one) and the request's own (already validated) UUID."""
    return {"ok": True, "uuid": clean_uuid(body.get("uuid")), "id": entry_id, "receipt": receipt}


def _stored(recorded: Recorded, body: dict):
    # The id from the identity key, so that the committed row is not loaded again.
    identity = instance_state(recorded.entry).identity
    assert identity is not None  # a stored row
    return jsonify(stored_answer(body, identity[0], recorded.receipt))


@bp.post("/<token>/api/handouts")
@csrf.exempt
@hot_path
def api_handouts(token):
    booth, device = _api_booth(token, booth_on_duty)
    body = _json_body()
    try:
        recorded = record_handout(
            booth, body.get("material"), body.get("quantity"), body.get("uuid"), device.device_id,
            recorded_at=recorded_at_of(body), user_agent=_user_agent(),
        )
    except EntriesClosed as error:
        return _closed(error)
    except Refusal as error:
        return _invalid(error.errors)
    return _stored(recorded, body)


@bp.get("/<token>/api/summary")
def api_summary(token):
    booth, device = _api_booth(token)
    context = _page_context(booth, device)
    recent = [
        {
            "type": entry["type"], "id": entry["id"], "uuid": entry["uuid"], "label": entry["label"],
            "detail": entry["detail"], "recorded_at": entry["recorded_at"].isoformat(), "editable": entry["editable"],
            "receipt": entry["receipt"],
        }
        for entry in context["recent"]
    ]
    return jsonify(
        ok=True,
        consultations_today=context["consultations_today"],
        handouts_today=context["handouts_today"],
        recent=recent,
        recent_html=render_template("booths/staff_recent.html", **context),
        server_time=utcnow().isoformat(),
    )
