"""The one-time links just made, as the organizer sees them once: a printable A4 sheet (unit, name, login, the link
as text and as a QR code) and text to paste into a WeChat group, one block per account."""

from dataclasses import dataclass

from campaign.auth.links import IssuedLink
from campaign.auth.models import LINK_RESET
from campaign.documents.qr import qr_svg, svg_data_uri
from campaign.shared.timeutil import local


@dataclass
class SheetEntry:
    unit: str
    name: str
    login: str
    url: str
    qr: str  # a data: URI (the page fetches nothing else)
    expires: str  # 2025-05-12 18:00, Beijing time
    reset: bool


def link_url(token: str, root_url: str) -> str:
    return f"{root_url.rstrip('/')}/auth/link/{token}"


def sheet_entries(issued: list[tuple[str, IssuedLink]], root_url: str) -> list[SheetEntry]:
    """(unit name, issued link) pairs → the sheet's entries, in that order."""
    entries = []
    for unit_name, link in issued:
        url = link_url(link.token, root_url)
        entries.append(SheetEntry(
            unit=unit_name,
            name=link.user.display_name,
            login=link.user.username,
            url=url,
            qr=svg_data_uri(qr_svg(url)),
            expires=local(link.expires_at).strftime("%Y-%m-%d %H:%M"),
            reset=link.purpose == LINK_RESET,
        ))
    return entries


def wechat_text(entries: list[SheetEntry], intro: str, block: str) -> str:
    """One block per account, blank lines between: `block` is a translated template with %(unit)s, %(name)s,
    %(login)s, %(url)s and %(expires)s."""
    blocks = [block % {"unit": entry.unit, "name": entry.name, "login": entry.login, "url": entry.url,
                       "expires": entry.expires} for entry in entries]
    return "\n\n".join([intro, *blocks])
