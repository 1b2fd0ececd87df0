"""The reminders' URLs: the organizer's schedule, channels and the sends' results of a campaign."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

schedule = declare(Blueprint("schedule", __name__, url_prefix=None), "organizer")

reminders = module_blueprint("reminders", schedule)


def register(app: Flask) -> None:
    register_module(app, reminders, "campaign.reminders.views")
