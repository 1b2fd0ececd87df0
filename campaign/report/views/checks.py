"""The numbers check before an export (report/consistency.py): the text's numbers that disagree with the data,
for the organizer to keep as written (with a reason) or correct."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.report import number_checks
from campaign.report.blueprint import checks as bp
from campaign.report.compile import compile_report
from campaign.report.document import activity_heading
from campaign.report.figures import ReportFigures
from campaign.report.forms import NumberCheckForm
from campaign.report.narrative import SECTION_LABELS, activity_key
from campaign.web.refusal import Refusal, as_flash
from campaign.web.scope import current_campaign


def section_names(figures: ReportFigures) -> dict[str, str]:
    """Each narrative key → the heading the organizer knows it by."""
    names = {key: str(label) for key, label in SECTION_LABELS.items()}
    for number, activity in enumerate(figures["activities"], start=1):
        names[activity_key(activity["id"])] = activity_heading(number, activity["title"])
    return names


@bp.get("")
def index(campaign_id: int):
    campaign = current_campaign()
    figures = compile_report(campaign)
    mismatches = number_checks.review(campaign.id, figures)
    return render_template(
        "report/checks.html", campaign=campaign, mismatches=mismatches, names=section_names(figures),
        open_count=sum(not mismatch.confirmed for mismatch in mismatches), form=NumberCheckForm(formdata=None),
        reason_max=number_checks.REASON_MAX_CHARS,
    )


@bp.post("")
def decide(campaign_id: int):
    campaign = current_campaign()
    form = NumberCheckForm()
    if not form.validate_on_submit():
        flash(_("请求无效，请刷新页面后重试。"), "error")
        return redirect(url_for("report.checks.index", campaign_id=campaign.id))
    figures = compile_report(campaign)
    fingerprint = form.fingerprint.data or ""
    try:
        if form.action.data == "correct":
            sentence = number_checks.correct(campaign.id, current_user, fingerprint, figures)
            flash(_("已按数据更正：%(sentence)s", sentence=sentence), "success")
        elif form.action.data == "confirm":
            changed = number_checks.confirm(campaign.id, current_user, fingerprint, request.form.get("reason", ""),
                                          figures)
            flash(_("已确认保留原数字。") if changed else _("这处数字已经确认过。"), "success" if changed else "info")
        else:
            raise Refusal(_("请选择“确认保留”或“按数据更正”。"))
    except Refusal as error:
        as_flash(error)
    return redirect(url_for("report.checks.index", campaign_id=campaign.id, _anchor=f"n-{fingerprint}"))
