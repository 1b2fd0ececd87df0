"""File downloads: documents, cards and exports, named in Chinese and never cached."""

from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app, send_file

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes | Path, mimetype: str, filename: str, ascii_fallback: str) -> Response:
    """A download of `body`: bytes, or a file's path (a large export: sent from the file, not read into memory)."""
    if isinstance(body, Path):
        response = send_file(body, mimetype=mimetype, conditional=False, etag=False)
    else:
        response = Response(body, mimetype=mimetype)
    # filename* (RFC 5987) carries the Chinese name; old clients fall back to the plain ASCII one.
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    # Documents may hold PINs or personal data: no shared cache may keep them.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def static_folder() -> str:
    """The app's static folder, which documents take their style sheets and images from (create_app sets it)."""
    folder = current_app.static_folder
    assert folder is not None, "create_app sets the static folder"
    return folder
