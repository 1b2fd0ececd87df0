"""The front door: an organizer lands on the campaigns, a unit contact on 我的任务."""

from flask import redirect, url_for
from flask_login import current_user

from campaign.home.blueprint import home as bp


@bp.get("/")
def index():
    if current_user.is_organizer:
        return redirect(url_for("plan.campaigns.index"))
    return redirect(url_for("home.tasks.index"))
