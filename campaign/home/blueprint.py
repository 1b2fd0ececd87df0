"""A unit contact's home, above the stages: 我的任务 (tasks and the summary's state) and the unit's own booths."""

from flask import Blueprint, Flask

from campaign.web.access import declare, register_module

home = declare(Blueprint("home", __name__), "login")
tasks = declare(Blueprint("tasks", __name__, url_prefix="/tasks"), "unit")
booths = declare(Blueprint("booths", __name__, url_prefix="/my-booths"), "unit")

for child in (tasks, booths):
    home.register_blueprint(child)


def register(app: Flask) -> None:
    register_module(app, home, "campaign.home.views")
