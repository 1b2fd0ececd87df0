"""File downloads: documents, cards and exports, named in Chinese and never cached."""

from urllib.parse import quote

from flask import Response


def attachment(body: bytes, mimetype: str, filename: str, ascii_fallback: str) -> Response:
    response = Response(body, mimetype=mimetype)
    # filename* (RFC 5987) carries the Chinese name; old clients fall back to the plain ASCII one.
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    # Documents may hold PINs or personal data: no shared cache may keep them.
    response.headers["Cache-Control"] = "private, no-store"
    return response
