"""The plan document as a page, a PDF and a Word file."""


from flask import render_template

from campaign.documents.pdf import render_pdf
from campaign.plan.blueprint import document as bp
from campaign.plan.document import plan_document, plan_docx
from campaign.plan.overview import load_plan
from campaign.web.downloads import DOCX_MIMETYPE, attachment, static_folder
from campaign.web.scope import current_campaign


def _plan():
    # An issued plan is a public document; a draft is the organizers' working copy, and current_campaign()
    # answers 404 for it to anyone else.
    return load_plan(current_campaign().id)


@bp.get("")
def preview(campaign_id: int):
    campaign = _plan()
    return render_template("documents/plan_preview.html", campaign=campaign, plan=plan_document(campaign))


@bp.get("/pdf")
def pdf(campaign_id: int):
    campaign = _plan()
    plan = plan_document(campaign)
    html = render_template("documents/plan.html", plan=plan)
    body = render_pdf(html, base_url=static_folder())
    return attachment(body, "application/pdf", f"{plan.filename_stem}.pdf", f"plan-{campaign.year}.pdf")


@bp.get("/docx")
def docx(campaign_id: int):
    campaign = _plan()
    plan = plan_document(campaign)
    return attachment(plan_docx(plan), DOCX_MIMETYPE, f"{plan.filename_stem}.docx", f"plan-{campaign.year}.docx")
