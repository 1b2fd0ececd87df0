"""A rehearsal (演练) before the day (issue 16.7): every card and PIN works, nothing counts, and the office learns
which desks are ready.

While a campaign rehearses, what a booth does is kept as rehearsal records (RehearsalRecord): its link opened, its
PIN entered, each test entry sent from a phone or a public card. They live apart from the day's consultations and
handouts, so no figure, tally, export or score can count one, and the hot path of the day is unchanged. Ending the
rehearsal deletes them all and records in the audit log how many there were.

A rehearsal ends by itself when the campaign's first day begins: an office that forgets to end it must not lose the
day's entries to it (its records stay until the organizer ends it, for the readiness page).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.booths import receipts
from campaign.booths.models import (
    REHEARSAL_CONSULTATION,
    REHEARSAL_HANDOUT,
    REHEARSAL_OPENED,
    REHEARSAL_PIN,
    Booth,
    RehearsalRecord,
)
from campaign.booths.on_duty import BoothLike
from campaign.plan.models import STATUS_CLOSED, STATUS_DRAFT, Campaign
from campaign.shared.audit import record, register_action_labels
from campaign.shared.conflicts import conflict_insert
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

# A test entry that reached the server this long after the phone recorded it waited in the phone's queue: the
# offline path works on that phone (an entry sent at once arrives within seconds).
QUEUED_AFTER = timedelta(seconds=60)
USER_AGENT_MAX = 300

register_action_labels({
    "rehearsal_started": _l("开始演练"),
    "rehearsal_ended": _l("结束演练并删除演练记录"),
})


def day_begins(campaign) -> datetime:
    """The start of the campaign's first day, Beijing time, in UTC: no rehearsal from then on."""
    return datetime.combine(campaign.first_day, time.min, LOCAL_TZ).astimezone(UTC)


def rehearsing(campaign, now: datetime | None = None) -> bool:
    """Whether entries sent now are rehearsal entries. `campaign` is a Campaign or the hot path's CampaignDays."""
    started = campaign.rehearsal_started_at
    return started is not None and (now or utcnow()) < day_begins(campaign)


def earliest_day(campaign) -> date:
    """The first day an entry may be recorded on: the rehearsal's day while it runs, else the campaign's."""
    started = campaign.rehearsal_started_at
    if started is not None and rehearsing(campaign):
        return min(campaign.first_day, started.astimezone(LOCAL_TZ).date())
    return campaign.first_day


def start(campaign: Campaign, user, now: datetime | None = None) -> bool:
    """Switch the campaign into rehearsal; False if it already was. Refused once the day has begun."""
    now = now or utcnow()
    if campaign.status == STATUS_DRAFT:
        raise Refusal(_("方案下发后才能演练：下发后各咨询台才有链接和PIN。"))
    if campaign.status == STATUS_CLOSED or now >= day_begins(campaign):
        raise Refusal(_("活动已经开始，不能再演练：现在登记的都是正式记录。"))
    if campaign.rehearsal_started_at is not None:
        return False
    campaign.rehearsal_started_at = now
    record(user, "rehearsal_started", campaign, campaign_id=campaign.id)
    db.session.flush()
    return True


def end(campaign: Campaign, user) -> dict[str, int] | None:
    """End the rehearsal: delete every rehearsal record, and record how many of each were deleted. None if the
    campaign was not rehearsing (nothing to do: a second click changes nothing)."""
    if campaign.rehearsal_started_at is None:
        return None
    counts = dict.fromkeys((REHEARSAL_CONSULTATION, REHEARSAL_HANDOUT, REHEARSAL_OPENED, REHEARSAL_PIN), 0)
    counts.update(db.session.execute(
        sa.select(RehearsalRecord.kind, sa.func.count())
        .where(RehearsalRecord.campaign_id == campaign.id)
        .group_by(RehearsalRecord.kind)
    ).all())
    db.session.execute(sa.delete(RehearsalRecord).where(RehearsalRecord.campaign_id == campaign.id))
    campaign.rehearsal_started_at = None
    record(user, "rehearsal_ended", campaign, campaign_id=campaign.id,
           consultations=counts[REHEARSAL_CONSULTATION], handouts=counts[REHEARSAL_HANDOUT],
           links_opened=counts[REHEARSAL_OPENED], pins_entered=counts[REHEARSAL_PIN])
    db.session.flush()
    return counts


# What booths send while the campaign rehearses ----------------------------------------------------------------

def record_entry(booth: BoothLike, kind: str, details: dict, client_uuid: str, device_id: str, user_agent: str,
                 recorded_at: datetime, now: datetime) -> tuple[RehearsalRecord, bool, str]:
    """Store a test entry once however often the phone sends it (as the day's entries are: the UNIQUE constraint
    on its UUID decides), with its receipt code (booths/receipts.py: the same domain as the day's entries, so a
    volunteer trying the desk sees a code like the day's), and commit before the phone gets its answer. Returns
    (record, created, receipt). Ending the rehearsal leaves the codes given: a code is never reused."""
    insert = conflict_insert(db.session.get_bind().dialect.name, RehearsalRecord.__table__)
    values = dict(
        campaign_id=booth.campaign_id, booth_id=booth.id, kind=kind, client_uuid=client_uuid,
        device_id=device_id[:36], user_agent=user_agent[:USER_AGENT_MAX], details=details,
        recorded_at=recorded_at, received_at=now,
    )
    row_id = db.session.scalar(insert.values(**values).on_conflict_do_nothing(
        index_elements=["client_uuid"]).returning(RehearsalRecord.id))
    if row_id is None:
        existing = db.session.scalar(sa.select(RehearsalRecord).where(RehearsalRecord.client_uuid == client_uuid))
        if existing is None or existing.booth_id != booth.id:
            raise Refusal.of_fields({"uuid": _("此记录编号已被使用，请重新填写。")})
        return existing, False, receipts.of_resent(client_uuid)
    receipt = receipts.assign(client_uuid)
    db.session.commit()
    row = db.session.get(RehearsalRecord, row_id)
    assert row is not None
    return row, True, receipt


