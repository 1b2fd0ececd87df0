"""Photo intake with real files made here: orientation, metadata removal, formats, limits, storage."""

import io
import threading
from datetime import UTC, datetime
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from campaign.shared import media
from campaign.web.refusal import Refusal
from tests.images import RED, WHITE, big_png, jpeg_with_exif


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image


def assert_no_metadata(data: bytes) -> None:
    image = open_jpeg(data)
    assert dict(image.getexif()) == {}
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"TestPhone", b"secret comment", b"ICC_PROFILE"):
        assert marker not in data


def test_rotated_jpeg_comes_out_upright_without_exif_or_gps(app):
    prepared = media.prepare_photo(jpeg_with_exif(), "IMG_0001.JPG")

    # Orientation 6: the camera was held upright; the stored landscape pixels turn a quarter clockwise.
    assert (prepared.width, prepared.height) == (3000, 4000)
    assert (prepared.display.width, prepared.display.height) == (1200, 1600)
    assert (prepared.thumb.width, prepared.thumb.height) == (300, 400)
    for derived in (prepared.display, prepared.thumb):
        image = open_jpeg(derived.data)
        assert image.size == (derived.width, derived.height)
        assert image.mode == "RGB"
        assert image.info.get("progressive") or image.info.get("progression")
        width, height = image.size
        # The red corner that was top left in the stored pixels is now top right.
        top_right = image.getpixel((width - 3, 3))
        top_left = image.getpixel((3, 3))
        assert top_right[0] > 200 and top_right[1] < 60 and top_right[2] < 60, top_right
        assert min(top_left) > 200, top_left
        assert_no_metadata(derived.data)
    assert prepared.display.size_bytes == len(prepared.display.data)
    assert prepared.original_name == "IMG_0001.JPG"
    assert prepared.format == "JPEG"


def test_sha256_is_of_the_uploaded_bytes(app):
    import hashlib

    data = jpeg_with_exif(size=(800, 600))
    assert media.prepare_photo(data, "a.jpg").sha256 == hashlib.sha256(data).hexdigest()


def test_taken_at_is_read_as_shanghai_time(app):
    prepared = media.prepare_photo(jpeg_with_exif(size=(800, 600)), "a.jpg")
    assert prepared.taken_at == datetime(2025, 5, 15, 1, 30, tzinfo=UTC)


def test_taken_at_uses_the_offset_the_camera_wrote(app):
    prepared = media.prepare_photo(jpeg_with_exif(size=(800, 600), offset="+02:00"), "a.jpg")
    assert prepared.taken_at == datetime(2025, 5, 15, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize("taken", [None, "0000:00:00 00:00:00", "2025:13:45 99:00:00", "garbage", "1970:01:01 08:00:00",
                                   "2999:01:01 00:00:00"])
def test_taken_at_is_none_when_absent_or_nonsense(app, taken):
    assert media.prepare_photo(jpeg_with_exif(size=(800, 600), taken=taken), "a.jpg").taken_at is None


def test_small_photo_is_not_enlarged(app):
    prepared = media.prepare_photo(encoded(Image.new("RGB", (640, 480), "teal"), "JPEG"), "small.jpg")
    assert (prepared.display.width, prepared.display.height) == (640, 480)
    assert (prepared.thumb.width, prepared.thumb.height) == (400, 300)


def test_heic_from_an_iphone_is_accepted(app):
    image = Image.new("RGB", (1200, 900), WHITE)
    image.paste(RED, (0, 0, 120, 90))
    data = encoded(image, "HEIF", quality=80)
    assert pillow_heif.is_supported(data)

    prepared = media.prepare_photo(data, "IMG_4711.HEIC")

    assert prepared.format == "HEIF"
    assert (prepared.width, prepared.height) == (1200, 900)
    display = open_jpeg(prepared.display.data)
    assert display.size == (1200, 900)
    assert display.getpixel((5, 5))[0] > 200 and display.getpixel((5, 5))[1] < 80
    assert_no_metadata(prepared.display.data)


def test_png_with_transparency_is_laid_on_white(app):
    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 60, 40))
    prepared = media.prepare_photo(encoded(image, "PNG"), "screenshot.png")
    display = open_jpeg(prepared.display.data)
    assert prepared.format == "PNG"
    assert min(display.getpixel((300, 200))) > 245
    assert display.getpixel((5, 5))[2] > 200 and display.getpixel((5, 5))[0] < 60


