"""The unit summaries' URLs: a unit's own summary, the organizer's review, photos, and the summary documents."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

unit = declare(Blueprint("unit", __name__, url_prefix=None), "unit")
review = declare(Blueprint("review", __name__, url_prefix=None), "organizer")
photos = declare(Blueprint("photos", __name__, url_prefix="/photos"), "login")
documents = declare(Blueprint("documents", __name__, url_prefix=None), "login")

summaries = module_blueprint("summaries", unit, review, photos, documents)


def register(app: Flask) -> None:
    register_module(app, summaries, "campaign.summaries.views")
    # The boards' warning of units not started (the boards belong to an earlier stage, which cannot import this one).
    from campaign.summaries import alerts  # noqa: F401
