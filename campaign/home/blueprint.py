"""A unit contact's home, above the stages: 我的任务 (tasks and the summary's state) and the unit's own booths."""

from flask import Blueprint, Flask

from campaign.web.access import declare

home = declare(Blueprint("home", __name__), "login")
tasks = declare(Blueprint("tasks", __name__, url_prefix="/tasks"), "unit")
booths = declare(Blueprint("booths", __name__, url_prefix="/my-booths"), "unit")

for child in (tasks, booths):
    home.register_blueprint(child)


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.home.views.booths  # noqa: F401
    import campaign.home.views.index  # noqa: F401
    import campaign.home.views.tasks  # noqa: F401

    app.register_blueprint(home)
