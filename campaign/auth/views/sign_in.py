"""Signing in with a password, signing out, and the session a browser holds (auth/sessions.py)."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign.auth import sessions
from campaign.auth.authentication import note_sign_in, password_sign_in
from campaign.auth.blueprint import sign_in as bp
from campaign.auth.forms import LoginForm
from campaign.auth.models import User
from campaign.auth.throttle import paused_message
from campaign.web.extensions import limiter, login_manager
from campaign.web.redirects import local_path

login_manager.login_view = "auth.sign_in.login"
login_manager.login_message = None

# The session cookie's field holding the key of this browser's session row.
SESSION_KEY = "session_key"


@login_manager.user_loader
def load_user(user_id: str):
    return sessions.session_user(user_id, session.get(SESSION_KEY))


def start_browser_session(user: User, how: str | None = "password") -> None:
    """Sign this browser in as `user`: a new session row, its key in the cookie, and (`how` it signed in) the
    sign-in noted."""
    session.pop(SESSION_KEY, None)
    key = sessions.start_session(user, current_app.permanent_session_lifetime)
    login_user(user)
    session[SESSION_KEY] = key
    if how:
        note_sign_in(user, how)


def end_browser_session() -> None:
    sessions.end_session(session.pop(SESSION_KEY, None))
    logout_user()


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = password_sign_in(form.username.data, form.password.data, request.remote_addr or "")
        if attempt.user is not None:
            start_browser_session(attempt.user)  # committed with the request
            return redirect(local_path(request.args.get("next")) or url_for("home.index"))
        if attempt.paused_until is not None:
            flash(str(paused_message(attempt.paused_until)), "error")
        else:
            flash(_("用户名或密码错误。"), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # This browser's session row ends: a copy of the cookie taken before is refused from now on.
    end_browser_session()
    return redirect(url_for("auth.sign_in.login"))
