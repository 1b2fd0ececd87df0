"""The booths' files made on the task queue (campaign/jobs/files.py): the board's XLSX, the consultation register,
and the QR cards of every booth, each with its progress and a download when done."""

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.booths import export as exporting
from campaign.booths import services
from campaign.booths.cards import SHEET, SINGLE, cards_pdf
from campaign.jobs.files import Progress, register_file_kind
from campaign.jobs.models import FileJob
from campaign.plan.models import Campaign
from campaign.web.extensions import db

BOARD_XLSX = "board_xlsx"
REGISTER_XLSX = "register_xlsx"
CARDS_PDF = "cards_pdf"
KIND_LABELS = {
    BOARD_XLSX: _l("咨询登记和资料发放（Excel）"),
    REGISTER_XLSX: _l("咨询登记册（Excel）"),
    CARDS_PDF: _l("全部咨询台二维码卡片（PDF）"),
}
STEP_LABELS = {"rows": _l("写入登记记录"), "saving": _l("保存文件"), "cards": _l("生成卡片")}


def _max_rows() -> int:
    return int(current_app.config.get("XLSX_MAX_ROWS_PER_SHEET", exporting.xlsx.EXCEL_MAX_DATA_ROWS))


def _workbook(register_only: bool):
    def make(job: FileJob, progress: Progress, scratch: Path) -> tuple[Path, str]:
        campaign = db.session.get_one(Campaign, job.campaign_id)
        full = bool(job.params.get("full"))
        progress(3, "rows")
        path = exporting.write_to(scratch / "export.xlsx", campaign, full=full, register_only=register_only,
                                  progress=progress, max_rows=_max_rows())
        return path, exporting.filename(campaign, full=full, register_only=register_only)

    return make


def _cards(job: FileJob, progress: Progress, scratch: Path) -> tuple[Path, str]:
    campaign = db.session.get_one(Campaign, job.campaign_id)
    with_pin = bool(job.params.get("pin"))
    # Jobs started before the choice of layout made A6 pages.
    layout = job.params.get("layout", SINGLE)
    progress(5, "cards")
    booths = services.campaign_booths(campaign.id, active_only=True)
    path = scratch / "cards.pdf"
    path.write_bytes(cards_pdf(campaign, booths, job.params.get("root_url", ""), with_pin, layout=layout,
                               progress=lambda percent: progress(percent, "cards")))
    sheet = "（A4每页4张）" if layout == SHEET else "（A6）"
    return path, f"第{campaign.edition}届政务公开日咨询台二维码卡片{sheet}{'（含PIN）' if with_pin else ''}.pdf"


register_file_kind(BOARD_XLSX, _workbook(register_only=False), STEP_LABELS)
register_file_kind(REGISTER_XLSX, _workbook(register_only=True), STEP_LABELS)
register_file_kind(CARDS_PDF, _cards, STEP_LABELS)
