"""Access rules used by every module's views."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def organizer_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_organizer:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def unit_contact_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.is_organizer or current_user.unit_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
