"""Response headers that keep pages from running or loading anything but our own files, and the one rule for what
text a request may bring in."""

import math
import re

from flask import Request, abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import BadRequest

# Invisible characters no one types on purpose: C0/C1 controls other than tab and line breaks (NUL is refused by
# PostgreSQL and ends strings in C tools), lone surrogates (not UTF-8 at all), and the bidirectional embeddings,
# overrides and isolates that make stored text display in another order than it reads.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# Ids are INTEGER columns: 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1


def clean_text(text: str) -> str:
    return UNSAFE_CHARACTERS.sub("", text)


class CleanMultiDict(ImmutableMultiDict):
    """Query string and form fields with those characters taken out, before any view or form sees them."""

    def __init__(self, mapping=None):
        if mapping is not None:
            # A multipart part whose name could not be read (a line break in it) has none: it is no field.
            mapping = [
                (clean_text(key), clean_text(value) if isinstance(value, str) else value)
                for key, value in iter_multi_items(mapping) if isinstance(key, str)
            ]
        super().__init__(mapping)


def clean_json(value):
    """A parsed JSON body with those characters taken out of every string (keys too); raises ValueError for NaN and
    Infinity, which are not JSON though Python's parser takes them."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("non-finite number")
    return value


_flask_wtf_formdata = FlaskForm.Meta.wrap_formdata


def _formdata_from_forms_only(meta, form, formdata):
    """Flask-WTF fills a form from a JSON body when there is no form body. None of our forms is sent as JSON, and
    JSON brings numbers, lists and objects where a form field expects a string: such a request fills no form."""
    if request.is_json and not request.form and not request.files:
        formdata = None
    return _flask_wtf_formdata(meta, form, formdata)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict
    # The body as cleaned, kept like werkzeug keeps the parsed one: every reader after the first (the check below,
    # then the view) gets it without walking it again.
    _cleaned_json: object = None

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        if cache and self._cleaned_json is not None:
            return self._cleaned_json
        try:
            # Nesting deeper than Python's recursion limit ([[[[…) is refused like any other malformed body.
            cleaned = clean_json(super().get_json(force=force, silent=silent, cache=cache))
        except (ValueError, RecursionError) as error:
            if silent:
                return None
            raise BadRequest("Failed to decode JSON object") from error
        if cache:
            self._cleaned_json = cleaned
        return cleaned


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)

# Every response carries them (the phone's entry posts answered before Flask too: booths/views/entry_posts.py).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


def register(app) -> None:
    app.request_class = CleanRequest
    FlaskForm.Meta.wrap_formdata = _formdata_from_forms_only

    @app.url_value_preprocessor
    def refuse_unsafe_path(endpoint, values):
        # A token in the path with such characters, or an id beyond the database's integers, names nothing we
        # could have made (and the id would overflow the query).
        for value in (values or {}).values():
            if isinstance(value, str) and UNSAFE_CHARACTERS.search(value):
                abort(404)
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                abort(404)

    @app.before_request
    def json_bodies_are_objects():
        # Every JSON endpoint reads an object, and a form view fed JSON (Flask-WTF turns the body into its form
        # data) would fail on anything else: a list, a string or a number is refused here, as one bad request.
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        if writes and request.is_json and not isinstance(request.get_json(silent=True), dict):
            abort(400)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response
