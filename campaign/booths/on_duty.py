"""A booth as an entry sent from a phone needs it: read by one Core statement, not loaded as ORM objects.

Why: the phone's JSON API is the hot path of the campaign day (web/hotpath.py). Loading the booth through the ORM
with its campaign and settings joined in was a fifth of a submission's CPU time; the entry needs eight values.

What it holds is what the guarantees need: the token and the campaign's last day (the device cookie,
booths/device.py), the campaign's first day and the booth's lists (validation, booths/recording.py), the booth's
unit and campaign (where a referral goes, booths/routing.py). `BoothLike` is what those functions take: this, or
the ORM's Booth that the pages use.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa

from campaign.booths.models import TOKEN_MAX_CHARS, Booth, BoothSettings
from campaign.plan.models import Campaign
from campaign.shared import prepared
from campaign.web.extensions import db


class BoothLike(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def unit_id(self) -> int: ...

    @property
    def campaign_id(self) -> int: ...

    @property
    def staff_token(self) -> str: ...

    @property
    def campaign(self) -> Any: ...  # its first_day, last_day, status, issuing_office and rehearsal_started_at

    @property
    def settings(self) -> Any: ...  # its topics and materials, or None for the defaults


@dataclass(frozen=True)
class CampaignDays:
    """What the entry needs of its campaign: its days (validation, the device cookie), and its status and issuing
    office (whether it still takes entries, and whom to ask when it does not: booths/closing.py)."""

    first_day: date
    last_day: date
    status: str
    issuing_office: str
    rehearsal_started_at: datetime | None  # a rehearsal's entries are kept apart (booths/rehearsal.py)


@dataclass(frozen=True)
class BoothLists:
    topics: list | None
    materials: list | None


@dataclass(frozen=True)
class BoothOnDuty:
    id: int
    unit_id: int
    campaign_id: int
    staff_token: str
    campaign: CampaignDays
    settings: BoothLists | None


# Built once. The same rule as services.booth_by_staff_token: an active booth, by its current token.
_BY_STAFF_TOKEN = (
    sa.select(
        Booth.id, Booth.unit_id, Booth.campaign_id, Booth.staff_token, Campaign.first_day, Campaign.last_day,
        Campaign.status, Campaign.issuing_office, Campaign.rehearsal_started_at,
        BoothSettings.campaign_id.label("settings_id"), BoothSettings.topics, BoothSettings.materials,
    )
    .join(Campaign, Campaign.id == Booth.campaign_id)
    .outerjoin(BoothSettings, BoothSettings.campaign_id == Booth.campaign_id)
    .where(Booth.staff_token == sa.bindparam("token"), Booth.active.is_(True))
)


def booth_on_duty(token: str, connection: sa.Connection | None = None) -> BoothOnDuty | None:
    """The active booth this staff link opens, as the phone's API needs it; None for a rotated or unknown token or
    a switched-off booth. Read on `connection` (by default the session's)."""
    if not token or len(token) > TOKEN_MAX_CHARS:
        return None
    # Straight to the driver (shared/prepared.py): this is the hot path.
    row = prepared.first(connection or db.session.connection(), _BY_STAFF_TOKEN, {"token": token})
    if row is None:
        return None
    (booth_id, unit_id, campaign_id, staff_token, first_day, last_day, status, issuing_office, rehearsal_started_at,
     settings_id, topics, materials) = row
    return BoothOnDuty(
        id=booth_id, unit_id=unit_id, campaign_id=campaign_id, staff_token=staff_token,
        campaign=CampaignDays(first_day, last_day, status, issuing_office, rehearsal_started_at),
        settings=BoothLists(topics, materials) if settings_id is not None else None,
    )
