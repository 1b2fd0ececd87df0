"""The boards' warning about summaries (campaign/booths/alerts.py): units that have not started theirs two days
before the deadline (and after it)."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.booths.alerts import SUMMARY_NOT_STARTED, Alert, register_alert_source
from campaign.plan.models import STATUS_CLOSED, Campaign
from campaign.plan.participants import participant_ids_query
from campaign.summaries.models import UnitSummary
from campaign.units.models import Unit
from campaign.web.extensions import db

WARN_BEFORE = timedelta(days=2)


def summaries_not_started(campaign: Campaign, now: datetime) -> list[Alert]:
    """From two days before the deadline until the campaign is closed: each unit taking part with no summary at all (a
    draft saved once counts as started), in the units' order. One query."""
    deadline = campaign.summary_deadline
    if deadline is None or now < deadline - WARN_BEFORE or campaign.status == STATUS_CLOSED:
        return []
    started = sa.select(UnitSummary.id).where(UnitSummary.campaign_id == campaign.id, UnitSummary.unit_id == Unit.id)
    units = db.session.scalars(
        sa.select(Unit)
        .where(Unit.id.in_(participant_ids_query(campaign.id)), ~started.exists())
        .order_by(Unit.sort_order, Unit.id)
    )
    return [Alert(SUMMARY_NOT_STARTED, subject=unit.label, at=deadline) for unit in units]


register_alert_source(summaries_not_started)
