"""The XLSX exports of a campaign's day: the board's (咨询登记, 资料发放, 汇总) and the consultation register alone
(咨询登记), with names and phones masked unless an organizer asked for them (the caller audits it).

Written streaming (openpyxl's write-only mode, rows read with yield_per) into a file, in a background job
(booths/file_jobs.py); a table longer than a sheet may hold continues on 咨询登记（2）… (documents/xlsx.SheetSeries).
"""

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from campaign.booths import records
from campaign.booths.board import figures
from campaign.booths.models import SOURCE_PUBLIC, Consultation, MaterialHandout
from campaign.booths.privacy import mask_name, mask_phone
from campaign.documents import xlsx
from campaign.plan.models import Campaign
from campaign.web.extensions import db

SOURCE_LABELS = {"staff": "工作人员", SOURCE_PUBLIC: "公众"}

CONSULTATION_COLUMNS = (
    ("时间", 17), ("咨询台", 22), ("单位", 18), ("活动", 28), ("类别", 10), ("主题", 12), ("问题", 50),
    ("咨询人", 8), ("处理方式", 10), ("姓名", 10), ("电话", 16), ("满意度", 10), ("来源", 10),
    ("回执码", 11),
)
HANDOUT_COLUMNS = (("时间", 17), ("咨询台", 22), ("单位", 18), ("资料", 14), ("数量", 8))
SUMMARY_COLUMNS = (
    ("单位", 22), ("咨询台数", 10), ("工作人员登记（人次）", 20), ("公众留言（条）", 16), ("发放资料（份）", 16),
)
# Progress is written every this many rows (a short UPDATE of the job's row).
PROGRESS_EVERY = 5000

Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


def _booth_label(booth_name: str, unit_name: str, unit_short: str) -> str:
    # The same wording as Booth.label, without loading the objects.
    return booth_name or f"{unit_short or unit_name}咨询台"


def _count(select: sa.Select) -> int:
    return db.session.scalar(select) or 0


def write_workbook(campaign: Campaign, target, full: bool = False, register_only: bool = False,
                   progress: Progress = _no_progress, max_rows: int = xlsx.EXCEL_MAX_DATA_ROWS) -> None:
    """Writes the workbook to `target` (a path or a binary stream). `full` writes names and phones unmasked;
    `register_only` writes the consultations alone."""
    workbook = xlsx.new_workbook()
    total = _count(records.consultations(campaign.id, sa.func.count(Consultation.id)))
    if not register_only:
        total += _count(records.handouts(campaign.id, sa.func.count(MaterialHandout.id)))
    total = max(total, 1)
    done = 0

    series = xlsx.SheetSeries(workbook, "咨询登记", CONSULTATION_COLUMNS, max_rows)
    for (recorded_at, booth_name, unit_name, unit_short, activity, kind, topic, question, asker, handling,
         name, phone, satisfaction, source, receipt) in records.consultation_rows(campaign.id):
        sheet = series.sheet()
        sheet.append([
            xlsx.time_cell(sheet, recorded_at),
            *xlsx.row([_booth_label(booth_name, unit_name, unit_short), unit_name, activity or "", kind, topic]),
            xlsx.wrapped(sheet, question),
            *xlsx.row([asker, handling, name if full else mask_name(name), phone if full else mask_phone(phone),
                       satisfaction, SOURCE_LABELS.get(source, source), receipt]),
        ])
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(5 + 85 * done // total, "rows")

    if not register_only:
        series = xlsx.SheetSeries(workbook, "资料发放", HANDOUT_COLUMNS, max_rows)
        for recorded_at, booth_name, unit_name, unit_short, material, quantity in records.handout_rows(campaign.id):
            sheet = series.sheet()
            sheet.append([
                xlsx.time_cell(sheet, recorded_at),
                *xlsx.row([_booth_label(booth_name, unit_name, unit_short), unit_name, material, quantity]),
            ])
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(5 + 85 * done // total, "rows")

        sheet = xlsx.add_sheet(workbook, "汇总", SUMMARY_COLUMNS)
        board = figures(campaign)
        for unit in board["units"]:
            sheet.append(xlsx.row([unit["full_name"], unit["booths"], unit["staff"], unit["public"], unit["handouts"]]))
        totals = board["totals"]
        sheet.append([
            xlsx.bold(sheet, value)
            for value in ("合计", sum(unit["booths"] for unit in board["units"]), totals["consultations"],
                          totals["public"], totals["handouts"])
        ])
    progress(92, "saving")
    xlsx.save(workbook, target)


def build_workbook(campaign: Campaign, full: bool = False) -> bytes:
    """The board's workbook in memory (small campaigns, tests)."""
    import io

    buffer = io.BytesIO()
    write_workbook(campaign, buffer, full=full)
    return buffer.getvalue()


def filename(campaign: Campaign, full: bool = False, register_only: bool = False) -> str:
    what = "咨询登记册" if register_only else "咨询登记"
    return f"{campaign.year}年政务公开日{what}{'（完整信息）' if full else ''}.xlsx"


def write_to(path: Path, campaign: Campaign, **options) -> Path:
    with path.open("wb") as stream:
        write_workbook(campaign, stream, **options)
    return path
