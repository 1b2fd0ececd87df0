"""Photo intake: what a phone uploads becomes two upright, metadata-free JPEGs (a display copy and a thumbnail).

Plain functions with no request in sight: summaries use them for uploads, the report and the demo for their own
photos. The uploaded original is never kept, so GPS positions and camera details never reach the disk.
"""

import io
import os
import secrets
import struct
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

import pillow_heif
from flask import current_app, has_app_context
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from campaign.shared.files import write_atomically
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.refusal import Refusal

pillow_heif.register_heif_opener()

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# 40 megapixels: more than any phone camera's 12–50 MP photo needs once it is turned into a 1600 px display copy,
# and the most one decode may cost (about 160 MB for RGBA).
DEFAULT_MAX_PIXELS = 40_000_000
# Pillow's names of the formats we take; anything else (GIF, BMP, TIFF, SVG, PDF …) is refused whatever its name.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
DISPLAY_SIDE = 1600
THUMB_SIDE = 400
DISPLAY_QUALITY = 82
THUMB_QUALITY = 80

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011
_ORIENTATION = 0x0112
# Orientations 5–8 turn the picture a quarter: width and height swap once it is upright.
_QUARTER_TURNS = (5, 6, 7, 8)
# A phone whose clock was never set says 1970 or 2000; a date before digital cameras or in the future is noise.
_EARLIEST_PLAUSIBLE = datetime(2000, 1, 2, tzinfo=UTC)


# What Pillow and pillow-heif raise on a truncated or corrupt file, depending on the format and where it breaks.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error, zlib.error)

# One decode at a time in a worker process: a near-limit PNG decodes whole (a JPEG at reduced scale), so four at
# once in one process would hold four full images. The others wait their turn; the files are already in memory.
DECODE_SLOT = threading.Lock()


def content_hash(data: bytes) -> str:
    """The file's SHA-256: how a photo already uploaded is recognised before anything is decoded."""
    return sha256(data).hexdigest()


@dataclass(frozen=True)
class DerivedImage:
    data: bytes
    width: int
    height: int

    @property
    def size_bytes(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class PreparedPhoto:
    sha256: str
    original_name: str
    format: str
    # Of the upright original.
    width: int
    height: int
    taken_at: datetime | None
    display: DerivedImage
    thumb: DerivedImage


def _setting(name: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(name, default))
    return default


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"


def clean_filename(filename: str | None) -> str:
    """The name the user knows the file by, without folders or control characters, for messages and the list."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200]


def prepare_photo(
    data: bytes, filename: str, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> PreparedPhoto:
    """Check an uploaded file and make its display copy and thumbnail; Refusal says why a file is refused.

    The limits default to the app's PHOTO_MAX_BYTES and PHOTO_MAX_PIXELS.
    """
    max_bytes = max_bytes or _setting("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_pixels = max_pixels or _setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    if not data:
        raise Refusal(_("文件是空的。"))
    if len(data) > max_bytes:
        raise Refusal(_("文件太大：每张照片不能超过 %(limit)s MB。", limit=_megabytes(max_bytes)))

    image = _open(data, max_pixels)
    image_format = image.format or ""
    try:
        # The slot covers every step that may decode: a PNG's EXIF may follow its pixels, so reading it decodes.
        with DECODE_SLOT:
            orientation = _orientation(image)
            width, height = image.size
            if orientation in _QUARTER_TURNS:
                width, height = height, width
            taken_at = _taken_at(image)
            display, thumb = _derive(image)
    except _DECODE_ERRORS as error:
        # Pillow tells a truncated or corrupt file apart only by the exception it happens to raise.
        raise Refusal(_("图片文件不完整或已损坏，请重新选择原图。")) from error
    finally:
        image.close()
    return PreparedPhoto(
        sha256=content_hash(data),
        original_name=clean_filename(filename),
        format=image_format,
        width=width,
        height=height,
        taken_at=taken_at,
        display=display,
        thumb=thumb,
    )


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open the file by its content, reading only the header: the pixels are not decoded here."""
    too_many = _("图片尺寸太大，请缩小到 %(megapixels)s 百万像素以内再上传。", megapixels=f"{max_pixels / 1e6:g}")
    try:
        # Pillow refuses past twice its MAX_IMAGE_PIXELS (about 179 megapixels) and only warns below that; our
        # own limit, checked just below, is the one that counts. Pillow's global setting is left alone: the
        # PDF renderer shares it.
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        raise Refusal(too_many) from error
    except (UnidentifiedImageError, *_DECODE_ERRORS) as error:
        raise Refusal(_("这不是可接受的照片：只接受 JPEG、PNG、WebP 和 HEIC 格式的图片。")) from error
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise Refusal(_("图片文件不完整或已损坏，请重新选择原图。"))
    if width * height > max_pixels:
        image.close()
        raise Refusal(too_many)
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(_ORIENTATION, 1))
    except (TypeError, ValueError):
        return 1
    return value if 1 <= value <= 8 else 1


def _taken_at(image: Image.Image) -> datetime | None:
    """EXIF DateTimeOriginal as aware UTC; the camera's own offset when it wrote one, else Asia/Shanghai."""
    try:
        exif_ifd = image.getexif().get_ifd(_EXIF_IFD)
        raw = exif_ifd.get(_DATETIME_ORIGINAL)
        offset = exif_ifd.get(_OFFSET_TIME_ORIGINAL)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError):
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = _exif_offset(offset) or LOCAL_TZ
    taken = naive.replace(tzinfo=zone).astimezone(UTC)
    if not (_EARLIEST_PLAUSIBLE <= taken <= utcnow() + timedelta(days=1)):
        return None
    return taken


