"""The plan's own sections (plan/sections.py): listed, added, edited, moved and deleted on one page of the campaign."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.plan import sections as services
from campaign.plan.blueprint import activities as bp
from campaign.plan.document import outline
from campaign.plan.forms import SectionForm
from campaign.plan.models import PlanSection
from campaign.web.refusal import Refusal, as_flash, on_form
from campaign.web.scope import current_campaign, owned


def _to_list(campaign_id: int, section_id: int | None = None):
    anchor = f"section-{section_id}" if section_id else None
    return redirect(url_for("plan.activities.sections", campaign_id=campaign_id, _anchor=anchor))


@bp.route("/sections", methods=["GET", "POST"])
def sections(campaign_id: int):
    campaign = current_campaign()
    form = SectionForm()
    if form.validate_on_submit():
        try:
            section = services.add_section(current_user, campaign, form.title.data, form.text.data, form.place.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已添加章节“%(title)s”。", title=section.title), "success")
            return _to_list(campaign.id, section.id)
    return render_template("plan/sections.html", form=form, campaign=campaign, rows=_rows(campaign))


def _rows(campaign):
    """The outline's rows, with whether each of the plan's own sections can move up or down among its place's."""
    rows = []
    for number, title, section in outline(campaign):
        beside = [other for other in campaign.sections if section is not None and other.place == section.place]
        rows.append({"number": number, "title": title, "section": section,
                     "up": bool(beside) and beside[0] is not section, "down": bool(beside) and beside[-1] is not section})
    return rows


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
def edit_section(campaign_id: int, section_id: int):
    section = owned(PlanSection, section_id)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        try:
            services.update_section(current_user, section, form.title.data, form.text.data, form.place.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存章节。"), "success")
            return _to_list(campaign_id, section.id)
    return render_template("plan/section_form.html", form=form, campaign=section.campaign, section=section)


@bp.post("/sections/<int:section_id>/delete")
def delete_section(campaign_id: int, section_id: int):
    section = owned(PlanSection, section_id)
    services.delete_section(current_user, section)
    flash(_("已删除章节。"), "success")
    return _to_list(campaign_id)


@bp.post("/sections/<int:section_id>/move")
def move_section(campaign_id: int, section_id: int):
    section = owned(PlanSection, section_id)
    try:
        services.move_section(current_user, section, request.form.get("direction", ""))
    except Refusal as error:
        as_flash(error)
    return _to_list(campaign_id, section_id)
