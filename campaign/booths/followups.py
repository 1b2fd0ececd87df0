"""Follow-ups (转办/回访): a consultation that needs a referral or a call back becomes a unit's task."""

from datetime import timedelta

import sqlalchemy as sa

from campaign.booths.models import DEFAULT_FOLLOW_UP_DAYS, BoothSettings, Consultation, FollowUp
from campaign.extensions import db
from campaign.timeutil import local

NEEDS_FOLLOW_UP = ("转办", "需回访")


def ensure_follow_up(consultation: Consultation) -> FollowUp | None:
    """Open a follow-up for the booth's unit if the handling asks for one; idempotent. The caller commits."""
    if consultation.handling not in NEEDS_FOLLOW_UP or consultation.withdrawn_at is not None:
        return None
    existing = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))
    if existing:
        return existing
    booth = consultation.booth
    days = db.session.scalar(
        sa.select(BoothSettings.follow_up_days).where(BoothSettings.campaign_id == booth.campaign_id)
    )
    follow_up = FollowUp(
        consultation_id=consultation.id,
        unit_id=booth.unit_id,
        due_date=local(consultation.recorded_at).date() + timedelta(days=days or DEFAULT_FOLLOW_UP_DAYS),
    )
    db.session.add(follow_up)
    return follow_up
