"""QR codes: the booth cards' links and the one-time sign-in links on the invitation sheet."""

import base64
import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

# M survives a smudged or creased card and keeps the code small enough to scan from a cheap phone at arm's length.
ERROR_CORRECTION = ERROR_CORRECT_M
# The quiet zone the standard asks for: with less, some scanners do not find the code on a busy desk.
BORDER = 4


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str) -> str:
    """The code as one SVG path: vector, so the card prints sharp at any size."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_png(data: str) -> bytes:
    image = _qr(data).make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
