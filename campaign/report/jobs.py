"""Compiling the report in the background, inside the web process: no extra server to run.

A job is a ReportJob row. `start_job` makes one (or hands back the one already under way: one per campaign at a
time) and runs it in a daemon thread; the thread writes its progress, step and a heartbeat to the row through a
session of its own, so the page can poll it and the organizer may leave and come back. A job whose heartbeat is
older than REPORT_JOB_STALE_MINUTES (the worker was restarted or died) is marked failed the next time anyone
looks, and a new one can be started. `flask report compile` runs the same job in the foreground.
"""

import logging
import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from campaign.plan.models import Campaign
from campaign.report.models import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, ReportJob
from campaign.report.snapshots import export_snapshot, failure_message
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

log = logging.getLogger(__name__)

ACTIVE = (JOB_QUEUED, JOB_RUNNING)
DEFAULT_STALE_MINUTES = 5
HEARTBEAT_SECONDS = 10
STEP_LABELS = {
    "queued": _l("排队等候"),
    "figures": _l("汇总各单位数据"),
    "narrative": _l("生成总结文字"),
    "photos": _l("准备照片"),
    "pdf": _l("生成 PDF"),
    "docx": _l("生成 Word 文件"),
    "xlsx": _l("生成 Excel 文件"),
    "saving": _l("保存导出文件"),
    "done": _l("已完成"),
    "failed": _l("失败"),
    "stale": _l("后台任务中断（服务可能已重启）"),
    "superseded": _l("已有编制任务在进行"),
}
STATUS_LABELS = {
    JOB_QUEUED: _l("排队中"),
    JOB_RUNNING: _l("进行中"),
    JOB_DONE: _l("已完成"),
    JOB_FAILED: _l("失败"),
}


def stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("REPORT_JOB_STALE_MINUTES", DEFAULT_STALE_MINUTES)))


def _last_sign_of_life(job: ReportJob):
    return job.heartbeat_at or job.started_at or job.created_at


def fail_stale_jobs(campaign_id: int, now=None) -> int:
    """Marks the campaign's queued or running jobs that stopped beating as failed; how many. The caller commits
    (the request that looked, or start_job)."""
    now = now or utcnow()
    limit = now - stale_after()
    jobs = db.session.scalars(
        sa.select(ReportJob).where(ReportJob.campaign_id == campaign_id, ReportJob.status.in_(ACTIVE))
    ).all()
    stale = [job for job in jobs if _last_sign_of_life(job) < limit]
    for job in stale:
        job.status, job.step, job.finished_at = JOB_FAILED, "stale", now
        job.error = "heartbeat lost"
    if stale:
        db.session.flush()
    return len(stale)


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
    """(job, True) for a new job, started in a thread unless `background` is False; (the job under way, False)
    when the campaign already has one, so a second click or a second organizer joins the first."""
    fail_stale_jobs(campaign.id)
    # On PostgreSQL this locks the campaign row, so two requests cannot both find no job; SQLite serialises writers.
    db.session.execute(sa.select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    running = _first_active(campaign.id)
    if running is not None:
        db.session.commit()  # lets go of the campaign row's lock at once
        return running, False
    job = ReportJob(campaign_id=campaign.id, created_by_id=getattr(user, "id", None), status=JOB_QUEUED, progress=0,
                    step="queued", error="")
    db.session.add(job)
    # Committed here, not by the request: the job's thread reads the row through a session of its own, and the
    # check below must see the jobs other requests committed meanwhile.
    db.session.commit()
    # Another request may have slipped in between the check and the insert: the older job wins.
    first = _first_active(campaign.id)
    if first is not None and first.id != job.id:
        job.status, job.step, job.finished_at = JOB_FAILED, "superseded", utcnow()
        db.session.commit()  # the job's own row, as above
        return first, False
    if background:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy
        threading.Thread(target=run_job, args=(app, job.id), name=f"report-job-{job.id}", daemon=True).start()
    return job, True


class _ProgressWriter:
    """Writes a job's progress through short sessions of its own: the job's work stays in its own transaction,
    and the heartbeat thread and the job never share a session."""

    def __init__(self, engine, job_id: int):
        self.engine = engine
        self.job_id = job_id
        self.lock = threading.Lock()

    def _update(self, **values) -> None:
        with self.lock, Session(self.engine) as session:
            values.setdefault("heartbeat_at", values.get("finished_at") or utcnow())
            session.execute(sa.update(ReportJob).where(ReportJob.id == self.job_id).values(**values))
            session.commit()

    def start(self) -> None:
        now = utcnow()
        self._update(status=JOB_RUNNING, started_at=now, heartbeat_at=now, progress=1, step="figures")

    def step(self, percent: int, step: str) -> None:
        self._update(progress=max(0, min(percent, 100)), step=step)

    def beat(self) -> None:
        self._update()

    def done(self, snapshot_id: int) -> None:
        self._update(status=JOB_DONE, progress=100, step="done", finished_at=utcnow(), snapshot_id=snapshot_id)

    def failed(self, message: str) -> None:
        self._update(status=JOB_FAILED, step="failed", finished_at=utcnow(), error=message[:2000])


def run_job(app, job_id: int) -> int | None:
    """Runs a job to its end; the snapshot's id, or None when it failed (the error is on the job)."""
    with app.app_context():
        writer = _ProgressWriter(db.engine, job_id)
        stop = threading.Event()

        def heartbeat():
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    writer.beat()
                except Exception:  # a busy database must not kill the beat; the next one will do
                    log.warning("report job %s: heartbeat not written", job_id, exc_info=True)

        beating = threading.Thread(target=heartbeat, name=f"report-job-{job_id}-heartbeat", daemon=True)
        try:
            job = db.session.get(ReportJob, job_id)
            if job is None or job.status != JOB_QUEUED:
                return None
            campaign = db.session.get_one(Campaign, job.campaign_id)
            user_id = job.created_by_id
            db.session.commit()  # ends this thread's read; the job's work is a transaction of its own
            writer.start()
            beating.start()
            snapshot = export_snapshot(campaign, user_id, progress=writer.step)
            writer.done(snapshot.id)
            return snapshot.id
        except Exception as error:
            log.exception("report job %s failed", job_id)
            db.session.rollback()
            writer.failed(failure_message(error))
            return None
        finally:
            stop.set()
            db.session.remove()


def job_status(job: ReportJob) -> dict:
    """What the page's progress bar needs, JSON-ready."""
    return {
        "id": job.id,
        "status": job.status,
        "status_label": str(STATUS_LABELS.get(job.status, job.status)),
        "progress": job.progress,
        "step": job.step,
        "step_label": str(STEP_LABELS.get(job.step, job.step)),
        "active": job.status in ACTIVE,
        "snapshot_id": job.snapshot_id,
        "error": job.error if job.status == JOB_FAILED else "",
    }
