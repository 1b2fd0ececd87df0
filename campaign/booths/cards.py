"""QR codes of the booth links, and the printable cards that carry them: A6 cards one a page, or four to an A4
sheet with cut lines (offices print on A4)."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from campaign.booths.models import Booth
from campaign.documents.qr import png_data_uri, qr_modules_png, qr_png, qr_svg  # noqa: F401  (qr_png, qr_svg: used through this module)
from campaign.shared.formatting import cn_number, cn_span

# The two layouts, where cards are made: A4 sheets of four A6 cards (the default: an office's printer takes A4), or
# one A6 card a page (a print shop's card stock, or one booth's card).
SHEET = "a4"
SINGLE = "a6"
LAYOUTS = (SHEET, SINGLE)
LAYOUT_LABELS = {SHEET: _l("A4纸，每页4张（带裁切线）"), SINGLE: _l("A6纸，每页1张")}
CARDS_PER_SHEET = 4
# Cards laid out per WeasyPrint document: the job reports its progress between parts (a single document of 800
# cards is one long silent call), and the parts' pages are written as one PDF.
CARDS_PER_PART = 96


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
    qr: str  # a data: URI of a PNG of one pixel per module, so the PDF renderer fetches nothing
    pin: str | None


def edition_heading(edition: int) -> str:
    return f"第{cn_number(edition)}届“5·15政务公开日”"


def _qr(link: str) -> str:
    return png_data_uri(qr_modules_png(link))


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
        cards.append(Card(kind="staff", url=link, qr=_qr(link), pin=booth.pin if with_pin else None, **common))
        public_link = public_url(booth, root_url)
        if public_link:
            cards.append(Card(kind="public", url=public_link, qr=_qr(public_link), pin=None, **common))
    return cards


def card_pages(cards: list[Card], layout: str) -> list[list[Card]]:
    """The cards of each page: four to an A4 sheet, or one to an A6 page."""
    per_page = CARDS_PER_SHEET if layout == SHEET else 1
    return [cards[start:start + per_page] for start in range(0, len(cards), per_page)]


def cards_pdf(campaign, booths: list[Booth], root_url: str, with_pin: bool, layout: str = SHEET,
              progress: Callable[[int], None] | None = None) -> bytes:
    """The cards of these booths as one PDF (one booth in a request; many in a background job, which passes
    `progress`, called with the percentage done)."""
    from flask import render_template

    from campaign.documents.pdf_parallel import render_pdf_in_two
    from campaign.web.downloads import static_folder

    report = progress or (lambda percent: None)
    cards = booth_cards(booths, campaign.edition, root_url, with_pin)
    report(20)
    pages = card_pages(cards, layout if layout in LAYOUTS else SHEET)
    pages_per_part = max(1, CARDS_PER_PART // (CARDS_PER_SHEET if layout == SHEET else 1))
    parts = [pages[start:start + pages_per_part] for start in range(0, len(pages), pages_per_part)] or [[]]
    htmls = [render_template("documents/booth_cards.html", pages=part, layout=layout, campaign=campaign)
             for part in parts]
    # Laying the parts out takes most of the time, writing the PDFs the rest.
    return render_pdf_in_two(htmls, static_folder(),
                            progress=lambda done: report(20 + 60 * done // len(parts)))
