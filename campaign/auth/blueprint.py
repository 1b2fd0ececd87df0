"""Sign-in, sign-out and the password change."""

from flask import Blueprint, Flask

from campaign.web.access import declare

auth = declare(Blueprint("auth", __name__, url_prefix="/auth"), "public")


def register(app: Flask) -> None:
    # Importing the views attaches their routes to the blueprints above.
    import campaign.auth.views.sign_in  # noqa: F401

    app.register_blueprint(auth)
