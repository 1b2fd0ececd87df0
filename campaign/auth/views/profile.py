"""A user's own account: name, phone and e-mail, and the password."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.accounts import ProfileFields, change_own_password, update_profile
from campaign.auth.blueprint import profile as bp
from campaign.auth.forms import ChangePasswordForm, ProfileForm
from campaign.auth.views.sign_in import start_browser_session
from campaign.web.forms import values_of
from campaign.web.refusal import Refusal, on_form


@bp.route("/profile", methods=["GET", "POST"])
def edit():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            changes = update_profile(user, values_of(form, ProfileFields))
        except Refusal as refusal:
            on_form(form, refusal)
        else:
            flash(_("个人信息已保存。") if changes else _("没有需要保存的修改。"), "success")
            return redirect(url_for("auth.profile.edit"))
    return render_template("auth/profile.html", form=form, user=user)


@bp.route("/password", methods=["GET", "POST"])
def password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(user, form.current_password.data, form.new_password.data)
        except Refusal as refusal:
            on_form(form, refusal)
        else:
            # Every session of the user ended with the old password; this browser gets a new one.
            start_browser_session(user, how=None)
            flash(_("密码已修改。您在其他设备上的登录已全部退出。"), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
