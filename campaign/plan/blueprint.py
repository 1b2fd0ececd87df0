"""The plan's URLs: the campaigns, their activities, venues and slogans, and the plan document."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

campaigns = declare(Blueprint("campaigns", __name__, url_prefix="/campaigns"), "organizer")
activities = declare(Blueprint("activities", __name__, url_prefix="/campaigns/<int:campaign_id>"), "organizer")
document = declare(Blueprint("document", __name__, url_prefix="/campaigns/<int:campaign_id>/plan"), "login")

plan = module_blueprint("plan", campaigns, activities, document)


def register(app: Flask) -> None:
    register_module(app, plan, "campaign.plan.views")
