"""The staff page offline (issue 16.4): a service worker that keeps each staff page it has seen, and its files, so
that reopening or reloading the page without network still shows the booth and its queue and takes new entries.

What it keeps and what it never does is in templates/booths/service_worker.js. This view only fills in the files
to keep, as the page links them (with their content hashes), and the version of its file cache: derived from those
hashes, so a deploy that changes a file changes this script, and the browser installs the new worker, which drops
the old cache.
"""

import hashlib

from flask import current_app, make_response, render_template, url_for

from campaign.booths.blueprint import offline as bp

# The files the staff page loads (templates/booths/staff_base.html and staff_booth.html).
KEPT_FILES = ("css/booth.css", "js/booth.js")
# What the app's answer at a staff link is, for the worker: the booth page (kept), or the PIN page or an unknown
# link (its copy forgotten: the device must sign in again, the link was rotated or the booth closed). An answer
# without it is not the app's word on the link (a proxy's 502 while the app restarts, a captive portal): the copy
# stays, and a 5xx is answered from it.
PAGE_HEADER = "X-Booth-Page"
PAGE_KEEP, PAGE_FORGET = "keep", "forget"


def files_version() -> str:
    hashes = current_app.extensions.get("asset_hashes", {})
    joined = "|".join(f"{name}:{hashes.get(name, '')}" for name in KEPT_FILES)
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    files = [url_for("static", filename=name) for name in KEPT_FILES]
    script = render_template(
        "booths/service_worker.js", files=files, version=files_version(), mark=PAGE_HEADER, keep=PAGE_KEEP,
        forget=PAGE_FORGET,
    )
    response = make_response(script)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    # Checked on every visit (browsers look again at most after a day anyway): a deploy reaches phones at once.
    response.headers["Cache-Control"] = "no-cache"
    return response
