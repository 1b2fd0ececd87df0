"""Bulk import of units from pasted lines, .xlsx or .csv: parse → validate (preview) → save all or none.

Rows keep the number the organizer sees (the line of the paste, the row of the sheet), so every problem can
say where it is; that number also travels through the preview's hidden text to the confirming POST.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from campaign.shared.audit import record
from campaign.shared.phones import normalize_phone, valid_phone
from campaign.units.models import UNIT_KINDS, Unit
from campaign.units.services import (
    CONTACT_MAX,
    NAME_MAX,
    SHORT_NAME_MAX,
    UnitFields,
    clean_text,
    existing_unit_names,
    guess_kind,
    kind_from_text,
    next_sort_order,
)
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

MAX_IMPORT_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024
# A few thousand rows unpack to well under a megabyte; far more means a zip bomb, not a list of units.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 20
FIELDS = ("name", "short_name", "kind", "contact_person", "contact_phone")

# Header words → field; a header row may put the columns in any order.
HEADER_WORDS = {
    "名称": "name", "单位名称": "name", "单位全称": "name", "单位": "name", "name": "name",
    "简称": "short_name", "单位简称": "short_name", "short_name": "short_name", "shortname": "short_name",
    "类型": "kind", "单位类型": "kind", "类别": "kind", "kind": "kind", "type": "kind",
    "联系人": "contact_person", "联络员": "contact_person", "contact": "contact_person",
    "contact_person": "contact_person",
    "电话": "contact_phone", "联系电话": "contact_phone", "手机": "contact_phone", "联系方式": "contact_phone",
    "phone": "contact_phone", "contact_phone": "contact_phone",
    "序号": None, "排序": None, "no": None, "no.": None,
}
_COMMA = re.compile(r"[,，]")
_WIDE_SPACE = re.compile(r"\s{2,}|\u3000")


@dataclass
class ImportRow:
    number: int
    name: str = ""
    short_name: str = ""
    kind_text: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    extra: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """The kind code; guessed from the name when the row leaves it empty, None when unrecognised."""
        if not self.kind_text:
            return guess_kind(self.name)
        return kind_from_text(self.kind_text)

    @property
    def kind_guessed(self) -> bool:
        return not self.kind_text

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind or "", self.kind_text)

    @property
    def ok(self) -> bool:
        return not self.problems

    def unit_fields(self) -> UnitFields:
        """The row as the unit it makes, in the same fields a unit added by hand has (a row is checked first)."""
        return UnitFields(name=self.name, short_name=self.short_name, kind=self.kind or "other",
                          contact_person=self.contact_person, contact_phone=self.contact_phone)


def _too_many():
    return Refusal(_l("一次最多导入%(n)s个单位，请分批导入。", n=MAX_IMPORT_ROWS))


def _header_key(cell: str) -> str:
    return re.sub(r"[\s*＊:：]", "", cell).lower()


def _header_fields(cells: list[str]) -> list[str | None] | None:
    """The field of each column if these cells are a header row, else None."""
    keys = [_header_key(cell) for cell in cells]
    filled = [key for key in keys if key]
    fields = [HEADER_WORDS.get(key) for key in keys]
    recognised = sum(1 for key in filled if key in HEADER_WORDS)
    # Columns it does not know (备注 …) are ignored, as long as the row is clearly a header.
    if "name" not in fields or (recognised < 2 and len(filled) > 1):
        return None
    # A repeated header keeps its first column; the later one is ignored rather than overwriting it.
    return [value if value not in fields[:index] else None for index, value in enumerate(fields)]


def rows_from_cells(numbered_cells) -> list[ImportRow]:
    """(number, cells) pairs → rows; blank rows skipped, a first header row used for the column order."""
    rows: list[ImportRow] = []
    columns: list[str | None] | None = None
    first = True
    for number, raw in numbered_cells:
        cells = [clean_text(cell) for cell in raw][:MAX_COLUMNS]
        if not any(cells):
            continue
        if first:
            first = False
            columns = _header_fields(cells)
            if columns is None and len(cells) == 1:
                # “名称 简称 类型 联系人 电话” typed with single spaces is still a header.
                columns = _header_fields(cells[0].split())
            if columns is not None:
                continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise _too_many()
        row = ImportRow(number=number)
        if columns is None:
            values, extra = cells[: len(FIELDS)], cells[len(FIELDS) :]
            mapping = dict(zip(FIELDS, values, strict=False))
        else:
            mapping, extra = {}, cells[len(columns) :]
            for name, value in zip(columns, cells, strict=False):
                if name:
                    mapping[name] = value
        row.name = mapping.get("name", "")
        row.short_name = mapping.get("short_name", "")
        row.kind_text = mapping.get("kind", "")
        row.contact_person = mapping.get("contact_person", "")
        row.contact_phone = normalize_phone(mapping.get("contact_phone", ""))
        row.extra = [value for value in extra if value]
        rows.append(row)
    return rows


def _split_pasted_line(line: str) -> list[str]:
    # One separator a line, the strongest present: a paste from Excel has tabs, and names may hold a space.
    if "\t" in line:
        return line.split("\t")
    if _COMMA.search(line):
        return _COMMA.split(line)
    return _WIDE_SPACE.split(line.strip())


def parse_pasted(text: str) -> list[ImportRow]:
    """One unit a line: name, short name, kind, contact, phone — by tab, comma (also ，) or 2+ spaces."""
    lines = (text or "").splitlines()
    return rows_from_cells((number, _split_pasted_line(line)) for number, line in enumerate(lines, start=1))


def parse_file(filename: str, data: bytes) -> list[ImportRow]:
    """Rows of an uploaded .xlsx or .csv; Refusal with a message for anything else or anything broken."""
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if extension == "xls":
        raise Refusal(_l("不支持旧版 Excel (.xls) 文件，请在 Excel 中另存为 .xlsx 后再上传。"))
    if extension not in ("xlsx", "csv"):
        raise Refusal(_l("只能上传 .xlsx 或 .csv 文件。"))
    if not data:
        raise Refusal(_l("上传的文件是空的。"))
    if len(data) > MAX_FILE_BYTES:
        raise Refusal(_l("文件太大（最大 %(mb)s MB）。", mb=MAX_FILE_BYTES // (1024 * 1024)))
    if extension == "xlsx":
        return rows_from_cells(_xlsx_cells(data))
    return rows_from_cells(_csv_cells(data))


def _xlsx_cells(data: bytes):
    from openpyxl import load_workbook

    not_xlsx = Refusal(_l("文件不是有效的 Excel (.xlsx) 文件，可能已损坏。"))
    if not data.startswith(b"PK"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refusal(_l("文件太大（最大 %(mb)s MB）。", mb=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException …) for bad files
        raise not_xlsx from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise not_xlsx
        cells, filled = [], 0
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            values = [_cell_text(value) for value in row]
            if any(values):
                filled += 1
                # Stop reading early: a header plus the limit plus one is enough to refuse the file.
                if filled > MAX_IMPORT_ROWS + 1:
                    raise _too_many()
                cells.append((number, values))
        return cells
    except Refusal:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError):
        raise not_xlsx from None
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number arrives as 13800001111.0
    return str(value)


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's “Unicode text”
    else:
        # Excel on Chinese Windows writes CSV in GBK; GB18030 reads GBK and everything it lacks.
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise Refusal(_l("文件不是 CSV 文本文件，或编码无法识别（请用 UTF-8 或 GBK）。"))


def _csv_cells(data: bytes):
    if data.startswith(b"PK"):
        raise Refusal(_l("这个文件其实是 Excel 文件，请把扩展名改为 .xlsx 后再上传。"))
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        cells, filled = [], 0
        for values in reader:
            if any(value.strip() for value in values):
                filled += 1
                if filled > MAX_IMPORT_ROWS + 1:
                    raise _too_many()
            cells.append((reader.line_num, values))
        return cells
    except csv.Error:
        raise Refusal(_l("CSV 文件格式有误，无法读取。")) from None


def validate_rows(rows: list[ImportRow], existing_names: set[str]) -> list[ImportRow]:
    """Set each row's problems (replacing earlier ones); returns the rows."""
    seen: dict[str, int] = {}
    for row in rows:
        problems = []
        if not row.name:
            problems.append(_l("缺少单位名称"))
        elif len(row.name) > NAME_MAX:
            problems.append(_l("单位名称超过%(n)s个字", n=NAME_MAX))
        if len(row.short_name) > SHORT_NAME_MAX:
            problems.append(_l("简称超过%(n)s个字", n=SHORT_NAME_MAX))
        if row.kind is None:
            problems.append(_l("类型“%(kind)s”无法识别", kind=row.kind_text))
        if len(row.contact_person) > CONTACT_MAX:
            problems.append(_l("联系人超过%(n)s个字", n=CONTACT_MAX))
        if row.contact_phone and not valid_phone(row.contact_phone):
            problems.append(_l("电话“%(phone)s”格式不正确", phone=row.contact_phone))
        if row.extra:
            problems.append(_l("多出的列“%(text)s”无法识别", text="、".join(row.extra)))
        if row.name:
            if row.name in seen:
                problems.append(_l("与第%(n)s行重复", n=seen[row.name]))
            else:
                seen[row.name] = row.number
            if row.name in existing_names:
                problems.append(_l("已存在同名单位"))
        row.problems = problems
    return rows


