"""The organizer's page of automatic reminders: when they go out, the channels, and what each send did."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.reminders.blueprint import schedule as bp
from campaign.reminders.models import CHANNEL_SMS
from campaign.reminders.settings import (
    ROBOT_CHANNELS,
    save_channel,
    save_unit_robot,
    schedule_view,
    switch_slot,
)
from campaign.shared.mail import smtp_settings
from campaign.web.refusal import Refusal, as_flash
from campaign.web.scope import current_campaign

CHANNEL_LABELS = {"email": _l("邮件"), "wecom": _l("企业微信群机器人"), "dingtalk": _l("钉钉群机器人"),
                  "sms": _l("短信网关")}


@bp.get("/campaigns/<int:campaign_id>/reminders")
def index(campaign_id: int):
    campaign = current_campaign()
    return render_template("reminders/schedule.html", campaign=campaign, view=schedule_view(campaign),
                           smtp=smtp_settings(current_app.config), robot_channels=ROBOT_CHANNELS,
                           sms_channel=CHANNEL_SMS, channel_labels=CHANNEL_LABELS)


@bp.post("/campaigns/<int:campaign_id>/reminders/channels")
def save(campaign_id: int):
    campaign = current_campaign()
    try:
        save_channel(campaign, current_user, request.form.get("channel", ""), request.form.get("url", ""),
                     request.form.get("template", ""), current_app.config.get("REMINDER_ROBOT_HOSTS"))
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已保存提醒渠道。"), "success")
    return redirect(url_for("reminders.schedule.index", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/reminders/unit-robots")
def save_unit(campaign_id: int):
    campaign = current_campaign()
    unit_id = request.form.get("unit_id", "")
    try:
        save_unit_robot(campaign, current_user, int(unit_id) if unit_id.isdecimal() and len(unit_id) < 10 else None,
                        request.form.get("channel", ""), request.form.get("url", ""),
                        current_app.config.get("REMINDER_ROBOT_HOSTS"))
    except Refusal as error:
        as_flash(error)
    else:
        flash(_("已保存该单位的群机器人。"), "success")
    return redirect(url_for("reminders.schedule.index", campaign_id=campaign.id, _anchor="unit-robots"))


@bp.post("/campaigns/<int:campaign_id>/reminders/slots/<int:slot_id>")
def switch(campaign_id: int, slot_id: int):
    campaign = current_campaign()
    try:
        switch_slot(campaign, current_user, slot_id, request.form.get("enabled") == "1")
    except Refusal as error:
        as_flash(error)
    return redirect(url_for("reminders.schedule.index", campaign_id=campaign.id))
