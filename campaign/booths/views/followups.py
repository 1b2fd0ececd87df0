"""Follow-up pages: a unit contact's queue and replies; the organizer's overview, reassigning and reopening."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths import followups
from campaign.booths.blueprint import followups as bp
from campaign.booths.forms import ReassignForm, ReplyForm
from campaign.booths.privacy import mask_name, mask_phone
from campaign.plan.models import Campaign
from campaign.plan.services import campaign_list
from campaign.units.models import ordered_units
from campaign.web.access import organizer_required
from campaign.web.extensions import db
from campaign.web.forms import optional_id
from campaign.web.refusal import Refusal, as_flash, on_form

ACTIONS = ("save", "close", "reopen", "reveal")


def _follow_up(follow_up_id: int):
    follow_up = followups.get_follow_up(follow_up_id)
    if follow_up is None:
        abort(404)
    if not followups.may_view(current_user, follow_up):
        abort(403)
    return follow_up


def _phone_for_list(follow_up) -> str:
    consultation = follow_up.consultation
    return mask_phone(consultation.person_phone) if consultation.consent else ""


@bp.get("/")
def index():
    today = followups.local_today()
    if not current_user.is_organizer:
        if current_user.unit_id is None:
            abort(403)
        items = followups.unit_queue(current_user.unit_id)
        return render_template(
            "booths/followup_index.html", items=items, today=today, phone=_phone_for_list,
            overdue_days=followups.overdue_days, organizer_view=False,
        )

    campaigns = campaign_list()
    campaign_id = optional_id(request.args.get("campaign_id"))
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else followups.default_campaign()
    status = request.args.get("status") if request.args.get("status") in ("open", "closed") else ""
    unit_id = optional_id(request.args.get("unit_id"))
    overdue = request.args.get("overdue") == "1"
    items = (
        followups.campaign_follow_ups(campaign.id, status=status, unit_id=unit_id, overdue=overdue, today=today)
        if campaign else []
    )
    return render_template(
        "booths/followup_index.html",
        items=items, today=today, phone=_phone_for_list, overdue_days=followups.overdue_days, organizer_view=True,
        campaigns=campaigns, campaign=campaign, units=ordered_units(), status=status, unit_id=unit_id,
        overdue=overdue, counts=followups.follow_up_counts(campaign.id, today=today) if campaign else None,
    )


def _render_show(follow_up, form: ReplyForm, full_phone: bool = False):
    reassign_form = None
    if current_user.is_organizer:
        reassign_form = ReassignForm()
        reassign_form.unit_id.choices = [("", _("请选择"))] + [
            (unit.id, unit.name) for unit in ordered_units() if unit.id != follow_up.unit_id
        ]
    consultation = follow_up.consultation
    phone = name = ""
    if consultation.consent:
        phone = consultation.person_phone if full_phone else mask_phone(consultation.person_phone)
        name = consultation.person_name if full_phone else mask_name(consultation.person_name)
    response = render_template(
        "booths/followup_show.html",
        follow_up=follow_up, consultation=consultation, booth=consultation.booth, form=form,
        reassign_form=reassign_form, phone=phone, person_name=name, full_phone=full_phone and bool(phone),
        overdue=followups.overdue_days(follow_up), may_answer=followups.may_answer(current_user, follow_up),
    )
    # A page with a full phone number must not stay in a shared or back-button cache.
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.route("/<int:follow_up_id>", methods=["GET", "POST"])
def show(follow_up_id: int):
    follow_up = _follow_up(follow_up_id)
    if request.method == "GET":
        full = followups.may_call_back(current_user, follow_up)
        if full:
            followups.note_phone_viewed(current_user, follow_up)
        return _render_show(follow_up, ReplyForm(obj=follow_up), full_phone=full)

    form = ReplyForm()
    action = request.form.get("action")
    if action not in ACTIONS or not form.validate_on_submit():
        if action not in ACTIONS:
            flash(_("请选择要进行的操作。"), "error")
        return _render_show(follow_up, form, full_phone=followups.may_call_back(current_user, follow_up))
    if action in ("reopen", "reveal") and not current_user.is_organizer:
        abort(403)
    if action == "reveal":
        # Shown in the answer to this POST only: the full number never sits in a URL or a page the browser keeps.
        followups.note_phone_viewed(current_user, follow_up)
        return _render_show(follow_up, ReplyForm(obj=follow_up), full_phone=True)
    try:
        if action == "save":
            followups.save_reply(follow_up, form.reply.data, current_user)
            flash(_("答复已保存，尚未办结。"), "success")
        elif action == "close":
            followups.close(follow_up, form.reply.data, current_user)
            flash(_("已办结。"), "success")
        else:
            followups.reopen(follow_up, current_user)
            flash(_("已重新打开，单位需再次办理。"), "success")
    except Refusal as error:
        on_form(form, error)
        return _render_show(follow_up, form, full_phone=followups.may_call_back(current_user, follow_up))
    return redirect(url_for("booths.followups.show", follow_up_id=follow_up.id))


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