def serialize_rows(rows: list[ImportRow]) -> str:
    """The checked rows as the preview's hidden text: number, then the five fields (kind as its code)."""
    return "\n".join(
        "\t".join([str(row.number), row.name, row.short_name, row.kind or row.kind_text, row.contact_person,
                   row.contact_phone])
        for row in rows
    )


def deserialize_rows(text: str) -> list[ImportRow]:
    """The hidden text back to rows; it came from the browser, so it is validated again like any input."""
    numbered = []
    for index, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, _, rest = line.partition("\t")
        digits = label.strip()
        number = int(digits) if digits.isdecimal() and len(digits) <= 6 and int(digits) > 0 else index
        numbered.append((number, rest.split("\t")))
    rows: list[ImportRow] = []
    for number, cells in numbered:
        if len(rows) >= MAX_IMPORT_ROWS:
            raise _too_many()
        row = ImportRow(number=number)
        cells = [clean_text(cell) for cell in cells]
        row.name, row.short_name, row.kind_text, row.contact_person, phone = (cells + [""] * 5)[:5]
        row.contact_phone = normalize_phone(phone)
        row.extra = [cell for cell in cells[5:] if cell]
        rows.append(row)
    return rows


def import_rows(actor, rows: list[ImportRow]) -> list[Unit]:
    """Save every row as a new unit at the end of the order, in one transaction — or none if any is bad."""
    validate_rows(rows, existing_unit_names())
    if not rows:
        raise Refusal(_l("没有要导入的单位。"))
    if not all(row.ok for row in rows):
        raise Refusal(_l("有 %(n)s 行存在问题，没有导入任何单位。", n=sum(1 for row in rows if not row.ok)))
    order = next_sort_order()
    units = []
    try:
        # In a savepoint: a name another organizer added meanwhile undoes the whole batch, and only it.
        with db.session.begin_nested():
            for offset, row in enumerate(rows):
                unit = Unit(**vars(row.unit_fields()), sort_order=order + offset, active=True)
                db.session.add(unit)
                units.append(unit)
            db.session.flush()
    except IntegrityError:
        raise Refusal(_l("导入时发现同名单位（可能刚被他人添加），没有导入任何单位，请重新预览。")) from None
    # One event for the batch, attached to its first unit; the names say what came in.
    record(actor, "units_imported", units[0], count=len(units), names=[unit.name for unit in units][:50])
    db.session.flush()
    return units
