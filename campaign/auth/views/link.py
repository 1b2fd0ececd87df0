"""The one-time sign-in link: its owner sets a password and lands on 我的任务 (organizers on their campaigns)."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.accounts import organizer_contact
from campaign.auth.blueprint import link as bp
from campaign.auth.forms import SetPasswordForm
from campaign.auth.links import link_by_token, link_problem, use_link
from campaign.auth.views.sign_in import end_browser_session, login_limit, start_browser_session
from campaign.web.extensions import limiter
from campaign.web.refusal import Refusal, on_form

# What the page says, and its status, for a link that cannot be used.
_GONE = {"unknown": 404, "used": 410, "voided": 410, "expired": 410, "inactive": 410}


def _cannot_use(problem: str, link):
    if problem == "used" and current_user.is_authenticated and link is not None and current_user.id == link.user_id:
        # The owner, signed in by this link already (a reload, the back button): where the link led.
        return redirect(url_for("home.index"))
    ask = link.created_by if link is not None and link.created_by is not None and link.created_by.active else None
    return render_template("auth/link_invalid.html", problem=problem, ask=ask or organizer_contact(),
                           link=link), _GONE[problem]


@bp.route("/<link_token>", methods=["GET", "POST"])
# Tokens cannot be guessed (256 bits); the limit only keeps anyone from hammering the password hashing.
@limiter.limit(login_limit, methods=["POST"])
def use(link_token: str):
    link = link_by_token(link_token)
    problem = link_problem(link)
    if problem is not None or link is None:
        return _cannot_use(problem or "unknown", link)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = use_link(link_token, form.password.data)
        except Refusal as refusal:
            if refusal.conflict:  # spent by another request a moment ago
                return _cannot_use(link_problem(link_by_token(link_token)) or "used", link)
            on_form(form, refusal)
        else:
            if current_user.is_authenticated:
                end_browser_session()
            start_browser_session(user, how="link")
            flash(_("密码已设置，欢迎使用。以后请用登录名“%(login)s”和这个密码登录。", login=user.username), "success")
            return redirect(url_for("home.index"))
    response = make_response(render_template("auth/link.html", form=form, account=link.user, link=link))
    # The page's address is the secret: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response
