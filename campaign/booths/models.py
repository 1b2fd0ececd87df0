"""Booths (政策咨询台) on the day and what their staff record: consultations, handouts, follow-ups."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from campaign.plan.models import CampaignPart
from campaign.shared.timeutil import CreatedAt, UTCDateTime, utcnow
from campaign.web.extensions import Model

KINDS = ("政策咨询", "办事咨询", "投诉", "意见建议", "情况反映")
ASKER_TYPES = ("群众", "企业", "其他")
HANDLINGS = ("当场解答", "转办", "需回访")
# A question left on the public card with no way to reach the person: nobody answered it, and nobody can.
UNANSWERED = "未答复"
ALL_HANDLINGS = (*HANDLINGS, UNANSWERED)
SATISFACTIONS = ("满意", "基本满意", "不满意")
SOURCE_STAFF = "staff"
SOURCE_PUBLIC = "public"

DEFAULT_TOPICS = (
    "社会保险", "医疗保障", "住房保障", "教育入学", "就业创业", "企业开办",
    "营商环境", "行政审批", "政府信息公开", "民政救助", "其他",
)
DEFAULT_MATERIALS = ("宣传单", "宣传册", "政策汇编", "征求意见卡")
# Working days a unit has to reply to the citizen and to close, per kind of follow-up (the handling that asked
# for it); the organizer sets them per campaign. Hotline practice: a deadline to reply and a later one to close.
REFERRAL = "转办"
CALL_BACK = "需回访"
FOLLOW_UP_KINDS = (REFERRAL, CALL_BACK)
DEFAULT_DEADLINES = {REFERRAL: {"reply": 5, "close": 15}, CALL_BACK: {"reply": 3, "close": 10}}


# The secret links' tokens (32 characters today) fit the columns; a longer one is nobody's.
TOKEN_MAX_CHARS = 64


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_pin() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class BoothSettings(Model):
    """Per campaign: the topic list, the materials counted, and how long a unit has to reply to and close a
    follow-up of each kind (working days)."""

    __tablename__ = "booth_settings"

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    topics: Mapped[list] = mapped_column(sa.JSON, default=lambda: list(DEFAULT_TOPICS))
    materials: Mapped[list] = mapped_column(sa.JSON, default=lambda: list(DEFAULT_MATERIALS))
    deadlines: Mapped[dict] = mapped_column(sa.JSON, default=lambda: {k: dict(v) for k, v in DEFAULT_DEADLINES.items()})


class Booth(CampaignPart, CreatedAt, Model):
    __tablename__ = "booths"

    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    staff_token: Mapped[str] = mapped_column(sa.String(TOKEN_MAX_CHARS), unique=True, default=new_token)
    pin: Mapped[str] = mapped_column(sa.String(6), default=new_pin)
    public_token: Mapped[str | None] = mapped_column(sa.String(TOKEN_MAX_CHARS), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    token_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    activity = relationship("Activity")
    unit = relationship("Unit")
    campaign = relationship("Campaign")
    # The campaign's topics and materials; None while the organizer has not saved any (the defaults apply).
    settings = relationship(
        BoothSettings, primaryjoin=lambda: foreign(Booth.campaign_id) == BoothSettings.campaign_id,
        viewonly=True, uselist=False,
    )

    __table_args__ = (sa.UniqueConstraint("activity_id", "unit_id", name="uq_booths_activity_unit"),)

    @property
    def label(self) -> str:
        return self.name or f"{self.unit.label}咨询台"


class PinFailure(Model):
    """Wrong PIN tries per booth and device (client_key "d:<device id>"), and across the whole booth (client_key
    "booth"), kept in the database so every worker sees the same count."""

    __tablename__ = "booth_pin_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    client_key: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The booth-wide count covers a window of time (an hour) from its first failure.
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (sa.UniqueConstraint("booth_id", "client_key", name="uq_booth_pin_failures_booth_client"),)


class PublicCardHour(Model):
    """A booth's public card in one clock hour: entries let through (the cap is enforced by a conditional UPDATE
    of this row, so concurrent requests cannot overshoot it) and entries refused by any limit (shown to the
    organizers)."""

    __tablename__ = "public_card_hours"

    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), primary_key=True)
    hour_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    accepted: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)


class Consultation(Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the phone; the unique constraint, not a check in Python, makes a resent entry count once.
    client_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    # Indexed as the first column of ix_consultations_booth_recorded.
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow, index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(16))
    topic: Mapped[str] = mapped_column(sa.String(40), default="")
    question: Mapped[str] = mapped_column(sa.Text, default="")
    asker_type: Mapped[str] = mapped_column(sa.String(8), default="群众")
    handling: Mapped[str] = mapped_column(sa.String(8), default="当场解答")
    person_name: Mapped[str] = mapped_column(sa.String(50), default="")
    person_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    consent: Mapped[bool] = mapped_column(default=False)
    satisfaction: Mapped[str] = mapped_column(sa.String(8), default="")
    source: Mapped[str] = mapped_column(sa.String(8), default=SOURCE_STAFF)
    device_id: Mapped[str] = mapped_column(sa.String(36), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    booth = relationship("Booth")

    __table_args__ = (
        # A booth's entries by time: the staff page's last entries, the organizer's list. (The live board reads
        # the tallies below, not these rows.)
        sa.Index("ix_consultations_booth_recorded", "booth_id", "recorded_at", "source", "withdrawn_at"),
        sa.CheckConstraint("source in ('staff', 'public')", name="source"),
    )


class MaterialHandout(Model):
    """An append-only log: two phones counting at once add rows, and never overwrite a total."""

    __tablename__ = "material_handouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    material: Mapped[str] = mapped_column(sa.String(40))
    quantity: Mapped[int]
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # When the server got it: a phone may send an entry long after it was recorded offline.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow, nullable=True)
    device_id: Mapped[str] = mapped_column(sa.String(36), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        sa.CheckConstraint("quantity > 0 and quantity <= 100000", name="quantity"),
        # Covering the live board's sums per booth and material.
        sa.Index("ix_material_handouts_board", "booth_id", "material", "withdrawn_at", "recorded_at", "quantity"),
    )


class ReceiptCode(Model):
    """The receipt code (回执码) given to an entry's UUID (campaign/booths/receipts.py): consultations, handouts and
    rehearsal test entries share this one table, so no two entries anywhere share a code. Never deleted or reused:
    a code once quoted never finds another entry."""

    __tablename__ = "receipt_codes"

    # "XXXX-XXXX" in the common case, longer where that was taken (receipts.LENGTHS).
    code: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    client_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)

    # On SQLite, the rows kept in the code's own B-tree (no rowid table besides it): one index fewer to write on
    # each entry, in the transaction that holds SQLite's write lock.
    __table_args__ = {"sqlite_with_rowid": False}


# The states of a follow-up (待办理 → 已答复 → 已回访 → 办结, with reopen); the moves between them are in
# campaign/booths/followups.py (TRANSITIONS), the only place that changes a state.
PENDING = "pending"
REPLIED = "replied"
CALLED_BACK = "called_back"
CLOSED = "closed"
FOLLOW_UP_STATES = (PENDING, REPLIED, CALLED_BACK, CLOSED)


class FollowUp(Model):
    """A referral (转办) or call-back (需回访): the unit responsible for answering, its deadlines and what it did."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    # The responsible unit: the competent one the desk referred to, not necessarily the desk's own.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    # The day (Asia/Shanghai) by which the unit must reply to the citizen, and the day by which it must close.
    due_date: Mapped[date] = mapped_column(sa.Date)
    close_due_date: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), default=PENDING)
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The call-back (回访): whether the citizen was reached, and if so how satisfied (满意/基本满意/不满意).
    call_back_reached: Mapped[bool | None] = mapped_column(nullable=True)
    call_back_satisfaction: Mapped[str] = mapped_column(sa.String(8), default="")
    call_back_note: Mapped[str] = mapped_column(sa.Text, default="")
    called_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    called_back_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # 不满意 on a call-back: the organizer decides whether it goes back to the unit or is closed as it stands.
    awaiting_decision: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    consultation = relationship("Consultation", lazy="joined")
    unit = relationship("Unit")

    __table_args__ = (
        sa.CheckConstraint("status in ('pending', 'replied', 'called_back', 'closed')", name="status"),
        # The board's overdue list, most overdue first: a pending one by its reply's deadline, a replied one by its
        # closing deadline, each read in index order up to the few shown (booths/followup_lists.overdue_follow_ups).
        sa.Index("ix_follow_ups_status_due", "status", "due_date"),
        sa.Index("ix_follow_ups_status_close_due", "status", "close_due_date"),
    )

    @property
    def kind(self) -> str:
        return self.consultation.handling


