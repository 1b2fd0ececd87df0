"""The task queue: Huey, with its SQLite storage in instance/ on one machine and Redis when HUEY_URL says so.

Why Huey: it is small (one pure-Python package), kept, and has both an embedded default (a SQLite file: nothing to
install or run besides the consumer) and a distributed backend (Redis; several machines each run a consumer against
the same Redis). Celery would do the same with a broker to run even on one machine; RQ needs Redis always.

HUEY_URL:
    (empty)                      sqlite file instance/queue.db
    sqlite:////path/to/queue.db  a SQLite file elsewhere (it must be on a local disk shared by the web and the consumer)
    redis://host:6379/0          Redis (rediss:// for TLS)

The queue carries one task, `run_job(kind, job_id)`. The consumer's main loop also runs the reaper (state.reap)
every JOB_REAP_SECONDS, first when it starts: Huey's periodic tasks run once a minute at most, too coarse to find a
dead job "within a minute" of its death. It sends the due reminders (reminders/sending.run_due) every
REMINDER_CHECK_SECONDS the same way, so `make run` needs no cron; several consumers claim each send in the database.
Each app has its own Huey instance (app.extensions["huey"]), made on first use, so tests and the consumer bind the
task to their own app and storage.
"""

import logging
import threading
import time
from pathlib import Path

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger(__name__)

_lock = threading.Lock()


class CampaignHuey:
    """An app's Huey instance with the two tasks registered; `enqueue_job` puts a job on the queue."""

    def __init__(self, app: Flask, huey: Huey):
        self.app = app
        self.huey = huey

        @huey.task(name="run_job")
        def run_job(kind: str, job_id: int) -> None:
            from campaign.jobs.state import execute

            with app.app_context():
                execute(kind, job_id)

        self.run_job = run_job

    def enqueue_job(self, kind: str, job_id: int) -> None:
        self.run_job(kind, job_id)

    def consumer(self, workers: int, consumer_class: "type[CampaignConsumer] | None" = None, **options):
        cls = consumer_class or CampaignConsumer
        return cls(self.huey, self.app, workers=workers, worker_type="thread", **options)


class CampaignConsumer(Consumer):
    """Huey's consumer, whose main loop also reaps dead jobs (state.reap) every JOB_REAP_SECONDS."""

    def __init__(self, huey: Huey, app: Flask, **options):
        super().__init__(huey, **options)
        self.app = app
        self.reap_every = float(app.config.get("JOB_REAP_SECONDS", 10))
        self.next_reap = 0.0
        # 0 turns the consumer's reminder check off (a deployment that runs `flask reminders run-due` from cron).
        self.remind_every = float(app.config.get("REMINDER_CHECK_SECONDS", 60))
        self.next_remind = 0.0

    def loop(self, health_check_ts=None):
        if time.monotonic() >= self.next_reap:
            self.next_reap = time.monotonic() + self.reap_every
            try:
                reap_and_tidy(self.app)
            except Exception:  # a busy or unreachable database: the next round will do
                log.exception("reaping dead jobs failed")
        if self.remind_every > 0 and time.monotonic() >= self.next_remind:
            self.next_remind = time.monotonic() + self.remind_every
            try:
                send_due_reminders(self.app)
            except Exception:  # a busy database or a bug in one campaign's data: the next round will do
                log.exception("sending due reminders failed")
        return super().loop(health_check_ts)


def reap_and_tidy(app: Flask) -> None:
    from campaign.jobs.state import reap, remove_orphan_scratch
    from campaign.web.extensions import db

    with app.app_context():
        try:
            reap()
            db.session.commit()
            remove_orphan_scratch()
        finally:
            db.session.remove()


def send_due_reminders(app: Flask) -> None:
    from campaign.reminders.sending import run_due
    from campaign.web.extensions import db

    with app.app_context():
        try:
            run_due()
            db.session.commit()
        finally:
            db.session.remove()


def make_huey(url: str, instance_path: str) -> Huey:
    # results=False: a job's outcome is on its row, and nothing reads Huey's result store.
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("campaign", url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
    elif url:
        raise ValueError(f"HUEY_URL: expected sqlite:///… or redis://…, got {url!r}")
    else:
        path = Path(instance_path) / "queue.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    # fsync: a job enqueued and answered 202 must survive a power cut, as the job's row does.
    return SqliteHuey("campaign", filename=str(path), results=False, fsync=True)


def queue_for(app: Flask) -> CampaignHuey:
    """The app's queue, made on first use (a web worker that never enqueues never opens the storage)."""
    queue = app.extensions.get("huey")
    if queue is None:
        with _lock:
            queue = app.extensions.get("huey")
            if queue is None:
                queue = CampaignHuey(app, make_huey(app.config.get("HUEY_URL", ""), app.instance_path))
                app.extensions["huey"] = queue
    return queue
