"""从方案文件导入: paste a plan or upload its Word file, check the preview, confirm. Nothing is stored before 确认导入;
the preview carries the source text and the clerk's values, so leaving it leaves no trace."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.plan.blueprint import importing as bp
from campaign.plan.forms import PlanImportForm
from campaign.plan.importing.draft import (
    ImportDraft,
    choice_options,
    draft_from_form,
    draft_from_text,
)
from campaign.plan.importing.printing import printed_activity
from campaign.plan.importing.sample import sample_text
from campaign.plan.importing.saving import import_plan
from campaign.plan.importing.structure import CAMPAIGN_KEYS
from campaign.plan.importing.wordfile import MAX_FILE_BYTES, docx_text
from campaign.plan.models import UNIT_ROLES, Campaign
from campaign.plan.sections import PLACE_LABELS
from campaign.plan.services import new_campaign_defaults
from campaign.shared.timeutil import local, utcnow
from campaign.units.models import UNIT_KINDS
from campaign.web.refusal import Refusal, refused
from campaign.web.scope import current_campaign


def _start_page(form: PlanImportForm, error: str | None = None, target: Campaign | None = None):
    return render_template("plan/import.html", form=form, error=error, has_sample=bool(sample_text()), target=target)


def _read(form: PlanImportForm, target: Campaign | None):
    """The preview of what was pasted or uploaded, or the start page again with what is wrong."""
    if not form.validate_on_submit():
        return _start_page(form, target=target)
    try:
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            # One byte past the limit is enough to know the file is too large.
            text = docx_text(upload.read(MAX_FILE_BYTES + 1))
        else:
            text = form.text.data or ""
        if target is None:
            draft = draft_from_text(text, form.year.data)
        else:
            draft = draft_from_text(text, target.year, edition=target.edition)
    except Refusal as error:
        return _start_page(form, error.message, target)
    return _preview(draft, target=target)


@bp.route("/", methods=["GET", "POST"])
def start():
    defaults = new_campaign_defaults(local(utcnow()).date())
    form = PlanImportForm(data=None if request.method == "POST" else {"year": defaults["year"]})
    if request.method == "GET" and request.args.get("sample"):
        form.text.data = sample_text()
    return _read(form, None)


ISSUED = _l("方案已印发，不能再导入；如需调整，请逐项修改。")


def _draft_campaign():
    """The URL's campaign, if it is still a draft: an issued plan is changed activity by activity, not imported."""
    campaign = current_campaign()
    if not campaign.is_draft:
        flash(str(ISSUED), "error")
        return None
    return campaign


@bp.route("/into/<int:campaign_id>", methods=["GET", "POST"])
def into(campaign_id: int):
    if request.method == "GET" and not current_campaign().is_draft:
        return render_template("plan/import.html", target=current_campaign(), error=str(ISSUED), form=None)
    campaign = _draft_campaign()
    if campaign is None:
        return redirect(url_for("plan.campaigns.show", campaign_id=campaign_id))
    form = PlanImportForm(data=None if request.method == "POST" else {"year": campaign.year})
    form.year.data = campaign.year
    if request.method == "GET" and request.args.get("sample"):
        form.text.data = sample_text()
    return _read(form, campaign)


def _preview(draft: ImportDraft, errors: dict[str, str] | None = None, target: Campaign | None = None):
    year = int(draft.values["year"]) if draft.values["year"].isdigit() else None
    printed = [printed_activity(activity, year, draft.values["time_style"]) for activity in draft.activities]
    return render_template(
        "plan/import_preview.html", draft=draft, errors=errors or {}, printed=printed, options=choice_options(),
        campaign_keys=CAMPAIGN_KEYS, roles=UNIT_ROLES, unit_kinds=UNIT_KINDS, target=target,
        section_places=PLACE_LABELS,
    )


def _confirm(target: Campaign | None):
    back = url_for("plan.importing.into", campaign_id=target.id) if target else url_for("plan.importing.start")
    try:
        draft = draft_from_form(request.form)
    except Refusal as error:
        flash(error.message, "error")
        return redirect(back)
    if request.form.get("action") != "import":
        return _preview(draft, target=target)  # 重新检查: the units matched again after the roles were edited
    try:
        campaign, warnings = import_plan(current_user, draft, into=target)
    except Refusal as error:
        refused(error)
        errors = error.errors or {"": error.message}
        return _preview(draft_from_form(request.form), errors, target)
    if target is None:
        flash(_("已从方案导入“%(title)s”（草稿），共%(n)s项活动。请检查后印发。", title=campaign.title,
                n=len(draft.activities)), "success")
    else:
        flash(_("已向方案导入%(n)s项活动。", n=len(draft.activities)), "success")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(url_for("plan.campaigns.show", campaign_id=campaign.id))


@bp.post("/confirm")
def confirm():
    return _confirm(None)


@bp.post("/into/<int:campaign_id>/confirm")
def confirm_into(campaign_id: int):
    campaign = _draft_campaign()
    if campaign is None:
        return redirect(url_for("plan.campaigns.show", campaign_id=campaign_id))
    return _confirm(campaign)
