from flask import render_template
from flask_login import current_user

from campaign.home.blueprint import tasks as bp
from campaign.home.tasks import unit_tasks


@bp.get("/")
def index():
    task_list = unit_tasks(current_user.unit_id)
    return render_template("home/tasks.html", task_list=task_list, unit=current_user.unit)
