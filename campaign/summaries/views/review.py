"""The organizer's pages of unit summaries: the overview, one summary to review, reminders; and a summary's
PDF and Word file, which its own unit contact may download too."""

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.summaries import reminders
from campaign.summaries.blueprint import review as bp
from campaign.summaries.review import STATE_ORDER, campaign_overview, load_summary, summary_review
from campaign.summaries.window import close_window, reopen_window
from campaign.summaries.workflow import (
    STATE_LABELS,
    accept,
    reopen,
    return_summary,
)
from campaign.units.models import UNIT_KINDS
from campaign.web.paging import page_arg
from campaign.web.refusal import Refusal, as_flash
from campaign.web.scope import current_campaign


def _summary_or_404(summary_id: int):
    summary = load_summary(summary_id)
    if summary is None:
        abort(404)
    return summary


@bp.get("/campaigns/<int:campaign_id>/summaries")
def overview(campaign_id: int):
    campaign = current_campaign()
    # An unknown filter value (an old bookmark, a typo) shows everything rather than an error.
    state = request.args.get("state") if request.args.get("state") in STATE_LABELS else None
    kind = request.args.get("kind") if request.args.get("kind") in UNIT_KINDS else None
    return render_template(
        "summaries/overview.html",
        campaign=campaign,
        overview=campaign_overview(campaign, state=state, kind=kind, page=page_arg(request.args)),
        states=[(name, STATE_LABELS[name]) for name in STATE_ORDER],
        kinds=UNIT_KINDS,
    )


@bp.post("/campaigns/<int:campaign_id>/summaries/window")
def window(campaign_id: int):
    campaign = current_campaign()
    action = request.form.get("action")
    if action == "close":
        if close_window(campaign, current_user):
            flash(_("已停止接收总结：单位不能再报送，已报送的不受影响。"), "success")
        else:
            flash(_("总结报送已经是关闭的。"), "info")
    elif action == "reopen":
        if reopen_window(campaign, current_user):
            flash(_("已重新开放总结报送；截止时间之后报送的仍标为逾期。"), "success")
        else:
            flash(_("总结报送已经是开放的。"), "info")
    else:
        flash(_("请选择关闭或重新开放总结报送。"), "error")
    return redirect(url_for("summaries.review.overview", campaign_id=campaign.id))


@bp.get("/summaries/<int:summary_id>/review")
def review(summary_id: int):
    summary = _summary_or_404(summary_id)
    return render_template("summaries/review.html", review=summary_review(summary), campaign=summary.campaign)


@bp.post("/summaries/<int:summary_id>/return")
def return_to_unit(summary_id: int):
    summary = _summary_or_404(summary_id)
    note = request.form.get("note", "")
    try:
        return_summary(summary, current_user, note)
    except Refusal as error:
        if error.field != "note":
            as_flash(error)
            return redirect(url_for("summaries.review.review", summary_id=summary.id))
        # The note is kept on the page with the reason beside it, rather than lost in a redirect.
        page = render_template(
            "summaries/review.html",
            review=summary_review(summary),
            campaign=summary.campaign,
            note=note,
            note_error=str(error),
        )
        return page, 422
    flash(_("已退回%(unit)s，单位联络员会看到退回意见。", unit=summary.unit.name), "success")
    return redirect(url_for("summaries.review.review", summary_id=summary.id))


def _decide(summary, decision, done: str):
    """Accepting or undoing it: the decision's outcome (or its refusal) flashed, back on the summary."""
    try:
        decision(summary, current_user)
    except Refusal as error:
        as_flash(error)
    else:
        flash(done, "success")
    return redirect(url_for("summaries.review.review", summary_id=summary.id))


@bp.post("/summaries/<int:summary_id>/accept")
def accept_summary(summary_id: int):
    summary = _summary_or_404(summary_id)
    return _decide(summary, accept, _("已采纳%(unit)s的总结。", unit=summary.unit.name))


@bp.post("/summaries/<int:summary_id>/reopen")
def reopen_summary(summary_id: int):
    summary = _summary_or_404(summary_id)
    return _decide(summary, reopen, _("已撤销采纳，这份总结回到待审核。"))


@bp.get("/campaigns/<int:campaign_id>/summaries/reminders")
def reminder_list(campaign_id: int):
    campaign = current_campaign()
    rows = reminders.pending_rows(campaign)
    return render_template(
        "summaries/reminders.html",
        campaign=campaign,
        rows=rows,
        text=reminders.reminder_text(campaign, rows),
        emails={row.unit.id: reminders.contact_email(row.unit) for row in rows},
        smtp=reminders.smtp_settings(current_app.config),
        batch=secrets.token_urlsafe(16),
    )


@bp.post("/campaigns/<int:campaign_id>/summaries/reminders/email")
def email_reminders(campaign_id: int):
    campaign = current_campaign()
    rows = reminders.pending_rows(campaign)
    # Each unit contact opens the summary of the unit they belong to: one link serves every unit.
    link = url_for("summaries.unit.edit", campaign_id=campaign.id, _external=True)
    links = {row.unit.id: link for row in rows}
    try:
        results = reminders.send_reminders(
            reminders.smtp_settings(current_app.config),
            campaign,
            rows,
            current_user,
            links,
            batch=request.form.get("batch", ""),
        )
    except Refusal as error:
        as_flash(error)
        return redirect(url_for("summaries.review.reminder_list", campaign_id=campaign.id))
    for result in results:
        if result.ok:
            flash(_("已发送给%(unit)s（%(address)s）。", unit=result.row.unit.name, address=result.address), "success")
        else:
            flash(
                _("未能发送给%(unit)s（%(address)s）：%(error)s", unit=result.row.unit.name, address=result.address,
                  error=result.error),
                "error",
            )
    return redirect(url_for("summaries.review.reminder_list", campaign_id=campaign.id))
