"""The organizer's rehearsal (演练) page: start and end it, and see which desks are ready (booths/rehearsal.py)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths import rehearsal, services
from campaign.booths.blueprint import manage as bp
from campaign.shared.timeutil import utcnow
from campaign.web.paging import page_arg
from campaign.web.refusal import Refusal, as_flash
from campaign.web.scope import current_campaign


@bp.get("/rehearsal")
def rehearsal_page(campaign_id: int):
    campaign = current_campaign()
    pagination = services.booth_page(campaign.id, page_arg(request.args))
    rows = rehearsal.readiness(campaign.id, list(pagination.items))
    return render_template(
        "booths/rehearsal.html",
        campaign=campaign,
        pagination=pagination,
        rows=rows,
        rehearsing=rehearsal.rehearsing(campaign),
        day_begun=utcnow() >= rehearsal.day_begins(campaign),
    )


@bp.post("/rehearsal/start")
def start_rehearsal(campaign_id: int):
    campaign = current_campaign()
    try:
        if rehearsal.start(campaign, current_user):
            flash(_("演练已开始：各咨询台的链接、PIN和评价卡照常使用，登记的记录只算演练，不计入任何统计。"), "success")
        else:
            flash(_("已经在演练中。"), "info")
    except Refusal as error:
        as_flash(error)
    return redirect(url_for("booths.manage.rehearsal_page", campaign_id=campaign.id))


@bp.post("/rehearsal/end")
def end_rehearsal(campaign_id: int):
    campaign = current_campaign()
    counts = rehearsal.end(campaign, current_user)
    if counts is None:
        flash(_("没有进行中的演练。"), "info")
    else:
        flash(_("演练已结束，已删除演练记录：咨询%(c)s条、资料发放%(h)s条。",
                c=counts["consultation"], h=counts["handout"]), "success")
    return redirect(url_for("booths.manage.rehearsal_page", campaign_id=campaign.id))