def _exif_offset(value) -> timezone | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip("\x00 ")
    if len(value) != 6 or value[0] not in "+-" or value[3] != ":":
        return None
    try:
        hours, minutes = int(value[1:3]), int(value[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    sign = 1 if value[0] == "+" else -1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _derive(image: Image.Image) -> tuple[DerivedImage, DerivedImage]:
    # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale straight away: a 12-megapixel photo then never sits whole
    # in memory. The requested size keeps the result at least as big as the display copy.
    scale = min(1.0, DISPLAY_SIDE / max(image.size))
    image.draft("RGB", (max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    image.load()
    # Other formats decode whole: shrink by a whole factor at once (cheap, no resampling maths), so the colour
    # conversions below copy a picture of a few megapixels, not forty.
    factor = max(image.size) // DISPLAY_SIDE
    if factor >= 2:
        info = image.info
        if image.mode in _UNREDUCIBLE:
            image = image.convert(_UNREDUCIBLE[image.mode](image))
        reduced = _reduce_in_strips(image, factor)
        # The whole picture is no longer needed: its memory goes now, before the copies below are made.
        image.close()
        image = reduced
        image.info = info
    upright = ImageOps.exif_transpose(image)
    rgb = _to_srgb(upright)
    rgb.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE), Image.Resampling.LANCZOS)
    display = _jpeg(rgb, DISPLAY_QUALITY)
    rgb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    thumb = _jpeg(rgb, THUMB_QUALITY)
    return display, thumb


def _reduce_in_strips(image: Image.Image, factor: int) -> Image.Image:
    """Image.reduce(factor), a band of rows at a time: reducing an RGBA picture whole copies it first (about
    160 MB at 40 megapixels); a band costs a few megabytes. The result is at least DISPLAY_SIDE on its long side."""
    width, height = image.size
    reduced = Image.new(image.mode, (-(-width // factor), -(-height // factor)))
    band = factor * 128
    for top in range(0, height, band):
        reduced.paste(image.crop((0, top, width, min(top + band, height))).reduce(factor), (0, top // factor))
    return reduced


# Modes Image.reduce() does not take, and the mode each is widened to first.
_UNREDUCIBLE = {
    "P": lambda image: "RGBA" if "transparency" in image.info else "RGB",
    "1": lambda image: "L",
    "I;16": lambda image: "I",
    "I;16B": lambda image: "I",
    "I;16L": lambda image: "I",
}


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB, transparency laid on white (a PNG screenshot or logo would otherwise turn black)."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image.alpha_composite(rgba)
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: the colours as they are beat a refused photo
        if converted is not None:
            return _bare(converted)
    return _bare(image.convert("RGB"))


def _bare(image: Image.Image) -> Image.Image:
    # What a saver might copy into the file (EXIF, XMP, ICC, comments) goes with the info dictionary.
    image.info = {}
    return image


def _jpeg(image: Image.Image, quality: int) -> DerivedImage:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True)
    return DerivedImage(buffer.getvalue(), image.width, image.height)


# Storage


def _safe_join(upload_dir: str, relative_path: str) -> Path:
    """The absolute path of a stored file; a path that would leave UPLOAD_DIR is refused."""
    root = Path(upload_dir).resolve()
    if not relative_path or "\x00" in relative_path or Path(relative_path).is_absolute():
        raise Refusal(_("照片文件路径无效。"))
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root) or path == root:
        raise Refusal(_("照片文件路径无效。"))
    return path


def store_photo(prepared: PreparedPhoto, upload_dir: str, prefix: str) -> dict:
    """Write the display copy and the thumbnail under UPLOAD_DIR/prefix with unguessable names.

    Returns {"display_path", "thumb_path"} relative to UPLOAD_DIR, as the Photo model keeps them.
    """
    folder = _safe_join(upload_dir, prefix)
    folder.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_urlsafe(18)
    root = Path(upload_dir).resolve()
    paths = {"display_path": folder / f"{stem}.jpg", "thumb_path": folder / f"{stem}-thumb.jpg"}
    written = []
    try:
        for key, image in (("display_path", prepared.display), ("thumb_path", prepared.thumb)):
            write_atomically(paths[key], image.data, mode=0o640)
            written.append(paths[key])
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return {key: path.relative_to(root).as_posix() for key, path in paths.items()}


class SetAside:
    """Files renamed out of the way in their own folder, to be deleted (discard) or put back (restore)."""

    def __init__(self, moves: list[tuple[Path, Path]]):
        self.moves = moves

    def restore(self) -> None:
        for original, aside in self.moves:
            os.replace(aside, original)

    def discard(self) -> None:
        for _original, aside in self.moves:
            aside.unlink(missing_ok=True)


def set_aside(upload_dir: str, paths) -> SetAside:
    """Rename each stored file to a hidden name beside it; OSError (and nothing moved) when the folder cannot be
    written. A file already gone is skipped."""
    moves: list[tuple[Path, Path]] = []
    try:
        for relative_path in paths:
            original = _safe_join(upload_dir, relative_path)
            if not original.exists():
                continue
            aside = original.with_name(f".deleting-{original.name}")
            os.replace(original, aside)
            moves.append((original, aside))
    except OSError:
        SetAside(moves).restore()
        raise
    return SetAside(moves)


def delete_photo_files(upload_dir: str, paths) -> None:
    """Remove stored files; a file already gone is fine, a path outside UPLOAD_DIR is left alone."""
    for relative_path in paths:
        try:
            _safe_join(upload_dir, relative_path).unlink(missing_ok=True)
        except Refusal:
            continue


def open_photo(upload_dir: str, relative_path: str):
    """A stored file opened for reading. Refusal for a path outside UPLOAD_DIR, FileNotFoundError if gone."""
    path = _safe_join(upload_dir, relative_path)
    if not path.is_file():
        raise FileNotFoundError(relative_path)
    return path.open("rb")
