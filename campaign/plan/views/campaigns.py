"""Campaigns: the list, the form, the plan workspace, status, copying to a new year, the audit log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.plan.activities import ROLE_WORDS
from campaign.plan.blueprint import campaigns as bp
from campaign.plan.copying import copy_campaign
from campaign.plan.forms import CampaignForm, CopyForm
from campaign.plan.models import STATUS_DRAFT, UNIT_ROLES
from campaign.plan.overview import audit_lines, check_plan, load_plan
from campaign.plan.services import (
    STATUS_LABELS,
    TRANSITIONS,
    campaign_list,
    create_campaign,
    new_campaign_defaults,
    update_campaign,
)
from campaign.plan.services import set_status as change_status
from campaign.shared.timeutil import local, utcnow
from campaign.web.refusal import Refusal, as_flash, on_form
from campaign.web.scope import current_campaign

ROLES_SHOWN = [(role, ROLE_WORDS[role]) for role in UNIT_ROLES]


@bp.get("/")
def index():
    return render_template("plan/index.html", campaigns=campaign_list(), status_labels=STATUS_LABELS)


def _to_plan(campaign):
    return redirect(url_for("plan.campaigns.show", campaign_id=campaign.id))


def _make_campaign(form, make, done):
    """New and copy: with a valid form, `make()` the campaign and open its plan, flashing `done` (with its title);
    a refusal shows on the form. None while the form is to be shown (again)."""
    if not form.validate_on_submit():
        return None
    try:
        campaign = make()
    except Refusal as error:
        on_form(form, error)
        return None
    flash(done % {"title": campaign.title}, "success")
    return _to_plan(campaign)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = CampaignForm(data=None if request.method == "POST" else new_campaign_defaults(local(utcnow()).date()))
    made = _make_campaign(
        form, lambda: create_campaign(current_user, form.fields()), _l("已新建活动“%(title)s”。接下来可以添加活动内容。")
    )
    return made or render_template("plan/campaign_form.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int):
    campaign = current_campaign()
    form = CampaignForm(obj=campaign)
    if not form.is_submitted():
        form.fill(campaign)
    if form.validate_on_submit():
        try:
            changes = update_campaign(current_user, campaign, form.fields())
        except Refusal as error:
            on_form(form, error)
        else:
            if changes:
                flash(_("已保存。"), "success")
                if campaign.status != STATUS_DRAFT:
                    flash(_("方案已印发，本次修改已记入修订记录。"), "info")
            else:
                flash(_("没有修改任何内容。"), "info")
            return _to_plan(campaign)
    return render_template("plan/campaign_form.html", form=form, campaign=campaign)


@bp.get("/<int:campaign_id>")
def show(campaign_id: int):
    campaign = load_plan(current_campaign().id)
    return render_template(
        "plan/show.html",
        campaign=campaign,
        check=check_plan(campaign),
        status_labels=STATUS_LABELS,
        next_statuses=sorted(TRANSITIONS[campaign.status]),
        roles=ROLES_SHOWN,
    )


@bp.post("/<int:campaign_id>/status")
def set_status(campaign_id: int):
    campaign = current_campaign()
    try:
        change_status(
            current_user, campaign, request.form.get("status", ""), without_number=bool(request.form.get("without_number"))
        )
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("活动状态已改为“%(status)s”。", status=STATUS_LABELS[campaign.status]), "success")
    return _to_plan(campaign)


@bp.route("/<int:campaign_id>/copy", methods=["GET", "POST"])
def copy(campaign_id: int):
    source = load_plan(current_campaign().id)
    form = CopyForm(data=None if request.method == "POST" else {"year": source.year + 1, "edition": source.edition + 1})
    made = _make_campaign(
        form, lambda: copy_campaign(source, form.year.data, form.edition.data, user=current_user),
        _l("已复制为“%(title)s”（草稿）。请检查日期、文号和各项活动。"),
    )
    return made or render_template("plan/copy.html", form=form, source=source)


@bp.get("/<int:campaign_id>/audit")
def audit(campaign_id: int):
    campaign = current_campaign()
    return render_template("plan/audit.html", campaign=campaign, lines=audit_lines(campaign.id))