def test_webp_is_accepted(app):
    prepared = media.prepare_photo(encoded(Image.new("RGB", (2000, 1000), "navy"), "WEBP", quality=80), "a.webp")
    assert prepared.format == "WEBP"
    assert (prepared.display.width, prepared.display.height) == (1600, 800)
    assert_no_metadata(prepared.display.data)


def test_palette_and_sixteen_bit_pngs_become_rgb(app):
    palette = Image.new("P", (300, 200), 3)
    deep = Image.new("I;16", (300, 200), 40000)
    for image in (palette, deep):
        prepared = media.prepare_photo(encoded(image, "PNG"), "x.png")
        assert open_jpeg(prepared.display.data).mode == "RGB"
    grey = open_jpeg(media.prepare_photo(encoded(deep, "PNG"), "x.png").display.data).getpixel((5, 5))
    assert 140 < grey[0] < 170  # 40000 of 65535, not clipped to white


def test_text_file_named_jpg_is_refused_with_a_message(app):
    with pytest.raises(Refusal) as refused:
        media.prepare_photo("这不是照片，只是一段文字。\n".encode() * 20, "photo.jpg")
    assert "JPEG、PNG、WebP 和 HEIC" in str(refused.value)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("GIF", "animation.jpg"), ("BMP", "scan.jpg"), ("TIFF", "scan.tif")],
)
def test_other_image_formats_are_refused(app, fmt, name):
    with pytest.raises(Refusal, match="只接受"):
        media.prepare_photo(encoded(Image.new("RGB", (100, 100), "red"), fmt), name)


def test_svg_and_html_named_jpg_are_refused(app):
    for payload in (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                    b"<!doctype html><html><script>alert(1)</script></html>"):
        with pytest.raises(Refusal, match="只接受"):
            media.prepare_photo(payload, "photo.jpg")


