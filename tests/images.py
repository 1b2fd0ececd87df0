"""Image files made in the tests: photos as phones write them, and PNGs of any size that weigh almost nothing."""

import io
import struct
import zlib

from PIL import Image, ImageCms

RED = (255, 0, 0)
SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
WHITE = (255, 255, 255)


def jpeg_with_exif(size=(4000, 3000), orientation=6, taken="2025:05:15 09:30:00", offset=None, gps=True) -> bytes:
    """A landscape photo with a red top-left corner as the camera stored it, with EXIF as a phone writes it."""
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, size[0] // 10, size[1] // 10))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestPhone Inc."
    exif_ifd = exif.get_ifd(0x8769)
    if taken is not None:
        exif_ifd[0x9003] = taken
    if offset is not None:
        exif_ifd[0x9011] = offset
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (31.0, 12.0, 30.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (121.0, 28.0, 12.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif, icc_profile=SRGB_PROFILE, comment=b"secret comment")
    return buffer.getvalue()


def jpeg(color: str = "teal", size=(320, 240)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def big_png(width: int, height: int, with_pixels: bool = True) -> bytes:
    """A 1-bit grey PNG of any size, a few kilobytes on disk: zero rows compress to almost nothing.

    Without pixels it is the header alone: a decoder would fail on it as truncated, so only a check of the
    header's size can refuse it as too large.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    if with_pixels:
        compressor = zlib.compressobj(9)
        row = b"\x00" * (1 + (width + 7) // 8)
        data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
        png += chunk(b"IDAT", data)
    return png + chunk(b"IEND", b"")
