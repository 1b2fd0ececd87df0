"""Inviting units' contacts in bulk: every unit without a contact, or the units ticked."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.blueprint import invites as bp
from campaign.auth.forms import BatchForm
from campaign.auth.invites import contacts_by_unit, invite_units
from campaign.auth.links import batch_done, checked_batch, new_batch
from campaign.auth.views.accounts import already_made, link_days, render_sheet
from campaign.units.models import ordered_units
from campaign.web.forms import optional_id
from campaign.web.refusal import Refusal, as_flash


@bp.get("/")
def choose():
    units = ordered_units()
    contacts = contacts_by_unit()
    without = [unit for unit in units if unit.id not in contacts]
    return render_template("auth/invite.html", units=units, contacts=contacts, without=without,
                           form=BatchForm(batch=new_batch()), days=link_days())


@bp.post("/")
def send():
    form = BatchForm()
    try:
        if not form.validate_on_submit():
            raise Refusal(_("页面已过期，请刷新后重试。"))
        batch = checked_batch(form.batch.data)
        if batch_done(batch):
            return already_made()
        if request.form.get("scope") == "ticked":
            unit_ids = [unit_id for unit_id in map(optional_id, request.form.getlist("unit")) if unit_id is not None]
            if not unit_ids:
                raise Refusal(_("请勾选要邀请的单位。"))
        else:
            unit_ids = None
        result = invite_units(current_user, unit_ids, link_days(), batch)
        if not result.invitations:
            raise Refusal(_("没有需要邀请的单位：所选单位的联络员都已登录过。") if result.skipped
                          else _("每个单位都已有联络员账号。"))
    except Refusal as refusal:
        as_flash(refusal)
        return redirect(url_for("auth.invites.choose"))
    if result.skipped:
        flash(_("%(n)s 个单位的联络员已登录过，未重新邀请（如需要，请在其账号页重置密码）。", n=len(result.skipped)), "info")
    return render_sheet([invitation.link for invitation in result.invitations],
                        _("已邀请 %(n)s 位单位联络员", n=len(result.invitations)), skipped=result.skipped)
