"""Exporting the report: compile, draft what is still empty, render PDF/DOCX/XLSX, and keep it all as a snapshot.

A snapshot keeps the narrative, the figures and the files (UPLOAD_DIR/reports/<campaign>/<snapshot>/) exactly as
they were sent upward, so the office can show them again after the data moved on.
"""

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from campaign.auth.models import User
from campaign.documents.xlsx import EXCEL_MAX_DATA_ROWS
from campaign.plan.models import Campaign
from campaign.report.compile import compile_report
from campaign.report.document import report_document
from campaign.report.exports import print_photos, report_docx, report_pdf, report_xlsx
from campaign.report.models import ReportDraft, ReportSnapshot
from campaign.report.narrative import narrative_for
from campaign.report.number_checks import checks_for_export, corrections_exported
from campaign.shared.audit import record, register_action_labels
from campaign.shared.files import write_atomically
from campaign.web.downloads import static_folder
from campaign.web.extensions import db

FILE_KINDS = ("pdf", "docx", "xlsx")
FILE_NAMES = {"pdf": "report.pdf", "docx": "report.docx", "xlsx": "report.xlsx"}

register_action_labels({"report_exported": _l("编制并导出区级总结")})

Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


def snapshot_folder(upload_dir: str, campaign_id: int, snapshot_id: int) -> Path:
    return Path(upload_dir) / "reports" / str(campaign_id) / str(snapshot_id)


def export_snapshot(campaign: Campaign, user_id: int | None, progress: Progress = _no_progress,
                    scratch: Path | None = None) -> ReportSnapshot:
    """Compile and export the report; the new snapshot, committed. Steps report their progress (percent, step).
    `scratch`: the job's own temporary folder (removed with the job even when its worker dies)."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    progress(5, "figures")
    figures = compile_report(campaign)
    progress(15, "narrative")
    narrative = narrative_for(db.session.get(ReportDraft, campaign.id), figures)
    # Refused while a number of the text disagrees with the data unconfirmed (before any file is made).
    number_checks = checks_for_export(campaign.id, figures, narrative)
    doc = report_document(figures, narrative)
    progress(20, "photos")
    photos = print_photos(doc, upload_dir)
    progress(35, "pdf")
    files = {"pdf": report_pdf(doc, photos, static_folder(), scratch)}
    progress(80, "docx")
    files["docx"] = report_docx(doc, photos)
    progress(90, "xlsx")
    files["xlsx"] = report_xlsx(figures, int(current_app.config.get("XLSX_MAX_ROWS_PER_SHEET",
                                                                     EXCEL_MAX_DATA_ROWS)))
    progress(97, "saving")

    corrections_exported(campaign.id)
    snapshot = ReportSnapshot(campaign_id=campaign.id, created_by_id=user_id, narrative=narrative, figures=figures,
                              files=[], number_checks=number_checks)
    db.session.add(snapshot)
    db.session.flush()
    folder = snapshot_folder(upload_dir, campaign.id, snapshot.id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        listing = []
        for kind in FILE_KINDS:
            data = files[kind]
            path = folder / FILE_NAMES[kind]
            write_atomically(path, data)
            listing.append({
                "kind": kind,
                "path": path.relative_to(Path(upload_dir)).as_posix(),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "name": f"{doc.filename_stem}.{kind}",
            })
        snapshot.files = listing
        user = db.session.get(User, user_id) if user_id is not None else None
        record(user, "report_exported", snapshot, campaign_id=campaign.id, files=[item["kind"] for item in listing],
               numbers_checked=[{key: item.get(key) for key in ("decision", "sentence", "written", "expected",
                                                                 "reason", "replaced_by", "by", "at")}
                                for item in number_checks])
        # Committed here (it runs as a report job, in a thread of its own): the files are written before the row
        # naming them is committed, and removed if the commit fails, so no snapshot is stored without its files;
        # and the job is marked done with this snapshot only once the snapshot is stored.
        db.session.commit()
    except BaseException:
        db.session.rollback()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return snapshot


def campaign_snapshots(campaign_id: int) -> list[ReportSnapshot]:
    return list(db.session.scalars(
        sa.select(ReportSnapshot)
        .where(ReportSnapshot.campaign_id == campaign_id)
        .options(joinedload(ReportSnapshot.created_by))
        .order_by(ReportSnapshot.created_at.desc(), ReportSnapshot.id.desc())
    ))


def snapshot_file(snapshot: ReportSnapshot, kind: str, upload_dir: str) -> tuple[bytes, str] | None:
    """(content, download name) of one of the snapshot's files; None if it has no such file or it is gone."""
    entry = next((item for item in snapshot.files or [] if item.get("kind") == kind), None)
    if entry is None:
        return None
    root = Path(upload_dir).resolve()
    path = (root / entry["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path.read_bytes(), entry.get("name") or FILE_NAMES[kind]
