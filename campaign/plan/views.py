import sqlalchemy as sa
from flask import Blueprint, render_template

from campaign.auth.access import organizer_required
from campaign.extensions import db
from campaign.plan.models import Campaign

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


@bp.get("/")
@organizer_required
def index():
    campaigns = db.session.scalars(sa.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())).all()
    return render_template("plan/index.html", campaigns=campaigns)
