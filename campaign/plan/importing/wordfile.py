"""A plan's .docx read as text: its paragraphs and tables' cells in document order, for the parser.

What is not a readable .docx is refused before python-docx sees it, each with its own reason: too large, an old .doc
or a PDF renamed .docx, a password-protected file (an encrypted OLE container, not a zip), a zip bomb (the unpacked
size of document.xml is read from the zip's directory before anything is unpacked).
"""

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from flask_babel import lazy_gettext as _l

from campaign.web.refusal import Refusal

MAX_FILE_BYTES = 5 * 1024 * 1024
# A 20-page plan's document.xml is well under 2 MB unpacked; far more is a bomb, not a plan.
MAX_DOCUMENT_XML_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _refuse(message) -> Refusal:
    return Refusal(message, field="file")


def _checked_zip(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(_l("文件太大（超过%(n)s MB）。请上传方案的 Word 文件，或粘贴其文字。", n=MAX_FILE_BYTES // 1024 // 1024))
    if not data:
        raise _refuse(_l("文件是空的。"))
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise _refuse(_l("这个 Word 文件设置了密码，无法读取。请在 Word 中取消密码后再上传，或粘贴其文字。"))
        raise _refuse(_l("这是旧版 Word（.doc）文件。请在 Word 或 WPS 中另存为 .docx 后再上传，或粘贴其文字。"))
    if data.startswith(b"%PDF"):
        raise _refuse(_l("这是 PDF 文件，不是 Word 文件。请上传 .docx 文件，或从 PDF 中复制文字粘贴。"))
    if not data.startswith(b"PK"):
        raise _refuse(_l("这不是 Word（.docx）文件。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _refuse(_l("文件已损坏，无法读取。")) from error
    document = next((entry for entry in entries if entry.filename == "word/document.xml"), None)
    if document is None:
        raise _refuse(_l("这不是 Word（.docx）文件。"))
    if document.file_size > MAX_DOCUMENT_XML_BYTES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise _refuse(_l("文件解压后过大，不像一份活动方案，未予读取。"))
    return archive


def docx_text(data: bytes) -> str:
    """The document's text: one line per paragraph, and one per table cell's paragraph, in document order."""
    _checked_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package; all mean "cannot read"
        raise _refuse(_l("文件已损坏，无法读取。")) from error
    lines: list[str] = []
    paragraph, table = qn("w:p"), qn("w:tbl")
    for element in document.element.body.iterchildren():
        if element.tag == paragraph:
            lines.append(_paragraph_text(element))
        elif element.tag == table:
            for cell_paragraph in element.iter(paragraph):
                lines.append(_paragraph_text(cell_paragraph))
    return "\n".join(lines)


def _paragraph_text(element) -> str:
    """A paragraph's text with its line breaks (w:br) as new lines and tabs as spaces."""
    parts = []
    for node in element.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)
