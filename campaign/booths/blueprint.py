"""The booths' URLs: the organizer's booth setup, entries, live board and follow-ups; the staff link and the public card."""

from datetime import datetime

from flask import Blueprint, Flask

from campaign.booths.receipts import QUOTED_MAX
from campaign.booths.rehearsal import rehearsing
from campaign.web.access import declare, module_blueprint, register_module
from campaign.web.transaction import own_commits

manage = declare(Blueprint("manage", __name__, url_prefix="/campaigns/<int:campaign_id>/booths"), "organizer")
entries = declare(Blueprint("entries", __name__, url_prefix="/campaigns/<int:campaign_id>/booths/<int:booth_id>/entries"), "organizer")
board = declare(Blueprint("board", __name__, url_prefix="/campaigns/<int:campaign_id>/board"), "organizer")
routes = declare(Blueprint("routes", __name__, url_prefix="/campaigns/<int:campaign_id>/referral-routes"), "organizer")
exports = declare(Blueprint("exports", __name__, url_prefix="/campaigns/<int:campaign_id>/exports"), "organizer")
followups = declare(Blueprint("followups", __name__, url_prefix="/follow-ups"), "login")
# Recording keeps its own commits (exactly once under kill -9): out of the per-request commit.
staff = own_commits(declare(Blueprint("staff", __name__, url_prefix="/b"), "token"))
public = own_commits(declare(Blueprint("public", __name__, url_prefix="/p"), "token"))
# The staff page's service worker: at /b/sw.js its scope, /b/, covers every staff link. It holds no secret.
offline = declare(Blueprint("offline", __name__, url_prefix="/b"), "public")

booths = module_blueprint("booths", manage, entries, board, routes, exports, followups, staff, public, offline)


def register(app: Flask) -> None:
    register_module(app, booths, "campaign.booths.views")
    from campaign.booths.views.entry_posts import EntryPosts

    # The phone's entry posts in the common case, answered before Flask's request machinery (the hot path).
    app.wsgi_app = EntryPosts(app, app.wsgi_app)  # type: ignore[method-assign]  # Flask's way to add WSGI middleware
    # The receipt code's search box takes no more than the code's reader reads (templates/booths/_receipt_input.html).
    app.jinja_env.globals["receipt_quoted_max"] = QUOTED_MAX
    # `{% if campaign is rehearsing %}`: the rehearsal banner on every page (templates/_rehearsal_banner.html).
    app.jinja_env.tests["rehearsing"] = _is_rehearsing


def _is_rehearsing(value) -> bool:
    # Any page's `campaign`: only a campaign (or the hot path's view of one) can be rehearsing.
    return isinstance(getattr(value, "rehearsal_started_at", None), datetime) and rehearsing(value)
