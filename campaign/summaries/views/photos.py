"""Photo and video-link routes of a unit's summary. Plain forms redirect back to the page they came from; the
uploader and the reordering script send Accept: application/json and get JSON."""

from functools import wraps

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from campaign.shared import media
from campaign.summaries import photos
from campaign.summaries.blueprint import photos as bp
from campaign.web.extensions import db
from campaign.web.refusal import Refusal, refused

# Derived copies never change under an id (a new upload is a new photo), so the browser may keep them a day;
# "private" keeps them out of shared caches, since only the unit and the organizers may see them.
IMAGE_CACHE_CONTROL = "private, max-age=86400"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _summary(summary_id: int):
    summary = photos.get_summary(summary_id)
    # Another unit's summary answers as if it did not exist: ids reveal nothing.
    if summary is None or not photos.may_view(current_user, summary):
        abort(404)
    return summary


def _photo(photo_id: int):
    photo = photos.get_photo(photo_id)
    if photo is None or not photos.may_view(current_user, photo.summary):
        abort(404)
    return photo


def _back(summary) -> str:
    """Where a plain form returns: the unit's summary page, else the page that sent the form, else home."""
    if not current_user.is_organizer:
        return url_for("summaries.unit.edit", campaign_id=summary.campaign_id, _anchor="photos")
    target = request.form.get("next", "")
    if target.startswith("/") and target[1:2] not in ("/", "\\"):
        return target
    return url_for("home.index")


def _answer(summary, message: str, category: str = "success", status: int = 200, **payload):
    if _wants_json():
        if status >= 400:
            return jsonify(ok=False, error=message, **payload), status
        return jsonify(ok=True, message=message, **payload), status
    flash(message, category)
    return redirect(_back(summary))


def _refused(summary, message: str, status: int = 409):
    return _answer(summary, message, "error", status)


def _refusal_status(summary) -> int:
    # 409: the summary is not open to this user now; 400: what was sent is wrong.
    return 409 if photos.edit_refusal(current_user, summary) else 400


def _answers_refusals(status: int | None = None):
    """A Refusal from the view is answered for the summary the URL names (its summary_id, or its photo's): rolled
    back, then as `_refused` does, with `status` or else 409/400 as `_refusal_status` tells."""

    def decorate(view):
        @wraps(view)
        def wrapped(**ids):
            try:
                return view(**ids)
            except Refusal as error:
                refused(error)
                summary = _summary(ids["summary_id"]) if "summary_id" in ids else _photo(ids["photo_id"]).summary
                return _refused(summary, str(error), status or _refusal_status(summary))

        return wrapped

    return decorate


def _photo_html(photo, position: int) -> str:
    return render_template(
        "summaries/_photos.html", only_photo=photo, position=position, can_edit=True,
        back=request.form.get("next", ""),
    )


def _results_json(results, count: int) -> list[dict]:
    """Per file, what the uploader shows; a saved photo comes with its card, to be added at the end of the grid."""
    position = count - sum(1 for result in results if result.photo)
    answers = []
    for result in results:
        answers.append({
            "name": result.name,
            "status": result.status,
            "message": result.message,
            "id": result.photo.id if result.photo else None,
            "html": _photo_html(result.photo, position) if result.photo else None,
        })
        position += 1 if result.photo else 0
    return answers


@bp.post("/summary/<int:summary_id>")
def upload(summary_id: int):
    summary = _summary(summary_id)
    refusal = photos.edit_refusal(current_user, summary)
    if refusal:
        return _refused(summary, refusal)
    files = [storage for storage in request.files.getlist("photos") if storage and storage.filename]
    if not files:
        return _refused(summary, _("请选择要上传的照片。"), 400)
    # One byte past the limit is enough to know a file is too big; the rest is never read into memory.
    limit = current_app.config.get("PHOTO_MAX_BYTES", media.DEFAULT_MAX_BYTES)
    results = photos.upload_photos(
        summary, ((storage.filename or "", storage.read(limit + 1)) for storage in files), current_user,
        current_app.config["UPLOAD_DIR"],
    )
    saved = [result for result in results if result.status == photos.SAVED]
    if _wants_json():
        return jsonify(ok=True, count=len(summary.photos), results=_results_json(results, len(summary.photos)))
    if saved:
        flash(_("已上传 %(n)s 张照片。", n=len(saved)), "success")
    for result in results:
        if result.status != photos.SAVED:
            category = "warning" if result.status == photos.DUPLICATE else "error"
            flash(_("“%(name)s”：%(reason)s", name=result.name or _("未命名文件"), reason=result.message), category)
    return redirect(_back(summary))


