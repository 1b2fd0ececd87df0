"""Who may use a URL. Each blueprint declares its rule once, in its module's blueprint.py:

    public     anyone
    login      anyone signed in (the view then narrows to the user's own unit where it must)
    organizer  the district office's clerks
    unit       a unit's contact (联络员)
    token      anyone holding the secret in the URL (the booth's staff link or public card); the view checks it

A view that needs more than its blueprint's rule (an organizer-only action among a unit's pages) adds
`organizer_required`.
"""

import importlib
import pkgutil
from functools import wraps

from flask import Blueprint, Flask, abort
from flask_login import current_user

from campaign.web.extensions import login_manager
from campaign.web.scope import load_campaign

RULES = ("public", "login", "organizer", "unit", "token")


def _signed_in():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _organizer():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_organizer:
        abort(403)
    return None


def _unit_contact():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.is_organizer or current_user.unit_id is None:
        abort(403)
    return None


_CHECKS = {"login": _signed_in, "organizer": _organizer, "unit": _unit_contact}


def declare(blueprint: Blueprint, rule: str) -> Blueprint:
    """Puts `rule` on every route of `blueprint` and records it there (`blueprint.access_rule`)."""
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")
    blueprint.access_rule = rule  # type: ignore[attr-defined]  # our mark on Flask's Blueprint, read with getattr
    if rule in _CHECKS:
        blueprint.before_request(_CHECKS[rule])
    # After the rule: whoever may not use the page hears so (302, 403) before learning whether the campaign exists.
    blueprint.before_request(load_campaign)
    return blueprint


def module_blueprint(name: str, *children: Blueprint) -> Blueprint:
    """A module's blueprint, holding its blueprints of one rule each: their endpoints read `module.child.view`."""
    module = Blueprint(name, __name__)
    for child in children:
        module.register_blueprint(child)
    return module


def register_module(app: Flask, blueprint: Blueprint, views_package: str) -> None:
    """Import every view file of `views_package` (which attaches their routes to the module's blueprints), then
    register the module's blueprint on the app."""
    package = importlib.import_module(views_package)
    for view_file in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{views_package}.{view_file.name}")
    app.register_blueprint(blueprint)


def organizer_required(view):
    """For the one organizer-only view on a blueprint whose rule is wider."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        refusal = _organizer()
        if refusal is not None:
            return refusal
        return view(*args, **kwargs)

    return wrapped
