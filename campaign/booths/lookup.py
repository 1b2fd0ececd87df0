"""Finding an entry by its receipt code (回执码), as a citizen quotes it when calling the office about a question
asked at a booth, or a volunteer about an entry they doubt.

The code leads to the entry's UUID (booths/receipts.py), and the UUID to the consultation, the handout or the
rehearsal's test entry stored under it, among this campaign's booths only: a code of another campaign finds
nothing here, as it would for anyone without that campaign's pages.
"""

from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa

from campaign.booths import entries, receipts
from campaign.booths.models import Booth, Consultation, MaterialHandout, RehearsalRecord
from campaign.web.extensions import db

CONSULTATION = "consultation"
HANDOUT = "handout"
REHEARSAL = "rehearsal"

Entry = Consultation | MaterialHandout | RehearsalRecord


@dataclass(frozen=True)
class Found:
    kind: str  # CONSULTATION, HANDOUT or REHEARSAL
    row: Entry
    booth: Booth
    # The page of the booth's entry list that shows it (a rehearsal's test entries are listed nowhere): None.
    page: int | None


def find(campaign_id: int, code: str) -> Found | None:
    """The entry of this campaign given this (cleaned) code; None if there is none."""
    for kind, model in ((CONSULTATION, Consultation), (HANDOUT, MaterialHandout), (REHEARSAL, RehearsalRecord)):
        found = db.session.execute(
            sa.select(model, Booth).join(Booth, Booth.id == model.booth_id)
            .where(model.client_uuid == receipts.holder_of(code), Booth.campaign_id == campaign_id)
        ).first()
        if found is not None:
            row, booth = cast(Entry, found[0]), found[1]
            page = None if kind == REHEARSAL else entries.page_of(booth.id, kind, row.id)
            return Found(kind, row, booth, page)
    return None
