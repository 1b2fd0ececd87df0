"""The district report's URLs: the report (narrative, photos, compile, snapshots), the numbers check, the scorecard, and
each unit's record over the years."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

district = declare(Blueprint("district", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")
# The numbers check before an export: the text's numbers that disagree with the data, confirmed or corrected.
checks = declare(Blueprint("checks", __name__, url_prefix="/campaigns/<int:campaign_id>/report/checks"), "organizer")
scorecard = declare(Blueprint("scorecard", __name__, url_prefix="/campaigns/<int:campaign_id>/report"), "organizer")

# Across campaigns: each unit's record over the years.
history = declare(Blueprint("history", __name__, url_prefix="/report/history"), "organizer")

report = module_blueprint("report", district, checks, scorecard, history)


def register(app: Flask) -> None:
    register_module(app, report, "campaign.report.views")
