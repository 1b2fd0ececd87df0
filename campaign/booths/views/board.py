"""The live board for organizers: figures that refresh on their own, a venue-screen mode (the XLSX exports are made
in the background: views/exports.py)."""

import json
from datetime import date, timedelta
from typing import cast

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from campaign.booths import alerts as warnings
from campaign.booths import public_limits
from campaign.booths.blueprint import board as bp
from campaign.booths.board import AlertRow, BoardFigures, figures
from campaign.booths.followup_lists import overdue_follow_ups
from campaign.booths.followups import overdue_days
from campaign.booths.forms import FullExportForm
from campaign.booths.services import campaign_booths
from campaign.plan.models import Campaign
from campaign.shared.timeutil import local, utcnow
from campaign.web.scope import current_campaign

REFRESH_SECONDS = 10
# Lines of one kind of warning on a board; the rest are counted in one more line.
ALERTS_PER_KIND = 8


def _day() -> date | None:
    """?day=2025-05-15 shows the hours of another day of the campaign; anything unreadable is ignored."""
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None


def _figures(campaign: Campaign, day: date | None) -> BoardFigures:
    """The board's figures, each booth's row with the link to its entries, and the warnings."""
    data = figures(campaign, day=day)
    for row in data["booths"]:
        row["entries_url"] = url_for("booths.entries.index", campaign_id=campaign.id, booth_id=row["id"])
    data["alerts"] = alert_rows(warnings.alerts(campaign, utcnow()))
    return data


def _alert_text(alert: warnings.Alert) -> str:
    if alert.kind == warnings.QUIET_BOOTH:
        if alert.at is None:
            return _("%(booth)s（%(place)s）：活动已开始 %(minutes)s 分钟，还没有登记", booth=alert.subject,
                     place=alert.place, minutes=alert.count)
        return _("%(booth)s（%(place)s）：已 %(minutes)s 分钟没有登记", booth=alert.subject, place=alert.place,
                 minutes=alert.count)
    if alert.kind == warnings.OVERDUE_REFERRALS:
        return _("%(n)s 件转办已超过办理期限", n=alert.count)
    if alert.kind == warnings.SUMMARY_NOT_STARTED and alert.at is not None:
        return _("%(unit)s：尚未开始填写总结（%(deadline)s 截止）", unit=alert.subject,
                 deadline=local(alert.at).strftime("%m-%d %H:%M"))
    return alert.subject


def alert_rows(alerts: list[warnings.Alert]) -> list[AlertRow]:
    """The warnings as the boards show them: at most ALERTS_PER_KIND lines of a kind, then one line for the rest."""
    rows: list[AlertRow] = []
    shown: dict[str, int] = {}
    left: dict[str, int] = {}
    for alert in alerts:
        if shown.get(alert.kind, 0) < ALERTS_PER_KIND:
            shown[alert.kind] = shown.get(alert.kind, 0) + 1
            rows.append({"kind": alert.kind, "text": _alert_text(alert)})
        else:
            left[alert.kind] = left.get(alert.kind, 0) + 1
    for kind, count in left.items():
        rows.append({"kind": kind, "text": _("另有 %(n)s 条同类预警", n=count)})
    return rows


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("")
def index(campaign_id: int):
    campaign = current_campaign()
    day = _day()
    data = _figures(campaign, day)
    screen = request.args.get("screen") == "1"
    data_url = url_for("booths.board.data", campaign_id=campaign.id, day=day.isoformat() if day else None)
    return _no_store(Response(render_template(
        "booths/board_screen.html" if screen else "booths/board.html",
        campaign=campaign, data=data, data_url=data_url, refresh=REFRESH_SECONDS, day=day,
        export_form=FullExportForm(), overdue=None if screen else overdue_follow_ups(campaign.id),
        slogans=[slogan.text for slogan in campaign.slogans] if screen else [],
        overdue_days=overdue_days, public_refused=_public_refusals(campaign),
    )))


def _public_refusals(campaign: Campaign) -> list[tuple[str, int]]:
    """(booth, entries its public card refused in the last 24 hours): a flood the organizers should know of."""
    booths = {booth.id: booth for booth in campaign_booths(campaign.id)}
    refused = public_limits.refusals(booths, utcnow() - timedelta(hours=24))
    return sorted(((booths[booth_id].label, count) for booth_id, count in refused.items()), key=lambda item: -item[1])


# What the page's tables never show (board.js fills only the columns a table names): left out of the refresh.
NOT_REFRESHED = {"booths": ("unit", "activity"), "units": ("full_name",)}


@bp.get("/data.json")
def data(campaign_id: int):
    """The refresh, every 10 s from every open board: compact JSON (Chinese as UTF-8, not \\u escapes, which
    doubled its size; no spaces), without the fields no table shows."""
    figures = cast(dict, _figures(current_campaign(), _day()))
    for name, keys in NOT_REFRESHED.items():
        figures[name] = [{key: value for key, value in row.items() if key not in keys} for row in figures[name]]
    body = json.dumps(figures, ensure_ascii=False, separators=(",", ":"))
    return _no_store(Response(body, mimetype="application/json"))
