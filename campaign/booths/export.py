"""The XLSX export of a campaign's consultations and handouts, with names and phones masked by default."""

from campaign.booths import records
from campaign.booths.board import figures
from campaign.booths.models import SOURCE_PUBLIC
from campaign.booths.privacy import mask_name, mask_phone
from campaign.documents import xlsx
from campaign.plan.models import Campaign

SOURCE_LABELS = {"staff": "工作人员", SOURCE_PUBLIC: "公众"}

CONSULTATION_COLUMNS = (
    ("时间", 17), ("咨询台", 22), ("单位", 18), ("活动", 28), ("类别", 10), ("主题", 12), ("问题", 50),
    ("咨询人", 8), ("处理方式", 10), ("姓名", 10), ("电话", 16), ("满意度", 10), ("来源", 10),
)
HANDOUT_COLUMNS = (("时间", 17), ("咨询台", 22), ("单位", 18), ("资料", 14), ("数量", 8))
SUMMARY_COLUMNS = (
    ("单位", 22), ("咨询台数", 10), ("工作人员登记（人次）", 20), ("公众留言（条）", 16), ("发放资料（份）", 16),
)


def _booth_label(booth_name: str, unit_name: str, unit_short: str) -> str:
    # The same wording as Booth.label, without loading the objects.
    return booth_name or f"{unit_short or unit_name}咨询台"


def build_workbook(campaign: Campaign, full: bool = False) -> bytes:
    """The workbook: 咨询登记, 资料发放, 汇总. `full` writes names and phones unmasked (the caller audits it)."""
    workbook = xlsx.new_workbook()

    sheet = xlsx.add_sheet(workbook, "咨询登记", CONSULTATION_COLUMNS)
    for (recorded_at, booth_name, unit_name, unit_short, activity, kind, topic, question, asker, handling,
         name, phone, satisfaction, source) in records.consultation_rows(campaign.id):
        sheet.append([
            xlsx.time_cell(sheet, recorded_at),
            *xlsx.row([_booth_label(booth_name, unit_name, unit_short), unit_name, activity or "", kind, topic]),
            xlsx.wrapped(sheet, question),
            *xlsx.row([asker, handling, name if full else mask_name(name), phone if full else mask_phone(phone),
                       satisfaction, SOURCE_LABELS.get(source, source)]),
        ])

    sheet = xlsx.add_sheet(workbook, "资料发放", HANDOUT_COLUMNS)
    for recorded_at, booth_name, unit_name, unit_short, material, quantity in records.handout_rows(campaign.id):
        sheet.append([
            xlsx.time_cell(sheet, recorded_at),
            *xlsx.row([_booth_label(booth_name, unit_name, unit_short), unit_name, material, quantity]),
        ])

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
    return xlsx.to_bytes(workbook)


def filename(campaign: Campaign, full: bool = False) -> str:
    return f"{campaign.year}年政务公开日咨询登记{'（完整信息）' if full else ''}.xlsx"
