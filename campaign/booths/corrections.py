"""The phone's own corrections: the device that logged an entry may correct or withdraw it within EDIT_WINDOW;
after that only an organizer may (booths/entries.py). Validation is the phone's (recording.clean_consultation), and a
correction moves the entry's follow-up as recording opened it.

Every change here commits itself, as recording does (the staff blueprint is out of the per-request commit).
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from campaign.booths import records
from campaign.booths.closing import entries_closed
from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import PENDING, SOURCE_STAFF, Booth, Consultation, FollowUp, MaterialHandout
from campaign.booths.recording import clean_consultation, referral_unit
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

EDIT_WINDOW = timedelta(minutes=10)


def _within_window(row: Consultation | MaterialHandout, device_id: str, since: datetime | None) -> bool:
    return (
        bool(device_id) and row.device_id == device_id and records.is_counted(row)
        and since is not None and utcnow() - since <= EDIT_WINDOW
    )


def may_change_consultation(consultation: Consultation, device_id: str) -> bool:
    if entries_closed(consultation.booth.campaign):
        return False
    return consultation.source == SOURCE_STAFF and _within_window(consultation, device_id, consultation.received_at)


def may_withdraw_handout(handout: MaterialHandout, device_id: str) -> bool:
    booth = db.session.get(Booth, handout.booth_id)
    if booth is None or entries_closed(booth.campaign):
        return False
    # Rows from before received_at existed fall back to recorded_at, which is never in the future.
    return _within_window(handout, device_id, handout.received_at or handout.recorded_at)


def _drop_untouched_follow_up(consultation: Consultation) -> None:
    # Only one nobody has started on: a reply already written stays for the organizer to see. Deleted through the
    # session, so the follow-up tallies see it go.
    follow_up = db.session.scalar(
        sa.select(FollowUp).where(
            FollowUp.consultation_id == consultation.id, FollowUp.status == PENDING, FollowUp.reply == ""
        )
    )
    if follow_up is not None:
        db.session.delete(follow_up)


def update_consultation(consultation: Consultation, fields: dict) -> Consultation:
    """The device's correction; the time it was recorded stays. Commits."""
    values = clean_consultation(consultation.booth, fields, consultation.source)
    referral_unit_id = referral_unit(consultation.booth, values, fields)
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.updated_at = utcnow()
    db.session.flush()
    if not ensure_follow_up(consultation, referral_unit_id):
        _drop_untouched_follow_up(consultation)
    db.session.commit()
    return consultation


def withdraw_consultation(consultation: Consultation) -> None:
    consultation.withdrawn_at = utcnow()
    _drop_untouched_follow_up(consultation)
    db.session.commit()


def withdraw_handout(handout: MaterialHandout) -> None:
    handout.withdrawn_at = utcnow()
    db.session.commit()
