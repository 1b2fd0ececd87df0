"""Follow-ups (转办/回访): a consultation that needs a referral or a call back becomes a unit's task."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload

from campaign.booths import records
from campaign.booths.models import (
    DEFAULT_FOLLOW_UP_DAYS,
    Booth,
    Consultation,
    FollowUp,
    FollowUpTally,
)
from campaign.plan.models import STATUS_DRAFT, Activity, Campaign
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import local, utcnow
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

NEEDS_FOLLOW_UP = ("转办", "需回访")
# Only a call-back needs the person's number; a referral is answered between units.
CALL_BACK = "需回访"
STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
REPLY_MAX_CHARS = 2000

register_action_labels(
    {
        "follow_up_phone_viewed": _l("查看完整电话"),
        "follow_up_reply_saved": _l("保存转办答复"),
        "follow_up_closed": _l("转办办结"),
        "follow_up_reopened": _l("重新打开转办"),
        "follow_up_reassigned": _l("改派转办单位"),
        "board_export_full": _l("导出完整姓名和电话"),
    }
)


def ensure_follow_up(consultation: Consultation) -> FollowUp | None:
    """Open a follow-up for the booth's unit if the handling asks for one; idempotent. The caller commits."""
    if consultation.handling not in NEEDS_FOLLOW_UP or not records.is_counted(consultation):
        return None
    existing = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))
    if existing:
        return existing
    booth = consultation.booth
    # The staff API has the settings loaded with the booth already; elsewhere this loads them.
    days = booth.settings.follow_up_days if booth.settings is not None else None
    follow_up = FollowUp(
        consultation_id=consultation.id,
        unit_id=booth.unit_id,
        due_date=local(consultation.recorded_at or utcnow()).date() + timedelta(days=days or DEFAULT_FOLLOW_UP_DAYS),
    )
    db.session.add(follow_up)
    return follow_up


def local_today() -> date:
    return local(utcnow()).date()


def overdue_days(follow_up: FollowUp, today: date | None = None) -> int:
    """How many days past its due date an open follow-up is; 0 when it is not overdue."""
    if follow_up.status != STATUS_OPEN:
        return 0
    return max(((today or local_today()) - follow_up.due_date).days, 0)


# Lists


def _listing():
    """Follow-ups with what a list shows (consultation, booth, its unit and activity, the responsible unit) loaded
    in the same query; withdrawn consultations drop out, their follow-up goes with them."""
    return (
        sa.select(FollowUp)
        .join(FollowUp.consultation)
        .join(Consultation.booth)
        .where(records.COUNTED_CONSULTATION)
        .options(
            contains_eager(FollowUp.consultation).contains_eager(Consultation.booth),
            joinedload(FollowUp.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.activity),
        )
        # Open ones first, the most urgent at the top; closed ones by when they were closed.
        .order_by(
            (FollowUp.status == STATUS_OPEN).desc(),
            sa.case((FollowUp.status == STATUS_OPEN, FollowUp.due_date)),
            FollowUp.closed_at.desc(),
            FollowUp.id,
        )
    )


def unit_queue(unit_id: int, campaign_id: int | None = None) -> list[FollowUp]:
    """A unit's follow-ups across campaigns (or one), open first."""
    query = _listing().where(FollowUp.unit_id == unit_id)
    if campaign_id is not None:
        query = query.where(Booth.campaign_id == campaign_id)
    return list(db.session.scalars(query).unique())


def campaign_follow_ups(
    campaign_id: int,
    status: str | None = None,
    unit_id: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> list[FollowUp]:
    """All follow-ups of a campaign for the organizer, filtered by status, responsible unit, overdue."""
    query = _listing().where(Booth.campaign_id == campaign_id)
    if status in (STATUS_OPEN, STATUS_CLOSED):
        query = query.where(FollowUp.status == status)
    if unit_id:
        query = query.where(FollowUp.unit_id == unit_id)
    if overdue:
        query = query.where(FollowUp.status == STATUS_OPEN, FollowUp.due_date < (today or local_today()))
    return list(db.session.scalars(query).unique())


def overdue_follow_ups(
    campaign_id: int | None = None, unit_id: int | None = None, today: date | None = None
) -> list[FollowUp]:
    query = _listing().where(FollowUp.status == STATUS_OPEN, FollowUp.due_date < (today or local_today()))
    if campaign_id is not None:
        query = query.where(Booth.campaign_id == campaign_id)
    if unit_id is not None:
        query = query.where(FollowUp.unit_id == unit_id)
    return list(db.session.scalars(query).unique())


@dataclass
class FollowUpCounts:
    open: int = 0
    overdue: int = 0
    closed: int = 0


def follow_up_counts(campaign_id: int, unit_id: int | None = None, today: date | None = None) -> FollowUpCounts:
    """Open, overdue and closed follow-ups of a campaign (live consultations only) in one query on the tallies."""
    is_open = FollowUpTally.status == STATUS_OPEN
    amount = FollowUpTally.count
    overdue = sa.and_(is_open, FollowUpTally.due_date < (today or local_today()))
    query = sa.select(
        sa.func.coalesce(sa.func.sum(sa.case((is_open, amount), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((overdue, amount), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((is_open, 0), else_=amount)), 0),
    ).where(FollowUpTally.booth_id.in_(sa.select(Booth.id).where(Booth.campaign_id == campaign_id)))
    if unit_id is not None:
        query = query.where(FollowUpTally.unit_id == unit_id)
    row: sa.Row[int, int, int] = db.session.execute(query).one()
    open_count, overdue_count, closed_count = row
    return FollowUpCounts(open_count, overdue_count, closed_count)


def default_campaign() -> Campaign | None:
    """The campaign an organizer most likely means: the latest issued one, else the latest at all."""
    latest = sa.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1)
    return db.session.scalar(latest.where(Campaign.status != STATUS_DRAFT)) or db.session.scalar(latest)


def get_follow_up(follow_up_id: int) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.id == follow_up_id)
        .options(
            joinedload(FollowUp.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.unit),
            joinedload(FollowUp.consultation, Consultation.booth, Booth.activity).joinedload(Activity.venue),
        )
    )