@bp.post("/summary/<int:summary_id>/order")
def order(summary_id: int):
    summary = _summary(summary_id)
    payload = request.get_json(silent=True) if request.is_json else None
    raw = payload.get("order") if isinstance(payload, dict) else request.form.get("order", "").split(",")
    try:
        photo_ids = [int(value) for value in raw or [] if str(value).strip()]
        photos.set_order(summary, photo_ids, current_user)
    except (TypeError, ValueError) as error:
        db.session.rollback()
        message = str(error) if isinstance(error, Refusal) else _("照片顺序无效，请刷新页面后重试。")
        return _refused(summary, message, _refusal_status(summary))
    return _answer(summary, _("照片顺序已保存。"), order=[photo.id for photo in summary.photos])


@bp.post("/<int:photo_id>/caption")
@_answers_refusals()
def caption(photo_id: int):
    photo = _photo(photo_id)
    photos.update_caption(photo, request.form.get("caption"), current_user)
    return _answer(photo.summary, _("照片说明已保存。"), caption=photo.caption)


@bp.post("/<int:photo_id>/move")
@_answers_refusals()
def move(photo_id: int):
    photo = _photo(photo_id)
    position = request.form.get("position", "")
    photos.move_photo(
        photo, request.form.get("direction", ""), current_user,
        expected_position=int(position) if position.isdecimal() and len(position) <= 6 else None,
    )
    return _answer(photo.summary, _("照片顺序已保存。"), order=[item.id for item in photo.summary.photos])


@bp.post("/<int:photo_id>/delete")
@_answers_refusals(status=409)
def delete(photo_id: int):
    photo = _photo(photo_id)
    summary = photo.summary
    photos.delete_photo(photo, current_user, current_app.config["UPLOAD_DIR"])
    return _answer(summary, _("照片已删除。"), count=len(summary.photos))


def _serve(photo_id: int, kind: str):
    photo = _photo(photo_id)
    relative_path = photo.display_path if kind == "display" else photo.thumb_path
    try:
        stream = media.open_photo(current_app.config["UPLOAD_DIR"], relative_path)
    except (Refusal, FileNotFoundError):
        abort(404)
    response = send_file(
        stream,
        mimetype="image/jpeg",
        download_name=f"photo-{photo.id}{'' if kind == 'display' else '-thumb'}.jpg",
        etag=f"{photo.sha256[:32]}-{kind}",
        last_modified=photo.created_at,
        conditional=True,
    )
    response.headers["Cache-Control"] = IMAGE_CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:photo_id>/display.jpg")
def display(photo_id: int):
    return _serve(photo_id, "display")


@bp.get("/<int:photo_id>/thumb.jpg")
def thumb(photo_id: int):
    return _serve(photo_id, "thumb")


@bp.post("/summary/<int:summary_id>/videos")
@_answers_refusals()
def add_video(summary_id: int):
    summary = _summary(summary_id)
    added = photos.add_video_link(summary, request.form.get("title"), request.form.get("url"), current_user)
    return _answer(summary, _("视频链接已添加。") if added else _("这个视频链接已经添加过了。"))


@bp.post("/summary/<int:summary_id>/videos/remove")
@_answers_refusals(status=409)
def remove_video(summary_id: int):
    summary = _summary(summary_id)
    photos.remove_video_link(summary, request.form.get("url"), current_user)
    return _answer(summary, _("视频链接已删除。"))
