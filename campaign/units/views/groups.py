"""Unit groups (统称): the list with each group's members, adding, editing and deleting one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.units.blueprint import groups as bp
from campaign.units.forms import UnitGroupForm
from campaign.units.groups import delete_group, members, ordered_groups, save_group
from campaign.units.models import UNIT_KINDS, UnitGroup, ordered_units
from campaign.web.extensions import db
from campaign.web.refusal import Refusal, as_flash, on_form


def _to_list():
    return redirect(url_for("units.groups.index"))


@bp.get("/")
def index():
    groups = [(group, members(group)) for group in ordered_groups()]
    return render_template("units/groups.html", groups=groups, kinds=UNIT_KINDS)


def _group_form(group: UnitGroup | None):
    """New and edit share the form and its page."""
    form = UnitGroupForm(obj=group)
    if group is not None and not form.is_submitted():
        form.unit_kind.data = group.unit_kind or ""
        form.unit_ids.data = [unit.id for unit in group.chosen]
    if form.validate_on_submit():
        try:
            saved = save_group(current_user, form.name.data, form.unit_kind.data, form.unit_ids.data or [], group)
        except Refusal as error:
            on_form(form, error, field="name")
        else:
            flash(_("已保存统称“%(name)s”。", name=saved.name), "success")
            return _to_list()
    chosen = set(form.unit_ids.data or [])
    return render_template("units/group_form.html", form=form, group=group, units=ordered_units(), chosen=chosen)


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _group_form(None)


@bp.route("/<int:unit_group_id>/edit", methods=["GET", "POST"])
def edit(unit_group_id: int):
    return _group_form(db.get_or_404(UnitGroup, unit_group_id))


@bp.post("/<int:unit_group_id>/delete")
def delete(unit_group_id: int):
    group = db.get_or_404(UnitGroup, unit_group_id)
    name = group.name
    try:
        delete_group(current_user, group)
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已删除统称“%(name)s”。", name=name), "success")
    return _to_list()
