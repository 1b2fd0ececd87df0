"""Each unit's record over the years: the organizer's matrix of units × campaigns (a page of units at a time), its
XLSX export, and one unit's page."""

from flask import abort, render_template, request

from campaign.report.blueprint import history as bp
from campaign.report.history import OUTCOME_LABELS, history
from campaign.report.history_export import history_workbook
from campaign.shared.timeutil import local_today
from campaign.units.models import Unit
from campaign.web.downloads import XLSX_MIMETYPE, attachment
from campaign.web.extensions import db
from campaign.web.paging import page_arg


@bp.get("/")
def matrix():
    found = history(page=page_arg(request.args))
    return render_template("report/history.html", matrix=found, labels=OUTCOME_LABELS)


@bp.get("/history.xlsx")
def export():
    today = local_today()
    return attachment(history_workbook(history()), XLSX_MIMETYPE, f"各单位历年情况（{today:%Y%m%d}）.xlsx",
                      f"unit-history-{today:%Y%m%d}.xlsx")


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int):
    found = db.session.get(Unit, unit_id)
    if found is None:
        abort(404)
    matrix = history(unit_id)
    return render_template("report/history_unit.html", unit=found, campaigns=matrix.campaigns,
                           record=matrix.units[0] if matrix.units else None, labels=OUTCOME_LABELS)
