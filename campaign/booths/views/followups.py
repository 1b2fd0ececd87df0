"""Follow-up pages: the responsible unit's queue, reply and call-back; the organizer's table, bulk reassign,
export, and one follow-up's page with the organizer's decisions (reopen, close, deadlines, reassign)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from campaign.booths import followup_export as exporting
from campaign.booths import followup_lists, followups, receipts
from campaign.booths.blueprint import followups as bp
from campaign.booths.forms import CallBackForm, DueForm, FullExportForm, ReassignForm, ReplyForm
from campaign.booths.models import FOLLOW_UP_KINDS, FOLLOW_UP_STATES
from campaign.booths.privacy import mask_name, mask_phone
from campaign.booths.recording import topics_for
from campaign.plan.models import Campaign
from campaign.plan.participants import participants
from campaign.plan.services import campaign_list
from campaign.shared.audit import record
from campaign.shared.timeutil import local_today
from campaign.web.access import organizer_required
from campaign.web.downloads import XLSX_MIMETYPE, attachment
from campaign.web.extensions import db
from campaign.web.forms import optional_id
from campaign.web.redirects import local_path
from campaign.web.refusal import Refusal, as_flash, on_form

EXPORT_MAX_ROWS = 50_000


def _follow_up(follow_up_id: int):
    follow_up = followups.get_follow_up(follow_up_id)
    if follow_up is None:
        abort(404)
    if not followups.may_view(current_user, follow_up):
        abort(403)
    return follow_up


def _page() -> int:
    page = optional_id(request.args.get("page"))
    return page if page and page > 0 else 1


def _campaign(choices: list[Campaign]) -> Campaign | None:
    """The campaign asked for among the user's choices, else the current one (the latest issued)."""
    wanted = optional_id(request.args.get("campaign_id"))
    chosen = next((campaign for campaign in choices if campaign.id == wanted), None)
    return chosen or followup_lists.default_campaign()


@bp.get("/")
def index():
    if current_user.is_organizer:
        return _organizer_table()
    if current_user.unit_id is None:
        abort(403)
    return _unit_queue()


def _unit_queue():
    """The responsible unit's referrals: the current campaign, earlier ones a click away; the full number of a
    citizen who consented, as a tel: link, each showing in the audit log."""
    choices = followup_lists.unit_campaigns()
    campaign = _campaign(choices)
    if campaign is not None and campaign.is_draft:
        campaign = None
    receipt = receipts.Quoted.of(request.args.get("receipt"))
    pagination = followup_lists.unit_queue(current_user.unit_id, campaign.id, _page(), receipt=receipt) if campaign else None
    items = list(pagination.items) if pagination else []
    for item in items:
        if followups.may_call_back(current_user, item):
            followups.note_phone_viewed(current_user, item)
    counts = followup_lists.follow_up_counts(campaign.id, current_user.unit_id) if campaign else None
    response = render_template(
        "booths/followup_queue.html", items=items, pagination=pagination, campaign=campaign, campaigns=choices,
        receipt=receipt,
        counts=counts, today=local_today(), overdue_days=followups.overdue_days,
        may_call_back=lambda item: followups.may_call_back(current_user, item),
        labels=followups.STATE_LABELS,
    )
    # Full phone numbers: not for a shared or back-button cache.
    return response, 200, {"Cache-Control": "private, no-store"}


def _organizer_table():
    campaigns = campaign_list()
    campaign = _campaign(campaigns)
    if campaign is None:
        return render_template("booths/followup_table.html", campaign=None, campaigns=campaigns, pagination=None)
    filters = followup_lists.Filters.of(campaign.id, request.args)
    pagination = followup_lists.campaign_table(filters, _page())
    reassign_form = ReassignForm()
    units = participants(campaign.id)
    reassign_form.unit_id.choices = [("", _("请选择"))] + [(unit.id, unit.name) for unit in units]
    return render_template(
        "booths/followup_table.html",
        campaign=campaign, campaigns=campaigns, pagination=pagination, filters=filters, receipt=filters.receipt,
        units=units, topics=topics_for(campaign.id), states=FOLLOW_UP_STATES, kinds=FOLLOW_UP_KINDS, labels=followups.STATE_LABELS,
        counts=followup_lists.follow_up_counts(campaign.id, today=filters.today),
        overdue_days=followups.overdue_days, replied_in_time=followups.replied_in_time,
        closed_in_time=followups.closed_in_time, mask_phone=mask_phone, reassign_form=reassign_form,
        export_form=FullExportForm(),
    )


@bp.post("/reassign")
@organizer_required
def bulk_reassign():
    """Several follow-ups of one campaign handed to one unit at once; each change in the audit log."""
    form = ReassignForm()
    back = local_path(request.form.get("back")) or url_for("booths.followups.index")
    if not form.validate_on_submit():
        abort(400)
    ids = [optional_id(value) for value in request.form.getlist("follow_up_id")]
    found = [followups.get_follow_up(follow_up_id) for follow_up_id in ids if follow_up_id]
    chosen = [follow_up for follow_up in found if follow_up is not None]
    if not chosen:
        flash(_("请先勾选要改派的转办。"), "error")
        return redirect(back)
    moved = 0
    try:
        for follow_up in chosen:
            if follow_up.unit_id != form.unit_id.data:
                followups.reassign(follow_up, form.unit_id.data, current_user)
                moved += 1
    except Refusal as error:
        db.session.rollback()
        as_flash(error)
        return redirect(back)
    flash(_("已改派 %(n)s 条。", n=moved), "success")
    return redirect(back)


def _export_filters() -> followup_lists.Filters:
    campaign = _campaign(campaign_list())
    if campaign is None:
        abort(404)
    return followup_lists.Filters.of(campaign.id, request.values)


