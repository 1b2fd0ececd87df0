"""The unit contact's summary page: figures, the unit's own figures, narrative, photos, submission.

The unit is always the logged-in contact's own, so no URL can reach another unit's summary. A plain form POST
saves (and drafts or submits); summary.js autosaves to the JSON endpoint while the contact types.
"""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import TemplateNotFound

from campaign.plan.participants import takes_part
from campaign.shared.timeutil import local, time_left, utcnow
from campaign.summaries import access, drafting, figures, forms, window, workflow
from campaign.summaries.blueprint import unit as bp
from campaign.summaries.models import SECTIONS
from campaign.web.extensions import db
from campaign.web.refusal import Refusal, refused
from campaign.web.scope import current_campaign


def _photos_ready() -> bool:
    try:
        current_app.jinja_env.get_template("summaries/_photos.html")
    except TemplateNotFound:
        return False
    return True


def _saved_at(summary) -> str:
    return local(summary.updated_at).strftime("%H:%M") if summary is not None and summary.updated_at else ""


def _render(campaign, summary, form, recorded, posted_corrections=None, error=None, status=200):
    now = utcnow()
    state = workflow.summary_state(summary, campaign, now)
    editable = access.open_for_writing(summary)
    rows = figures.figure_rows(summary, recorded)
    for row in rows:
        row.label = forms.figure_label(row.key, row.label)
    if posted_corrections is not None:
        for row in rows:
            if row.key in posted_corrections:
                row.corrected = posted_corrections[row.key]["corrected"] or None
                row.reason = posted_corrections[row.key]["reason"]
    return render_template(
        "summaries/edit.html",
        campaign=campaign,
        unit=current_user.unit,
        summary=summary,
        form=form,
        state=state,
        state_label=workflow.STATE_LABELS[state],
        editable=editable,
        can_edit=summary is not None and editable,
        deadline=time_left(campaign.summary_deadline, now),
        late_if_now=workflow.is_late(campaign, now),
        window_closed=window.window_closed(campaign),
        groups=figures.grouped_rows(rows),
        group_labels=forms.FIGURE_GROUP_LABELS,
        section_fields=forms.section_fields(form),
        unit_figure_fields=forms.unit_figure_fields(form),
        missing=workflow.missing_for_submit(summary) if summary is not None else [],
        photos_ready=_photos_ready(),
        saved_at=_saved_at(summary),
        error=error,
        autosave_url=url_for("summaries.unit.autosave", campaign_id=campaign.id),
    ), status


def _not_taking_part(campaign):
    return render_template("summaries/not_taking_part.html", campaign=campaign, unit=current_user.unit)


@bp.route("/summaries/<int:campaign_id>", methods=["GET", "POST"])
def edit(campaign_id: int):
    campaign = current_campaign()
    unit = current_user.unit
    summary = workflow.find_summary(campaign.id, unit.id)
    if summary is None and not takes_part(campaign.id, unit.id):
        return _not_taking_part(campaign)
    recorded = figures.recorded_figures(campaign.id, unit.id)

    if request.method == "GET":
        form = forms.SummaryForm(formdata=None)
        if summary is not None:
            forms.fill_form(form, summary)
        else:
            form.base_revision.data = "0"
        return _render(campaign, summary, form, recorded)

    form = forms.SummaryForm()
    action = request.form.get("action")
    action = action if action in forms.ACTIONS else forms.ACTION_SAVE
    correction_keys = [row.key for row in figures.figure_rows(summary, recorded) if row.correctable]
    fields = forms.fields_from_form(request.form, correction_keys)
    if summary is not None and not access.is_editable(summary):
        # A second click on 报送, or a tab left open: nothing to change, say where things stand.
        flash(_("这份总结已报送，不能再修改。如需修改，请联系区政务公开办退回。"), "info")
        return redirect(url_for("summaries.unit.edit", campaign_id=campaign.id))
    try:
        summary = summary or workflow.get_or_create_summary(campaign, unit, current_user)
        workflow.save_draft(summary, current_user, fields, forms.base_revision(form.base_revision.data))
        if action == forms.ACTION_DRAFT:
            _draft(campaign, summary, request.form.get("overwrite") == "1")
        elif action == forms.ACTION_SUBMIT:
            # 报送 saves the text first, and the saved draft stands even when the submission is then refused
            # (the window closed, a section still missing): two steps, so two transactions.
            db.session.commit()
            workflow.submit(summary, current_user)
            if summary.late:
                flash(_("总结已报送。已过截止时间，本次报送记为逾期。"), "warning")
            else:
                flash(_("总结已报送，等待区政务公开办审核。"), "success")
        else:
            flash(_("草稿已保存。"), "success")
    except Refusal as error:
        # The posted text stays on the page: a refusal must not cost the contact what they typed.
        refused(error)
        summary = workflow.find_summary(campaign.id, unit.id)
        return _render(
            campaign, summary, form, figures.recorded_figures(campaign.id, unit.id),
            posted_corrections=fields["corrections"], error=error, status=409 if error.conflict else 400,
        )
    return redirect(url_for("summaries.unit.edit", campaign_id=campaign.id))


def _draft(campaign, summary, overwrite: bool) -> None:
    recorded = figures.recorded_figures(campaign.id, summary.unit_id)
    known = {**figures.effective_figures(summary, recorded), **(summary.unit_figures or {})}
    sections = drafting.draft_sections(
        campaign, summary.unit, known, drafting.campaign_tasks(campaign, summary.unit_id),
        leaders_present=summary.leaders_present,
    )
    filled = workflow.fill_sections(summary, current_user, sections, overwrite=overwrite)
    labels = dict(SECTIONS)
    if filled:
        flash(_("已起草：%(parts)s。请逐段核对、修改后再报送。", parts="、".join(labels[key] for key in filled)), "success")
    else:
        flash(_("各部分都已有内容，没有改动。如要用起草的文字替换，请勾选“覆盖已写的内容”后再点“起草”。"), "info")


@bp.post("/summaries/<int:campaign_id>/autosave")
def autosave(campaign_id: int):
    """JSON (fetch, X-CSRFToken header) or a form body (sendBeacon when the page is left)."""
    campaign = current_campaign()
    unit = current_user.unit
    summary = workflow.find_summary(campaign.id, unit.id)
    if summary is None and not takes_part(campaign.id, unit.id):
        return jsonify(ok=False, message=_("本届活动方案没有安排贵单位参加活动，无需报送总结。")), 403
    if request.is_json:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(ok=False, message=_("请求无效，请刷新页面后重试。")), 400
        fields = forms.fields_from_json(payload)
        base = forms.base_revision(payload.get("base_revision"))
    else:
        recorded = figures.recorded_figures(campaign.id, unit.id)
        keys = [row.key for row in figures.figure_rows(summary, recorded) if row.correctable]
        fields = forms.fields_from_form(request.form, keys)
        base = forms.base_revision(request.form.get("base_revision"))
    try:
        summary = summary or workflow.get_or_create_summary(campaign, unit, current_user)
        summary = workflow.save_draft(summary, current_user, fields, base)
    except Refusal as error:
        refused(error)
        current = workflow.find_summary(campaign.id, unit.id)
        locked = current is not None and not access.is_editable(current)
        return jsonify(
            ok=False, message=error.message, field=error.field, conflict=error.conflict, locked=locked,
            revision=current.revision if current is not None else 0,
        ), 409 if (error.conflict or locked) else 422
    return jsonify(
        ok=True, revision=summary.revision, saved_at=_saved_at(summary), summary_id=summary.id,
        message=_("已保存 %(time)s", time=_saved_at(summary)),
    )
