"""The unit list's URLs, its groups' and the office's holidays (organizers)."""

from flask import Blueprint, Flask

from campaign.web.access import declare, register_module

units = declare(Blueprint("units", __name__, url_prefix="/units"), "organizer")
# The 统称 (各镇街 …) plans use for many units: /units/groups, endpoints units.groups.*.
groups = declare(Blueprint("groups", __name__, url_prefix="/groups"), "organizer")
units.register_blueprint(groups)
# The office's holidays and 调休 workdays that working-day deadlines count by: /units/holidays, units.holidays.*.
holidays = declare(Blueprint("holidays", __name__, url_prefix="/holidays"), "organizer")
units.register_blueprint(holidays)


def register(app: Flask) -> None:
    register_module(app, units, "campaign.units.views")
