"""The demo's district report for the 2025 campaign: the default scorecard (printed in the PDF) and one export
(PDF, DOCX, XLSX) kept as a snapshot, so `make run` opens on a compiled report.

The export runs in the foreground while the demo loads (a few seconds: the units' photos go in at print size).
The narrative is left to the drafting (report/prose/: the figures and the units' own words), except the opening,
which an organizer would have rewritten.
"""

import sqlalchemy as sa

from campaign.auth.models import User
from campaign.plan.models import Campaign
from campaign.report.models import ReportSnapshot
from campaign.report.narrative import get_or_create_draft
from campaign.report.scorecard import add_default_rules
from campaign.report.snapshots import export_snapshot
from campaign.web.extensions import db

# The organizer rewrote the opening to cite the city's notice; the rest is the drafting from the figures and
# the units' own words, so the demo report quotes its units.
INTRO = (
    "今年5月15日是全市第十九届“5·15政务公开日”。按照《临州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知》"
    "要求，我区以“坚持依法行政，深化政务公开，加强法治政府建设”为主题，于5月15日至5月20日组织开展了系列宣传活动。"
    "现将活动开展情况报告如下："
)


def load_demo_report(campaign: Campaign) -> None:
    """Score rules, the organizer's choices and one compiled export; nothing if the campaign has an export."""
    if db.session.scalar(sa.select(ReportSnapshot.id).where(ReportSnapshot.campaign_id == campaign.id).limit(1)):
        return
    admin = db.session.scalar(sa.select(User).where(User.role == "organizer").order_by(User.id).limit(1))
    add_default_rules(campaign.id, admin)
    draft = get_or_create_draft(campaign.id)
    draft.narrative = {"intro": INTRO}
    draft.include_scorecard = True
    draft.revision = 1
    db.session.commit()
    export_snapshot(campaign, admin.id if admin else None)


def load_demo_export(campaign_id: int) -> None:
    """One finished export of the consultation register on the 导出文件 page (names and phones masked), made by the
    same job a consumer runs, here in the foreground; nothing if the campaign has one."""
    from campaign.booths.file_jobs import REGISTER_XLSX
    from campaign.jobs.files import start_file_job
    from campaign.jobs.models import FileJob
    from campaign.jobs.state import execute

    if db.session.scalar(sa.select(FileJob.id).where(FileJob.campaign_id == campaign_id).limit(1)):
        return
    admin = db.session.scalar(sa.select(User).where(User.role == "organizer").order_by(User.id).limit(1))
    job = start_file_job(campaign_id, REGISTER_XLSX, {"full": False}, admin)
    job_id = job.id
    db.session.info.pop("jobs_to_enqueue", None)  # run here, not on the queue
    db.session.commit()
    execute(REGISTER_XLSX, job_id)
