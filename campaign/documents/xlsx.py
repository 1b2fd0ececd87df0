"""Streaming XLSX workbooks (openpyxl write-only): sheets with a bold header, frozen first row, column widths, and
text that a spreadsheet will never run as a formula."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from campaign.shared.timeutil import LOCAL_TZ

# A cell starting with one of these is read as a formula: "=HYPERLINK(…)" typed on a phone must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "yyyy-mm-dd hh:mm"
# Excel opens at most 1,048,576 rows a sheet; one is the header.
EXCEL_MAX_DATA_ROWS = 1_048_575


def safe_text(value):
    """Text shown as typed, never evaluated; numbers and everything else pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def new_workbook() -> Workbook:
    # Write-only: rows stream out, so a hundred thousand rows never build a tree of cells in memory.
    return Workbook(write_only=True)


def add_sheet(workbook: Workbook, title: str, columns) -> WriteOnlyWorksheet:
    """A sheet with the header row [(name, width), …], bold and frozen."""
    sheet = workbook.create_sheet(title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([bold(sheet, name) for name, _ in columns])
    return sheet


class SheetSeries:
    """One table over as many sheets as it needs: 咨询登记, 咨询登记（2）… each with the header and at most
    `max_rows` data rows, so no sheet is ever past Excel's limit. `sheet()` is the sheet the next row goes to."""

    def __init__(self, workbook: Workbook, title: str, columns, max_rows: int = EXCEL_MAX_DATA_ROWS):
        self.workbook, self.title, self.columns = workbook, title, columns
        self.max_rows = max(1, min(max_rows, EXCEL_MAX_DATA_ROWS))
        self.sheets = [add_sheet(workbook, title, columns)]
        self.rows_in_sheet = 0

    def sheet(self) -> WriteOnlyWorksheet:
        if self.rows_in_sheet >= self.max_rows:
            self.sheets.append(add_sheet(self.workbook, f"{self.title}（{len(self.sheets) + 1}）", self.columns))
            self.rows_in_sheet = 0
        self.rows_in_sheet += 1
        return self.sheets[-1]


def bold(sheet, value) -> Cell:
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    cell.font = Font(bold=True)
    return cell


def wrapped(sheet, value) -> Cell:
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def time_cell(sheet, moment) -> Cell:
    # Excel has no time zones: the Asia/Shanghai wall clock. Whole seconds, because Excel keeps a time as a
    # fraction of a day: 9:11:53.9999 would read back, and show, as 9:11:54.
    wall_clock = moment.astimezone(LOCAL_TZ).replace(tzinfo=None, microsecond=0) if moment else None
    cell = WriteOnlyCell(sheet, value=wall_clock)
    cell.number_format = TIME_FORMAT
    return cell


def row(values) -> list:
    """A row of plain values made safe: strings guarded, the rest as they are."""
    return [safe_text(value) for value in values]


def save(workbook: Workbook, path) -> None:
    """Written to a file (a background export): the rows went out as they were appended, the file is zipped here."""
    workbook.save(path)


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
