"""File downloads: documents, cards and exports, named in Chinese and never cached."""

from urllib.parse import quote

from flask import Response, current_app

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes, mimetype: str, filename: str, ascii_fallback: str) -> Response:
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
