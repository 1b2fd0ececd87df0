from flask import Blueprint, render_template

from campaign.auth.access import unit_contact_required

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.get("/")
@unit_contact_required
def index():
    return render_template("plan/tasks.html")
