"""A unit summary as a document (PDF, Word): for organizers, and for the contact of the summary's own unit."""

from flask import abort, current_app
from flask_login import current_user

from campaign.summaries import access
from campaign.summaries.blueprint import documents as bp
from campaign.summaries.document import summary_document, summary_docx, summary_pdf
from campaign.summaries.review import load_summary
from campaign.web.downloads import DOCX_MIMETYPE, attachment, static_folder


def _readable_summary(summary_id: int):
    summary = load_summary(summary_id)
    if summary is None:
        abort(404)
    if not access.is_organizer_or_own_unit(current_user, summary):
        abort(403)
    return summary


@bp.get("/summaries/<int:summary_id>/pdf")
def pdf(summary_id: int):
    summary = _readable_summary(summary_id)
    document = summary_document(summary, current_app.config["UPLOAD_DIR"])
    body = summary_pdf(document, static_folder=static_folder())
    return attachment(body, "application/pdf", f"{document.filename_stem}.pdf", f"summary-{summary.id}.pdf")


@bp.get("/summaries/<int:summary_id>/docx")
def docx(summary_id: int):
    summary = _readable_summary(summary_id)
    document = summary_document(summary, current_app.config["UPLOAD_DIR"])
    return attachment(summary_docx(document), DOCX_MIMETYPE, f"{document.filename_stem}.docx",
                      f"summary-{summary.id}.docx")
