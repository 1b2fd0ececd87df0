"""The organizer's hand on the scorecard: the campaign's settings (partial credit for a late summary, the fewest
records a unit needs to be ranked) and a unit's manual adjustment, always with its reason. Every change is
audit-logged with what it was before; a resent form that changes nothing writes nothing.
Services: plain arguments, refusals for bad input (nothing changed), flush; the request commits."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.booths import records
from campaign.booths.models import Booth, FollowUp
from campaign.plan.participants import takes_part
from campaign.report.models import ScoreAdjustment, ScorecardSettings
from campaign.shared.audit import AuditEvent, newest_events, record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.summaries.models import UnitSummary
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

ACTION_SETTINGS = "scorecard_settings_saved"
ACTION_ADJUSTED = "score_adjusted"
ACTION_ADJUSTMENT_REMOVED = "score_adjustment_removed"
register_action_labels({
    ACTION_SETTINGS: _l("修改评分设置"),
    ACTION_ADJUSTED: _l("调整单位得分"),
    ACTION_ADJUSTMENT_REMOVED: _l("撤销得分调整"),
})
MAX_ADJUSTMENT = 1000
MAX_LATE_POINTS = 1000
MAX_MIN_CONSULTATIONS = 100000
REASON_MAX = 200


def _whole(value, largest: int, smallest: int, message: str, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not smallest <= value <= largest:
        raise Refusal(message, field=field)
    return value


def save_settings(campaign_id: int, user, late_points_per_day, min_consultations, require_booth: bool) -> bool:
    """False (and nothing written) when nothing changed."""
    late_points_per_day = _whole(late_points_per_day, MAX_LATE_POINTS, 0,
                                 _("逾期扣分须为0到%(n)s之间的整数。", n=MAX_LATE_POINTS), "late_points_per_day")
    min_consultations = _whole(min_consultations, MAX_MIN_CONSULTATIONS, 0,
                               _("咨询登记下限须为0到%(n)s之间的整数。", n=MAX_MIN_CONSULTATIONS), "min_consultations")
    settings = db.session.get(ScorecardSettings, campaign_id)
    if settings is None:
        settings = ScorecardSettings(campaign_id=campaign_id, late_points_per_day=0, min_consultations=0,
                                     require_booth=False)
        db.session.add(settings)
    before = {"late_points_per_day": settings.late_points_per_day, "min_consultations": settings.min_consultations,
              "require_booth": settings.require_booth}
    after = {"late_points_per_day": late_points_per_day, "min_consultations": min_consultations,
             "require_booth": bool(require_booth)}
    if before == after:
        db.session.flush()
        return False
    for name, value in after.items():
        setattr(settings, name, value)
    record(user, ACTION_SETTINGS, None, campaign_id=campaign_id,
           changes={name: [before[name], after[name]] for name in after if before[name] != after[name]})
    db.session.flush()
    return True


def _on_the_scorecard(campaign_id: int, unit_id: int) -> bool:
    """Named in the plan, or with a booth, a summary or a referral here: the units the report scores."""
    if takes_part(campaign_id, unit_id):
        return True
    elsewhere = sa.union_all(
        sa.select(Booth.id).where(Booth.campaign_id == campaign_id, Booth.unit_id == unit_id),
        sa.select(UnitSummary.id).where(UnitSummary.campaign_id == campaign_id, UnitSummary.unit_id == unit_id),
        records.follow_ups(campaign_id, FollowUp.id).where(FollowUp.unit_id == unit_id),
    ).subquery()
    return bool(db.session.scalar(sa.select(sa.select(elsewhere).exists())))


def adjust(campaign_id: int, unit_id: int, user, points, reason: str) -> bool:
    """Set the unit's adjustment to `points` (0 removes it), with the reason, which is required either way. False
    when it already stood so (the same points and reason)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not _on_the_scorecard(campaign_id, unit_id):
        raise Refusal(_("该单位没有参加本次活动，不在评分表上。"), field="unit_id")
    points = _whole(points, MAX_ADJUSTMENT, -MAX_ADJUSTMENT,
                    _("调整分值须为-%(n)s到%(n)s之间的整数（扣分填负数）。", n=MAX_ADJUSTMENT), "points")
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refusal(_("请填写调整原因。"), field="reason")
    if len(reason) > REASON_MAX:
        raise Refusal(_("调整原因不能超过%(n)s个字。", n=REASON_MAX), field="reason")
    existing = db.session.scalar(sa.select(ScoreAdjustment).where(ScoreAdjustment.campaign_id == campaign_id,
                                                                  ScoreAdjustment.unit_id == unit_id))
    before = existing.points if existing is not None else 0
    if existing is None and points == 0:
        return False
    if existing is not None and (existing.points, existing.reason) == (points, reason):
        return False
    if points == 0:
        assert existing is not None
        record(user, ACTION_ADJUSTMENT_REMOVED, existing, campaign_id=campaign_id, unit_id=unit_id, unit=unit.name,
               before=before, reason=reason)
        db.session.delete(existing)
    else:
        if existing is None:
            existing = ScoreAdjustment(campaign_id=campaign_id, unit_id=unit_id)
            db.session.add(existing)
        existing.points, existing.reason = points, reason
        existing.updated_by_id, existing.updated_at = getattr(user, "id", None), utcnow()
        db.session.flush()
        record(user, ACTION_ADJUSTED, existing, campaign_id=campaign_id, unit_id=unit_id, unit=unit.name,
               before=before, points=points, reason=reason)
    db.session.flush()
    return True


def adjustment_log(campaign_id: int, limit: int = 50) -> list[AuditEvent]:
    """The campaign's adjustments and settings changes, newest first, with who made each."""
    return newest_events(AuditEvent.campaign_id == campaign_id,
                         AuditEvent.action.in_((ACTION_ADJUSTED, ACTION_ADJUSTMENT_REMOVED, ACTION_SETTINGS)),
                         limit=limit)