@bp.get("/export.xlsx")
@organizer_required
def export():
    filters = _export_filters()
    body = exporting.build_workbook(followup_lists.campaign_rows(filters, EXPORT_MAX_ROWS))
    return attachment(body, XLSX_MIMETYPE, exporting.filename(), "referrals.xlsx")


@bp.post("/export-full.xlsx")
@organizer_required
def export_full():
    form = FullExportForm()
    filters = _export_filters()
    if not form.validate_on_submit() or not form.confirm.data:
        flash(_("如需导出完整姓名和电话，请先勾选确认。"), "error")
        return redirect(url_for("booths.followups.index", campaign_id=filters.campaign_id))
    body = exporting.build_workbook(followup_lists.campaign_rows(filters, EXPORT_MAX_ROWS), full=True)
    record(current_user, "follow_up_export_full", db.session.get(Campaign, filters.campaign_id),
           campaign_id=filters.campaign_id)  # committed with the request
    return attachment(body, XLSX_MIMETYPE, exporting.filename(full=True), "referrals-full.xlsx")


# One follow-up

ACTIONS = ("save", "reply", "call_back", "close", "reopen", "reveal", "due")


def _render_show(follow_up, reply_form=None, call_back_form=None, due_form=None, full_phone: bool = False,
                 status: int = 200):
    reassign_form = None
    if current_user.is_organizer:
        reassign_form = ReassignForm()
        reassign_form.unit_id.choices = [("", _("请选择"))] + [
            (unit.id, unit.name) for unit in participants(followups.campaign_id_of(follow_up))
            if unit.id != follow_up.unit_id
        ]
    consultation = follow_up.consultation
    phone = name = ""
    if consultation.consent:
        phone = consultation.person_phone if full_phone else mask_phone(consultation.person_phone)
        name = consultation.person_name if full_phone else mask_name(consultation.person_name)
    if due_form is None:
        due_form = DueForm(formdata=None, obj=follow_up)
    response = render_template(
        "booths/followup_show.html",
        follow_up=follow_up, consultation=consultation, booth=consultation.booth,
        form=reply_form or ReplyForm(formdata=None, obj=follow_up), call_back_form=call_back_form or CallBackForm(formdata=None),
        due_form=due_form, reassign_form=reassign_form, phone=phone, person_name=name,
        full_phone=full_phone and bool(phone), overdue=followups.overdue_days(follow_up),
        allowed=followups.allowed_actions(current_user, follow_up), labels=followups.STATE_LABELS,
        replied_in_time=followups.replied_in_time(follow_up), closed_in_time=followups.closed_in_time(follow_up),
    )
    # A page with a full phone number must not stay in a shared or back-button cache.
    return response, status, {"Cache-Control": "private, no-store"}


@bp.route("/<int:follow_up_id>", methods=["GET", "POST"])
def show(follow_up_id: int):
    follow_up = _follow_up(follow_up_id)
    full = followups.may_call_back(current_user, follow_up)
    if request.method == "GET":
        if full:
            followups.note_phone_viewed(current_user, follow_up)
        return _render_show(follow_up, full_phone=full)

    action = request.form.get("action")
    reply_form, call_back_form, due_form = ReplyForm(), CallBackForm(), DueForm()
    form: FlaskForm = {"call_back": call_back_form, "due": due_form, "reopen": due_form}.get(action or "", reply_form)
    if action not in ACTIONS or not form.validate_on_submit():
        if action not in ACTIONS:
            flash(_("请选择要进行的操作。"), "error")
        return _render_show(follow_up, reply_form, call_back_form, due_form, full_phone=full)
    if action in ("reveal", "due") and not current_user.is_organizer:
        abort(403)
    if action == "reveal":
        # Shown in the answer to this POST only: the full number never sits in a URL or a page the browser keeps.
        followups.note_phone_viewed(current_user, follow_up)
        return _render_show(follow_up, full_phone=True)
    try:
        _act(follow_up, action, reply_form, call_back_form, due_form)
    except Refusal as error:
        on_form(form, error)
        return _render_show(follow_up, reply_form, call_back_form, due_form, full_phone=full)
    return redirect(url_for("booths.followups.show", follow_up_id=follow_up.id))


def _date_or_none(value) -> date | None:
    return value if isinstance(value, date) else None


def _act(follow_up, action: str, reply_form: ReplyForm, call_back_form: CallBackForm, due_form: DueForm) -> None:
    user = current_user
    if action == "save":
        followups.save_reply(follow_up, reply_form.reply.data, user)
        flash(_("答复已保存，尚未发出。"), "success")
    elif action == "reply":
        followups.reply(follow_up, reply_form.reply.data, user)
        flash(_("已答复。接下来请回访群众，记录回访结果。"), "success")
    elif action == "call_back":
        followups.call_back(
            follow_up, call_back_form.reached_value(), call_back_form.satisfaction.data, call_back_form.note.data, user
        )
        flash(_("回访已记录。"), "success")
    elif action == "close":
        followups.close(follow_up, user)
        flash(_("已办结。"), "success")
    elif action == "reopen":
        followups.reopen(follow_up, user, _date_or_none(due_form.due_date.data))
        flash(_("已重新打开，单位需再次答复。"), "success")
    else:
        followups.change_due(
            follow_up, _date_or_none(due_form.due_date.data), _date_or_none(due_form.close_due_date.data), user
        )
        flash(_("已修改期限。"), "success")


@bp.post("/<int:follow_up_id>/reassign")
@organizer_required
def reassign(follow_up_id: int):
    follow_up = _follow_up(follow_up_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        unit = followups.reassign(follow_up, form.unit_id.data, current_user)
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已改由%(unit)s办理。", unit=unit.name), "success")
    return redirect(url_for("booths.followups.show", follow_up_id=follow_up.id))
