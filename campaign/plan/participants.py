"""The units taking part in a campaign: the units its plan names in any of its activities, in any role.

Why this module: who takes part decides who owes a summary (summaries), whose figures are listed with zeros
when they recorded nothing (summaries' figures), who is missing from the report and who sees the campaign's
tasks. It is the plan that says so, so the rule lives here, once; later stages read it. (The report also lists
units outside the plan that actually ran a booth or sent a counted summary: report/compile.py adds those to
these.)
"""

import sqlalchemy as sa

from campaign.plan.models import Activity, ActivityUnit
from campaign.units.models import Unit
from campaign.web.extensions import db


def participant_ids_query(campaign_id: int) -> sa.Select:
    """The ids of the units the plan names, as a subquery for `… .in_()`."""
    return (
        sa.select(ActivityUnit.unit_id)
        .join(Activity, ActivityUnit.activity_id == Activity.id)
        .where(Activity.campaign_id == campaign_id)
        .distinct()
    )


def participant_ids(campaign_id: int) -> set[int]:
    return set(db.session.scalars(participant_ids_query(campaign_id)))


def participants(campaign_id: int) -> list[Unit]:
    """The units taking part, each once, in the units' order."""
    return list(db.session.scalars(
        sa.select(Unit).where(Unit.id.in_(participant_ids_query(campaign_id))).order_by(Unit.sort_order, Unit.id)
    ))


def takes_part(campaign_id: int, unit_id: int) -> bool:
    """Whether the plan names the unit: then it owes a summary."""
    named = participant_ids_query(campaign_id).where(ActivityUnit.unit_id == unit_id)
    return bool(db.session.scalar(sa.select(named.exists())))
