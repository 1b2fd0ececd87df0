"""The phone's common case, stored on a connection of its own without the ORM session: the hot path.

A new entry from a volunteer's phone while the campaign takes entries is most of what a campaign day brings, and at a
busy hour a worker's CPU is the limit (issue 20). It is stored here, with its tallies and its receipt code in one
transaction, by the same insert as the whole way (recording.insert_new), and committed before the answer. Anything
else — an entry the rules refuse, one that opens a follow-up, a rehearsal's, one the campaign no longer takes, one
stored already — is declined (None, nothing written), and the caller goes on with recording.record_consultation or
record_handout, which handle every case. The rules are the same functions both ways.

Used by booths/views/entry_posts.py.
"""

from datetime import datetime

import sqlalchemy as sa

from campaign.booths import rehearsal, tallies
from campaign.booths.closing import entries_closed
from campaign.booths.models import SOURCE_STAFF, Consultation, MaterialHandout
from campaign.booths.on_duty import BoothLike
from campaign.booths.receipts import clean_uuid
from campaign.booths.recording import Stored, clean_consultation, clean_handout, entry_row, insert_new
from campaign.booths.routing import asks_follow_up
from campaign.shared.timeutil import utcnow
from campaign.web.refusal import Refusal


def _taking_entries(booth: BoothLike, now: datetime) -> bool:
    return not entries_closed(booth.campaign, now) and not rehearsal.rehearsing(booth.campaign, now)


def _commit_new(connection: sa.Connection, model, values: dict, contribution) -> Stored | None:
    stored = insert_new(connection, model, values, contribution)
    if stored is None:
        connection.rollback()
        return None
    connection.commit()
    return stored


def store_new_consultation(
    connection: sa.Connection, booth: BoothLike, fields: dict, client_uuid: str | None, device_id: str
) -> Stored | None:
    """A volunteer's new consultation that opens no follow-up, stored and committed on `connection`; None when
    record_consultation must handle it."""
    uuid = clean_uuid(client_uuid)
    now = utcnow()
    if uuid is None or not _taking_entries(booth, now):
        return None
    try:
        values = clean_consultation(booth, fields)
    except Refusal:
        return None
    if asks_follow_up(values["handling"]):
        return None
    row = entry_row(uuid, booth, fields.get("recorded_at"), now, device_id, source=SOURCE_STAFF, **values)
    return _commit_new(connection, Consultation, row, tallies.consultation_contribution)


def store_new_handout(
    connection: sa.Connection, booth: BoothLike, material, quantity, client_uuid: str | None, device_id: str,
    recorded_at=None,
) -> Stored | None:
    """A volunteer's new handout, stored and committed on `connection`; None when record_handout must handle it."""
    uuid = clean_uuid(client_uuid)
    now = utcnow()
    if uuid is None or not _taking_entries(booth, now):
        return None
    try:
        handout = clean_handout(booth, material, quantity, recorded_at)
    except Refusal:
        return None
    row = entry_row(uuid, booth, recorded_at, now, device_id, **handout)
    return _commit_new(connection, MaterialHandout, row, tallies.handout_contribution)
