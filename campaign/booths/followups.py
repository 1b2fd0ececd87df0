"""Follow-ups (转办/回访): a consultation the desk could not close on the spot becomes a task for the responsible
unit, on a clock, with the citizen called back.

The states and every move between them are in TRANSITIONS below, the one place that changes a follow-up's state:
待办理 (pending) → 已答复 (replied) → 已回访 (called back) → 办结 (closed), and back to 待办理 when reopened. A move
the table does not allow is refused. Deadlines are working days after the day (Asia/Shanghai) the question was
recorded, per kind, from the campaign's settings. The lists are in followup_lists.py.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from campaign.booths import records
from campaign.booths.models import (
    CALLED_BACK,
    CLOSED,
    FOLLOW_UP_KINDS,
    PENDING,
    REPLIED,
    SATISFACTIONS,
    Booth,
    Consultation,
    FollowUp,
)
from campaign.booths.routing import taking_part
from campaign.booths.settings import deadlines_of
from campaign.plan.models import Activity
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import local_date, local_today, utcnow
from campaign.shared.workdays import add_working_days, working_days_between
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

NEEDS_FOLLOW_UP = FOLLOW_UP_KINDS
REPLY_MAX_CHARS = 2000
NOTE_MAX_CHARS = 1000
UNSATISFIED = "不满意"

STATE_LABELS = {PENDING: _l("待办理"), REPLIED: _l("已答复"), CALLED_BACK: _l("已回访"), CLOSED: _l("办结")}
# Still owed something by the unit: a reply (pending) or the call-back and closing (replied, called back).
OPEN_STATES = (PENDING, REPLIED, CALLED_BACK)

UNIT, ORGANIZER = "unit", "organizer"


@dataclass(frozen=True)
class Move:
    target: str
    # Who may make it (the responsible unit's contact, the organizer) and from which states.
    by: dict[str, tuple[str, ...]]


# action → the state it leads to, and who may make it from which states.
TRANSITIONS: dict[str, Move] = {
    "reply": Move(REPLIED, {UNIT: (PENDING,)}),
    # Called and reached: the citizen said how satisfied they are.
    "call_back": Move(CALLED_BACK, {UNIT: (REPLIED,)}),
    # Called and not reached: noted, the unit tries again.
    "call_back_missed": Move(REPLIED, {UNIT: (REPLIED,)}),
    # The unit closes once it has called back; the organizer also closes one whose citizen cannot be reached.
    "close": Move(CLOSED, {UNIT: (CALLED_BACK,), ORGANIZER: (REPLIED, CALLED_BACK)}),
    "reopen": Move(PENDING, {ORGANIZER: (REPLIED, CALLED_BACK, CLOSED)}),
}

register_action_labels(
    {
        "follow_up_phone_viewed": _l("查看完整电话"),
        "follow_up_reply_saved": _l("保存转办答复"),
        "follow_up_reply": _l("答复群众"),
        "follow_up_call_back": _l("记录回访"),
        "follow_up_call_back_missed": _l("回访未联系上"),
        "follow_up_close": _l("转办办结"),
        "follow_up_reopen": _l("重新打开转办"),
        "follow_up_due_changed": _l("修改转办期限"),
        "follow_up_reassigned": _l("改派转办单位"),
        "follow_up_export_full": _l("导出转办完整姓名和电话"),
        "board_export_full": _l("导出完整姓名和电话"),
    }
)


# Deadlines


def deadlines_for(booth: Booth, kind: str, recorded_day: date) -> tuple[date, date]:
    """The days by which to reply and to close: working days (holidays and 调休 counted, shared/workdays.py) after the
    day it was recorded, per kind."""
    days = deadlines_of(booth.settings)[kind]
    return add_working_days(recorded_day, days["reply"]), add_working_days(recorded_day, days["close"])


def is_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    return overdue_days(follow_up, today) > 0


def overdue_days(follow_up: FollowUp, today: date | None = None) -> int:
    """How many working days past its current deadline an open follow-up is (the reply's while pending, the
    closing's after); 0 when it is not overdue or closed.

    Working days, as the deadlines themselves are counted (and the scorecard's days late): a unit is not a week
    behind for a reply due before 国庆. A follow-up is overdue from the day after its deadline, whatever day that
    is, so one overdue over a weekend is 1 day late, not 0."""
    if follow_up.status == CLOSED:
        return 0
    due = follow_up.due_date if follow_up.status == PENDING else follow_up.close_due_date
    today = today or local_today()
    return max(1, working_days_between(due, today)) if today > due else 0


def replied_in_time(follow_up: FollowUp) -> bool | None:
    """None until replied; then whether the reply came by its due date (days in Asia/Shanghai)."""
    if follow_up.replied_at is None:
        return None
    return local_date(follow_up.replied_at) <= follow_up.due_date


def closed_in_time(follow_up: FollowUp) -> bool | None:
    if follow_up.status != CLOSED or follow_up.closed_at is None:
        return None
    return local_date(follow_up.closed_at) <= follow_up.close_due_date


# Opening one


def ensure_follow_up(consultation: Consultation, unit_id: int | None = None) -> FollowUp | None:
    """Open a follow-up if the handling asks for one, for `unit_id` (already checked by routing), else the
    booth's unit; idempotent. An untouched follow-up follows a corrected choice of unit. The caller commits."""
    if consultation.handling not in NEEDS_FOLLOW_UP or not records.is_counted(consultation):
        return None
    booth = consultation.booth
    existing = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))
    if existing:
        if unit_id and existing.unit_id != unit_id and existing.status == PENDING and not existing.reply:
            existing.unit_id = unit_id
        return existing
    reply_due, close_due = deadlines_for(booth, consultation.handling, local_date(consultation.recorded_at or utcnow()))
    follow_up = FollowUp(
        consultation_id=consultation.id, unit_id=unit_id or booth.unit_id, due_date=reply_due,
        close_due_date=close_due, status=PENDING,
    )
    db.session.add(follow_up)
    return follow_up


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


