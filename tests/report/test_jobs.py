"""The background compilation: one job per campaign, a dead job's heartbeat, failures, and the CLI."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaign.jobs.queue import queue_for
from campaign.report.jobs import fail_stale_jobs, run_job, start_job
from campaign.report.models import ReportJob, ReportSnapshot
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db


def _campaign(factory):
    unit = factory.unit("区发改局")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    factory.consultation(factory.booth(activity, unit))
    return campaign


def test_a_job_whose_heartbeat_stopped_is_run_again_then_failed_and_can_be_restarted(app, factory, organizer):
    campaign = _campaign(factory)
    # Silent for 31 s (JOB_STALE_SECONDS is 30): its worker is taken for dead.
    dead = factory.report_job(campaign, status="running", progress=35, step="pdf", attempts=1, worker="elsewhere:1",
                              started_at=utcnow() - timedelta(minutes=2), heartbeat_at=utcnow() - timedelta(seconds=31))
    fresh = factory.report_job(factory.campaign(year=2024), status="running", started_at=utcnow(), heartbeat_at=utcnow(),
                               attempts=1, worker="elsewhere:1")
    assert fail_stale_jobs(campaign.id) == 1
    assert fail_stale_jobs(fresh.campaign_id) == 0
    db.session.commit()
    db.session.refresh(dead)
    # One attempt left: back on the queue (and in the queue's storage, once committed).
    assert (dead.status, dead.step, dead.progress) == ("queued", "retry", 0)
    assert queue_for(app).huey.pending_count() == 1
    dead.status, dead.attempts, dead.heartbeat_at = "running", 2, utcnow() - timedelta(seconds=31)
    db.session.commit()
    assert fail_stale_jobs(campaign.id) == 1
    db.session.refresh(dead)
    assert (dead.status, dead.step) == ("failed", "stale")

    job, created = start_job(campaign, organizer, background=False)
    assert created and job.id != dead.id
    assert run_job(app, job.id) is not None
    db.session.refresh(job)
    assert (job.status, job.progress, job.step) == ("done", 100, "done")
    assert job.started_at <= job.heartbeat_at <= job.finished_at


def test_a_queued_job_nobody_started_goes_stale_too(app, factory, organizer):
    campaign = _campaign(factory)
    lost = factory.report_job(campaign, status="queued", created_at=utcnow() - timedelta(minutes=30))
    job, created = start_job(campaign, organizer, background=False)
    assert created
    db.session.refresh(lost)
    assert lost.status == "failed"


def test_the_status_of_another_campaigns_job_is_not_found(organizer_client, factory):
    mine, other = factory.campaign(), factory.campaign(year=2024)
    job = factory.report_job(other)
    assert organizer_client.get(f"/campaigns/{mine.id}/report/jobs/{job.id}").status_code == 404
    assert organizer_client.get(f"/campaigns/{other.id}/report/jobs/{job.id}").get_json()["id"] == job.id


@pytest.mark.slow
def test_a_failed_export_leaves_no_snapshot_and_says_why(app, factory, organizer, tmp_path):
    campaign = _campaign(factory)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(blocker)
    job, _ = start_job(campaign, organizer, background=False)
    assert run_job(app, job.id) is None
    db.session.expire_all()
    job = db.session.get(ReportJob, job.id)
    # In words an organizer reads (issue 19.5), not a raw English OSError.
    assert job.status == "failed" and job.error.startswith("无法写入文件：服务器的存储空间不可写或已满")
    assert "Error" not in job.error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 0
    # The next attempt is not blocked by the failed one.
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    again, created = start_job(campaign, organizer, background=False)
    assert created and run_job(app, again.id) is not None


def test_flask_report_compile_runs_the_job_in_the_foreground(app, factory):
    campaign = _campaign(factory)
    result = app.test_cli_runner().invoke(args=["report", "compile", str(campaign.id)])
    assert result.exit_code == 0, result.output
    assert "已完成" in result.output
    snapshot = db.session.scalar(sa.select(ReportSnapshot))
    for item in snapshot.files:
        assert (Path(app.config["UPLOAD_DIR"]) / item["path"]).stat().st_size == item["bytes"]
    job = db.session.scalar(sa.select(ReportJob))
    assert (job.status, job.snapshot_id) == ("done", snapshot.id)

    missing = app.test_cli_runner().invoke(args=["report", "compile", "999"])
    assert missing.exit_code != 0 and "没有编号为 999 的活动" in missing.output


def test_the_cli_refuses_while_a_job_runs(app, factory):
    campaign = _campaign(factory)
    factory.report_job(campaign, status="running", started_at=utcnow(), heartbeat_at=utcnow())
    result = app.test_cli_runner().invoke(args=["report", "compile", str(campaign.id)])
    assert result.exit_code != 0 and "已有编制任务在进行" in result.output


def test_an_empty_campaign_exports_too(app, factory, organizer):
    campaign = factory.campaign()
    job, _ = start_job(campaign, organizer, background=False)
    snapshot_id = run_job(app, job.id)
    assert snapshot_id is not None
    snapshot = db.session.get(ReportSnapshot, snapshot_id)
    assert {item["kind"] for item in snapshot.files} == {"pdf", "docx", "xlsx"}
    assert snapshot.figures["totals"]["units_taking_part"] == 0


def test_the_consultation_register_is_optional_in_the_reports_xlsx(app, factory, organizer, organizer_client):
    from io import BytesIO

    from openpyxl import load_workbook

    campaign = _campaign(factory)

    def sheets() -> list[str]:
        job, _ = start_job(campaign, organizer, background=False)
        snapshot = db.session.get(ReportSnapshot, run_job(app, job.id))
        path = next(item["path"] for item in snapshot.files if item["kind"] == "xlsx")
        return load_workbook(BytesIO((Path(app.config["UPLOAD_DIR"]) / path).read_bytes()), read_only=True).sheetnames

    assert "咨询登记" in sheets()
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert "Excel 附咨询登记明细" in page
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/register", {"include": "0"})
    assert response.status_code == 302
    assert "咨询登记" not in sheets()
    assert "Excel 不附咨询登记明细" in organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
