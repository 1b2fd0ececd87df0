"""The organizer's report pages: figures, text, photos, the background compilation and the snapshots.

The scorecard's pages are in scorecard_views.py, on the same blueprint.
"""

from typing import cast

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.report import jobs, narrative, number_checks, selection
from campaign.report.blueprint import district as bp
from campaign.report.compile import compile_report
from campaign.report.document import activity_heading, report_document
from campaign.report.exports import MIMETYPES, chart_svgs
from campaign.report.figures import ReportFigures
from campaign.report.forms import ConfirmForm, narrative_form
from campaign.report.models import ReportDraft, ReportJob, ReportSnapshot
from campaign.report.photos import available_photos, photo_selection
from campaign.report.prose.evidence import activity_evidence
from campaign.report.snapshots import FILE_KINDS, campaign_snapshots, snapshot_file
from campaign.summaries.models import Photo
from campaign.web.downloads import attachment
from campaign.web.extensions import db
from campaign.web.paging import page_arg
from campaign.web.refusal import Refusal, as_flash, as_json
from campaign.web.scope import current_campaign, owned


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _to_index(campaign_id: int, anchor: str | None = None):
    return redirect(url_for("report.district.index", campaign_id=campaign_id, _anchor=anchor))


@bp.get("")
def index(campaign_id: int):
    campaign = current_campaign()
    figures = compile_report(campaign)
    doc = report_document(figures, {})
    job = jobs.latest_job(campaign.id)
    return render_template(
        "report/index.html",
        unchecked=len(number_checks.open_mismatches(campaign.id, figures)),
        campaign=campaign,
        figures=figures,
        charts=chart_svgs(doc),
        job=job,
        job_state=jobs.job_status(job) if job else None,
        snapshots=campaign_snapshots(campaign.id),
        evidence=activity_evidence(figures),
        form=ConfirmForm(),
    )


def _section_labels(figures: ReportFigures) -> list[tuple[str, str]]:
    """Each field under the heading it will have in the document."""
    activities = {
        narrative.activity_key(a["id"]): activity_heading(number, a["title"])
        for number, a in enumerate(figures["activities"], start=1)
    }
    return [(key, str(narrative.SECTION_LABELS.get(key) or activities[key])) for key in narrative.section_keys(figures)]