def _role(user) -> str:
    return ORGANIZER if user.is_organizer else UNIT


def may_view(user, follow_up: FollowUp) -> bool:
    """Organizers see every follow-up; a unit contact only their unit's, and nothing of a withdrawn entry."""
    if user.is_organizer:
        return True
    return follow_up.unit_id == user.unit_id and records.is_counted(follow_up.consultation)


def may(user, action: str, follow_up: FollowUp) -> bool:
    """Whether the table allows this user's role the move from the follow-up's state. A unit contact acts only on
    its own unit's, and does not close one the citizen was unsatisfied with: the organizer decides that."""
    if follow_up.status not in TRANSITIONS[action].by.get(_role(user), ()) or not may_view(user, follow_up):
        return False
    return not (_role(user) == UNIT and action == "close" and follow_up.awaiting_decision)


def allowed_actions(user, follow_up: FollowUp) -> set[str]:
    return {action for action in TRANSITIONS if may(user, action, follow_up)}


def may_call_back(user, follow_up: FollowUp) -> bool:
    """Only the responsible unit's contact sees the full number, and only of a person who agreed to leave it: it
    is the unit that must call."""
    consultation = follow_up.consultation
    return (
        not user.is_organizer
        and follow_up.unit_id == user.unit_id
        and consultation.consent
        and bool(consultation.person_phone)
        and records.is_counted(consultation)
    )


def note_phone_viewed(user, follow_up: FollowUp) -> None:
    """Every showing of a full number is in the audit log (stored with the request that shows it)."""
    record(
        user, "follow_up_phone_viewed", follow_up, campaign_id=campaign_id_of(follow_up),
        consultation_id=follow_up.consultation_id,
    )
    db.session.flush()


# Changes; each is audit-logged (the caller commits)


def _move(follow_up: FollowUp, action: str, user, **detail) -> None:
    """The one way a state changes: refused unless TRANSITIONS allows it for this user and state."""
    if not may(user, action, follow_up):
        raise Refusal(_("“%(state)s”的转办不能这样操作。", state=STATE_LABELS[follow_up.status]))
    previous = follow_up.status
    follow_up.status = TRANSITIONS[action].target
    record(user, f"follow_up_{action}", follow_up, campaign_id=campaign_id_of(follow_up),
           from_state=previous, to_state=follow_up.status, **detail)
    db.session.flush()


