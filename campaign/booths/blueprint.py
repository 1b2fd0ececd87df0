"""The booths' URLs: the organizer's booth setup, entries, live board and follow-ups; the staff link and the public card."""

from flask import Blueprint, Flask

from campaign.web.access import declare
from campaign.web.transaction import own_commits

booths = Blueprint("booths", __name__)
manage = declare(Blueprint("manage", __name__, url_prefix="/campaigns/<int:campaign_id>/booths"), "organizer")
entries = declare(Blueprint("entries", __name__, url_prefix="/campaigns/<int:campaign_id>/booths/<int:booth_id>/entries"), "organizer")
board = declare(Blueprint("board", __name__, url_prefix="/campaigns/<int:campaign_id>/board"), "organizer")
followups = declare(Blueprint("followups", __name__, url_prefix="/follow-ups"), "login")
# Recording keeps its own commits (exactly once under kill -9): out of the per-request commit.
staff = own_commits(declare(Blueprint("staff", __name__, url_prefix="/b"), "token"))
public = own_commits(declare(Blueprint("public", __name__, url_prefix="/p"), "token"))

for child in (manage, entries, board, followups, staff, public):
    booths.register_blueprint(child)


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.booths.views.board  # noqa: F401
    import campaign.booths.views.entries  # noqa: F401
    import campaign.booths.views.followups  # noqa: F401
    import campaign.booths.views.manage  # noqa: F401
    import campaign.booths.views.public  # noqa: F401
    import campaign.booths.views.staff  # noqa: F401

    app.register_blueprint(booths)
