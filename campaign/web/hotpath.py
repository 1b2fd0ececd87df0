"""The phone's hot path: the booth's JSON API (an entry sent from a phone), served without work it does not use.

Why: on the campaign day every consultation and handout a phone logs arrives here, and at a busy hour a worker's
CPU time is the limit (issue 20: 3.65 ms of CPU a request against 0.97 ms for a bare insert). This API reads no
Flask session (its phone is known by the booth's device cookie, booths/device.py) and no rate limit applies to it
(the staff token is the secret; the PIN is throttled elsewhere), yet every request decoded and re-signed the
session cookie and ran Flask-Limiter's hooks: about a fifth of its time.

How: a view marked `@hot_path` gets
- a session read only if something reads it: the one thing that may, the locale (an English user's error
  messages), then decodes the cookie. The session is never written or re-sent on these requests (it stays as the
  browser has it); writing to it raises, as Flask's null session does.
- no Flask-Limiter hooks (its before, after and teardown functions are skipped for these endpoints). A limit put
  on such a view would then not apply: `hot_path` refuses a view that carries one.
- no Flask-Login remember-cookie hook: it asks the session whether a "remember me" cookie is to be set or cleared
  (which decoded the session cookie on every entry), and nobody signs in or out on these requests.

The guarantees stay in the view: the token, the device cookie, validation, exactly-once.

The common case of these posts (a new, valid entry that opens no follow-up) does not reach Flask at all: it is
answered by booths/views/entry_posts.py. What this module does applies to the posts passed on to the views: a
refusal, a referral, a resend, a rehearsal's entry.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Request, request
from flask.sessions import NullSession, SecureCookieSessionInterface, SessionMixin
from flask_limiter.util import get_qualified_name
from werkzeug.exceptions import HTTPException

from campaign.web.extensions import limiter, login_manager

HOT = "_hot_path"


def hot_path(view: Callable) -> Callable:
    """Mark a view as the phone's hot path (see the module's docstring). Put it below the route decorator."""
    setattr(view, HOT, True)
    return view


def is_hot(app: Flask, endpoint: str | None) -> bool:
    return bool(endpoint) and getattr(app.view_functions.get(endpoint or ""), HOT, False)


class DeferredSession(NullSession):
    """The session of a hot-path request: read from its cookie on the first read, never saved."""

    def __init__(self, load: Callable[[], SessionMixin | None]):
        super().__init__()
        self._load = load
        self._loaded: SessionMixin | None = None

    def _stored(self) -> SessionMixin | dict:
        if self._loaded is None:
            self._loaded = self._load() or {}  # type: ignore[assignment]  # an empty mapping reads as none
        return self._loaded  # type: ignore[return-value]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._stored().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        return self._stored()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._stored()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, deferred on the hot path."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:  # type: ignore[override]
        if request.method == "POST" and _hot_request(app, request):
            return DeferredSession(lambda: super(SessionInterface, self).open_session(app, request))
        return super().open_session(app, request)


def _hot_request(app: Flask, request: Request) -> bool:
    # The session opens before Flask matches the URL: match it here (a few microseconds), for the POSTs only.
    try:
        rule, _args = app.create_url_adapter(request).match(return_rule=True)  # type: ignore[union-attr]
    except HTTPException:
        return False
    return is_hot(app, rule.endpoint)


def _before_unless_hot(app: Flask, function: Callable) -> Callable:
    @wraps(function)
    def hook():
        return None if is_hot(app, request.endpoint) else function()

    return hook


def _after_unless_hot(app: Flask, function: Callable) -> Callable:
    @wraps(function)
    def hook(response):
        return response if is_hot(app, request.endpoint) else function(response)

    return hook


def _teardown_unless_hot(app: Flask, function: Callable) -> Callable:
    @wraps(function)
    def hook(error):
        return None if is_hot(app, request.endpoint) else function(error)

    return hook


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()
    for endpoint, view in app.view_functions.items():
        if getattr(view, HOT, False) and limiter.limit_manager.decorated_limits(get_qualified_name(view)):
            raise RuntimeError(f"{endpoint} carries a rate limit but is on the hot path, which skips the limiter")
    _skip_hooks(app)


def _is_skipped_hook(function) -> bool:
    """Flask-Limiter's hooks, and Flask-Login's remember-cookie update."""
    owner = getattr(function, "__self__", None)
    if owner is None and hasattr(function, "args"):  # functools.partial(Limiter.__inject_headers, limiter)
        owner = function.args[0] if function.args else None
    return owner is limiter or owner is login_manager


def _skip_hooks(app: Flask) -> None:
    wrappers: Any = (
        (app.before_request_funcs, _before_unless_hot),
        (app.after_request_funcs, _after_unless_hot),
        (app.teardown_request_funcs, _teardown_unless_hot),
    )
    for hooks, unless_hot in wrappers:
        functions = hooks.get(None, [])
        hooks[None] = [unless_hot(app, function) if _is_skipped_hook(function) else function for function in functions]
