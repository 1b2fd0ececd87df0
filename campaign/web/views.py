"""What belongs to no module: the language switch and the icon browsers ask for."""

from flask import Blueprint, redirect, request, send_from_directory, session, url_for

from campaign.web.access import declare
from campaign.web.downloads import static_folder
from campaign.web.redirects import local_path

bp = declare(Blueprint("web", __name__), "public")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in ("zh_CN", "en"):
        session["lang"] = lang
    # Only local paths, so the switch cannot be used to send people elsewhere.
    return redirect(local_path(request.form.get("next")) or url_for("home.index"))


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on every page that names no icon (the phone pages, to save their request); a 404 there
    # is a console error and an uncached round trip each time.
    return send_from_directory(static_folder(), "img/favicon.svg", mimetype="image/svg+xml",
                               max_age=7 * 24 * 3600)
