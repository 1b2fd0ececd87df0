"""The demo's district report for the 2025 campaign: the default scorecard (printed in the PDF) and one export
(PDF, DOCX, XLSX) kept as a snapshot, so `make run` opens on a compiled report.

The export runs in the foreground while the demo loads (a few seconds: the units' photos go in at print size).
The narrative is left to the drafting from the figures, except one section an organizer would have rewritten.
"""

import sqlalchemy as sa

from campaign.auth.models import User
from campaign.plan.models import Campaign
from campaign.report.models import ReportSnapshot
from campaign.report.narrative import get_or_create_draft
from campaign.report.scorecard import add_default_rules
from campaign.report.snapshots import export_snapshot
from campaign.web.extensions import db

RESULTS = (
    "一是政策宣传更加精准。各咨询台围绕社会保险、医疗保障、教育入学等群众关心的问题，面对面解读政策、现场答疑，"
    "群众普遍反映“听得懂、用得上”。\n"
    "二是政民互动更加顺畅。通过扫码留言、现场登记、限期转办等方式，群众反映的问题有登记、有转办、有回复，"
    "增进了群众对政府工作的理解和支持。\n"
    "三是公开工作更加规范。各单位以活动为契机，梳理公开事项清单，完善政策解读和回应关切机制，"
    "推动政务公开工作常态化、制度化。"
)


def load_demo_report(campaign: Campaign) -> None:
    """Score rules, the organizer's choices and one compiled export; nothing if the campaign has an export."""
    if db.session.scalar(sa.select(ReportSnapshot.id).where(ReportSnapshot.campaign_id == campaign.id).limit(1)):
        return
    admin = db.session.scalar(sa.select(User).where(User.role == "organizer").order_by(User.id).limit(1))
    add_default_rules(campaign.id, admin)
    draft = get_or_create_draft(campaign.id)
    draft.narrative = {"results": RESULTS}
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
