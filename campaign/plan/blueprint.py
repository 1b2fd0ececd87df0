"""The plan's URLs: the campaigns, their activities, venues and slogans, the plan document and its fonts."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

campaigns = declare(Blueprint("campaigns", __name__, url_prefix="/campaigns"), "organizer")
activities = declare(Blueprint("activities", __name__, url_prefix="/campaigns/<int:campaign_id>"), "organizer")
# 从方案文件导入: a new campaign from a plan's text or Word file (plan/importing/).
importing = declare(Blueprint("importing", __name__, url_prefix="/campaigns/import"), "organizer")
document = declare(Blueprint("document", __name__, url_prefix="/campaigns/<int:campaign_id>/plan"), "login")
# Which font sets each part of the official documents, and where the office's own fonts go.
fonts = declare(Blueprint("fonts", __name__, url_prefix="/documents/fonts"), "organizer")

plan = module_blueprint("plan", campaigns, activities, importing, document, fonts)


def register(app: Flask) -> None:
    register_module(app, plan, "campaign.plan.views")
