"""The QR codes: the masks scored at once (documents/qr.py) give the very code qrcode's own make() gives."""

import random
import string

import qrcode
from PIL import Image

from campaign.documents import qr


def _reference(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qr.ERROR_CORRECTION, border=qr.BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def test_the_codes_are_the_ones_qrcode_makes_at_every_size():
    """Links of every length a card or sheet may carry: versions 1 to 14, past 7 where the version is written in."""
    rng = random.Random(515)
    versions = set()
    for length in list(range(1, 40)) + list(range(40, 400, 7)):
        data = "https://gk.example.gov.cn/b/" + "".join(
            rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(length))
        code = qr._qr(data)
        versions.add(code.version)
        assert code.get_matrix() == _reference(data), (length, code.version)
    assert min(versions) <= 3 and max(versions) >= 10


def test_the_png_has_one_pixel_a_module_with_its_quiet_zone(tmp_path):
    link = "https://gk.example.gov.cn/b/abc"
    path = tmp_path / "code.png"
    path.write_bytes(qr.qr_modules_png(link))
    matrix = _reference(link)
    with Image.open(path) as image:
        assert image.size == (len(matrix), len(matrix))
        pixels = image.convert("L").load()
        assert all((pixels[x, y] == 0) == dark for y, row in enumerate(matrix) for x, dark in enumerate(row))
