"""Sign-in, sign-out and the password change."""

from flask import Blueprint, Flask

from campaign.web.access import declare, register_module

auth = declare(Blueprint("auth", __name__, url_prefix="/auth"), "public")


def register(app: Flask) -> None:
    register_module(app, auth, "campaign.auth.views")