def note_visit(booth: Booth, kind: str, device_id: str, user_agent: str) -> None:
    """A booth's link opened or PIN entered on a device, once per device, while the campaign rehearses. Commits:
    the staff pages keep their own commits."""
    if kind not in (REHEARSAL_OPENED, REHEARSAL_PIN) or not rehearsing(booth.campaign):
        return
    seen = sa.select(RehearsalRecord.id).where(
        RehearsalRecord.booth_id == booth.id, RehearsalRecord.kind == kind, RehearsalRecord.device_id == device_id[:36]
    )
    if db.session.scalar(seen.limit(1)) is None:
        now = utcnow()
        db.session.add(RehearsalRecord(
            campaign_id=booth.campaign_id, booth_id=booth.id, kind=kind, device_id=device_id[:36],
            user_agent=user_agent[:USER_AGENT_MAX], details={}, recorded_at=now, received_at=now,
        ))
        db.session.commit()


# The readiness page -------------------------------------------------------------------------------------------

_WECHAT = re.compile(r"MicroMessenger/([\d.]+)")
_BROWSERS = (
    (re.compile(r"DingTalk/([\d.]+)"), "钉钉"),
    (re.compile(r"wxwork/([\d.]+)"), "企业微信"),
    (re.compile(r"(?:Edg|EdgA)/([\d.]+)"), "Edge"),
    (re.compile(r"(?:Chrome|CriOS)/([\d]+)"), "Chrome"),
    (re.compile(r"Version/([\d.]+).*Safari"), "Safari"),
    (re.compile(r"Firefox/([\d.]+)"), "Firefox"),
)


def browser_label(user_agent: str) -> str:
    """微信 8.0.47 / Chrome 120 …: which browser a booth used, from its user agent ("" when unknown)."""
    # WeChat's in-app browser (and 企业微信's) carry a Chrome or Safari token too: the app is what matters.
    wechat = _WECHAT.search(user_agent)
    if wechat and "wxwork/" not in user_agent:
        return _("微信 %(version)s", version=wechat.group(1))
    for pattern, name in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            return f"{name} {match.group(1)}"
    return _("其他浏览器") if user_agent else ""


@dataclass
class BoothReadiness:
    booth: Booth
    opened_at: datetime | None = None
    pin_at: datetime | None = None
    entries: int = 0
    last_entry_at: datetime | None = None
    browser: str = ""
    queued_entry_arrived: bool = False

    @property
    def ready(self) -> bool:
        """The desk has shown, from a phone, that it can log and upload an entry."""
        return self.entries > 0


def readiness(campaign_id: int, booths: list[Booth]) -> list[BoothReadiness]:
    """Each booth's rehearsal so far, in the order given: two grouped queries whatever the number of booths."""
    rows = {booth.id: BoothReadiness(booth) for booth in booths}
    if not rows:
        return []
    where = (RehearsalRecord.campaign_id == campaign_id, RehearsalRecord.booth_id.in_(list(rows)))
    entry_kinds = (REHEARSAL_CONSULTATION, REHEARSAL_HANDOUT)
    is_entry = RehearsalRecord.kind.in_(entry_kinds)
    per_booth = db.session.execute(
        sa.select(
            RehearsalRecord.booth_id,
            sa.func.min(RehearsalRecord.received_at).filter(RehearsalRecord.kind == REHEARSAL_OPENED),
            sa.func.min(RehearsalRecord.received_at).filter(RehearsalRecord.kind == REHEARSAL_PIN),
            sa.func.count().filter(is_entry),
            sa.func.max(RehearsalRecord.received_at).filter(is_entry),
        ).where(*where).group_by(RehearsalRecord.booth_id)
    ).all()
    for booth_id, opened_at, pin_at, entries, last_entry_at in per_booth:
        row = rows[booth_id]
        row.opened_at, row.pin_at, row.entries, row.last_entry_at = opened_at, pin_at, entries, last_entry_at
    # Arrived late: compared in Python, as date arithmetic differs between SQLite and PostgreSQL; only the test
    # entries of a rehearsal are read, a few per booth.
    latest_agent: dict[int, tuple[datetime, str]] = {}
    for booth_id, recorded_at, received_at, user_agent in db.session.execute(
        sa.select(RehearsalRecord.booth_id, RehearsalRecord.recorded_at, RehearsalRecord.received_at,
                  RehearsalRecord.user_agent).where(*where)
    ):
        row = rows[booth_id]
        if received_at - recorded_at >= QUEUED_AFTER:
            row.queued_entry_arrived = True
        if user_agent and (booth_id not in latest_agent or received_at >= latest_agent[booth_id][0]):
            latest_agent[booth_id] = (received_at, user_agent)
    for booth_id, (_at, user_agent) in latest_agent.items():
        rows[booth_id].browser = browser_label(user_agent)
    return list(rows.values())