class ReferralRoute(Model):
    """The organizer's routing table for a campaign: which units a desk is offered for a topic, in order."""

    __tablename__ = "referral_routes"

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


# Running totals for the live board, kept in step with every change by campaign/booths/tallies.py -------------
# Each change to them is made in the transaction of the entry it counts; `flask booths rebuild-tallies`
# recomputes them from the rows.


# On SQLite the tallies are WITHOUT ROWID tables: the rows lie in key order, so a board query reads them in one
# pass instead of looking each one up from its key index.
TALLY_TABLE_ARGS = {"sqlite_with_rowid": False}


class BoothTally:
    """A model mixin: running totals of one booth's, a row per booth and whatever else the table counts by; the
    booth is the first column of the key."""

    __table_args__ = TALLY_TABLE_ARGS

    booth_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booths.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )


class ConsultationTally(BoothTally, Model):
    """Live (not withdrawn) consultations per booth, source, kind and topic, whatever the day.

    Only what the board breaks down by: each further column multiplies the rows (with handling, asker and
    satisfaction too, 100,000 consultations made 16,800 tally rows, and reading them took a refresh about 60 ms).
    """

    __tablename__ = "consultation_tallies"

    source: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class ConsultationProfileTally(BoothTally, Model):
    """Live consultations per booth, handling, asker type and satisfaction: what a unit's summary and the report
    count besides kind and topic. A table of its own rather than more columns of ConsultationTally, whose rows
    would multiply by these (see above); here a booth has at most a few dozen rows."""

    __tablename__ = "consultation_profile_tallies"

    handling: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    asker_type: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    satisfaction: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class ConsultationHourTally(BoothTally, Model):
    """Live consultations per booth, source and hour (its UTC start; Asia/Shanghai is a whole number of hours off)."""

    __tablename__ = "consultation_hour_tallies"

    hour_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class HandoutTally(BoothTally, Model):
    """Live handout quantities per booth, hour and material."""

    __tablename__ = "handout_tallies"

    hour_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    material: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    quantity: Mapped[int] = mapped_column(default=0)


