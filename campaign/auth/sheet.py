"""The one-time links just made, as the organizer sees them once: a printable A4 sheet (unit, name, login, the link
as text and as a QR code) and text to paste into a WeChat group, one block per account.

The sheet and the text go to the units, not to the user of the page, so they are written in Chinese whatever the
interface language, like the documents and the summary reminders."""

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


WECHAT_INTRO = ("各位联络员：请用下面属于本单位的链接首次登录“5·15 政务公开日”系统并设置密码"
                "（每个链接只能使用一次，{days}天内有效）。")
WECHAT_BLOCK = "【{unit}】{name}\n登录名：{login}\n首次登录链接：{url}\n（{expires}前有效）"


def wechat_text(entries: list[SheetEntry], days: int) -> str:
    """An introduction, then one block per account, blank lines between."""
    blocks = [WECHAT_BLOCK.format(unit=entry.unit, name=entry.name, login=entry.login, url=entry.url,
                                  expires=entry.expires) for entry in entries]
    return "\n\n".join([WECHAT_INTRO.format(days=days), *blocks])