def _clean_text(value: str | None, limit: int, field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise Refusal(_("不能超过 %(n)s 字。", n=limit), field=field)
    return text


def save_reply(follow_up: FollowUp, reply: str | None, user) -> None:
    """Keep a draft of the reply without sending it."""
    if not may(user, "reply", follow_up):
        raise Refusal(_("这条转办已经答复，不能再修改答复。"))
    follow_up.reply = _clean_text(reply, REPLY_MAX_CHARS, "reply")
    record(user, "follow_up_reply_saved", follow_up, campaign_id=campaign_id_of(follow_up))
    db.session.flush()


def reply(follow_up: FollowUp, text: str | None, user) -> None:
    """The unit's answer to the citizen; never empty, never only spaces."""
    text = _clean_text(text, REPLY_MAX_CHARS, "reply")
    if not text:
        raise Refusal(_("请填写答复内容：答复了什么、怎么联系的。"), field="reply")
    _move(follow_up, "reply", user)
    follow_up.reply = text
    follow_up.replied_at = utcnow()
    follow_up.replied_by_id = user.id
    db.session.flush()


def call_back(follow_up: FollowUp, reached: bool | None, satisfaction: str | None, note: str | None, user) -> None:
    """The call-back: reached or not; if reached, how satisfied. 不满意 puts it before the organizer."""
    note = _clean_text(note, NOTE_MAX_CHARS, "note")
    if reached is None:
        raise Refusal(_("请选择是否联系上了群众。"), field="reached")
    if reached and satisfaction not in SATISFACTIONS:
        raise Refusal(_("联系上了，请选择群众的满意度。"), field="satisfaction")
    if not reached:
        _move(follow_up, "call_back_missed", user, note=note)
        follow_up.call_back_reached = False
        follow_up.call_back_satisfaction = ""
    else:
        assert satisfaction is not None
        _move(follow_up, "call_back", user, satisfaction=satisfaction)
        follow_up.call_back_reached = True
        follow_up.call_back_satisfaction = satisfaction
        follow_up.awaiting_decision = satisfaction == UNSATISFIED
    follow_up.call_back_note = note
    follow_up.called_back_at = utcnow()
    follow_up.called_back_by_id = user.id
    db.session.flush()


def close(follow_up: FollowUp, user) -> None:
    _move(follow_up, "close", user)
    follow_up.closed_at = utcnow()
    follow_up.closed_by_id = user.id
    follow_up.awaiting_decision = False
    db.session.flush()


def reopen(follow_up: FollowUp, user, due_date: date | None = None) -> None:
    """Back to the unit to reply again, the earlier reply and call-back kept so it sees what was found wanting;
    with a new reply deadline when the old one has passed."""
    if due_date is not None:
        _check_due(due_date)
    _move(follow_up, "reopen", user, replied_at=follow_up.replied_at.isoformat() if follow_up.replied_at else None,
          closed_at=follow_up.closed_at.isoformat() if follow_up.closed_at else None)
    follow_up.replied_at = None
    follow_up.replied_by_id = None
    # The call-back's outcome no longer stands (its note stays, for the unit to read); the next reply gets a new one.
    follow_up.call_back_reached = None
    follow_up.call_back_satisfaction = ""
    follow_up.closed_at = None
    follow_up.closed_by_id = None
    follow_up.awaiting_decision = False
    if due_date is not None:
        follow_up.due_date = due_date
        follow_up.close_due_date = max(follow_up.close_due_date, due_date)
    db.session.flush()


def _check_due(due_date: date | None) -> date:
    if due_date is None:
        raise Refusal(_("请填写日期。"), field="due_date")
    if due_date < local_today():
        raise Refusal(_("期限不能早于今天（%(today)s）。", today=local_today().isoformat()), field="due_date")
    return due_date


def change_due(follow_up: FollowUp, due_date: date | None, close_due_date: date | None, user) -> None:
    """The organizer gives more (or less) time; never a day already past."""
    if follow_up.status == CLOSED:
        raise Refusal(_("已办结的转办不能修改期限。"))
    due_date = _check_due(due_date)
    close_due_date = _check_due(close_due_date)
    if close_due_date < due_date:
        raise Refusal(_("办结期限不能早于答复期限。"), field="close_due_date")
    previous = dict(due_date=follow_up.due_date.isoformat(), close_due_date=follow_up.close_due_date.isoformat())
    follow_up.due_date, follow_up.close_due_date = due_date, close_due_date
    record(user, "follow_up_due_changed", follow_up, campaign_id=campaign_id_of(follow_up), previous=previous,
           due_date=due_date.isoformat(), close_due_date=close_due_date.isoformat())
    db.session.flush()


def reassign(follow_up: FollowUp, unit_id: int | None, user) -> Unit:
    """Hand the follow-up to another unit taking part; the deadlines stay, the answer is still owed by then."""
    unit = taking_part(campaign_id_of(follow_up), unit_id) if unit_id else None
    if unit is None:
        raise Refusal(_("请选择参加本次活动的单位。"), field="unit_id")
    if unit.id == follow_up.unit_id:
        raise Refusal(_("已经由这个单位办理。"), field="unit_id")
    if follow_up.status == CLOSED:
        raise Refusal(_("已办结的转办不能改派，请先重新打开。"))
    previous = follow_up.unit_id
    follow_up.unit_id = unit.id
    record(user, "follow_up_reassigned", follow_up, campaign_id=campaign_id_of(follow_up),
           from_unit_id=previous, to_unit_id=unit.id)
    db.session.flush()
    return unit

