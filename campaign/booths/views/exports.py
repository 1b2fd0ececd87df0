"""The booths' large files, made in the background (booths/file_jobs.py): start one, follow its progress, download
it. The board's XLSX and the consultation register (names and phones masked unless an organizer confirms, which is
audit-logged when asked), and the QR cards of every booth (started from the booth list)."""

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths.blueprint import exports as bp
from campaign.booths.file_jobs import BOARD_XLSX, CARDS_PDF, KIND_LABELS, REGISTER_XLSX
from campaign.booths.forms import FullExportForm
from campaign.jobs.files import file_job_status, job_file, start_file_job
from campaign.jobs.models import FileJob
from campaign.jobs.state import reap
from campaign.shared.audit import record
from campaign.web.downloads import XLSX_MIMETYPE, attachment
from campaign.web.extensions import db
from campaign.web.scope import current_campaign, owned

WORKBOOKS = {"board": BOARD_XLSX, "register": REGISTER_XLSX}
MIMETYPES = {BOARD_XLSX: XLSX_MIMETYPE, REGISTER_XLSX: XLSX_MIMETYPE, CARDS_PDF: "application/pdf"}
LISTED = 20


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _status(job: FileJob) -> dict:
    state = {**file_job_status(job), "kind_label": str(KIND_LABELS.get(job.kind, job.kind))}
    if job_file(job) is not None:
        state["download_url"] = url_for("booths.exports.download", campaign_id=job.campaign_id, job_id=job.id)
    return state


def started(job: FileJob):
    """The answer to a request that started a file job: JSON 202, or the list of files with the new one."""
    if _wants_json():
        return jsonify(_status(job)), 202
    flash(_("已开始在后台生成文件，完成后可在此下载。"), "info")
    return redirect(url_for("booths.exports.index", campaign_id=job.campaign_id))


@bp.get("")
def index(campaign_id: int):
    campaign = current_campaign()
    reap(FileJob, campaign.id)
    jobs = list(db.session.scalars(
        sa.select(FileJob).where(FileJob.campaign_id == campaign.id).order_by(FileJob.id.desc()).limit(LISTED)
    ))
    states = [_status(job) for job in jobs]
    return render_template("booths/exports.html", campaign=campaign, jobs=states, form=FullExportForm(),
                           active=any(state["active"] for state in states))


@bp.post("")
def start(campaign_id: int):
    campaign = current_campaign()
    kind = WORKBOOKS.get(request.form.get("what", "board"))
    form = FullExportForm()
    full = request.form.get("full") == "1"
    if kind is None or not form.validate_on_submit():
        abort(400)
    if full and not form.confirm.data:
        flash(_("如需导出完整姓名和电话，请先勾选确认。"), "error")
        return redirect(url_for("booths.board.index", campaign_id=campaign.id))
    job = start_file_job(campaign.id, kind, {"full": full}, current_user)
    if full:
        # The organizer asked for names and phones: logged now, with the request (committed with it).
        record(current_user, "board_export_full", campaign, campaign_id=campaign.id, job_id=job.id)
    return started(job)


@bp.get("/<int:job_id>")
def status(campaign_id: int, job_id: int):
    owned(FileJob, job_id)
    reap(FileJob, campaign_id)
    response = jsonify(_status(db.session.get_one(FileJob, job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:job_id>/file")
def download(campaign_id: int, job_id: int):
    job = owned(FileJob, job_id)
    path = job_file(job)
    if path is None:
        abort(404)
    return attachment(path, MIMETYPES.get(job.kind, "application/octet-stream"), job.file_name,
                      f"{job.kind.replace('_', '-')}-{job.id}{path.suffix}")
