"""The unit list's URLs (organizers)."""

from flask import Blueprint, Flask

from campaign.web.access import declare

units = declare(Blueprint("units", __name__, url_prefix="/units"), "organizer")


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.units.views.units  # noqa: F401

    app.register_blueprint(units)
