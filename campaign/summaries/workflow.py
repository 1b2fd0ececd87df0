"""A unit summary's life: draft → submitted → returned → submitted again → accepted, the deadline (the window, closed
or open to submissions, is in window.py).

Every function here takes plain arguments, checks the transition, changes the rows and writes the audit event;
the caller commits (a request does, once, at its end). An illegal transition raises Refusal (defined with the
input rules in cleaning.py, imported from here by the other modules) and changes nothing.

- Late: a submission strictly after the campaign's deadline (exactly at the deadline is on time) is taken and
  marked late, until the organizer closes the window. `late` describes the latest submission;
  `first_submitted_at` keeps the first one, for whoever scores punctuality.
- Organizers may undo an acceptance (`reopen`: accepted → submitted), e.g. accepted by mistake; they can then
  return it with a note as usual.
- Draft saves are not audit-logged (autosave would write one event a few seconds); corrections of recorded
  figures and every transition are.
"""

from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from campaign.plan.models import STATUS_CLOSED, STATUS_ISSUED, Campaign
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.summaries import access
from campaign.summaries.cleaning import (
    LEADERS_MAX_CHARS,
    NOTE_MAX_CHARS,
    clean_corrections,
    clean_narrative,
    clean_text,
    clean_unit_figures,
)
from campaign.summaries.figures import figure_label, recorded_figures
from campaign.summaries.models import (
    SECTIONS,
    STATUS_ACCEPTED,
    STATUS_RETURNED,
    STATUS_SUBMITTED,
    FigureCorrection,
    UnitSummary,
)
from campaign.summaries.window import window_closed
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

STATE_NOT_STARTED = "not_started"
STATE_DRAFT = "draft"
STATE_SUBMITTED = "submitted"
STATE_LATE = "late"
STATE_RETURNED = "returned"
STATE_ACCEPTED = "accepted"
STATES = (STATE_NOT_STARTED, STATE_DRAFT, STATE_SUBMITTED, STATE_LATE, STATE_RETURNED, STATE_ACCEPTED)
# The summaries the district report counts: in the office's hands, late or not.
COUNTED_STATES = (STATE_SUBMITTED, STATE_LATE, STATE_ACCEPTED)
# The same rule in the database's terms: the statuses whose state is counted (summary_state).
COUNTED_STATUSES = (STATUS_SUBMITTED, STATUS_ACCEPTED)
STATE_LABELS = {
    STATE_NOT_STARTED: _l("未开始"),
    STATE_DRAFT: _l("草稿"),
    STATE_SUBMITTED: _l("已报送"),
    STATE_LATE: _l("逾期报送"),
    STATE_RETURNED: _l("已退回"),
    STATE_ACCEPTED: _l("已采纳"),
}

register_action_labels(
    {
        "summary_created": _l("开始填写活动总结"),
        "summary_submitted": _l("报送活动总结"),
        "summary_returned": _l("退回活动总结"),
        "summary_accepted": _l("采纳活动总结"),
        "summary_reopened": _l("撤销采纳活动总结"),
        "summary_figure_corrected": _l("更正统计数字"),
        "summary_correction_cleared": _l("撤销数字更正"),
    }
)


# The summary itself (who owes one: plan/participants.py)


def find_summary(campaign_id: int, unit_id: int) -> UnitSummary | None:
    return db.session.scalar(
        sa.select(UnitSummary).where(UnitSummary.campaign_id == campaign_id, UnitSummary.unit_id == unit_id)
    )


def get_or_create_summary(campaign: Campaign, unit, user=None) -> UnitSummary:
    """The unit's summary of the campaign, made on first use. Two first requests at once make one row: the
    unique constraint refuses the second insert and that request reads the row the first one made.

    The insert is made in a savepoint: when it is refused, only the savepoint is rolled back, so the caller's
    transaction goes on (and commits) with the row the other request made. The caller commits."""
    summary = find_summary(campaign.id, unit.id)
    if summary is not None:
        return summary
    summary = UnitSummary(campaign_id=campaign.id, unit_id=unit.id, narrative={}, unit_figures={}, video_links=[])
    try:
        with db.session.begin_nested():
            db.session.add(summary)
            db.session.flush()
    except IntegrityError:
        summary = find_summary(campaign.id, unit.id)
        if summary is None:
            raise
        return summary
    record(user, "summary_created", summary, campaign_id=campaign.id, unit_id=unit.id)
    db.session.flush()
    return summary


