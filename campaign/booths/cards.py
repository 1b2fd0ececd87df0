"""QR codes of the booth links, and the printable A6 cards that carry them."""

from dataclasses import dataclass

from campaign.booths.models import Booth
from campaign.documents.qr import qr_png, qr_svg, svg_data_uri  # noqa: F401  (qr_png, qr_svg: used through this module)
from campaign.shared.formatting import cn_number, cn_span


def staff_url(booth: Booth, root_url: str) -> str:
    """The link the booth's staff open; `root_url` is the site's address, e.g. request.url_root."""
    return f"{root_url.rstrip('/')}/b/{booth.staff_token}"


def public_url(booth: Booth, root_url: str) -> str | None:
    if not booth.public_token:
        return None
    return f"{root_url.rstrip('/')}/p/{booth.public_token}"


@dataclass
class Card:
    kind: str  # "staff" or "public"
    heading: str
    unit: str
    name: str
    activity: str
    venue: str
    time: str
    url: str
    qr: str  # a data: URI, so the PDF renderer fetches nothing
    pin: str | None


def edition_heading(edition: int) -> str:
    return f"第{cn_number(edition)}届“5·15政务公开日”"


def booth_cards(booths: list[Booth], edition: int, root_url: str, with_pin: bool) -> list[Card]:
    """The staff card of each booth (with its PIN only on the organizer's copy), then its public card if it has one."""
    heading = edition_heading(edition)
    cards = []
    for booth in booths:
        activity = booth.activity
        venue = ""
        when = ""
        if activity is not None:
            if activity.venue is not None:
                venue = activity.venue.name
            when = cn_span(activity.starts_at, activity.ends_at, activity.all_day)
        common = dict(
            heading=heading,
            unit=booth.unit.name,
            name=booth.name,
            activity=activity.title if activity else "",
            venue=venue,
            time=when,
        )
        link = staff_url(booth, root_url)
        cards.append(Card(kind="staff", url=link, qr=svg_data_uri(qr_svg(link)), pin=booth.pin if with_pin else None,
                          **common))
        public_link = public_url(booth, root_url)
        if public_link:
            cards.append(Card(kind="public", url=public_link, qr=svg_data_uri(qr_svg(public_link)), pin=None, **common))
    return cards


def cards_pdf(campaign, booths: list[Booth], root_url: str, with_pin: bool) -> bytes:
    """The A6 cards of these booths as one PDF (one booth in a request; many in a background job)."""
    from flask import render_template

    from campaign.documents.pdf import render_pdf
    from campaign.web.downloads import static_folder

    cards = booth_cards(booths, campaign.edition, root_url, with_pin)
    html = render_template("documents/booth_cards.html", cards=cards, campaign=campaign)
    return render_pdf(html, base_url=static_folder())