def campaign_id_of(follow_up: FollowUp) -> int:
    return follow_up.consultation.booth.campaign_id


# Who may do what


def may_view(user, follow_up: FollowUp) -> bool:
    """Organizers see every follow-up; a unit contact only their unit's, and nothing of a withdrawn entry."""
    if user.is_organizer:
        return True
    return follow_up.unit_id == user.unit_id and records.is_counted(follow_up.consultation)


def may_answer(user, follow_up: FollowUp) -> bool:
    return may_view(user, follow_up) and follow_up.status == STATUS_OPEN


def may_call_back(user, follow_up: FollowUp) -> bool:
    """The responsible unit's contact sees the full number of a person who agreed to be called back."""
    consultation = follow_up.consultation
    return (
        not user.is_organizer
        and follow_up.unit_id == user.unit_id
        and consultation.consent
        and consultation.handling == CALL_BACK
        and bool(consultation.person_phone)
    )


def note_phone_viewed(user, follow_up: FollowUp) -> None:
    """Every showing of a full number is in the audit log (stored with the request that shows it)."""
    record(
        user, "follow_up_phone_viewed", follow_up, campaign_id=campaign_id_of(follow_up),
        consultation_id=follow_up.consultation_id,
    )
    db.session.flush()


# Changes; each is audit-logged (the caller commits)


def _clean_reply(reply: str | None) -> str:
    reply = (reply or "").strip()
    if len(reply) > REPLY_MAX_CHARS:
        raise Refusal(_("答复不能超过 %(n)s 字。", n=REPLY_MAX_CHARS), field="reply")
    return reply


def save_reply(follow_up: FollowUp, reply: str | None, user) -> None:
    """Keep a draft of the reply without closing the follow-up."""
    if follow_up.status != STATUS_OPEN:
        raise Refusal(_("这条转办已办结，不能再修改答复。"))
    follow_up.reply = _clean_reply(reply)
    record(user, "follow_up_reply_saved", follow_up, campaign_id=campaign_id_of(follow_up))
    db.session.flush()


def close(follow_up: FollowUp, reply: str | None, user) -> None:
    """Record the reply and close; a follow-up is never closed without saying what was answered."""
    if follow_up.status != STATUS_OPEN:
        raise Refusal(_("这条转办已经办结。"))
    reply = _clean_reply(reply)
    if not reply:
        raise Refusal(_("请填写答复或办理结果后再办结。"), field="reply")
    follow_up.reply = reply
    follow_up.status = STATUS_CLOSED
    follow_up.closed_at = utcnow()
    follow_up.closed_by_id = user.id
    record(user, "follow_up_closed", follow_up, campaign_id=campaign_id_of(follow_up))
    db.session.flush()


def reopen(follow_up: FollowUp, user) -> None:
    """Back to the unit, with the earlier reply kept so they can see what was found wanting."""
    if follow_up.status != STATUS_CLOSED:
        raise Refusal(_("这条转办尚未办结，无需重新打开。"))
    previous = dict(closed_at=follow_up.closed_at.isoformat() if follow_up.closed_at else None,
                    closed_by_id=follow_up.closed_by_id)
    follow_up.status = STATUS_OPEN
    follow_up.closed_at = None
    follow_up.closed_by_id = None
    record(user, "follow_up_reopened", follow_up, campaign_id=campaign_id_of(follow_up), **previous)
    db.session.flush()


def reassign(follow_up: FollowUp, unit_id: int | None, user) -> Unit:
    """Hand the follow-up to another unit; the due date stays, the answer is still owed by then."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.active:
        raise Refusal(_("请选择要转给的单位。"), field="unit_id")
    if unit.id == follow_up.unit_id:
        raise Refusal(_("已经由这个单位办理。"), field="unit_id")
    if follow_up.status != STATUS_OPEN:
        raise Refusal(_("已办结的转办不能改派，请先重新打开。"))
    previous = follow_up.unit_id
    follow_up.unit_id = unit.id
    record(user, "follow_up_reassigned", follow_up, campaign_id=campaign_id_of(follow_up),
           from_unit_id=previous, to_unit_id=unit.id)
    db.session.flush()
    return unit
