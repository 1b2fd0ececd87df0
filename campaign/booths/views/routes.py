"""The organizer's routing table: for each topic, the units a desk is offered first when it refers a question."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths import routing
from campaign.booths.blueprint import routes as bp
from campaign.booths.forms import RoutesForm
from campaign.booths.recording import topics_for
from campaign.plan.participants import participants
from campaign.web.forms import optional_id
from campaign.web.refusal import Refusal, as_flash
from campaign.web.scope import current_campaign


@bp.route("", methods=["GET", "POST"])
def edit(campaign_id: int):
    campaign = current_campaign()
    topics = topics_for(campaign.id)
    form = RoutesForm()
    if form.validate_on_submit():
        chosen = {
            topic: [unit_id for unit_id in (optional_id(value) for value in request.form.getlist(f"route_{index}")) if unit_id]
            for index, topic in enumerate(topics)
        }
        try:
            routing.set_routes(campaign.id, chosen, topics, user=current_user)
        except Refusal as error:
            as_flash(error)
        else:
            flash(_("已保存转办去向。"), "success")
            return redirect(url_for("booths.routes.edit", campaign_id=campaign.id))
    return render_template(
        "booths/routes.html", campaign=campaign, form=form, topics=topics, units=participants(campaign.id),
        table=routing.routing_table(campaign.id, topics), own=routing.has_own_routes(campaign.id),
        limit=routing.ROUTE_UNITS_MAX,
    )
