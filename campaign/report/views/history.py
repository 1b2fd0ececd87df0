"""Each unit's record over the years: the organizer's matrix of units × campaigns, and one unit's page."""

from flask import abort, render_template

from campaign.report.blueprint import history as bp
from campaign.report.history import OUTCOME_LABELS, history
from campaign.units.models import Unit
from campaign.web.extensions import db


@bp.get("/")
def matrix():
    campaigns, units = history()
    return render_template("report/history.html", campaigns=campaigns, units=units, labels=OUTCOME_LABELS)


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int):
    found = db.session.get(Unit, unit_id)
    if found is None:
        abort(404)
    campaigns, units = history(unit_id)
    return render_template("report/history_unit.html", unit=found, campaigns=campaigns,
                           record=units[0] if units else None, labels=OUTCOME_LABELS)
