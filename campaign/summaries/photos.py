"""The photos and video links of a unit's summary: upload, captions, order, delete.

A unit contact changes its own unit's summary while it is a draft or returned; organizers look but never touch.
"""

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from campaign.shared import media
from campaign.shared.audit import record, register_action_labels
from campaign.summaries import access
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

log = logging.getLogger(__name__)

# A summary shows a handful of photos; the cap keeps one unit from filling the disk.
MAX_PHOTOS = 60
MAX_VIDEO_LINKS = 10
CAPTION_MAX_CHARS = 200
VIDEO_TITLE_MAX_CHARS = 100
VIDEO_URL_MAX_CHARS = 500

STORAGE_FAILED = _l("服务器暂时无法保存或删除照片文件（存储空间不可写或已满），本次操作未生效。请稍后重试，或联系组织方。")


SAVED = "saved"
DUPLICATE = "duplicate"
REFUSED = "refused"

register_action_labels(
    {
        "summary_photo_uploaded": _l("上传总结照片"),
        "summary_photo_deleted": _l("删除总结照片"),
        "summary_video_link_added": _l("添加视频链接"),
        "summary_video_link_removed": _l("删除视频链接"),
    }
)


@dataclass
class UploadResult:
    name: str
    status: str  # SAVED, DUPLICATE or REFUSED
    message: str
    photo: Photo | None = None


# Who may do what


def may_view(user, summary: UnitSummary) -> bool:
    return access.is_organizer_or_own_unit(user, summary)


def edit_refusal(user, summary: UnitSummary) -> str | None:
    """Why this user may not change the summary's photos now, or None when they may."""
    if user.is_organizer:
        return _("组织方可以查看单位的照片和视频，但不能修改。")
    if user.unit_id is None or user.unit_id != summary.unit_id:
        return _("只能修改本单位总结的照片和视频。")
    if not access.is_editable(summary):
        return _("总结已报送，照片和视频不能再修改；如需修改，请联系组织方退回。")
    return None


def may_edit(user, summary: UnitSummary) -> bool:
    return edit_refusal(user, summary) is None


def _require_editable(user, summary: UnitSummary) -> None:
    refusal = edit_refusal(user, summary)
    if refusal:
        raise Refusal(refusal)


def get_summary(summary_id: int) -> UnitSummary | None:
    return db.session.get(UnitSummary, summary_id)


def get_photo(photo_id: int) -> Photo | None:
    return db.session.scalar(sa.select(Photo).options(joinedload(Photo.summary)).where(Photo.id == photo_id))


