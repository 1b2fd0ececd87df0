"""The district report's URLs: the report (narrative, photos, compile, snapshots) and the scorecard."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

district = declare(Blueprint("district", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")
scorecard = declare(Blueprint("scorecard", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")

report = module_blueprint("report", district, scorecard)


def register(app: Flask) -> None:
    register_module(app, report, "campaign.report.views")
