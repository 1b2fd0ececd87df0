"""The phone's two entry posts in the common case, answered before Flask's request machinery (issue 20).

Why: on the campaign day every consultation and handout a phone logs is a POST to /b/<token>/api/consultations or
/b/<token>/api/handouts, and at a busy hour a worker's CPU is the limit. Flask's request context, its URL matching,
fifteen request hooks and the response object cost as much CPU as storing the entry did.

What: a WSGI middleware (Flask's documented way: it wraps `app.wsgi_app`, as ProxyFix does) that takes such a post
when it is the common case and answers it as views/staff_api.py would:
- the booth's link is current and its booth on duty (on_duty.booth_on_duty),
- the phone is admitted: its device cookie, signed by us, for the booth's current token (device.admitted_device),
- the body is a JSON object (cleaned as every request's is, web/security.clean_json) of at most ENTRY_BODY_MAX,
- and recording.store_new_consultation / store_new_handout takes the entry: new, valid, opening no follow-up, while
  the campaign takes entries and is not rehearsing. They store it, its tallies and its receipt code in one
  transaction and commit before the answer, as the whole way does.
Anything else is passed to Flask untouched (the body put back), and the views answer it the whole way: a refusal in
the phone's language, a referral, a resend, a rehearsal's entry, a closed campaign, a missing cookie. A request
passed on has had nothing written; one that fails here (a database error) is passed on too, and stored once the
whole way, since an entry is stored once however often it arrives.
"""

import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import cast

from flask import Flask, Response
from werkzeug.http import parse_cookie, parse_options_header

from campaign.booths import device as devices
from campaign.booths.fast_recording import store_new_consultation, store_new_handout
from campaign.booths.on_duty import booth_on_duty
from campaign.booths.recording import Stored
from campaign.booths.views.staff_api import consultation_fields, recorded_at_of, stored_answer
from campaign.web.extensions import db
from campaign.web.security import SECURITY_HEADERS, clean_json

log = logging.getLogger(__name__)

# The staff blueprint's two routes (views/staff_api.py), the token as on_duty reads it.
ENTRY_POST = re.compile(r"/b/([^/]+)/api/(consultations|handouts)")
# An entry is under a kilobyte; a larger body is left to Flask and its own limit.
ENTRY_BODY_MAX = 64 * 1024


class EntryPosts:
    """The middleware: `app.wsgi_app = EntryPosts(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = ENTRY_POST.fullmatch(environ.get("PATH_INFO", "")) if environ.get("REQUEST_METHOD") == "POST" else None
        body = _json_body(environ) if match else None
        if match is not None and body is not None:
            with self.app.app_context():
                answer = self._store(match[1], match[2], body, environ.get("HTTP_COOKIE"))
            if answer is not None:
                start_response("200 OK", [
                    ("Content-Type", "application/json"), ("Content-Length", str(len(answer))), *SECURITY_HEADERS,
                ])
                return [answer]
        return self.wsgi_app(environ, start_response)

    def _store(self, token: str, kind: str, body: bytes, cookie_header: str | None) -> bytes | None:
        """The answer's bytes for an entry stored here; None for a post passed on, with nothing written."""
        try:
            data = clean_json(json.loads(body))
        except (ValueError, RecursionError):
            return None  # malformed: Flask answers it
        if not isinstance(data, dict):
            return None
        try:
            stored = _stored(token, kind, data, cookie_header)
        except Exception:  # noqa: BLE001 - passed on: the whole way stores it once, or answers the error
            log.exception("entry post passed on after an error")
            return None
        if stored is None:
            return None
        # Serialized as Flask's jsonify does (the same bytes as the view's answer to a resend).
        response = cast(Response, self.app.json.response(stored_answer(data, stored.id, stored.receipt)))
        return response.get_data()


def _stored(token: str, kind: str, data: dict, cookie_header: str | None) -> Stored | None:
    # A connection of its own, without the ORM session; given back (rolled back if nothing was committed) before
    # the request is passed on.
    with db.engine.connect() as connection:
        booth = booth_on_duty(token, connection)
        if booth is None:
            return None
        device = devices.admitted_device(booth, parse_cookie(cookie_header).get(devices.cookie_name(booth)))
        if device is None:
            return None
        if kind == "consultations":
            return store_new_consultation(connection, booth, consultation_fields(data), data.get("uuid"), device.device_id)
        return store_new_handout(connection, booth, data.get("material"), data.get("quantity"), data.get("uuid"),
                                 device.device_id, recorded_at=recorded_at_of(data))


def _json_body(environ: dict) -> bytes | None:
    """The body of a JSON post of a known, small length, read and put back for Flask; None for any other."""
    mimetype, _options = parse_options_header(environ.get("CONTENT_TYPE", ""))
    if mimetype != "application/json":
        return None
    length = environ.get("CONTENT_LENGTH", "")
    if not length.isdigit() or int(length) > ENTRY_BODY_MAX:
        return None
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)
    return body
