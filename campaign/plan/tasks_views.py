from flask import Blueprint, render_template
from flask_login import current_user

from campaign.auth.access import unit_contact_required
from campaign.plan.tasks import unit_tasks

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.get("/")
@unit_contact_required
def index():
    task_list = unit_tasks(current_user.unit_id)
    return render_template("plan/tasks.html", task_list=task_list, unit=current_user.unit)
