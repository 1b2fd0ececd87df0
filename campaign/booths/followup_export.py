"""The XLSX of the organizer's referral table (the rows its filters select), names and phones masked by default."""

from campaign.booths.followups import closed_in_time, overdue_days, replied_in_time
from campaign.booths.models import CALLED_BACK, CLOSED, PENDING, REPLIED, FollowUp
from campaign.booths.privacy import mask_name, mask_phone
from campaign.documents import xlsx
from campaign.shared.timeutil import local_today

COLUMNS = (
    ("登记时间", 17), ("咨询台", 22), ("类型", 8), ("主题", 12), ("问题", 50), ("姓名", 10), ("电话", 16),
    ("办理单位", 20), ("状态", 8), ("答复期限", 12), ("办结期限", 12), ("逾期工作日", 10), ("答复", 50),
    ("按期答复", 8), ("回访结果", 10), ("回访记录", 30), ("按期办结", 8),
)
# A document's words stay Chinese whatever the interface language.
STATE_NAMES = {PENDING: "待办理", REPLIED: "已答复", CALLED_BACK: "已回访", CLOSED: "办结"}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def build_workbook(rows: list[FollowUp], full: bool = False) -> bytes:
    """`full` writes names and phones unmasked (the caller audits it)."""
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(workbook, "转办与回访", COLUMNS)
    today = local_today()
    for item in rows:
        consultation = item.consultation
        name = consultation.person_name if consultation.consent else ""
        phone = consultation.person_phone if consultation.consent else ""
        call_back = "" if item.call_back_reached is None else (
            item.call_back_satisfaction if item.call_back_reached else "未联系上"
        )
        sheet.append([
            xlsx.time_cell(sheet, consultation.recorded_at),
            *xlsx.row([consultation.booth.label, consultation.handling, consultation.topic]),
            xlsx.wrapped(sheet, consultation.question),
            *xlsx.row([
                name if full else mask_name(name), phone if full else mask_phone(phone), item.unit.name,
                STATE_NAMES[item.status], item.due_date.isoformat(), item.close_due_date.isoformat(),
                overdue_days(item, today) or "",
            ]),
            xlsx.wrapped(sheet, item.reply),
            *xlsx.row([_yes_no(replied_in_time(item)), call_back, item.call_back_note, _yes_no(closed_in_time(item))]),
        ])
    return xlsx.to_bytes(workbook)


def filename(full: bool = False) -> str:
    return f"转办与回访{'（完整信息）' if full else ''}.xlsx"
