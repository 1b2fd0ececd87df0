"""Accounts and sign-in: signing in and out, the one-time sign-in links, a user's own profile and password, and
the organizers' accounts pages (list, create, edit, invite units in bulk, reset)."""

from flask import Blueprint, Flask

from campaign.web.access import declare, module_blueprint, register_module

sign_in = declare(Blueprint("sign_in", __name__, url_prefix="/auth"), "public")
# The token in the URL is the key; the view checks it (unknown, used, expired) before anything else.
link = declare(Blueprint("link", __name__, url_prefix="/auth/link"), "token")
profile = declare(Blueprint("profile", __name__, url_prefix="/auth"), "login")
accounts = declare(Blueprint("accounts", __name__, url_prefix="/accounts"), "organizer")
invites = declare(Blueprint("invites", __name__, url_prefix="/accounts/invite"), "organizer")

auth = module_blueprint("auth", sign_in, link, profile, accounts, invites)


def register(app: Flask) -> None:
    register_module(app, auth, "campaign.auth.views")
