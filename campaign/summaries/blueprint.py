"""The unit summaries' URLs: a unit's own summary, the organizer's review, photos, and the summary documents."""

from flask import Blueprint, Flask

from campaign.web.access import declare

summaries = Blueprint("summaries", __name__)
unit = declare(Blueprint("unit", __name__, url_prefix=None), "unit")
review = declare(Blueprint("review", __name__, url_prefix=None), "organizer")
photos = declare(Blueprint("photos", __name__, url_prefix="/photos"), "login")
documents = declare(Blueprint("documents", __name__, url_prefix=None), "login")

for child in (unit, review, photos, documents):
    summaries.register_blueprint(child)


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.summaries.views.documents  # noqa: F401
    import campaign.summaries.views.photos  # noqa: F401
    import campaign.summaries.views.review  # noqa: F401
    import campaign.summaries.views.unit  # noqa: F401

    app.register_blueprint(summaries)