class FollowUpTally(BoothTally, Model):
    """Follow-ups of live consultations per booth, responsible unit, deadlines, state, whether the reply came in
    time, and the call-back's outcome: what the board counts and marks overdue."""

    __tablename__ = "follow_up_tallies"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    due_date: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    close_due_date: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    # "" (not replied), "in_time" or "late"
    replied: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    # "" (no call-back yet), "missed" (not reached), or the citizen's satisfaction
    call_back: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    # A closed one: "in_time" (by its closing deadline) or "late"; "" for the others
    closed: Mapped[str] = mapped_column(sa.String(8), primary_key=True, default="")
    count: Mapped[int] = mapped_column(default=0)


REHEARSAL_OPENED = "opened"
REHEARSAL_PIN = "pin"
REHEARSAL_CONSULTATION = "consultation"
REHEARSAL_HANDOUT = "handout"


class RehearsalRecord(Model):
    """What a booth did during a rehearsal (演练, campaign/booths/rehearsal.py): its link opened, its PIN entered, a
    test entry sent. Kept apart from the day's entries, so no figure, tally or export can count one; all deleted
    when the rehearsal ends."""

    __tablename__ = "rehearsal_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    # A test entry's UUID from the phone: sent again, it is stored once, as a real entry would be.
    client_uuid: Mapped[str | None] = mapped_column(sa.String(36), unique=True, nullable=True)
    device_id: Mapped[str] = mapped_column(sa.String(36), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    # A test entry's cleaned fields (kind, topic … or material, quantity).
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Read like the entry it stands for, where the staff page's answer names it.
    @property
    def topic(self) -> str:
        return self.details.get("topic", "")

    @property
    def material(self) -> str:
        return self.details.get("material", "")

    @property
    def quantity(self) -> int:
        return int(self.details.get("quantity", 0))

    @property
    def entry_kind(self) -> str:
        return self.details.get("kind", "")


# The tallies' mapper events are registered with the models, so no way of loading the models can miss them.
from campaign.booths import tallies  # noqa: E402, F401

