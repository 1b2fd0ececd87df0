"""What every background job shares: a row with its status and progress, a claim that runs it at most once at a
time, a heartbeat, and a reaper that sees a job whose worker died within a minute.

A job is a row of a model with the JobState columns (ReportJob, FileJob …) and a *kind* registered here with the
function that does its work. Huey carries only (kind, row id): the row is the truth about the job, so any web
worker shows its progress and the queue's own storage may be lost without losing track of a job.

Why a heartbeat: Huey takes a task off the queue before running it and has no acknowledgement, so a consumer killed
mid-task (SIGKILL, the machine rebooted, out of memory) leaves no trace in the queue. The job's row does: its
heartbeat stops. The reaper (`reap`), run by every consumer when it starts and every JOB_REAP_SECONDS, and by any
page that shows a job, puts a running job whose heartbeat is older than JOB_STALE_SECONDS (or whose worker process,
on this machine, is gone) back on the queue while attempts are left, else marks it failed, and removes its scratch
folder. Writes of a run are fenced by its attempt number, so a worker that
was only slow, not dead, can no longer overwrite the retry's progress.
"""

import logging
import os
import shutil
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from campaign.shared.timeutil import UTCDateTime, utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

log = logging.getLogger(__name__)

JOB_QUEUED = "queued"
JOB_RUNNING = "running"
JOB_DONE = "done"
JOB_FAILED = "failed"
ACTIVE = (JOB_QUEUED, JOB_RUNNING)

DEFAULT_HEARTBEAT_SECONDS = 5
# A running job silent this long is taken for dead: six missed beats, and well within the minute the issue allows.
DEFAULT_STALE_SECONDS = 30
# A queued job no consumer took this long: no consumer is running (the README says how to start one).
DEFAULT_QUEUE_STALE_MINUTES = 15
# A job whose worker died is run once more; a second death (the job itself kills its worker) fails it.
DEFAULT_MAX_ATTEMPTS = 2

STATUS_LABELS = {
    JOB_QUEUED: _l("排队中"),
    JOB_RUNNING: _l("进行中"),
    JOB_DONE: _l("已完成"),
    JOB_FAILED: _l("失败"),
}
COMMON_STEP_LABELS = {
    "queued": _l("排队等候"),
    "retry": _l("后台进程中断，已重新排队"),
    "done": _l("已完成"),
    "failed": _l("失败"),
    "stale": _l("后台任务中断（服务可能已重启）"),
    "no_worker": _l("没有后台进程处理该任务"),
    "superseded": _l("已有同样的任务在进行"),
}


class JobState:
    """The columns every job row has (a mixin of ReportJob and FileJob)."""

    status: Mapped[str] = mapped_column(sa.String(10), default=JOB_QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str] = mapped_column(sa.String(200), default="")
    error: Mapped[str] = mapped_column(sa.Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Runs started so far (the claim counts them); also the fence of a run's writes.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # host:pid of the consumer running it, for an operator reading the table.
    worker: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id"))

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its model, and `run(job_id, progress, scratch)` → the column values to store when done."""

    name: str
    model: Any
    run: Callable[[int, Progress, Path], dict]
    step_labels: dict


KINDS: dict[str, JobKind] = {}


def register_kind(name: str, model: Any, run: Callable[[int, Progress, Path], dict], step_labels: dict) -> None:
    KINDS[name] = JobKind(name, model, run, {**COMMON_STEP_LABELS, **step_labels})


def setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def scratch_root() -> Path:
    return Path(current_app.config.get("JOB_SCRATCH_DIR") or Path(current_app.instance_path) / "job-scratch")


def scratch_folder(kind: str, job_id: int) -> Path:
    """A job's own temporary folder (photo copies, parts of a file): removed when the job ends, and by the reaper
    when its worker died, so nothing is left behind."""
    return scratch_root() / f"{kind}-{job_id}"


# Enqueueing: only once the row is committed, or a consumer could look for a row it cannot see yet.

def enqueue_after_commit(kind: str, job_id: int) -> None:
    from campaign.jobs.queue import queue_for

    pending = db.session().info.setdefault("jobs_to_enqueue", [])
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy
    pending.append((queue_for(app), kind, job_id))


@sa.event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for huey, kind, job_id in session.info.pop("jobs_to_enqueue", []):
        huey.enqueue_job(kind, job_id)


@sa.event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("jobs_to_enqueue", None)


# Running a job.

class _Writer:
    """Writes one run's progress through short sessions of its own (the job's work stays in its own transaction),
    each write fenced by the run's attempt number."""

    def __init__(self, engine, model: Any, job_id: int, attempt: int):
        self.engine, self.model, self.job_id, self.attempt = engine, model, job_id, attempt
        self.lock = threading.Lock()

    def update(self, **values) -> bool:
        model = self.model
        with self.lock, Session(self.engine) as session:
            values.setdefault("heartbeat_at", values.get("finished_at") or utcnow())
            result = session.execute(
                sa.update(model)
                .where(model.id == self.job_id, model.attempts == self.attempt, model.status == JOB_RUNNING)
                .values(**values)
            )
            session.commit()
            return bool(cast(sa.CursorResult, result).rowcount)  # an UPDATE's result

    def step(self, percent: int, step: str) -> None:
        self.update(progress=max(0, min(percent, 100)), step=step)


