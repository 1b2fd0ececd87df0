"""Jobs that make one file to download (FileJob): started by a request, made by a consumer, kept under
UPLOAD_DIR/exports/<campaign>/<job>/ and downloaded from the page that lists them.

A stage registers a kind with `register_file_kind(name, make, step_labels)`: `make(job, progress, scratch)` writes
the file into the job's scratch folder and returns (its path, the download name). The file is then moved into the
upload folder (on the same disk as the scratch folder or copied), and only then is the job marked done.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from campaign.jobs import state
from campaign.jobs.models import FileJob
from campaign.jobs.state import JOB_DONE, JOB_QUEUED, Progress
from campaign.web.extensions import db

Make = Callable[[FileJob, Progress, Path], tuple[Path, str]]


def register_file_kind(name: str, make: Make, step_labels: dict) -> None:
    def run(job_id: int, progress: Progress, scratch: Path) -> dict:
        job = db.session.get_one(FileJob, job_id)
        made, download_name = make(job, progress, scratch)
        folder = Path(current_app.config["UPLOAD_DIR"]) / "exports" / str(job.campaign_id) / str(job.id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}{made.suffix}"
        shutil.move(made, target)
        db.session.rollback()  # the job read only; its row is written by the runner
        return {"file_path": target.relative_to(Path(current_app.config["UPLOAD_DIR"])).as_posix(),
                "file_name": download_name, "file_bytes": target.stat().st_size}

    state.register_kind(name, FileJob, run, step_labels)


def start_file_job(campaign_id: int, kind: str, params: dict, user) -> FileJob:
    """A new job, enqueued once the caller commits."""
    job = FileJob(campaign_id=campaign_id, kind=kind, params=params, created_by_id=getattr(user, "id", None),
                  status=JOB_QUEUED, progress=0, step="queued", error="", file_path="", file_name="", file_bytes=0)
    db.session.add(job)
    db.session.flush()
    state.enqueue_after_commit(kind, job.id)
    return job


def job_file(job: FileJob) -> Path | None:
    """The finished file of a job, or None (not done, or removed since)."""
    if job.status != JOB_DONE or not job.file_path:
        return None
    root = Path(current_app.config["UPLOAD_DIR"]).resolve()
    path = (root / job.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def file_job_status(job: FileJob) -> dict:
    return {**state.status(job, job.kind), "kind": job.kind, "file_name": job.file_name,
            "file_bytes": job.file_bytes, "created_at": job.created_at}
