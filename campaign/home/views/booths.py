"""A unit contact's own booths: the staff links, PINs and cards to hand to the people at the desk."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.booths import cards as card_making
from campaign.booths import device as devices
from campaign.booths.services import rotate_staff_token, unit_booths
from campaign.home.blueprint import booths as bp
from campaign.web.downloads import attachment


@bp.get("/")
def index():
    booths = unit_booths(current_user.unit_id)
    links = {booth.id: card_making.staff_url(booth, request.url_root) for booth in booths}
    paused = devices.paused_booth_ids(booth.id for booth in booths)
    return render_template("home/booths.html", booths=booths, links=links, paused=paused)


def _own_booth(booth_id: int):
    booth = next((b for b in unit_booths(current_user.unit_id) if b.id == booth_id), None)
    if booth is None:
        abort(403)
    return booth


@bp.post("/<int:booth_id>/rotate")
def rotate(booth_id: int):
    """The unit's own contact may give its booth a new link and PIN, as an organizer may: when the PIN entry was
    paused by wrong tries from anywhere, the unit acts at once, without waiting for the office."""
    booth = _own_booth(booth_id)
    rotate_staff_token(booth, user=current_user)
    flash(_("已更换“%(booth)s”的链接和PIN，请把新卡片交给值守的同事。", booth=booth.label), "success")
    return redirect(url_for("home.booths.index"))


@bp.get("/<int:booth_id>/card.pdf")
def card(booth_id: int):
    booth = _own_booth(booth_id)
    return attachment(
        card_making.cards_pdf(booth.campaign, [booth], request.url_root, with_pin=True, layout=card_making.SINGLE),
        "application/pdf",
        f"{booth.label}二维码卡片（含PIN）.pdf",
        f"booth-{booth.id}-card.pdf",
    )
