"""The unit list's URLs (organizers)."""

from flask import Blueprint, Flask

from campaign.web.access import declare, register_module

units = declare(Blueprint("units", __name__, url_prefix="/units"), "organizer")


def register(app: Flask) -> None:
    register_module(app, units, "campaign.units.views")
