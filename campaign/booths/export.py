"""The XLSX export of a campaign's consultations and handouts, with names and phones masked by default."""

from io import BytesIO

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from campaign.booths.board import figures
from campaign.booths.models import SOURCE_PUBLIC, Booth, Consultation, MaterialHandout
from campaign.booths.privacy import mask_name, mask_phone
from campaign.plan.models import Activity, Campaign
from campaign.shared.timeutil import LOCAL_TZ
from campaign.units.models import Unit
from campaign.web.extensions import db

# A spreadsheet treats a cell starting with one of these as a formula: "=HYPERLINK(…)" typed into a public
# card must stay text when an organizer opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SOURCE_LABELS = {"staff": "工作人员", SOURCE_PUBLIC: "公众"}
TIME_FORMAT = "yyyy-mm-dd hh:mm"

CONSULTATION_COLUMNS = (
    ("时间", 17), ("咨询台", 22), ("单位", 18), ("活动", 28), ("类别", 10), ("主题", 12), ("问题", 50),
    ("咨询人", 8), ("处理方式", 10), ("姓名", 10), ("电话", 16), ("满意度", 10), ("来源", 10),
)
HANDOUT_COLUMNS = (("时间", 17), ("咨询台", 22), ("单位", 18), ("资料", 14), ("数量", 8))
SUMMARY_COLUMNS = (
    ("单位", 22), ("咨询台数", 10), ("工作人员登记（人次）", 20), ("公众留言（条）", 16), ("发放资料（份）", 16),
)


def safe_text(value):
    """Text a spreadsheet will show as typed, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local_naive(moment):
    # Excel has no time zones: write the Asia/Shanghai wall clock.
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment else None


def _sheet(workbook: Workbook, title: str, columns) -> object:
    sheet = workbook.create_sheet(title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _time_cell(sheet, moment) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_local_naive(moment))
    cell.number_format = TIME_FORMAT
    return cell


def _wrapped(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _consultation_rows(campaign_id: int):
    return db.session.execute(
        sa.select(
            Consultation.recorded_at, Booth.name, Unit.name, Unit.short_name, Activity.title, Consultation.kind,
            Consultation.topic, Consultation.question, Consultation.asker_type, Consultation.handling,
            Consultation.person_name, Consultation.person_phone, Consultation.satisfaction, Consultation.source,
        )
        .join(Booth, Consultation.booth_id == Booth.id)
        .join(Unit, Booth.unit_id == Unit.id)
        .outerjoin(Activity, Booth.activity_id == Activity.id)
        .where(Booth.campaign_id == campaign_id, Consultation.withdrawn_at.is_(None))
        .order_by(Consultation.recorded_at, Consultation.id)
        .execution_options(yield_per=2000)
    )


def _handout_rows(campaign_id: int):
    return db.session.execute(
        sa.select(
            MaterialHandout.recorded_at, Booth.name, Unit.name, Unit.short_name, MaterialHandout.material,
            MaterialHandout.quantity,
        )
        .join(Booth, MaterialHandout.booth_id == Booth.id)
        .join(Unit, Booth.unit_id == Unit.id)
        .where(Booth.campaign_id == campaign_id, MaterialHandout.withdrawn_at.is_(None))
        .order_by(MaterialHandout.recorded_at, MaterialHandout.id)
        .execution_options(yield_per=2000)
    )


def _booth_label(booth_name: str, unit_name: str, unit_short: str) -> str:
    # The same wording as Booth.label, without loading the objects.
    return booth_name or f"{unit_short or unit_name}咨询台"


def build_workbook(campaign: Campaign, full: bool = False) -> bytes:
    """The workbook: 咨询登记, 资料发放, 汇总. `full` writes names and phones unmasked (the caller audits it)."""
    # Write-only: rows stream to the file, so 100,000 consultations do not build a tree of cells in memory.
    workbook = Workbook(write_only=True)

    sheet = _sheet(workbook, "咨询登记", CONSULTATION_COLUMNS)
    for (recorded_at, booth_name, unit_name, unit_short, activity, kind, topic, question, asker, handling,
         name, phone, satisfaction, source) in _consultation_rows(campaign.id):
        sheet.append([
            _time_cell(sheet, recorded_at),
            safe_text(_booth_label(booth_name, unit_name, unit_short)),
            safe_text(unit_name),
            safe_text(activity or ""),
            safe_text(kind),
            safe_text(topic),
            _wrapped(sheet, question),
            safe_text(asker),
            safe_text(handling),
            safe_text(name if full else mask_name(name)),
            safe_text(phone if full else mask_phone(phone)),
            safe_text(satisfaction),
            SOURCE_LABELS.get(source, source),
        ])

    sheet = _sheet(workbook, "资料发放", HANDOUT_COLUMNS)
    for recorded_at, booth_name, unit_name, unit_short, material, quantity in _handout_rows(campaign.id):
        sheet.append([
            _time_cell(sheet, recorded_at),
            safe_text(_booth_label(booth_name, unit_name, unit_short)),
            safe_text(unit_name),
            safe_text(material),
            quantity,
        ])

    sheet = _sheet(workbook, "汇总", SUMMARY_COLUMNS)
    board = figures(campaign)
    for unit in board["units"]:
        sheet.append([safe_text(unit["full_name"]), unit["booths"], unit["staff"], unit["public"], unit["handouts"]])
    totals = board["totals"]
    bold = []
    for value in ("合计", sum(unit["booths"] for unit in board["units"]), totals["consultations"], totals["public"],
                  totals["handouts"]):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(campaign: Campaign, full: bool = False) -> str:
    return f"{campaign.year}年政务公开日咨询登记{'（完整信息）' if full else ''}.xlsx"
