"""Compiling the report on the task queue (campaign/jobs/): a ReportJob row, run by a `flask queue worker`.

`start_job` makes the row (or hands back the one already under way: one per campaign at a time) and enqueues it
once committed; a consumer claims it, writes its progress and a heartbeat to the row, and the page polls the row,
so the organizer may leave and come back. A job whose worker died is put back on the queue once, then failed
(jobs/state.reap), within JOB_STALE_SECONDS of its last heartbeat. `flask report compile` runs the same job in the
foreground.
"""

from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.jobs import state
from campaign.jobs.state import ACTIVE, JOB_FAILED, JOB_QUEUED
from campaign.plan.models import Campaign
from campaign.report.models import ReportJob
from campaign.report.snapshots import export_snapshot
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

KIND = "report"
STEP_LABELS = {
    "figures": _l("汇总各单位数据"),
    "narrative": _l("生成总结文字"),
    "photos": _l("准备照片"),
    "pdf": _l("生成 PDF"),
    "docx": _l("生成 Word 文件"),
    "xlsx": _l("生成 Excel 文件"),
    "saving": _l("保存导出文件"),
    "superseded": _l("已有编制任务在进行"),
}


def _run(job_id: int, progress: state.Progress, scratch: Path) -> dict:
    job = db.session.get_one(ReportJob, job_id)
    campaign = db.session.get_one(Campaign, job.campaign_id)
    user_id = job.created_by_id
    db.session.commit()  # ends this read; the export is a transaction of its own
    progress(2, "figures")
    snapshot = export_snapshot(campaign, user_id, progress=progress, scratch=scratch)
    return {"snapshot_id": snapshot.id}


state.register_kind(KIND, ReportJob, _run, STEP_LABELS)


def fail_stale_jobs(campaign_id: int, now=None) -> int:
    """The campaign's jobs whose worker died: requeued or failed (state.reap); how many. The caller commits."""
    return state.reap(ReportJob, campaign_id, now)


def _first_active(campaign_id: int) -> ReportJob | None:
    return db.session.scalar(
        sa.select(ReportJob)
        .where(ReportJob.campaign_id == campaign_id, ReportJob.status.in_(ACTIVE))
        .order_by(ReportJob.id)
        .limit(1)
    )


def active_job(campaign_id: int) -> ReportJob | None:
    fail_stale_jobs(campaign_id)
    return _first_active(campaign_id)


def latest_job(campaign_id: int) -> ReportJob | None:
    """The job the page shows: the one under way, else the last one."""
    return active_job(campaign_id) or db.session.scalar(
        sa.select(ReportJob).where(ReportJob.campaign_id == campaign_id).order_by(ReportJob.id.desc()).limit(1)
    )


def start_job(campaign: Campaign, user, background: bool = True) -> tuple[ReportJob, bool]:
    """(job, True) for a new job, put on the queue unless `background` is False (the caller then runs it with
    run_job); (the job under way, False) when the campaign already has one, so a second click or a second organizer
    joins the first."""
    fail_stale_jobs(campaign.id)
    # On PostgreSQL this locks the campaign row, so two requests cannot both find no job; SQLite serialises writers.
    db.session.execute(sa.select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    running = _first_active(campaign.id)
    if running is not None:
        db.session.commit()  # lets go of the campaign row's lock at once (and enqueues what the reaper requeued)
        return running, False
    job = ReportJob(campaign_id=campaign.id, created_by_id=getattr(user, "id", None), status=JOB_QUEUED, progress=0,
                    step="queued", error="")
    db.session.add(job)
    db.session.flush()
    if background:
        state.enqueue_after_commit(KIND, job.id)
    # Committed here, not by the request: the check below must see the jobs other requests committed meanwhile.
    db.session.commit()
    # Another request may have slipped in between the check and the insert: the older job wins (and this one, if
    # a consumer took it already, is no longer queued and cannot be claimed).
    first = _first_active(campaign.id)
    if first is not None and first.id != job.id:
        job.status, job.step, job.finished_at = JOB_FAILED, "superseded", utcnow()
        db.session.commit()  # the job's own row, as above
        return first, False
    return job, True


def run_job(app, job_id: int) -> int | None:
    """Runs a job to its end in this thread (the CLI, tests); the snapshot's id, or None when it failed (the error
    is on the job)."""
    with app.app_context():
        state.execute(KIND, job_id)
        job = db.session.get(ReportJob, job_id)
        snapshot_id = job.snapshot_id if job is not None and job.status == "done" else None
        db.session.remove()
        return snapshot_id


def job_status(job: ReportJob) -> dict:
    """What the page's progress bar needs, JSON-ready."""
    return {**state.status(job, KIND), "snapshot_id": job.snapshot_id}
