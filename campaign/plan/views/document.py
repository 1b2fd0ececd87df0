"""The plan document as a page, a PDF and a Word file."""


from flask import abort, current_app, render_template
from flask_login import current_user

from campaign.documents.pdf import render_pdf
from campaign.plan.blueprint import document as bp
from campaign.plan.document import plan_document, plan_docx
from campaign.plan.overview import load_plan
from campaign.web.downloads import attachment

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign_or_abort(campaign_id: int):
    campaign = load_plan(campaign_id)
    if campaign is None:
        abort(404)
    # An issued plan is a public document; a draft is the organizers' working copy.
    if not current_user.is_organizer and campaign.is_draft:
        abort(403)
    return campaign


@bp.get("")
def preview(campaign_id: int):
    campaign = _campaign_or_abort(campaign_id)
    return render_template("documents/plan_preview.html", campaign=campaign, plan=plan_document(campaign))


@bp.get("/pdf")
def pdf(campaign_id: int):
    campaign = _campaign_or_abort(campaign_id)
    plan = plan_document(campaign)
    html = render_template("documents/plan.html", plan=plan)
    body = render_pdf(html, base_url=current_app.static_folder)
    return attachment(body, "application/pdf", f"{plan.filename_stem}.pdf", f"plan-{campaign.year}.pdf")


@bp.get("/docx")
def docx(campaign_id: int):
    campaign = _campaign_or_abort(campaign_id)
    plan = plan_document(campaign)
    return attachment(plan_docx(plan), DOCX_MIMETYPE, f"{plan.filename_stem}.docx", f"plan-{campaign.year}.docx")
