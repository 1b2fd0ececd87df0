"""The organizers' accounts pages: the list with its filters, one account's page (edit, deactivate, reactivate,
sign out everywhere, a new one-time link, lift a sign-in pause, its history), a new account, and the history of
all accounts."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth import history
from campaign.auth.accounts import (
    AccountFields,
    create_account,
    set_active,
    sign_out_everywhere,
    update_account,
)
from campaign.auth.blueprint import accounts as bp
from campaign.auth.directory import STATES, Filters, account_rows, directory
from campaign.auth.forms import AccountForm, BatchForm
from campaign.auth.links import DEFAULT_DAYS, batch_done, checked_batch, issue_link, new_batch
from campaign.auth.models import User
from campaign.auth.sheet import sheet_entries, wechat_text
from campaign.auth.throttle import lift_pause
from campaign.units.models import ordered_units
from campaign.web.extensions import db
from campaign.web.forms import choices, optional_id, values_of
from campaign.web.refusal import Refusal, as_flash, on_form


def link_days() -> int:
    return int(current_app.config.get("SIGN_IN_LINK_DAYS", DEFAULT_DAYS))


def _filters() -> Filters:
    return Filters(
        role=request.args.get("role", ""),
        unit_id=optional_id(request.args.get("unit")),
        state=request.args.get("state", ""),
        q=request.args.get("q", ""),
    ).cleaned()


def render_sheet(issued: list, title: str, skipped=()):
    """The links just made, shown this once (the page is not stored, and nothing can show them again)."""
    entries = sheet_entries([(link.user.unit.name if link.user.unit else "区政务公开办", link) for link in issued],
                            request.url_root)
    wechat = wechat_text(entries, link_days())
    response = current_app.make_response(render_template(
        "auth/sheet.html", entries=entries, title=title, skipped=skipped, wechat=wechat))
    # Neither the browser's cache nor a proxy keeps the page with the links.
    response.headers["Cache-Control"] = "no-store"
    return response


def already_made():
    """The same submission sent again: its links were shown once and are not shown again."""
    return render_template("auth/sheet_again.html"), 409


@bp.get("/")
def index():
    filters = _filters()
    result = directory(filters, current_app.permanent_session_lifetime)
    return render_template("auth/accounts.html", directory=result, filters=filters, args=filters.as_args(),
                           states=STATES, units=ordered_units(include_inactive=True))


def _unit_choices(user: User | None = None) -> list:
    units = [unit for unit in ordered_units(include_inactive=True)
             if unit.active or (user is not None and user.unit_id == unit.id)]
    return choices([("", _("（请选择单位）"))] + [(unit.id, unit.name) for unit in units])


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = AccountForm()
    form.unit_id.choices = _unit_choices()
    if request.method == "GET":
        form.batch.data = new_batch()
        form.unit_id.data = optional_id(request.args.get("unit"))
    if form.validate_on_submit():
        try:
            batch = checked_batch(form.batch.data)
            if batch_done(batch):
                return already_made()
            user = create_account(current_user, values_of(form, AccountFields))
            link = issue_link(current_user, user, link_days(), batch)
        except Refusal as refusal:
            on_form(form, refusal)
        else:
            return render_sheet([link], _("已创建账号“%(login)s”", login=user.username))
    return render_template("auth/account_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AccountForm(obj=user)
    form.unit_id.choices = _unit_choices(user)
    if form.validate_on_submit():
        try:
            changes = update_account(current_user, user, values_of(form, AccountFields))
        except Refusal as refusal:
            on_form(form, refusal)
        else:
            flash(_("已保存账号“%(login)s”。", login=user.username) if changes else _("没有需要保存的修改。"), "success")
            return redirect(url_for("auth.accounts.edit", user_id=user.id))
    (row,) = account_rows([user], current_app.permanent_session_lifetime)
    lines = history.account_history([user.id], {user.id: f"{user.username}（{user.display_name}）"}, limit=100)
    batch = BatchForm(batch=new_batch())
    return render_template("auth/account_form.html", form=form, user=user, row=row, lines=lines, batch_form=batch)


@bp.post("/<int:user_id>/active")
def active(user_id: int):
    user = db.get_or_404(User, user_id)
    # The wanted state is explicit, so a double click or a resubmitted form cannot flip it back.
    wanted = request.form.get("active")
    try:
        if wanted not in ("0", "1"):
            raise Refusal(_("请求无效，请重试。"))
        if set_active(current_user, user, wanted == "1"):
            if user.active:
                flash(_("已启用账号“%(login)s”。", login=user.username), "success")
            else:
                flash(_("已停用账号“%(login)s”：它的所有登录和未用的链接已失效。", login=user.username), "success")
    except Refusal as refusal:
        as_flash(refusal)
    return redirect(url_for("auth.accounts.edit", user_id=user.id))


@bp.post("/<int:user_id>/sign-out")
def sign_out(user_id: int):
    user = db.get_or_404(User, user_id)
    ended = sign_out_everywhere(current_user, user)
    flash(_("账号“%(login)s”已在所有设备上退出登录（%(n)s 处）。", login=user.username, n=ended), "success")
    return redirect(url_for("auth.accounts.edit", user_id=user.id))


@bp.post("/<int:user_id>/link")
def new_link(user_id: int):
    """A new one-time link: an invitation again for an account that never set a password, a reset for one that
    has (its password and sessions end now)."""
    user = db.get_or_404(User, user_id)
    form = BatchForm()
    try:
        if not form.validate_on_submit():
            raise Refusal(_("页面已过期，请刷新后重试。"))
        batch = checked_batch(form.batch.data)
        if batch_done(batch):
            return already_made()
        if not user.active:
            raise Refusal(_("账号已停用，请先启用。"))
        reset = user.has_password
        link = issue_link(current_user, user, link_days(), batch)
    except Refusal as refusal:
        as_flash(refusal)
        return redirect(url_for("auth.accounts.edit", user_id=user.id))
    title = (_("已重置“%(login)s”的密码", login=user.username) if reset
             else _("已为“%(login)s”生成新的登录链接", login=user.username))
    return render_sheet([link], title)


@bp.post("/<int:user_id>/unpause")
def unpause(user_id: int):
    user = db.get_or_404(User, user_id)
    if lift_pause(current_user, user):
        flash(_("已解除账号“%(login)s”的登录暂停。", login=user.username), "success")
    return redirect(url_for("auth.accounts.edit", user_id=user.id))


@bp.get("/history")
def log():
    names = {user.id: f"{user.username}（{user.display_name}）" for user in db.session.scalars(db.select(User))}
    return render_template("auth/history.html", lines=history.account_history(None, names, limit=300))

