"""The plan's own sections (plan/sections.py): listed, added, edited, moved and deleted on one page of the campaign."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.plan import sections as services
from campaign.plan.blueprint import activities as bp
from campaign.plan.document import numbered_sections
from campaign.plan.forms import SectionForm
from campaign.plan.models import STANDARD_SECTIONS, PlanSection
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
    """Every section in the document's order and number; the plan's own with whether each can move up or down."""
    rows: list[dict[str, Any]] = []
    for number, item in numbered_sections(campaign.sections):
        if isinstance(item, str):
            rows.append({"number": number, "title": STANDARD_SECTIONS[item], "section": None})
            continue
        same_place = services.beside(item)
        rows.append({"number": number, "title": item.title, "section": item,
                     "up": same_place[0] is not item, "down": same_place[-1] is not item})
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