def summary_state(summary: UnitSummary | None, campaign=None, now: datetime | None = None) -> str:
    """One of STATES. `late` is a submission after the deadline not yet accepted or returned."""
    if summary is None:
        return STATE_NOT_STARTED
    if summary.status == STATUS_SUBMITTED:
        return STATE_LATE if summary.late else STATE_SUBMITTED
    if summary.status == STATUS_RETURNED:
        return STATE_RETURNED
    if summary.status == STATUS_ACCEPTED:
        return STATE_ACCEPTED
    return STATE_DRAFT


def is_late(campaign: Campaign, now: datetime) -> bool:
    """Strictly after the deadline; exactly at it is on time. No deadline, never late."""
    deadline = campaign.summary_deadline
    return deadline is not None and now > deadline


# Drafting: the unit's text and figures


def _correction_changes(summary: UnitSummary, wanted: dict, recorded: dict | None) -> list[tuple]:
    """What to do to the correction rows: (action, key, corrected, reason). A correction equal to the recorded
    figure with no reason is no correction."""
    existing = {c.key: c for c in summary.corrections}
    changes = []
    for key, (corrected, reason) in wanted.items():
        row = existing.get(key)
        if corrected is not None and recorded is not None and corrected == recorded.get(key, 0) and not reason:
            corrected = None
        if corrected is None:
            if row is not None:
                changes.append(("clear", key, None, ""))
        elif row is None or row.corrected != corrected or row.reason != reason:
            changes.append(("set", key, corrected, reason))
    return changes