def test_truncated_jpeg_is_refused(app):
    data = jpeg_with_exif(size=(1600, 1200))
    with pytest.raises(Refusal, match="不完整或已损坏"):
        media.prepare_photo(data[: len(data) // 2], "cut.jpg")


def test_truncated_jpeg_is_refused_after_a_pdf_was_rendered(app, tmp_path):
    # WeasyPrint's import makes Pillow accept truncated images process-wide; intake must not follow it.
    from campaign.documents.pdf import render_pdf

    assert render_pdf("<p>x</p>", tmp_path).startswith(b"%PDF")
    data = jpeg_with_exif(size=(1600, 1200))
    with pytest.raises(Refusal, match="不完整或已损坏"):
        media.prepare_photo(data[: len(data) // 2], "cut.jpg")


def test_empty_file_is_refused(app):
    with pytest.raises(Refusal, match="空的"):
        media.prepare_photo(b"", "nothing.jpg")


def test_20000_square_png_is_refused_from_its_header(app):
    bomb = big_png(20000, 20000)
    assert len(bomb) < 200_000  # 400 megapixels in a small file: what a decompression bomb is
    with pytest.raises(Refusal, match="图片尺寸太大"):
        media.prepare_photo(bomb, "bomb.png")
    # The header alone is refused the same way: nothing was decoded, or this would have failed as truncated.
    with pytest.raises(Refusal, match="图片尺寸太大"):
        media.prepare_photo(big_png(20000, 20000, with_pixels=False), "bomb.png")


def test_pixel_limit_below_pillows_own_is_ours(app):
    # 41 megapixels: Pillow alone would decode it; our limit (40 by default) refuses it.
    with pytest.raises(Refusal, match="40 百万像素"):
        media.prepare_photo(big_png(6400, 6400, with_pixels=False), "large.png")
    # 100 megapixels: past Pillow's warning threshold, below its own refusal.
    with pytest.raises(Refusal, match="图片尺寸太大"), pytest.warns(Image.DecompressionBombWarning):
        media.prepare_photo(big_png(10000, 10000, with_pixels=False), "large.png")
    app.config["PHOTO_MAX_PIXELS"] = 70_000_000
    with pytest.raises(Refusal, match="不完整或已损坏"):
        media.prepare_photo(big_png(10000, 6000, with_pixels=False), "large.png")


def test_oversize_file_is_refused(app):
    data = jpeg_with_exif(size=(800, 600))
    app.config["PHOTO_MAX_BYTES"] = len(data) - 1
    with pytest.raises(Refusal, match="文件太大"):
        media.prepare_photo(data, "a.jpg")
    app.config["PHOTO_MAX_BYTES"] = len(data)
    assert media.prepare_photo(data, "a.jpg").sha256


def test_default_limits(app):
    assert app.config["PHOTO_MAX_BYTES"] == 25 * 1024 * 1024
    assert app.config["PHOTO_MAX_PIXELS"] == 40_000_000


def test_file_name_is_cleaned_for_display(app):
    prepared = media.prepare_photo(encoded(Image.new("RGB", (10, 10)), "PNG"), "C:\\相册\\现场\x00照片.png")
    assert prepared.original_name == "现场照片.png"


# Storage


def test_store_writes_both_files_under_the_prefix_with_unguessable_names(app, tmp_path):
    prepared = media.prepare_photo(jpeg_with_exif(size=(800, 600)), "IMG_1.jpg")
    first = media.store_photo(prepared, str(tmp_path), "photos/7")
    second = media.store_photo(prepared, str(tmp_path), "photos/7")

    assert set(first) == {"display_path", "thumb_path"}
    assert first["display_path"].startswith("photos/7/") and first["thumb_path"].startswith("photos/7/")
    assert first != second
    assert "IMG_1" not in first["display_path"]
    assert len(Path(first["display_path"]).stem) >= 20
    assert (tmp_path / first["display_path"]).read_bytes() == prepared.display.data
    assert (tmp_path / first["thumb_path"]).read_bytes() == prepared.thumb.data
    # Nothing half-written is left behind.
    assert sorted(p.name for p in (tmp_path / "photos/7").iterdir() if p.name.startswith(".")) == []

    with media.open_photo(str(tmp_path), first["thumb_path"]) as stream:
        assert stream.read() == prepared.thumb.data

    media.delete_photo_files(str(tmp_path), first.values())
    assert not (tmp_path / first["display_path"]).exists()
    assert (tmp_path / second["display_path"]).exists()
    media.delete_photo_files(str(tmp_path), first.values())  # already gone: fine


@pytest.mark.parametrize("path", ["../secret_key", "photos/../../secret_key", "/etc/passwd", "", ".", "a\x00b"])
def test_paths_outside_upload_dir_are_refused(app, tmp_path, path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (tmp_path / "secret_key").write_text("do not serve")
    with pytest.raises(Refusal):
        media.open_photo(str(uploads), path)
    media.delete_photo_files(str(uploads), [path])
    assert (tmp_path / "secret_key").exists()


def test_store_refuses_a_prefix_outside_upload_dir(app, tmp_path):
    prepared = media.prepare_photo(encoded(Image.new("RGB", (10, 10)), "PNG"), "a.png")
    with pytest.raises(Refusal):
        media.store_photo(prepared, str(tmp_path / "uploads"), "../elsewhere")
    assert not (tmp_path / "elsewhere").exists()


def test_open_missing_file_raises_not_found(app, tmp_path):
    with pytest.raises(FileNotFoundError):
        media.open_photo(str(tmp_path), "photos/1/missing.jpg")


def test_decoding_waits_for_the_workers_one_decode_slot(app):
    """One decode at a time in a process (issue 19.4): a second photo waits while the slot is taken."""
    data = jpeg_with_exif(size=(800, 600))
    finished = []
    with media.DECODE_SLOT:
        worker = threading.Thread(target=lambda: finished.append(media.prepare_photo(data, "a.jpg")))
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive() and finished == []
    worker.join(timeout=30)
    assert not worker.is_alive() and finished[0].display.height == 800  # turned upright


@pytest.mark.parametrize("mode", ["P", "1", "I;16", "RGBA", "LA", "RGB"])
def test_a_large_png_is_shrunk_at_once_whatever_its_mode(app, mode):
    """A near-limit PNG decodes whole; it is reduced by a whole factor before any colour conversion copies it."""
    image = Image.new(mode, (7000, 5000))
    if mode == "P":
        image.info["transparency"] = 0
    prepared = media.prepare_photo(encoded(image, "PNG"), "big.png")
    assert (prepared.width, prepared.height) == (7000, 5000)
    assert (prepared.display.width, prepared.display.height) == (1600, 1143)
