"""A unit contact's own booths: the staff links, PINs and cards to hand to the people at the desk."""

from flask import abort, render_template, request
from flask_login import current_user

from campaign.booths import cards as card_making
from campaign.booths.services import unit_booths
from campaign.documents.pdf import render_pdf
from campaign.home.blueprint import booths as bp
from campaign.web.downloads import attachment, static_folder


@bp.get("/")
def index():
    booths = unit_booths(current_user.unit_id)
    links = {booth.id: card_making.staff_url(booth, request.url_root) for booth in booths}
    return render_template("home/booths.html", booths=booths, links=links)


@bp.get("/<int:booth_id>/card.pdf")
def card(booth_id: int):
    booth = next((b for b in unit_booths(current_user.unit_id) if b.id == booth_id), None)
    if booth is None:
        abort(403)
    cards = card_making.booth_cards([booth], booth.campaign.edition, request.url_root, with_pin=True)
    html = render_template("documents/booth_cards.html", cards=cards, campaign=booth.campaign)
    return attachment(
        render_pdf(html, base_url=static_folder()),
        "application/pdf",
        f"{booth.label}二维码卡片（含PIN）.pdf",
        f"booth-{booth.id}-card.pdf",
    )
