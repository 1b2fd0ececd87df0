"""The live board for organizers: figures that refresh on their own, a venue-screen mode (the XLSX exports are made
in the background: views/exports.py)."""

import json
from datetime import date, timedelta
from typing import cast

from flask import Response, render_template, request, url_for

from campaign.booths import public_limits
from campaign.booths.blueprint import board as bp
from campaign.booths.board import BoardFigures, figures
from campaign.booths.followup_lists import overdue_follow_ups
from campaign.booths.followups import overdue_days
from campaign.booths.forms import FullExportForm
from campaign.booths.services import campaign_booths
from campaign.plan.models import Campaign
from campaign.shared.timeutil import utcnow
from campaign.web.scope import current_campaign

REFRESH_SECONDS = 10


def _day() -> date | None:
    """?day=2025-05-15 shows the hours of another day of the campaign; anything unreadable is ignored."""
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None


def _figures(campaign: Campaign, day: date | None) -> BoardFigures:
    """The board's figures, each booth's row with the link to its entries."""
    data = figures(campaign, day=day)
    for row in data["booths"]:
        row["entries_url"] = url_for("booths.entries.index", campaign_id=campaign.id, booth_id=row["id"])
    return data


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
