"""The plan's URLs: the campaigns, their activities, venues and slogans, and the plan document."""

from flask import Blueprint, Flask

from campaign.web.access import declare

plan = Blueprint("plan", __name__)
campaigns = declare(Blueprint("campaigns", __name__, url_prefix="/campaigns"), "organizer")
activities = declare(Blueprint("activities", __name__, url_prefix="/campaigns/<int:campaign_id>"), "organizer")
document = declare(Blueprint("document", __name__, url_prefix="/campaigns/<int:campaign_id>/plan"), "login")

for child in (campaigns, activities, document):
    plan.register_blueprint(child)


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.plan.views.activities  # noqa: F401
    import campaign.plan.views.campaigns  # noqa: F401
    import campaign.plan.views.document  # noqa: F401

    app.register_blueprint(plan)