def save_draft(summary: UnitSummary, user, fields: dict, base_revision: int | None = None) -> UnitSummary:
    """Store the unit's text and figures; used by the form and by autosave.

    fields: {"narrative": {section: text}, "unit_figures": {key: number}, "leaders_present": text,
    "corrections": {figure key: {"corrected": number or blank, "reason": text}}}; keys left out stay as they
    are. The same content twice changes nothing (the revision stays). `base_revision` is the revision the
    client edited: when it is stale and the content differs, Refusal(conflict=True), nothing saved.
    """
    if not access.is_editable(summary):
        raise Refusal(_("这份总结已报送，不能再修改。如需修改，请联系区政务公开办退回。"))
    narrative = clean_narrative(fields.get("narrative") or {}, summary.narrative or {})
    unit_figures = clean_unit_figures(fields.get("unit_figures") or {}, summary.unit_figures or {})
    leaders = summary.leaders_present or ""
    if "leaders_present" in fields:
        leaders = clean_text(fields.get("leaders_present"), LEADERS_MAX_CHARS, _("出席领导"), "leaders_present")
    wanted = clean_corrections(fields.get("corrections") or {})
    recorded = recorded_figures(summary.campaign_id, summary.unit_id) if wanted else None
    known = set(recorded or {}) | {c.key for c in summary.corrections}
    for key in wanted:
        if key not in known:
            raise Refusal(_("没有“%(label)s”这项统计数字，请刷新页面。", label=figure_label(key)))
    corrections = _correction_changes(summary, wanted, recorded)

    unchanged = (
        narrative == (summary.narrative or {})
        and unit_figures == (summary.unit_figures or {})
        and leaders == (summary.leaders_present or "")
        and not corrections
    )
    if unchanged:
        return summary
    if base_revision is not None and base_revision != summary.revision:
        raise Refusal(
            _(
                "这份总结已在别的窗口或设备上修改过（现为第 %(revision)s 版），本次内容没有保存，以免互相覆盖。"
                "请先复制您刚写的文字，再刷新页面，把两边的内容合并后保存。",
                revision=summary.revision,
            ),
            conflict=True,
        )

    now = utcnow()
    # The revision is checked in the UPDATE itself, so of two saves racing from the same revision one loses.
    result = db.session.execute(
        sa.update(UnitSummary)
        .where(
            UnitSummary.id == summary.id,
            UnitSummary.revision == summary.revision,
            UnitSummary.status.in_(access.EDITABLE_STATUSES),
        )
        .values(
            narrative=narrative, unit_figures=unit_figures, leaders_present=leaders,
            revision=summary.revision + 1, updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if cast(sa.CursorResult, result).rowcount != 1:  # an UPDATE's result
        # Nothing was changed; the refusal rolls the caller's transaction back (a request's does).
        raise Refusal(
            _("这份总结刚刚在别处被修改或报送，本次内容没有保存。请刷新页面后再试。"), conflict=True
        )
    _apply_corrections(summary, user, corrections, recorded or {}, now)
    db.session.flush()
    db.session.refresh(summary)
    return summary


def _apply_corrections(summary: UnitSummary, user, changes: list[tuple], recorded: dict, now: datetime) -> None:
    existing = {c.key: c for c in summary.corrections}
    for action, key, corrected, reason in changes:
        row = existing.get(key)
        if action == "clear":
            # "clear" is only asked for a correction that exists (see the changes above).
            if row is not None:
                db.session.delete(row)
                record(user, "summary_correction_cleared", summary, campaign_id=summary.campaign_id, key=key,
                       recorded=row.recorded, corrected=row.corrected)
            continue
        if row is None:
            row = FigureCorrection(summary_id=summary.id, key=key)
            db.session.add(row)
        row.recorded = recorded.get(key, 0) or 0
        row.corrected = corrected
        row.reason = reason
        row.updated_at = now
        record(user, "summary_figure_corrected", summary, campaign_id=summary.campaign_id, key=key,
               recorded=row.recorded, corrected=corrected, reason=reason)


def set_correction(summary: UnitSummary, user, key: str, corrected, reason: str = "") -> UnitSummary:
    """Correct one recorded figure; the recorded value is kept beside it."""
    return save_draft(summary, user, {"corrections": {key: {"corrected": corrected, "reason": reason}}})


def clear_correction(summary: UnitSummary, user, key: str) -> UnitSummary:
    """Back to the recorded figure."""
    return save_draft(summary, user, {"corrections": {key: {"corrected": None, "reason": ""}}})


def fill_sections(summary: UnitSummary, user, drafted: dict, overwrite: bool = False,
                  base_revision: int | None = None) -> list[str]:
    """Put drafted text into the sections still empty (all of them with `overwrite`); the keys filled."""
    current = summary.narrative or {}
    keys = [key for key, _label in SECTIONS if drafted.get(key) and (overwrite or not current.get(key, "").strip())]
    if keys:
        save_draft(summary, user, {"narrative": {key: drafted[key] for key in keys}}, base_revision)
    return keys


# Transitions


def _require_status(summary: UnitSummary, allowed: tuple, message: str) -> None:
    if summary.status not in allowed:
        raise Refusal(message)


def _require_organizer(user) -> None:
    if not getattr(user, "is_organizer", False):
        raise Refusal(_("只有区政务公开办可以审核活动总结。"))


def missing_for_submit(summary: UnitSummary) -> list[str]:
    """What still keeps the summary from being submitted, as sentences for the user."""
    problems = []
    narrative = summary.narrative or {}
    if not any((narrative.get(key) or "").strip() for key, _label in SECTIONS):
        problems.append(_("请至少填写一部分总结正文（例如“开展情况”），或点击“起草”生成初稿后修改。"))
    for correction in summary.corrections:
        if not (correction.reason or "").strip():
            problems.append(_("请说明更正“%(label)s”的原因。", label=figure_label(correction.key)))
    return problems


def submit(summary: UnitSummary, user, now: datetime | None = None) -> UnitSummary:
    """Draft or returned → submitted; after the deadline taken and marked late."""
    now = now or utcnow()
    campaign = summary.campaign
    if user is not None and not access.is_organizer_or_own_unit(user, summary):
        raise Refusal(_("只能报送本单位的活动总结。"))
    if summary.status == STATUS_SUBMITTED:
        raise Refusal(_("这份总结已经报送，正在等待区政务公开办审核。"))
    _require_status(summary, access.EDITABLE_STATUSES, _("这份总结已被采纳，不需要再报送。"))
    if campaign.status not in (STATUS_ISSUED, STATUS_CLOSED):
        raise Refusal(_("活动方案尚未印发，暂不能报送总结。"))
    if window_closed(campaign):
        raise Refusal(_("区政务公开办已关闭本届活动总结的报送。如确需报送，请电话联系区政务公开办。"))
    problems = missing_for_submit(summary)
    if problems:
        raise Refusal(problems[0])

    # The organizer compares the correction with the figures as they stand when the summary is sent.
    if summary.corrections:
        recorded = recorded_figures(summary.campaign_id, summary.unit_id)
        for correction in summary.corrections:
            correction.recorded = recorded.get(correction.key, 0) or 0

    resubmission = summary.first_submitted_at is not None
    late = is_late(campaign, now)
    _transition(
        summary, access.EDITABLE_STATUSES, now, status=STATUS_SUBMITTED, submitted_at=now,
        first_submitted_at=summary.first_submitted_at or now, late=late,
    )
    record(user, "summary_submitted", summary, campaign_id=summary.campaign_id, late=late,
           resubmission=resubmission)
    return _written(summary)


def return_summary(summary: UnitSummary, user, note: str, now: datetime | None = None) -> UnitSummary:
    """Submitted → returned to the unit with the organizer's note (required)."""
    _require_organizer(user)
    _require_status(summary, (STATUS_SUBMITTED,), _("只有已报送、待审核的总结可以退回。"))
    note = clean_text(note, NOTE_MAX_CHARS, _("退回意见"), "note")
    if not note:
        raise Refusal(_("请写明退回意见，告诉单位需要修改什么。"), field="note")
    now = now or utcnow()
    _transition(summary, (STATUS_SUBMITTED,), now, status=STATUS_RETURNED, returned_at=now, review_note=note)
    record(user, "summary_returned", summary, campaign_id=summary.campaign_id, note=note)
    return _written(summary)


def accept(summary: UnitSummary, user, now: datetime | None = None) -> UnitSummary:
    """Submitted → accepted."""
    _require_organizer(user)
    _require_status(summary, (STATUS_SUBMITTED,), _("只有已报送、待审核的总结可以采纳。"))
    now = now or utcnow()
    # The figures the organizer accepted are fixed from here (issue 16.6): a later entry or correction shows beside them.
    accepted_figures = recorded_figures(summary.campaign_id, summary.unit_id)
    _transition(summary, (STATUS_SUBMITTED,), now, status=STATUS_ACCEPTED, accepted_at=now,
                accepted_figures=accepted_figures)
    record(user, "summary_accepted", summary, campaign_id=summary.campaign_id, late=summary.late)
    return _written(summary)


def reopen(summary: UnitSummary, user, now: datetime | None = None) -> UnitSummary:
    """Accepted → submitted again (an acceptance made by mistake), to be accepted or returned."""
    _require_organizer(user)
    _require_status(summary, (STATUS_ACCEPTED,), _("只有已采纳的总结可以撤销采纳。"))
    _transition(summary, (STATUS_ACCEPTED,), now or utcnow(), status=STATUS_SUBMITTED, accepted_at=None,
                accepted_figures=None)
    record(user, "summary_reopened", summary, campaign_id=summary.campaign_id)
    return _written(summary)


def _transition(summary: UnitSummary, allowed: tuple, now: datetime, **values) -> None:
    """Change the row only if it is still in an allowed status at the revision this request read: of two
    requests racing (a double click, an organizer and an autosave), one wins and the other is refused."""
    result = db.session.execute(
        sa.update(UnitSummary)
        .where(
            UnitSummary.id == summary.id,
            UnitSummary.status.in_(allowed),
            UnitSummary.revision == summary.revision,
        )
        .values(revision=summary.revision + 1, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if cast(sa.CursorResult, result).rowcount != 1:  # an UPDATE's result
        # Nothing was changed; the refusal rolls the caller's transaction back (a request's does).
        raise Refusal(_("这份总结刚刚在别处被修改，本次操作没有执行。请刷新页面后再试。"), conflict=True)


def _written(summary: UnitSummary) -> UnitSummary:
    """Written (flushed) and read back; the caller commits."""
    db.session.flush()
    db.session.refresh(summary)
    return summary

