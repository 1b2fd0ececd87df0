"""The district report's URLs: the report (narrative, photos, compile, snapshots), the scorecard, and
each unit's record over the years."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

district = declare(Blueprint("district", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")
scorecard = declare(Blueprint("scorecard", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")

# Across campaigns: each unit's record over the years.
history = declare(Blueprint("history", __name__, url_prefix="/report/history"), "organizer")

report = module_blueprint("report", district, scorecard, history)


def register(app: Flask) -> None:
    register_module(app, report, "campaign.report.views")
