"""The district report's URLs: the report (narrative, photos, compile, snapshots) and the scorecard."""

from flask import Blueprint, Flask

from campaign.web.access import declare

report = Blueprint("report", __name__)
district = declare(Blueprint("district", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")
scorecard = declare(Blueprint("scorecard", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")

for child in (district, scorecard):
    report.register_blueprint(child)


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.report.views.district  # noqa: F401
    import campaign.report.views.scorecard  # noqa: F401

    app.register_blueprint(report)
