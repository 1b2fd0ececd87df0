"""QR codes: the booth cards' links and the one-time sign-in links on the invitation sheet."""

import base64
import io

import numpy as np
import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M
from qrcode.main import precomputed_qr_blanks

# M survives a smudged or creased card and keeps the code small enough to scan from a cheap phone at arm's length.
ERROR_CORRECTION = ERROR_CORRECT_M
# The quiet zone the standard asks for: with less, some scanners do not find the code on a busy desk.
BORDER = 4


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, box_size=10)
    code.add_data(data)
    code.best_fit()
    mask, modules = best_mask(code)
    # The chosen candidate with its real format (and version) information written in, as qrcode's make() would.
    code.mask_pattern = mask
    code.modules = modules.tolist()
    code.setup_type_info(False, mask)
    if code.version >= 7:
        code.setup_type_number(False)
    return code


# The eight mask patterns of ISO/IEC 18004 (qrcode.util.mask_func), for a grid of rows i and columns j at once.
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)
# The finder-like runs the third penalty rule counts: 1:1:3:1:1 with four light modules before or after.
_FINDER_LIKE = np.array([[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]], dtype=bool)


def best_mask(code: qrcode.QRCode) -> tuple[int, np.ndarray]:
    """The mask pattern qrcode's `best_mask_pattern` chooses (the lowest penalty, the first of equals), and the
    modules masked with it (the format left blank), computed for the eight masks at once with numpy.

    qrcode lays the code out and scores it in pure Python once per mask: 5–6 ms a code, most of the time of 800
    cards. Here it lays it out once, then masks and scores the eight candidates as arrays (about a tenth of that).
    """
    code.makeImpl(True, 0)
    size = code.modules_count
    masked_with_0 = np.array(code.modules, dtype=bool)
    # The modules that carry data: those the function patterns and the (blank, as qrcode scores) format leave free.
    code.modules = [list(row) for row in precomputed_qr_blanks[code.version]]
    code.setup_type_info(True, 0)
    if code.version >= 7:
        code.setup_type_number(True)
    data = np.array([[module is None for module in row] for row in code.modules], dtype=bool)
    rows, cols = np.indices((size, size))
    masks = np.stack([mask(rows, cols) for mask in _MASKS]) & data
    candidates = (masked_with_0 ^ masks[0]) ^ masks  # (8, size, size)
    best = int(np.argmin(_penalties(candidates)))
    return best, candidates[best]


def _penalties(codes: np.ndarray) -> np.ndarray:
    """The penalty score of each of the codes (n, size, size), as qrcode.util.lost_point counts it."""
    count, size, _ = codes.shape
    both_ways = np.concatenate([codes, codes.transpose(0, 2, 1)], axis=1)  # rows, then columns as rows
    # 1. Runs of five or more modules of one colour in a row or column: the run's length − 2 each.
    with_ends = np.concatenate([both_ways.astype(np.int8), np.full((count, 2 * size, 1), 2, np.int8)], axis=2).ravel()
    changes = np.flatnonzero(np.diff(with_ends)) + 1
    starts = np.concatenate([[0], changes])
    lengths = np.diff(np.concatenate([starts, [with_ends.size]]))
    long = lengths >= 5
    per_code = starts[long] // (2 * size * (size + 1))
    runs = np.bincount(per_code, weights=lengths[long] - 2, minlength=count)
    # 2. Each 2×2 block of one colour: 3.
    block = ((codes[:, :-1, :-1] == codes[:, 1:, :-1]) & (codes[:, :-1, :-1] == codes[:, :-1, 1:])
             & (codes[:, :-1, :-1] == codes[:, 1:, 1:]))
    blocks = 3 * block.sum(axis=(1, 2))
    # 3. Each finder-like run in a row or column: 40.
    windows = np.lib.stride_tricks.sliding_window_view(both_ways, 11, axis=2)  # (n, 2·size, size − 10, 11)
    finder_like = sum((windows == pattern).all(axis=3).sum(axis=(1, 2)) for pattern in _FINDER_LIKE)
    # 4. The share of dark modules: 10 for every whole 5 % away from half.
    dark = codes.sum(axis=(1, 2)) / (size * size)
    balance = (np.abs(dark * 100 - 50) / 5).astype(int) * 10
    return runs + blocks + 40 * finder_like + balance


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


def qr_modules_png(data: str) -> bytes:
    """The code as a PNG of one pixel per module (a few hundred bytes), for a PDF to scale up without smoothing
    (CSS `image-rendering: pixelated`).

    Measured for 800 cards: drawing the SVG paths took WeasyPrint longer than all the rest of the cards together,
    and a PNG of 10 pixels a module still had to be compressed and embedded at 100 times the size.
    """
    from PIL import Image

    dark = np.array(_qr(data).get_matrix(), dtype=bool)  # the quiet zone included
    buffer = io.BytesIO()
    Image.fromarray(np.where(dark, 0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
