"""`flask purge-personal-data`: names and phones of consultations are blanked once the retention period after
their campaign has passed (PERSONAL_DATA_RETENTION_DAYS); so are phone numbers typed into questions and
replies, and the names and phones in the report snapshots' spreadsheets."""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import click
import openpyxl
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.shared.audit import record, register_action_labels
from campaign.shared.files import write_atomically
from campaign.shared.phones import remove_phone_numbers
from campaign.shared.timeutil import local, utcnow
from campaign.web.extensions import db

# The report's register of consultations and the columns holding personal data (report/exports.py).
REGISTER_SHEET = "咨询登记"
BLANKED_COLUMNS = ("姓名", "电话")
FREE_TEXT_COLUMNS = ("问题",)

register_action_labels({"personal_data_purged": _l("清除个人信息")})


@dataclass
class PurgeResult:
    cutoff: date
    # campaign id → consultations whose name or phone was blanked
    consultations: dict[int, int] = field(default_factory=dict)
    # consultations keeping their contact because their follow-up is still open: the unit must call back
    kept_for_open_follow_ups: int = 0
    pin_failures: int = 0
    # questions and follow-up replies in which a phone number was typed, now blanked
    texts: int = 0
    # report snapshots whose spreadsheet had names, phones or phone numbers in questions, now rewritten
    snapshots: int = 0

    @property
    def total(self) -> int:
        return sum(self.consultations.values())


def retention_cutoff(today: date, retention_days: int) -> date:
    """Campaigns whose last day is before this date are past the retention period."""
    return today - timedelta(days=retention_days)