def _clean_line(value, limit: int) -> str:
    """One line of user text: control characters out, spaces trimmed, cut to the column's length."""
    text = "" if value is None else str(value)
    text = "".join(" " if ch in "\t\r\n" else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return text.strip()[:limit]


# Upload


def attach_photo(summary: UnitSummary, prepared: media.PreparedPhoto, upload_dir: str, user=None,
                 caption: str = "") -> UploadResult:
    """Store a prepared photo with the summary, unless the summary already has it; commits (see below why).

    Used by uploads and by anything that brings its own photos (the demo): no permission check here.
    """
    name = prepared.original_name
    if has_photo(summary, prepared.sha256):
        return UploadResult(name, DUPLICATE, _("已上传过，未重复保存。"))
    count, last = db.session.execute(
        sa.select(sa.func.count(Photo.id), sa.func.max(Photo.sort_order)).where(Photo.summary_id == summary.id)
    ).one()
    if count >= MAX_PHOTOS:
        return UploadResult(name, REFUSED, _("每份总结最多 %(n)s 张照片，请先删除不用的照片。", n=MAX_PHOTOS))
    try:
        stored = media.store_photo(prepared, upload_dir, f"photos/{summary.campaign_id}")
    except OSError:
        # A read-only or full disk: store_photo has removed what it wrote; no row is made.
        log.exception("storing a photo of summary %s failed", summary.id)
        return UploadResult(name, REFUSED, str(STORAGE_FAILED))
    photo = Photo(
        summary_id=summary.id,
        sha256=prepared.sha256,
        caption=_clean_line(caption, CAPTION_MAX_CHARS),
        sort_order=(last if last is not None else -1) + 1,
        original_name=name,
        taken_at=prepared.taken_at,
        width=prepared.width,
        height=prepared.height,
        display_path=stored["display_path"],
        display_width=prepared.display.width,
        display_height=prepared.display.height,
        display_bytes=prepared.display.size_bytes,
        thumb_path=stored["thumb_path"],
        thumb_width=prepared.thumb.width,
        thumb_height=prepared.thumb.height,
    )
    try:
        # In a savepoint: a refused insert undoes only itself, not what the caller did before.
        with db.session.begin_nested():
            db.session.add(photo)
            db.session.flush()
    except IntegrityError:
        # The same photo sent twice at once (a double tap, two tabs): the unique constraint lets one through.
        media.delete_photo_files(upload_dir, stored.values())
        return UploadResult(name, DUPLICATE, _("已上传过，未重复保存。"))
    record(user, "summary_photo_uploaded", photo, campaign_id=summary.campaign_id, summary_id=summary.id,
           unit_id=summary.unit_id, name=name, sha256=prepared.sha256)
    # Committed here, not by the caller: the files are stored already, and the row naming them must be stored
    # now, each photo of an upload on its own, so that a later failure of the request leaves no file without
    # its row (and a committed row always has its files, stored before it).
    db.session.commit()
    return UploadResult(name, SAVED, _("已保存。"), photo)


def has_photo(summary: UnitSummary, digest: str) -> bool:
    return db.session.scalar(
        sa.select(Photo.id).where(Photo.summary_id == summary.id, Photo.sha256 == digest)
    ) is not None


def upload_photos(summary: UnitSummary, files: Iterable[tuple[str, bytes]], user, upload_dir: str) -> list[UploadResult]:
    """Each (file name, bytes) judged on its own: good ones saved, bad ones reported with the reason.

    `files` may be a generator, so that only one upload at a time is held in memory.
    """
    _require_editable(user, summary)
    results = []
    for filename, data in files:
        # Recognised by its bytes before anything is decoded: sending a large photo again costs a hash, not a decode.
        if data and has_photo(summary, media.content_hash(data)):
            results.append(UploadResult(media.clean_filename(filename), DUPLICATE, _("已上传过，未重复保存。")))
            continue
        try:
            prepared = media.prepare_photo(data, filename)
        except Refusal as error:
            results.append(UploadResult(media.clean_filename(filename), REFUSED, str(error)))
            continue
        results.append(attach_photo(summary, prepared, upload_dir, user))
    return results


# Caption, order, delete


def update_caption(photo: Photo, caption, user) -> bool:
    """Set the caption; False when it was already that."""
    _require_editable(user, photo.summary)
    text = "" if caption is None else str(caption)
    if len(text.strip()) > CAPTION_MAX_CHARS:
        raise Refusal(_("照片说明不能超过 %(n)s 字。", n=CAPTION_MAX_CHARS))
    text = _clean_line(text, CAPTION_MAX_CHARS)
    if text == photo.caption:
        return False
    photo.caption = text
    db.session.flush()
    return True


def _renumber(photos: list[Photo]) -> None:
    for position, photo in enumerate(photos):
        photo.sort_order = position


def _reordered(summary: UnitSummary) -> None:
    """Written; and summary.photos read again, in the new order, by whoever asks next (the answer lists it)."""
    db.session.flush()
    db.session.expire(summary, ["photos"])


def move_photo(photo: Photo, direction: str, user, expected_position: int | None = None) -> bool:
    """Move one place up or down. With expected_position, a repeated request (the photo has already left that
    place) changes nothing, so a double click moves it once. False when nothing moved."""
    summary = photo.summary
    _require_editable(user, summary)
    if direction not in ("up", "down"):
        raise Refusal(_("请选择上移或下移。"))
    ordered = list(summary.photos)
    position = ordered.index(photo)
    if expected_position is not None and expected_position != position:
        return False
    target = position - 1 if direction == "up" else position + 1
    if not 0 <= target < len(ordered):
        return False
    ordered[position], ordered[target] = ordered[target], ordered[position]
    _renumber(ordered)
    _reordered(summary)
    return True


def set_order(summary: UnitSummary, photo_ids: list[int], user) -> bool:
    """Put the photos in the given order; the list must name each of the summary's photos once."""
    _require_editable(user, summary)
    by_id = {photo.id: photo for photo in summary.photos}
    if len(photo_ids) != len(by_id) or set(photo_ids) != set(by_id):
        raise Refusal(_("照片顺序与当前照片不符，请刷新页面后重试。"))
    if [photo.id for photo in summary.photos] == photo_ids:
        return False
    _renumber([by_id[photo_id] for photo_id in photo_ids])
    _reordered(summary)
    return True


def delete_photo(photo: Photo, user, upload_dir: str) -> None:
    """Delete the photo and its files, or neither.

    The files are first set aside (renamed in their folder): a folder that cannot be written refuses that, and
    the photo stays whole. The row is deleted and committed, then the set-aside files go; a failed commit puts
    them back.
    """
    summary = photo.summary
    _require_editable(user, summary)
    try:
        set_aside = media.set_aside(upload_dir, [photo.display_path, photo.thumb_path])
    except OSError:
        log.exception("setting aside the files of photo %s failed", photo.id)
        raise Refusal(STORAGE_FAILED) from None
    record(user, "summary_photo_deleted", photo, campaign_id=summary.campaign_id, summary_id=summary.id,
           unit_id=summary.unit_id, name=photo.original_name, caption=photo.caption, sha256=photo.sha256)
    db.session.delete(photo)
    try:
        # Committed here, not by the caller: the files may go only once the row naming them is gone for good.
        db.session.commit()
    except BaseException:
        db.session.rollback()
        set_aside.restore()
        raise
    set_aside.discard()


# Video links


def clean_video_url(value) -> str:
    url = _clean_line(value, VIDEO_URL_MAX_CHARS + 1)
    if not url:
        raise Refusal(_("请填写视频链接。"))
    if len(url) > VIDEO_URL_MAX_CHARS or " " in url:
        raise Refusal(_("视频链接无效：请粘贴完整的网址。"))
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise Refusal(_("视频链接无效：请粘贴完整的网址。")) from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Refusal(_("视频链接必须以 http:// 或 https:// 开头。"))
    return url


def add_video_link(summary: UnitSummary, title, url, user) -> bool:
    """Add a link to a video hosted elsewhere; the same address twice is kept once (False)."""
    _require_editable(user, summary)
    title_text = "" if title is None else str(title)
    if len(title_text.strip()) > VIDEO_TITLE_MAX_CHARS:
        raise Refusal(_("视频标题不能超过 %(n)s 字。", n=VIDEO_TITLE_MAX_CHARS))
    title_text = _clean_line(title_text, VIDEO_TITLE_MAX_CHARS)
    if not title_text:
        raise Refusal(_("请填写视频标题。"))
    url = clean_video_url(url)
    links = list(summary.video_links or [])
    if any(link.get("url") == url for link in links):
        return False
    if len(links) >= MAX_VIDEO_LINKS:
        raise Refusal(_("最多添加 %(n)s 个视频链接。", n=MAX_VIDEO_LINKS))
    # A new list, not an append: the JSON column notices only a new value.
    summary.video_links = [*links, {"title": title_text, "url": url}]
    record(user, "summary_video_link_added", summary, campaign_id=summary.campaign_id, title=title_text, url=url)
    db.session.flush()
    return True


def remove_video_link(summary: UnitSummary, url, user) -> bool:
    """Remove the link with this address; one already gone changes nothing (False)."""
    _require_editable(user, summary)
    url = "" if url is None else str(url).strip()
    links = list(summary.video_links or [])
    kept = [link for link in links if link.get("url") != url]
    if len(kept) == len(links):
        return False
    summary.video_links = kept
    record(user, "summary_video_link_removed", summary, campaign_id=summary.campaign_id, url=url)
    db.session.flush()
    return True
