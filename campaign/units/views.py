from flask import Blueprint, render_template

from campaign.auth.access import organizer_required
from campaign.units.models import ordered_units

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.get("/")
@organizer_required
def index():
    return render_template("units/index.html", units=ordered_units(include_inactive=True))
