"""The demo's 2024 campaign (closed) as it was recorded: one desk per unit of its on-site activity, a smaller day
than 2025's, every referral replied to, called back and closed (most in time), so the 2025 report has a previous
year to compare with (report/year_on_year.py) and the units' record over the years has figures for 2024."""

import random
import uuid
from datetime import timedelta

import sqlalchemy as sa

from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import (
    CLOSED,
    DEFAULT_MATERIALS,
    Booth,
    BoothSettings,
    Consultation,
    MaterialHandout,
    new_token,
)
from campaign.demo.booths import HANDLING_WEIGHTS, KIND_WEIGHTS, QUESTIONS, REPLIES, SATISFACTION_WEIGHTS
from campaign.plan.models import MODE_ONSITE, Activity, Campaign
from campaign.plan.participants import units_in_activities
from campaign.shared.timeutil import local_date
from campaign.shared.workdays import add_working_days
from campaign.web.extensions import db


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def load_last_year(campaign: Campaign) -> None:
    """The closed campaign's desks and what they recorded; nothing if it has desks already."""
    if db.session.scalar(sa.select(sa.func.count(Booth.id)).where(Booth.campaign_id == campaign.id)):
        return
    db.session.add(BoothSettings(campaign_id=campaign.id, topics=list(QUESTIONS), materials=list(DEFAULT_MATERIALS)))
    onsite = (Activity.campaign_id == campaign.id, Activity.mode == MODE_ONSITE)
    activities = {activity.id: activity for activity in db.session.scalars(sa.select(Activity).where(*onsite))}
    rng = random.Random(2024)
    for named in units_in_activities(*onsite):
        activity = activities[named.activity_id]
        if activity.starts_at is None or activity.ends_at is None:
            continue
        booth = Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=named.unit_id, staff_token=new_token(),
                      active=False)
        db.session.add(booth)
        db.session.flush()
        span = int((activity.ends_at - activity.starts_at).total_seconds())
        for _ in range(rng.randint(5, 12)):
            topic = rng.choice(list(QUESTIONS))
            handling = _pick(rng, HANDLING_WEIGHTS)
            recorded_at = activity.starts_at + timedelta(seconds=rng.randint(0, span))
            referred = handling != "当场解答"
            consultation = Consultation(
                client_uuid=_uuid(rng), booth_id=booth.id, recorded_at=recorded_at, received_at=recorded_at,
                kind=_pick(rng, KIND_WEIGHTS), topic=topic, question=rng.choice(QUESTIONS[topic]),
                asker_type="企业" if topic in ("企业开办", "营商环境") else "群众", handling=handling,
                person_name="王先生" if referred else "", person_phone="13900001234" if referred else "",
                consent=referred, satisfaction=_pick(rng, SATISFACTION_WEIGHTS),
            )
            db.session.add(consultation)
            db.session.flush()
            follow_up = ensure_follow_up(consultation)
            if follow_up is not None:
                db.session.flush()
                # Closed a few working days on; one in five after its closing deadline.
                late = rng.random() < 0.2
                replied = add_working_days(local_date(recorded_at), rng.randint(1, 3))
                follow_up.reply, follow_up.status = rng.choice(REPLIES), CLOSED
                follow_up.replied_at = recorded_at + timedelta(days=(replied - local_date(recorded_at)).days)
                follow_up.called_back_at = follow_up.replied_at + timedelta(hours=5)
                follow_up.call_back_reached, follow_up.call_back_satisfaction = True, "满意"
                closing = follow_up.close_due_date + timedelta(days=3) if late else replied
                follow_up.closed_at = recorded_at + timedelta(days=(closing - local_date(recorded_at)).days, hours=6)
        for material in DEFAULT_MATERIALS[:3]:
            db.session.add(MaterialHandout(client_uuid=_uuid(rng), booth_id=booth.id, material=material,
                                           quantity=rng.choice([50, 80, 100]),
                                           recorded_at=activity.starts_at + timedelta(seconds=rng.randint(0, span))))
    db.session.flush()
