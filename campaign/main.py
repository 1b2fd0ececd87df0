"""The home page and the language switch."""

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    if current_user.is_organizer:
        return redirect(url_for("campaigns.index"))
    return redirect(url_for("tasks.index"))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in ("zh_CN", "en"):
        session["lang"] = lang
    target = request.form.get("next") or ""
    # Only local paths, so the switch cannot be used to send people elsewhere.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    return redirect(target)