def claim(model: Any, job_id: int, worker: str) -> int | None:
    """Marks a queued job running for this worker → its attempt number; None when it is not queued (done, failed,
    or claimed by another consumer: a task enqueued twice runs once)."""
    now = utcnow()
    with Session(db.engine) as session:
        result = session.execute(
            sa.update(model)
            .where(model.id == job_id, model.status == JOB_QUEUED)
            .values(status=JOB_RUNNING, started_at=now, heartbeat_at=now, finished_at=None, progress=1, error="",
                    attempts=model.attempts + 1, worker=worker[:120])
        )
        session.commit()
        if not cast(sa.CursorResult, result).rowcount:
            return None
        return session.scalar(sa.select(model.attempts).where(model.id == job_id))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(kind_name: str, job_id: int) -> bool:
    """Runs one job to its end in this process (inside an app context) → True if it is done. Called by the queue's
    task, and by `flask report compile` in the foreground."""
    kind = KINDS[kind_name]
    attempt = claim(kind.model, job_id, worker_name())
    if attempt is None:
        return False
    writer = _Writer(db.engine, kind.model, job_id, attempt)
    stop = threading.Event()
    interval = setting("JOB_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS)

    def heartbeat():
        while not stop.wait(interval):
            try:
                writer.update()
            except Exception:  # a busy database must not kill the beat; the next one will do
                log.warning("%s job %s: heartbeat not written", kind_name, job_id, exc_info=True)

    beating = threading.Thread(target=heartbeat, name=f"{kind_name}-job-{job_id}-heartbeat", daemon=True)
    beating.start()
    scratch = scratch_folder(kind_name, job_id)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        values = kind.run(job_id, writer.step, scratch)
        stop.set()
        beating.join()
        return writer.update(status=JOB_DONE, progress=100, step="done", finished_at=utcnow(), **values)
    except Exception as error:
        log.exception("%s job %s failed", kind_name, job_id)
        db.session.rollback()
        stop.set()
        beating.join()
        writer.update(status=JOB_FAILED, step="failed", finished_at=utcnow(), error=failure_message(error))
        return False
    finally:
        stop.set()
        shutil.rmtree(scratch, ignore_errors=True)
        db.session.remove()


# What a failed job tells the organizer, in Chinese (the server's log keeps the traceback).
WORKER_LOST = "处理任务的后台进程中断了，自动重试后仍未完成，本次任务没有生成文件。请重新开始。"
NOT_PICKED_UP = "后台处理进程没有运行，任务一直没有开始。请联系系统管理员检查后台处理进程。"


def failure_message(error: Exception) -> str:
    if isinstance(error, Refusal):  # the service's own sentence (the report's numbers not yet checked)
        return error.message
    if isinstance(error, OSError):
        return "无法写入文件：服务器的存储空间不可写或已满，本次任务没有生成文件。请联系系统管理员处理后重新开始。"
    return "任务出错，本次任务没有生成文件（详情已记入服务器日志）。请稍后重试，或联系系统管理员。"


# The reaper.

def _last_sign_of_life(job) -> datetime:
    return job.heartbeat_at or job.started_at or job.created_at


def _worker_gone(worker: str) -> bool:
    """A worker on this machine whose process no longer exists (a PID reused since is taken as alive: the
    heartbeat then tells)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: it exists
        return False
    return False


def reap(model: Any | None = None, campaign_id: int | None = None, now: datetime | None = None) -> int:
    """Jobs whose worker died: back on the queue while attempts are left, else failed; queued jobs no consumer took
    in JOB_QUEUE_STALE_MINUTES failed. → how many were touched. Flushes; the caller commits (and the requeued jobs
    are enqueued once it has)."""
    now = now or utcnow()
    stale_running = now - timedelta(seconds=setting("JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS))
    stale_queued = now - timedelta(minutes=setting("JOB_QUEUE_STALE_MINUTES", DEFAULT_QUEUE_STALE_MINUTES))
    max_attempts = setting("JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    touched = 0
    for kind in list(KINDS.values()):
        if model is not None and kind.model is not model:
            continue
        query = sa.select(kind.model).where(kind.model.status.in_(ACTIVE))
        if hasattr(kind.model, "kind"):  # one model, several kinds (FileJob)
            query = query.where(kind.model.kind == kind.name)
        if campaign_id is not None:
            query = query.where(kind.model.campaign_id == campaign_id)
        job: Any
        for job in db.session.scalars(query):
            if job.status == JOB_RUNNING and (_last_sign_of_life(job) < stale_running or _worker_gone(job.worker)):
                shutil.rmtree(scratch_folder(kind.name, job.id), ignore_errors=True)
                if job.attempts < max_attempts:
                    job.status, job.step, job.progress, job.heartbeat_at = JOB_QUEUED, "retry", 0, now
                    enqueue_after_commit(kind.name, job.id)
                else:
                    job.status, job.step, job.finished_at, job.error = JOB_FAILED, "stale", now, WORKER_LOST
                touched += 1
            elif job.status == JOB_QUEUED and _last_sign_of_life(job) < stale_queued:
                job.status, job.step, job.finished_at, job.error = JOB_FAILED, "no_worker", now, NOT_PICKED_UP
                touched += 1
    if touched:
        db.session.flush()
    return touched


def remove_orphan_scratch() -> int:
    """Scratch folders of jobs no longer running (left by a worker that died) → how many were removed."""
    root = scratch_root()
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        name, _, number = folder.name.rpartition("-")
        kind = KINDS.get(name)
        if kind is None or not number.isdigit():
            continue
        job = db.session.get(kind.model, int(number))
        if job is None or job.status != JOB_RUNNING:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def status(job, kind_name: str) -> dict:
    """What a page's progress bar needs, JSON-ready."""
    labels = KINDS[kind_name].step_labels
    return {
        "id": job.id,
        "status": job.status,
        "status_label": str(STATUS_LABELS.get(job.status, job.status)),
        "progress": job.progress,
        "step": job.step,
        "step_label": str(labels.get(job.step, job.step)),
        "active": job.status in ACTIVE,
        "attempts": job.attempts,
        "error": job.error if job.status == JOB_FAILED else "",
    }
