"""The 预警 of both boards (the organizer's and the venue screen): what needs someone's attention now.

- a booth open during its activity with no entry for 30 minutes (its phone may have stopped logging);
- referrals past their deadline;
- and what later stages add through `register_alert_source` (summaries: units not started two days before the
  deadline) — this stage never imports them.

Each kind is one aggregate query whatever the number of booths or entries; the clock is passed in.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from campaign.booths.followup_lists import follow_up_counts
from campaign.booths.models import SOURCE_PUBLIC, Booth, Consultation, MaterialHandout
from campaign.plan.models import Activity, Campaign
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db

QUIET_BOOTH = "quiet_booth"
OVERDUE_REFERRALS = "overdue_referrals"
SUMMARY_NOT_STARTED = "summary_not_started"
QUIET_FOR = timedelta(minutes=30)


@dataclass(frozen=True)
class Alert:
    kind: str
    # The booth's or the unit's name; "" for a count of the whole campaign.
    subject: str = ""
    # Where the booth stands (its venue or activity).
    place: str = ""
    # Minutes without an entry; referrals overdue.
    count: int = 0
    # The booth's last entry during the activity (None: none yet); the summaries' deadline.
    at: datetime | None = None


AlertSource = Callable[[Campaign, datetime], list[Alert]]
_later_sources: list[AlertSource] = []


def register_alert_source(source: AlertSource) -> None:
    """A later stage's warnings, shown after this stage's."""
    if source not in _later_sources:
        _later_sources.append(source)


def alerts(campaign: Campaign, now: datetime) -> list[Alert]:
    """Every warning of the campaign at `now` (an aware datetime): quiet booths (the longest quiet first), overdue
    referrals, then the later stages'."""
    found = quiet_booths(campaign.id, now)
    overdue = follow_up_counts(campaign.id, today=now.astimezone(LOCAL_TZ).date()).overdue
    if overdue:
        found.append(Alert(OVERDUE_REFERRALS, count=overdue))
    for source in _later_sources:
        found.extend(source(campaign, now))
    return found


def _last_entry(model, now: datetime, *conditions) -> sa.ScalarSelect:
    """The booth's last entry (not withdrawn) between its activity's start and `now`: a short range of the booth's
    index, not its whole history."""
    return (
        sa.select(sa.func.max(model.recorded_at))
        .where(model.booth_id == Booth.id, model.recorded_at >= Activity.starts_at, model.recorded_at <= now,
               model.withdrawn_at.is_(None), *conditions)
        .correlate(Booth, Activity)
        .scalar_subquery()
    )


def quiet_booths(campaign_id: int, now: datetime, quiet_for: timedelta = QUIET_FOR) -> list[Alert]:
    """Active booths whose activity has run for `quiet_for` and is not over, with no consultation logged by the staff
    and no handout in the last `quiet_for`. Entries on the public card do not count: the warning is about the desk's
    own phone."""
    since = now - quiet_for
    last_consultation = _last_entry(Consultation, now, Consultation.source != SOURCE_PUBLIC)
    rows: Sequence[sa.Row[Booth, datetime, datetime | None, datetime | None]] = db.session.execute(
        sa.select(Booth, Activity.starts_at, last_consultation, _last_entry(MaterialHandout, now))
        .join(Activity, Booth.activity_id == Activity.id)
        .where(Booth.campaign_id == campaign_id, Booth.active.is_(True), Activity.starts_at <= since,
               Activity.ends_at > now)
        .options(joinedload(Booth.unit), joinedload(Booth.activity).joinedload(Activity.venue))
    ).unique().all()
    found = []
    for booth, starts_at, consulted, handed_out in rows:
        last = max((moment for moment in (consulted, handed_out) if moment is not None), default=None)
        if last is not None and last >= since:
            continue
        quiet_since = last or starts_at
        place = booth.activity.venue.name if booth.activity.venue else booth.activity.title
        found.append(Alert(QUIET_BOOTH, subject=booth.label, place=place,
                           count=int((now - quiet_since).total_seconds() // 60), at=last))
    return sorted(found, key=lambda alert: (-alert.count, alert.subject))
