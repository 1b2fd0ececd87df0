"""The task queue for real: jobs enqueued once committed, run by a Huey consumer (threads of this process, or
`flask queue worker` in a process of its own), and a consumer killed mid-job (SIGKILL): the job is run again by the
next consumer or failed, within a minute, never left "running"."""

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from campaign.jobs.queue import queue_for
from campaign.report.jobs import start_job
from campaign.report.models import ReportJob, ReportSnapshot
from campaign.web.extensions import db
from tests.queueutil import ConsumerProcess, ConsumerThread, wait_for


def _campaign(factory):
    units = [factory.unit(name) for name in ("区发改局", "区教育局", "临江镇")]
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={unit: "lead" for unit in units})
    for unit in units:
        booth = factory.booth(activity, unit)
        for _ in range(3):
            factory.consultation(booth)
        summary = factory.summary(campaign, unit, status="submitted")
        factory.photo(summary)
    return campaign


def _row(app, job_id: int) -> ReportJob:
    """The job's row as committed, read through a session of its own (the test's session would cache it)."""
    with Session(db.engine) as session:
        job = session.get_one(ReportJob, job_id)
        session.expunge(job)
        return job


def test_a_job_is_enqueued_only_once_committed_and_a_consumer_runs_it(app, factory, organizer):
    campaign = _campaign(factory)
    huey = queue_for(app).huey
    job, created = start_job(campaign, organizer)
    assert created
    # start_job committed the row and then enqueued it: the task is in the queue's own storage (a SQLite file).
    assert Path(app.config["HUEY_URL"].removeprefix("sqlite:///")).is_file()
    assert huey.pending_count() == 1
    assert _row(app, job.id).status == "queued"
    with ConsumerThread(app):
        done = wait_for(lambda: (row := _row(app, job.id)).status not in ("queued", "running") and row, 120, 0.1)
    assert (done.status, done.progress, done.attempts) == ("done", 100, 1), done.error
    assert done.snapshot_id and db.session.get(ReportSnapshot, done.snapshot_id) is not None
    assert huey.pending_count() == 0
    # The job's scratch folder went with it.
    assert not list(Path(app.config["JOB_SCRATCH_DIR"]).glob("report-*"))


def test_a_rolled_back_request_enqueues_nothing(app, factory, organizer):
    campaign = _campaign(factory)
    from campaign.jobs.state import enqueue_after_commit

    job = ReportJob(campaign_id=campaign.id, status="queued")
    db.session.add(job)
    db.session.flush()
    enqueue_after_commit("report", job.id)
    db.session.rollback()
    assert queue_for(app).huey.pending_count() == 0


def test_a_task_enqueued_twice_runs_the_job_once(app, factory, organizer):
    campaign = _campaign(factory)
    job, _ = start_job(campaign, organizer)
    queue_for(app).enqueue_job("report", job.id)
    with ConsumerThread(app):
        wait_for(lambda: queue_for(app).huey.pending_count() == 0 and _row(app, job.id).status == "done", 120, 0.1)
        time.sleep(0.3)
    assert _row(app, job.id).attempts == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 1


def _consumer_env(app, **extra) -> dict:
    return {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "HUEY_URL": app.config["HUEY_URL"],
        "UPLOAD_DIR": app.config["UPLOAD_DIR"], "JOB_SCRATCH_DIR": app.config["JOB_SCRATCH_DIR"],
        "SECRET_KEY": "queue-test-secret", "JOB_HEARTBEAT_SECONDS": "1", "JOB_STALE_SECONDS": "4", "JOB_REAP_SECONDS": "1", **extra,
    }


def _kill_mid_job(app, job_id: int, env: dict) -> None:
    """Starts `flask queue worker`, waits until it is inside the job (past the claim, rendering) and SIGKILLs it."""
    with ConsumerProcess(env) as consumer:
        try:
            wait_for(lambda: _row(app, job_id).step in ("photos", "pdf"), 60)
        except AssertionError:
            raise AssertionError(f"the consumer never started the job:\n{consumer.output()}") from None
        consumer.kill()
    row = _row(app, job_id)
    assert row.status == "running", "the job ended before the kill: nothing was tested"
    # Its scratch folder is left behind by the crash …
    assert (Path(app.config["JOB_SCRATCH_DIR"]) / f"report-{job_id}").is_dir()


@pytest.mark.slow
def test_a_consumer_killed_mid_job_the_next_consumer_runs_it_again_within_a_minute(app, factory, organizer):
    campaign = _campaign(factory)
    job, _ = start_job(campaign, organizer)
    env = _consumer_env(app)
    _kill_mid_job(app, job.id, env)
    killed_at = time.monotonic()
    with ConsumerProcess(env) as consumer:
        try:
            done = wait_for(lambda: (row := _row(app, job.id)).status == "done" and row, 60, 0.2)
        except AssertionError:
            raise AssertionError(f"{_row(app, job.id).__dict__}\n{consumer.output()}") from None
    assert time.monotonic() - killed_at < 60
    assert done.attempts == 2 and done.snapshot_id
    # … and removed when the job was found dead.
    assert not (Path(app.config["JOB_SCRATCH_DIR"]) / f"report-{job.id}").exists()


@pytest.mark.slow
def test_a_dead_job_with_no_attempt_left_is_shown_failed_within_a_minute_and_a_new_one_can_start(
        app, factory, organizer, organizer_client):
    campaign = _campaign(factory)
    job, _ = start_job(campaign, organizer)
    _kill_mid_job(app, job.id, _consumer_env(app, JOB_MAX_ATTEMPTS="1"))
    app.config.update(JOB_MAX_ATTEMPTS=1, JOB_STALE_SECONDS=4)
    killed_at = time.monotonic()
    url = f"/campaigns/{campaign.id}/report/jobs/{job.id}"
    # No consumer runs now: the page polling the job sees it failed once its heartbeat is JOB_STALE_SECONDS old.
    state = wait_for(lambda: (s := organizer_client.get(url).get_json())["status"] == "failed" and s, 60, 0.5)
    assert time.monotonic() - killed_at < 60
    assert state["step"] == "stale" and not state["active"]
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert "后台任务中断" in page or "任务未完成" in page
    # Pressing 编制 again starts a new job rather than joining the dead one.
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/compile", headers={"Accept": "application/json"})
    assert response.status_code == 202 and response.get_json()["id"] != job.id
