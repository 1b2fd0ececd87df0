"""Editing the plan's content: groups, activities, venues and slogans of one campaign."""

from datetime import time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.plan import activities as services
from campaign.plan import venues_and_slogans as extras
from campaign.plan.blueprint import activities as bp
from campaign.plan.forms import ActivityForm, GroupForm, SloganForm, SlogansForm, VenueForm
from campaign.plan.models import (
    BANNER_MAX_CHARS,
    MODE_ONSITE,
    STATUS_DRAFT,
    Activity,
    ActivityGroup,
    Campaign,
    Slogan,
    Venue,
)
from campaign.plan.overview import venue_usage
from campaign.units.groups import ordered_groups
from campaign.units.models import UNIT_KINDS, Unit, ordered_units
from campaign.web.refusal import Refusal, as_flash, on_form
from campaign.web.scope import current_campaign, owned


def _to_plan(campaign_id: int, anchor: str | None = None):
    return redirect(url_for("plan.campaigns.show", campaign_id=campaign_id, _anchor=anchor))


def _revision_note(campaign: Campaign) -> None:
    if campaign.status != STATUS_DRAFT:
        flash(_("方案已印发，本次修改已记入修订记录。"), "info")


# Groups


@bp.route("/groups/new", methods=["GET", "POST"])
def new_group(campaign_id: int):
    campaign = current_campaign()
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.add_group(current_user, campaign, form.title.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已添加分组“%(title)s”。", title=group.title), "success")
            return _to_plan(campaign.id, f"group-{group.id}")
    return render_template("plan/group_form.html", form=form, campaign=campaign, group=None)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit_group(campaign_id: int, group_id: int):
    group = owned(ActivityGroup, group_id)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            services.rename_group(current_user, group, form.title.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存分组名称。"), "success")
            return _to_plan(campaign_id, f"group-{group.id}")
    return render_template("plan/group_form.html", form=form, campaign=group.campaign, group=group)


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
def delete_group(campaign_id: int, group_id: int):
    group = owned(ActivityGroup, group_id)
    if request.method == "GET":
        return render_template("plan/group_delete.html", campaign=group.campaign, group=group)
    title = group.title
    try:
        count = services.delete_group(current_user, group, confirmed=request.form.get("confirm") == "yes")
    except Refusal as error:
        as_flash(error)
        return redirect(url_for("plan.activities.delete_group", campaign_id=campaign_id, group_id=group_id))
    if count:
        flash(_("已删除分组“%(title)s”及其中的%(n)s项活动。", title=title, n=count), "success")
    else:
        flash(_("已删除分组“%(title)s”。", title=title), "success")
    return _to_plan(campaign_id)


@bp.post("/groups/<int:group_id>/move")
def move_group(campaign_id: int, group_id: int):
    group = owned(ActivityGroup, group_id)
    try:
        services.move_group(current_user, group, request.form.get("direction", ""))
    except Refusal as error:
        as_flash(error)
    return _to_plan(campaign_id, f"group-{group_id}")


# Activities


def _units_by_kind() -> list[tuple[str, list[Unit]]]:
    """A list of 20–60 units is easier to scan in the kinds the office thinks in: towns, bureaus, …"""
    groups: dict[str, list[Unit]] = {}
    for unit in ordered_units():
        groups.setdefault(unit.kind, []).append(unit)
    order = [kind for kind in UNIT_KINDS if kind in groups] + [kind for kind in groups if kind not in UNIT_KINDS]
    return [(UNIT_KINDS.get(kind, kind), groups[kind]) for kind in order]


def _activity_page(form: ActivityForm, campaign: Campaign, activity: Activity | None):
    return render_template(
        "plan/activity_form.html",
        form=form,
        campaign=campaign,
        activity=activity,
        units_by_kind=_units_by_kind(),
        unit_groups=ordered_groups(),
    )


def _save(form: ActivityForm, campaign: Campaign, activity: Activity | None):
    """Save, flash the outcome and any warnings; None if refused (the errors are on the form)."""
    try:
        saved, warnings = services.save_activity(current_user, campaign, form.fields(), activity)
    except Refusal as error:
        on_form(form, error)
        return None
    flash(_("已保存活动“%(title)s”。", title=saved.title), "success")
    for warning in warnings:
        flash(str(warning), "warning")
    _revision_note(campaign)
    return _to_plan(campaign.id, f"activity-{saved.id}")


@bp.route("/groups/<int:group_id>/activities/new", methods=["GET", "POST"])
def new(campaign_id: int, group_id: int):
    group = owned(ActivityGroup, group_id)
    campaign = group.campaign
    form = ActivityForm()
    form.set_choices(campaign.groups, campaign.venues)
    if not form.is_submitted():
        form.group_id.data = str(group.id)
        form.start_date.data = form.end_date.data = campaign.first_day
        form.start_time.data, form.end_time.data = time(9, 0), time(11, 30)
        form.mode.data = MODE_ONSITE
    elif form.validate():
        response = _save(form, campaign, None)
        if response is not None:
            return response
    return _activity_page(form, campaign, None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int, activity_id: int):
    activity = owned(Activity, activity_id)
    campaign = activity.group.campaign
    form = ActivityForm(obj=activity)
    form.set_choices(campaign.groups, campaign.venues)
    if not form.is_submitted():
        form.fill(activity)
    elif form.validate():
        response = _save(form, campaign, activity)
        if response is not None:
            return response
    return _activity_page(form, campaign, activity)


@bp.post("/activities/<int:activity_id>/delete")
def delete(campaign_id: int, activity_id: int):
    activity = owned(Activity, activity_id)
    title = activity.title
    services.delete_activity(current_user, activity)
    flash(_("已删除活动“%(title)s”。", title=title), "success")
    return _to_plan(campaign_id)


@bp.post("/activities/<int:activity_id>/move")
def move(campaign_id: int, activity_id: int):
    activity = owned(Activity, activity_id)
    try:
        services.move_activity(current_user, activity, request.form.get("direction", ""))
    except Refusal as error:
        as_flash(error)
    return _to_plan(campaign_id, f"activity-{activity_id}")


# Venues


@bp.route("/venues", methods=["GET", "POST"])
def venues(campaign_id: int):
    campaign = current_campaign()
    form = VenueForm()
    if form.validate_on_submit():
        try:
            venue = extras.add_venue(current_user, campaign, form.name.data, form.address.data, form.kind.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已添加地点“%(name)s”。", name=venue.name), "success")
            return redirect(url_for("plan.activities.venues", campaign_id=campaign.id))
    return render_template("plan/venues.html", form=form, campaign=campaign, usage=venue_usage(campaign.id))


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def edit_venue(campaign_id: int, venue_id: int):
    venue = owned(Venue, venue_id)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            extras.update_venue(current_user, venue, form.name.data, form.address.data, form.kind.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存地点“%(name)s”。", name=venue.name), "success")
            return redirect(url_for("plan.activities.venues", campaign_id=campaign_id))
    return render_template("plan/venue_form.html", form=form, campaign=venue.campaign, venue=venue)


@bp.post("/venues/<int:venue_id>/delete")
def delete_venue(campaign_id: int, venue_id: int):
    venue = owned(Venue, venue_id)
    name = venue.name
    try:
        extras.delete_venue(current_user, venue)
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已删除地点“%(name)s”。", name=name), "success")
    return redirect(url_for("plan.activities.venues", campaign_id=campaign_id))


# Slogans


@bp.route("/slogans", methods=["GET", "POST"])
def slogans(campaign_id: int):
    campaign = current_campaign()
    form = SlogansForm()
    if form.validate_on_submit():
        try:
            added = extras.add_slogans(current_user, campaign, form.text.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已添加%(n)s条标语。", n=len(added)), "success")
            long = sum(1 for slogan in added if slogan.too_long_for_banner)
            if long:
                flash(_("其中%(n)s条较长，不宜用于条幅。", n=long), "warning")
            return redirect(url_for("plan.activities.slogans", campaign_id=campaign.id))
    return render_template("plan/slogans.html", form=form, campaign=campaign, banner_max=BANNER_MAX_CHARS)


@bp.route("/slogans/<int:slogan_id>/edit", methods=["GET", "POST"])
def edit_slogan(campaign_id: int, slogan_id: int):
    slogan = owned(Slogan, slogan_id)
    form = SloganForm(obj=slogan)
    if form.validate_on_submit():
        try:
            extras.update_slogan(current_user, slogan, form.text.data)
        except Refusal as error:
            on_form(form, error)
        else:
            flash(_("已保存标语。"), "success")
            return redirect(url_for("plan.activities.slogans", campaign_id=campaign_id, _anchor=f"slogan-{slogan.id}"))
    return render_template("plan/slogan_form.html", form=form, campaign=slogan.campaign, slogan=slogan)


@bp.post("/slogans/<int:slogan_id>/delete")
def delete_slogan(campaign_id: int, slogan_id: int):
    slogan = owned(Slogan, slogan_id)
    extras.delete_slogan(current_user, slogan)
    flash(_("已删除标语。"), "success")
    return redirect(url_for("plan.activities.slogans", campaign_id=campaign_id))


@bp.post("/slogans/<int:slogan_id>/move")
def move_slogan(campaign_id: int, slogan_id: int):
    slogan = owned(Slogan, slogan_id)
    try:
        extras.move_slogan(current_user, slogan, request.form.get("direction", ""))
    except Refusal as error:
        as_flash(error)
    return redirect(url_for("plan.activities.slogans", campaign_id=campaign_id, _anchor=f"slogan-{slogan_id}"))
