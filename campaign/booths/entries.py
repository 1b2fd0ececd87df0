"""Every entry of a booth for the organizer, who alone may correct or withdraw one once the phone's ten minutes
are over: list, edit, withdraw and restore, each audit-logged.

The rules of an entry stay in recording.py (the same validation as the phone's). What a withdrawal does to a
follow-up: the phone's withdrawal, within its ten minutes, deletes a follow-up nobody has started on; the
organizer's keeps it, since a unit may have seen or reassigned it by then, and every follow-up list and count
already leaves out those of withdrawn entries. Restoring brings the entry back into every count and its
follow-up back into the unit's queue as it was, or opens it again if the phone's withdrawal had deleted it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.booths.corrections import update_consultation
from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import (
    SOURCE_PUBLIC,
    SOURCE_STAFF,
    Booth,
    Consultation,
    FollowUp,
    MaterialHandout,
    ReceiptCode,
)
from campaign.booths.privacy import mask_name, mask_phone
from campaign.booths.recording import clean_consultation
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

PER_PAGE = 50
# What the list shows: all entries, staff consultations, public ones, handouts.
SHOWS = ("all", "staff", "public", "handouts")
# Which entries: all, the live ones, the withdrawn ones.
STATES = ("all", "live", "withdrawn")
CORRECTED_FIELDS = (
    "kind", "topic", "question", "asker_type", "handling", "person_name", "person_phone", "consent", "satisfaction",
)
PERSONAL_FIELDS = {"person_name": mask_name, "person_phone": mask_phone}

register_action_labels(
    {
        "consultation_corrected": _l("修改咨询登记"),
        "consultation_withdrawn": _l("撤回咨询登记"),
        "consultation_restored": _l("恢复咨询登记"),
        "handout_withdrawn": _l("撤回资料发放记录"),
        "handout_restored": _l("恢复资料发放记录"),
    }
)


# The list -------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    kind: str  # "consultation" or "handout"
    row: Consultation | MaterialHandout
    follow_up: FollowUp | None = None
    receipt: str = ""  # its receipt code (booths/receipts.py)

    @property
    def withdrawn(self) -> bool:
        return self.row.withdrawn_at is not None


@dataclass
class EntryPage:
    entries: list[Entry]
    total: int
    page: int
    per_page: int
    counts: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)


def _consultation_ids(booth_id: int, show: str, state: str):
    query = sa.select(
        sa.literal("consultation").label("kind"), Consultation.id.label("id"),
        Consultation.recorded_at.label("recorded_at"),
    ).where(Consultation.booth_id == booth_id)
    if show in ("staff", "public"):
        query = query.where(Consultation.source == (SOURCE_STAFF if show == "staff" else SOURCE_PUBLIC))
    if state != "all":
        query = query.where(Consultation.withdrawn_at.is_(None) if state == "live" else Consultation.withdrawn_at.is_not(None))
    return query


def _handout_ids(booth_id: int, state: str):
    query = sa.select(
        sa.literal("handout").label("kind"), MaterialHandout.id.label("id"),
        MaterialHandout.recorded_at.label("recorded_at"),
    ).where(MaterialHandout.booth_id == booth_id)
    if state != "all":
        live = MaterialHandout.withdrawn_at.is_(None)
        query = query.where(live if state == "live" else sa.not_(live))
    return query


def entry_counts(booth_id: int) -> dict[str, int]:
    """How many entries each filter shows, withdrawn ones included: two queries."""
    staff, public, withdrawn_consultations = db.session.execute(
        sa.select(
            sa.func.count().filter(Consultation.source == SOURCE_STAFF),
            sa.func.count().filter(Consultation.source == SOURCE_PUBLIC),
            sa.func.count().filter(Consultation.withdrawn_at.is_not(None)),
        ).where(Consultation.booth_id == booth_id)
    ).one()
    handouts, withdrawn_handouts = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(MaterialHandout.withdrawn_at.is_not(None))).where(
            MaterialHandout.booth_id == booth_id
        )
    ).one()
    return {
        "staff": staff, "public": public, "handouts": handouts, "all": staff + public + handouts,
        "withdrawn": withdrawn_consultations + withdrawn_handouts,
    }


def _newest_first(listing) -> tuple:
    return listing.c.recorded_at.desc(), listing.c.kind, listing.c.id.desc()


def page_of(booth_id: int, kind: str, row_id: int, per_page: int = PER_PAGE) -> int:
    """The page of the booth's unfiltered list that shows this entry: how many come before it in the list's order
    (_newest_first), counted in one query."""
    listing = sa.union_all(_consultation_ids(booth_id, "all", "all"), _handout_ids(booth_id, "all")).subquery()
    at = sa.select(listing.c.recorded_at).where(listing.c.kind == kind, listing.c.id == row_id).scalar_subquery()
    before = db.session.execute(
        sa.select(sa.func.count()).select_from(listing).where(
            sa.or_(
                listing.c.recorded_at > at,
                sa.and_(listing.c.recorded_at == at, listing.c.kind < kind),
                sa.and_(listing.c.recorded_at == at, listing.c.kind == kind, listing.c.id > row_id),
            )
        )
    ).scalar_one()
    return before // per_page + 1


def booth_entries(booth: Booth, show: str = "all", state: str = "all", page: int = 1, per_page: int = PER_PAGE) -> EntryPage:
    """A page of the booth's entries, newest first; a fixed number of queries whatever the page or the booth."""
    show = show if show in SHOWS else "all"
    state = state if state in STATES else "all"
    parts: list[sa.Select] = []
    if show != "handouts":
        parts.append(_consultation_ids(booth.id, show, state))
    if show in ("all", "handouts"):
        parts.append(_handout_ids(booth.id, state))
    listing = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    total = db.session.execute(sa.select(sa.func.count()).select_from(listing)).scalar_one()
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(page, 1), pages)
    keys: Sequence[sa.Row[str, int]] = db.session.execute(
        sa.select(listing.c.kind, listing.c.id)
        .order_by(*_newest_first(listing))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()

    consultation_ids = [row_id for kind, row_id in keys if kind == "consultation"]
    handout_ids = [row_id for kind, row_id in keys if kind == "handout"]
    # Each with its receipt code, joined in: the same number of queries.
    consultations = {
        row.id: (row, code) for row, code in db.session.execute(
            sa.select(Consultation, ReceiptCode.code).where(Consultation.id.in_(consultation_ids))
            .outerjoin(ReceiptCode, ReceiptCode.client_uuid == Consultation.client_uuid))
    } if consultation_ids else {}
    handouts = {
        row.id: (row, code) for row, code in db.session.execute(
            sa.select(MaterialHandout, ReceiptCode.code).where(MaterialHandout.id.in_(handout_ids))
            .outerjoin(ReceiptCode, ReceiptCode.client_uuid == MaterialHandout.client_uuid))
    } if handout_ids else {}
    follow_ups = {
        row.consultation_id: row
        for row in db.session.scalars(sa.select(FollowUp).where(FollowUp.consultation_id.in_(consultation_ids)))
    } if consultation_ids else {}
    entries = [
        Entry("consultation", consultations[row_id][0], follow_ups.get(row_id), consultations[row_id][1] or "")
        if kind == "consultation" else Entry("handout", handouts[row_id][0], receipt=handouts[row_id][1] or "")
        for kind, row_id in keys
    ]
    return EntryPage(entries=entries, total=total, page=page, per_page=per_page, counts=entry_counts(booth.id))


def masked_person(consultation: Consultation) -> tuple[str, str]:
    """The name and phone as every list shows them; nothing at all without consent."""
    if not consultation.consent:
        return "", ""
    return mask_name(consultation.person_name), mask_phone(consultation.person_phone)


# Changes ---------------------------------------------------------------------------------------------------


def _locked(row):
    """The row as it is now, locked for the rest of the transaction: of two organizers (or an organizer and the
    phone) changing the same entry at once, the second waits and then sees what the first did."""
    table = type(row).__table__
    db.session.execute(sa.update(table).where(table.c.id == row.id).values(id=table.c.id))
    db.session.refresh(row)
    return row


def _shown(name: str, value):
    """A value as the audit log keeps it: personal data masked, like everywhere else it is shown."""
    return PERSONAL_FIELDS[name](value) if name in PERSONAL_FIELDS and value else value


def with_kept_contact(consultation: Consultation, fields: dict, clear_contact: bool = False) -> dict:
    """The organizer's form shows name and phone masked, so it cannot send them back: left empty they stay as
    stored; `clear_contact` removes them (and the consent with them)."""
    fields = dict(fields)
    if clear_contact:
        fields.update(person_name="", person_phone="", consent=False)
        return fields
    for name in PERSONAL_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            fields[name] = getattr(consultation, name)
    return fields


def correct_consultation(consultation: Consultation, fields: dict, user) -> dict:
    """The organizer's correction, with the same rules as the phone's (raises Refusal with a message per
    field). Returns {field: (before, after)} of what changed, as the audit log has it; nothing changed, nothing
    logged. Commits (through corrections.update_consultation, the phone's own correction)."""
    _locked(consultation)
    if consultation.withdrawn_at is not None:
        raise Refusal(_("这条登记已撤回，请先恢复再修改。"))
    values = clean_consultation(consultation.booth, fields, consultation.source)
    changes = {
        name: (_shown(name, getattr(consultation, name)), _shown(name, values[name]))
        for name in CORRECTED_FIELDS
        if getattr(consultation, name) != values[name]
    }
    if not changes:
        return {}  # the lock taken above is let go when the caller's transaction ends
    record(
        user, "consultation_corrected", consultation, campaign_id=consultation.booth.campaign_id,
        booth_id=consultation.booth_id,
        before={name: before for name, (before, _after) in changes.items()},
        after={name: after for name, (_before, after) in changes.items()},
    )
    # The phone's own correction applies the values and keeps the follow-up in step; it commits the audit too.
    update_consultation(consultation, fields)
    return changes


def _switch_withdrawn(entry: Consultation | MaterialHandout, withdraw: bool) -> tuple[bool, datetime | None]:
    """Lock the entry and withdraw it (or restore it): (False, …) with nothing changed when it already was;
    the second value is when it had been withdrawn."""
    _locked(entry)
    previous = entry.withdrawn_at
    if (previous is not None) == withdraw:
        return False, previous  # the lock is let go when the caller's transaction ends
    entry.withdrawn_at = utcnow() if withdraw else None
    return True, previous


def withdraw_consultation(consultation: Consultation, user) -> bool:
    """Out of every count; its follow-up stays, hidden with it. False if it was already withdrawn."""
    if not _switch_withdrawn(consultation, withdraw=True)[0]:
        return False
    record(
        user, "consultation_withdrawn", consultation, campaign_id=consultation.booth.campaign_id,
        booth_id=consultation.booth_id,
    )
    db.session.flush()
    return True


def restore_consultation(consultation: Consultation, user) -> bool:
    """Back into every count, and its follow-up back into the unit's queue (opened again if it had been deleted).
    False if it was not withdrawn."""
    changed, withdrawn_at = _switch_withdrawn(consultation, withdraw=False)
    if not changed or withdrawn_at is None:  # changed: it had been withdrawn
        return False
    db.session.flush()
    follow_up = ensure_follow_up(consultation)
    db.session.flush()
    record(
        user, "consultation_restored", consultation, campaign_id=consultation.booth.campaign_id,
        booth_id=consultation.booth_id, withdrawn_at=withdrawn_at.isoformat(),
        follow_up_id=follow_up.id if follow_up is not None else None,
    )
    db.session.flush()
    return True


def withdraw_handout(handout: MaterialHandout, user) -> bool:
    if not _switch_withdrawn(handout, withdraw=True)[0]:
        return False
    record(
        user, "handout_withdrawn", handout, campaign_id=_campaign_id(handout), booth_id=handout.booth_id,
        material=handout.material, quantity=handout.quantity,
    )
    db.session.flush()
    return True


def restore_handout(handout: MaterialHandout, user) -> bool:
    changed, withdrawn_at = _switch_withdrawn(handout, withdraw=False)
    if not changed or withdrawn_at is None:  # changed: it had been withdrawn
        return False
    record(
        user, "handout_restored", handout, campaign_id=_campaign_id(handout), booth_id=handout.booth_id,
        material=handout.material, quantity=handout.quantity, withdrawn_at=withdrawn_at.isoformat(),
    )
    db.session.flush()
    return True


def _campaign_id(handout: MaterialHandout) -> int:
    return db.session.execute(sa.select(Booth.campaign_id).where(Booth.id == handout.booth_id)).scalar_one()


def consultation_of(booth: Booth, consultation_id: int) -> Consultation | None:
    """The booth's consultation, or None: ids in the URL are never trusted across booths."""
    consultation = db.session.get(Consultation, consultation_id)
    return consultation if consultation is not None and consultation.booth_id == booth.id else None


def handout_of(booth: Booth, handout_id: int) -> MaterialHandout | None:
    handout = db.session.get(MaterialHandout, handout_id)
    return handout if handout is not None and handout.booth_id == booth.id else None
