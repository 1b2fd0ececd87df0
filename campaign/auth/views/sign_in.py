from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign.auth.blueprint import auth as bp
from campaign.auth.forms import ChangePasswordForm, LoginForm
from campaign.auth.models import User
from campaign.auth.services import authenticate, note_login_failure
from campaign.shared.audit import record
from campaign.web.extensions import db, limiter, login_manager
from campaign.web.redirects import local_path

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user:
            login_user(user)
            record(user, "login", user)  # committed with the request
            return redirect(local_path(request.args.get("next")) or url_for("home.index"))
        note_login_failure(form.username.data)
        flash(_("用户名或密码错误。"), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("当前密码不正确。"))
        else:
            current_user.set_password(form.new_password.data)
            record(current_user, "password_changed", current_user)  # committed with the request
            flash(_("密码已修改。"), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)


