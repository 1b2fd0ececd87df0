"""The campaign a URL names: every URL with `<int:campaign_id>` works inside one campaign.

It is loaded once per request, answers 404 once if there is no such campaign, and checks once that the user may
know it exists: a campaign whose plan is not yet issued (a draft) is the organizers' working copy, and does not
exist for a unit contact (404, not 403: the answer must not tell that something is there).

`declare()` (access.py) runs `load_campaign` as a blueprint's last before_request function, after its access
rule, so someone who may not use the page is sent to sign in (302) or refused (403) before any 404. Flask runs
url_value_preprocessors before the access rules, which is why the loading is not one.

A view takes the campaign from `current_campaign()`, and any row named in the URL with `owned(Model, id)`:
the row, if it belongs to this campaign (ids in URLs are never trusted across campaigns), else 404.
"""

from flask import abort, g, request
from flask_login import current_user

from campaign.web.extensions import db


def register(app) -> None:
    @app.before_request
    def no_campaign_yet():
        # g lives on the app context, which a test client's requests may share: each request loads its own.
        g.pop("campaign", None)


def load_campaign() -> None:
    """For a URL that names a campaign: load it, or answer 404 (before_request, after the access rule)."""
    if request.view_args and "campaign_id" in request.view_args:
        current_campaign()


def current_campaign():
    """The URL's campaign; 404 if there is none, or if it is a draft and the user is not an organizer."""
    if "campaign" not in g:
        from campaign.plan.models import Campaign

        campaign = db.session.get(Campaign, (request.view_args or {})["campaign_id"])
        if campaign is None or (campaign.is_draft and not current_user.is_organizer):
            abort(404)
        g.campaign = campaign
    return g.campaign


def owned(model, object_id: int):
    """The row of `model` with this id, if it belongs to the URL's campaign; else 404."""
    row = db.session.get(model, object_id)
    if row is None or row.campaign_id != current_campaign().id:
        abort(404)
    return row