@bp.route("/narrative", methods=["GET", "POST"])
def edit_narrative(campaign_id: int):
    campaign = current_campaign()
    figures = compile_report(campaign)
    draft = db.session.get(ReportDraft, campaign.id)
    current = narrative.narrative_for(draft, figures)
    revision = draft.revision if draft else 0
    labels = _section_labels(figures)
    form = narrative_form(labels, current, revision, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        texts = {key: field.data or "" for field, key in form.section_fields}
        try:
            base = int(form.revision.data)
        except (TypeError, ValueError):
            base = None
        try:
            changed = narrative.save_narrative(campaign.id, current_user, texts, base, [key for key, _ in labels])
        except Refusal as error:
            as_flash(error)
        else:
            flash(_("已保存。") if changed else _("内容没有变化。"), "success" if changed else "info")
            return redirect(url_for("report.district.edit_narrative", campaign_id=campaign.id))
    return render_template("report/narrative.html", campaign=campaign, form=form, draft=draft)


@bp.route("/redraft", methods=["GET", "POST"])
def redraft(campaign_id: int):
    campaign = current_campaign()
    form = ConfirmForm()
    if form.validate_on_submit():
        narrative.redraft(campaign.id, current_user, compile_report(campaign))
        flash(_("已按最新数据重新起草全部文字。"), "success")
        return redirect(url_for("report.district.edit_narrative", campaign_id=campaign.id))
    draft = db.session.get(ReportDraft, campaign.id)
    return render_template("report/redraft.html", campaign=campaign, form=form, draft=draft)


@bp.route("/photos", methods=["GET", "POST"])
def photos(campaign_id: int):
    campaign = current_campaign()
    form = ConfirmForm()
    page = page_arg(request.args)
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "default":
                changed = selection.default_photos(campaign.id, current_user)
            else:
                changed = selection.choose_photos(campaign.id, current_user, request.form.getlist("photo_id"), page)
        except Refusal as error:
            as_flash(error)
        else:
            flash(_("照片选择已保存。") if changed else _("照片选择没有变化。"), "success" if changed else "info")
            return redirect(url_for("report.district.photos", campaign_id=campaign.id, page=page))
    chosen = {photo["id"] for photo in photo_selection(campaign)}
    draft = db.session.get(ReportDraft, campaign.id)
    return render_template("report/photos.html", campaign=campaign, form=form, units=available_photos(campaign.id, page),
                           chosen=chosen, is_default=draft is None or draft.photo_ids is None)


@bp.get("/preview")
def preview(campaign_id: int):
    campaign = current_campaign()
    figures = compile_report(campaign)
    doc = report_document(figures, narrative.narrative_for(db.session.get(ReportDraft, campaign.id), figures))
    photo_src = {photo.id: url_for("summaries.photos.display", photo_id=photo.id) for photo in doc.photos}
    return render_template("documents/report_preview.html", campaign=campaign, doc=doc, chart_svgs=chart_svgs(doc),
                           photo_src=photo_src)


@bp.post("/compile")
def compile_now(campaign_id: int):
    campaign = current_campaign()
    try:
        # Before the job is queued, so the organizer is sent to the numbers at once (the job checks again).
        number_checks.require_checked(campaign.id, compile_report(campaign))
    except Refusal as error:
        if _wants_json():
            return as_json(error, 409)
        as_flash(error)
        return redirect(url_for("report.checks.index", campaign_id=campaign.id))
    job, created = jobs.start_job(campaign, current_user)
    if _wants_json():
        return jsonify({**jobs.job_status(job), "created": created}), 202 if created else 200
    flash(_("已开始编制，完成后可下载 PDF、Word 和 Excel 文件。") if created else _("编制任务已在进行中。"), "info")
    return _to_index(campaign.id, "job")


@bp.post("/register")
def include_register(campaign_id: int):
    """Whether the XLSX of the next compilation carries the consultation register."""
    campaign = current_campaign()
    if ConfirmForm().validate_on_submit():
        include = request.form.get("include") == "1"
        selection.include_register(campaign.id, current_user, include)
        flash(_("Excel 将附咨询登记明细。") if include else _("Excel 不附咨询登记明细。"), "success")
    return _to_index(campaign.id, "job")


@bp.get("/jobs/<int:job_id>")
def job(campaign_id: int, job_id: int):
    owned(ReportJob, job_id)
    jobs.fail_stale_jobs(campaign_id)
    job = db.session.get_one(ReportJob, job_id)
    state = jobs.job_status(job)
    if job.snapshot_id:
        state["snapshot_url"] = url_for("report.district.snapshot", campaign_id=campaign_id, snapshot_id=job.snapshot_id)
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/snapshots/<int:snapshot_id>")
def snapshot(campaign_id: int, snapshot_id: int):
    campaign = current_campaign()
    snapshot = owned(ReportSnapshot, snapshot_id)
    # The figures as compiled when the snapshot was taken, kept as JSON.
    figures = cast(ReportFigures, snapshot.figures or {})
    doc = report_document(figures, snapshot.narrative or {}) if figures.get("campaign") else None
    # Photos deleted since show as missing on the page; the files keep them.
    kept = set(db.session.scalars(sa.select(Photo.id).where(Photo.id.in_([p.id for p in doc.photos])))) if doc else set()
    return render_template(
        "report/snapshot.html", campaign=campaign, snapshot=snapshot, doc=doc,
        number_checks=number_checks.recorded_checks(snapshot.number_checks),
        chart_svgs=chart_svgs(doc) if doc else [],
        photo_src={photo_id: url_for("summaries.photos.display", photo_id=photo_id) for photo_id in kept},
    )


def _download(campaign_id: int, snapshot_id: int, kind: str):
    snapshot = owned(ReportSnapshot, snapshot_id)
    found = snapshot_file(snapshot, kind, current_app.config["UPLOAD_DIR"])
    if found is None:
        abort(404)
    body, name = found
    return attachment(body, MIMETYPES[kind], name, f"report-{campaign_id}-{snapshot_id}.{kind}")


def _make_download(kind: str):
    def download(campaign_id: int, snapshot_id: int):
        return _download(campaign_id, snapshot_id, kind)

    download.__name__ = f"snapshot_{kind}"
    return download


for _kind in FILE_KINDS:
    bp.add_url_rule(f"/snapshots/<int:snapshot_id>/{_kind}", f"snapshot_{_kind}", _make_download(_kind),
                    methods=["GET"])