def purge_personal_data(cutoff: date, dry_run: bool = False) -> PurgeResult:
    """Blanks the names and phones of consultations from campaigns that ended before `cutoff`, and the
    addresses kept with their booths' wrong-PIN counts. Idempotent: a second run finds nothing to change.

    Audit-logged per campaign with its count (nothing is logged when nothing changed). Commits unless dry_run.
    """
    from campaign.booths.models import CLOSED, Booth, Consultation, FollowUp, PinFailure
    from campaign.plan.models import Campaign

    result = PurgeResult(cutoff=cutoff)
    ended = sa.select(Campaign.id).where(Campaign.last_day < cutoff)
    of_ended_booths = sa.select(Booth.id).where(Booth.campaign_id.in_(ended))
    has_contact = sa.or_(Consultation.person_name != "", Consultation.person_phone != "")
    # A referral still being handled keeps its number: the unit must call back. One left open past its closing
    # deadline by the whole retention period has expired: nobody will call any more, so the number goes too.
    done_with = sa.or_(FollowUp.status == CLOSED, FollowUp.close_due_date < cutoff)
    still_open = sa.exists().where(FollowUp.consultation_id == Consultation.id, ~done_with)
    due = sa.and_(Consultation.booth_id.in_(of_ended_booths), has_contact)

    result.kept_for_open_follow_ups = db.session.execute(
        sa.select(sa.func.count(Consultation.id)).where(due, still_open)
    ).scalar_one()
    per_campaign = db.session.execute(
        sa.select(Booth.campaign_id, sa.func.count(Consultation.id))
        .join(Booth, Booth.id == Consultation.booth_id)
        .where(due, ~still_open)
        .group_by(Booth.campaign_id)
    ).all()
    result.consultations = {campaign_id: count for campaign_id, count in per_campaign}
    result.pin_failures = db.session.execute(
        sa.select(sa.func.count(PinFailure.id)).where(PinFailure.booth_id.in_(of_ended_booths))
    ).scalar_one()
    texts = _texts_with_phone_numbers(of_ended_booths, still_open, done_with)
    result.texts = len(texts)
    snapshots = _snapshots_to_blank(ended)
    result.snapshots = len(snapshots)
    if dry_run:
        return result

    text_counts: dict[int, int] = {}
    for row, column, text, campaign_id in texts:
        setattr(row, column, text)
        text_counts[campaign_id] = text_counts.get(campaign_id, 0) + 1
    upload_dir = current_app.config["UPLOAD_DIR"]
    for snapshot, rewritten in snapshots:
        _rewrite_snapshot_xlsx(snapshot, rewritten, upload_dir)

    db.session.execute(
        sa.update(Consultation).where(due, ~still_open).values(person_name="", person_phone="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(PinFailure).where(PinFailure.booth_id.in_(of_ended_booths)))
    snapshot_counts: dict[int, int] = {}
    for snapshot, _data in snapshots:
        snapshot_counts[snapshot.campaign_id] = snapshot_counts.get(snapshot.campaign_id, 0) + 1
    touched = set(result.consultations) | set(snapshot_counts) | set(text_counts)
    for campaign in db.session.scalars(sa.select(Campaign).where(Campaign.id.in_(touched))):
        record(None, "personal_data_purged", campaign, campaign_id=campaign.id,
               consultations=result.consultations.get(campaign.id, 0), texts=text_counts.get(campaign.id, 0),
               snapshots=snapshot_counts.get(campaign.id, 0), cutoff=cutoff.isoformat())
    db.session.commit()
    return result


@click.command("purge-personal-data", help="清除保存期已过的咨询人姓名和电话 (purge names and phones).")
@click.option("--before", "before", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="清除最后一天早于此日期（YYYY-MM-DD）的活动")
@click.option("--older-than-days", type=click.IntRange(min=0), help="清除结束超过 N 天的活动（默认按配置的保存期）")
@click.option("--dry-run", is_flag=True, help="只显示会清除多少，不做修改")
def purge_command(before, older_than_days, dry_run):
    if before is not None and older_than_days is not None:
        raise click.UsageError("--before 和 --older-than-days 只能选一个。")
    if before is not None:
        cutoff = before.date()
    else:
        days = older_than_days if older_than_days is not None else current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
        cutoff = retention_cutoff(local(utcnow()).date(), days)
    result = purge_personal_data(cutoff, dry_run=dry_run)
    verb = "将清除" if dry_run else "已清除"
    click.echo(f"{verb} {result.total} 条咨询登记中的姓名和电话（活动最后一天早于 {cutoff.isoformat()}），"
               f"{result.texts} 条问题或答复中的电话号码，{result.snapshots} 份报告快照表格中的姓名和电话，"
               f"{result.pin_failures} 条PIN错误记录中的地址。")
    if result.kept_for_open_follow_ups:
        click.echo(f"保留 {result.kept_for_open_follow_ups} 条：其转办/回访尚未办结，办结后再次运行即可清除。")


def _texts_with_phone_numbers(of_ended_booths, still_open, done_with) -> list[tuple]:
    """(row, column, text without phone numbers, campaign id) for the questions and replies of ended campaigns
    that have one; not those of an open follow-up, whose unit may still need the number."""
    from campaign.booths.models import Booth, Consultation, FollowUp

    found: list[tuple[Consultation | FollowUp, str, str, int]] = []
    questions = (
        sa.select(Consultation, Booth.campaign_id)
        .join(Booth, Booth.id == Consultation.booth_id)
        .where(Consultation.booth_id.in_(of_ended_booths), Consultation.question != "", ~still_open)
    )
    for consultation, campaign_id in db.session.execute(questions.execution_options(yield_per=1000)):
        cleaned = remove_phone_numbers(consultation.question)
        if cleaned != consultation.question:
            found.append((consultation, "question", cleaned, campaign_id))
    replies = (
        sa.select(FollowUp, Booth.campaign_id)
        .join(Consultation, Consultation.id == FollowUp.consultation_id)
        .join(Booth, Booth.id == Consultation.booth_id)
        .where(Consultation.booth_id.in_(of_ended_booths), FollowUp.reply != "", done_with)
    )
    for follow_up, campaign_id in db.session.execute(replies.execution_options(yield_per=1000)):
        cleaned = remove_phone_numbers(follow_up.reply)
        if cleaned != follow_up.reply:
            found.append((follow_up, "reply", cleaned, campaign_id))
    return found


def _snapshots_to_blank(ended) -> list[tuple]:
    """(snapshot, its spreadsheet rewritten) for the snapshots of ended campaigns that still hold personal data."""
    from campaign.report.models import ReportSnapshot

    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    found = []
    for snapshot in db.session.scalars(sa.select(ReportSnapshot).where(ReportSnapshot.campaign_id.in_(ended))):
        listing = next((item for item in snapshot.files or [] if item.get("kind") == "xlsx"), None)
        path = upload_dir / listing["path"] if listing else None
        if path is None or not path.is_file():
            continue
        rewritten = blank_register(path.read_bytes())
        if rewritten is not None:
            found.append((snapshot, rewritten))
    return found


def blank_register(data: bytes) -> bytes | None:
    """The workbook with the register's names and phones blanked and phone numbers taken out of its questions;
    None when there was nothing to blank."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    if REGISTER_SHEET not in workbook.sheetnames:
        return None
    sheet = workbook[REGISTER_SHEET]
    headers = {cell.column: cell.value for cell in sheet[1]}
    changed = False
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            header = headers.get(cell.column)
            if not isinstance(cell.value, str) or not cell.value:
                continue
            if header in BLANKED_COLUMNS:
                cell.value, changed = "", True
            elif header in FREE_TEXT_COLUMNS:
                cleaned = remove_phone_numbers(cell.value)
                if cleaned != cell.value:
                    cell.value, changed = cleaned, True
    if not changed:
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_snapshot_xlsx(snapshot, data: bytes, upload_dir: str) -> None:
    """Replace the snapshot's spreadsheet whole (a reader never sees half a file) and its listed hash and size."""
    files = [dict(item) for item in snapshot.files]
    listing = next(item for item in files if item.get("kind") == "xlsx")
    write_atomically(Path(upload_dir) / listing["path"], data)
    listing.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    # A new list: the JSON column notices only a new value.
    snapshot.files = files
