"""A campaign's reminder schedule (one slot per moment), its channels, and each send of a slot to one recipient."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.plan.models import CampaignPart
from campaign.shared.timeutil import UTCDateTime
from campaign.web.extensions import Model

SEND_CLAIMED = "claimed"
SEND_SENT = "sent"
SEND_RETRY = "retry"
SEND_FAILED = "failed"

CHANNEL_EMAIL = "email"
CHANNEL_WECOM = "wecom"
CHANNEL_DINGTALK = "dingtalk"
CHANNEL_SMS = "sms"
CHANNELS = (CHANNEL_EMAIL, CHANNEL_WECOM, CHANNEL_DINGTALK, CHANNEL_SMS)


class ReminderSlot(CampaignPart, Model):
    """One moment of the schedule ("halfway", "referrals-2026-05-20"): due at `due_at`, sent once per recipient."""

    __tablename__ = "reminder_slots"

    key: Mapped[str] = mapped_column(sa.String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enabled: Mapped[bool] = mapped_column(default=True)

    sends: Mapped[list["ReminderSend"]] = relationship(back_populates="slot", cascade="all, delete-orphan",
                                                       passive_deletes=True, order_by="ReminderSend.id")

    __table_args__ = (sa.UniqueConstraint("campaign_id", "key"),)


class ReminderChannel(CampaignPart, Model):
    """A group robot's webhook or the SMS gateway of one campaign, set on the organizer's settings page."""

    __tablename__ = "reminder_channels"

    channel: Mapped[str] = mapped_column(sa.String(10))
    url: Mapped[str] = mapped_column(sa.String(500))
    # The SMS gateway's request body, with {unit} {contact} {phone} {message} (reminders/channels.SMS_PLACEHOLDERS) filled in.
    template: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (sa.UniqueConstraint("campaign_id", "channel"),)


class UnitRobot(Model):
    """A unit's own group robot (its 企业微信 or 钉钉 group): that unit's reminders go there instead of to the
    campaign's group. Kept with the unit, so it serves every campaign."""

    __tablename__ = "unit_robots"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    url: Mapped[str] = mapped_column(sa.String(500))

    unit = relationship("Unit")

    __table_args__ = (sa.UniqueConstraint("unit_id", "channel"),)


class ReminderSend(Model):
    """One reminder of one slot to one recipient on one channel. The UNIQUE key is the claim: a second worker's
    insert fails, so the same reminder never goes twice."""

    __tablename__ = "reminder_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_slots.id", ondelete="CASCADE"), index=True)
    # "unit:<id>" for a unit's e-mail or SMS, "group" for a robot's message to the whole group.
    recipient: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[str] = mapped_column(sa.String(10))
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=SEND_CLAIMED)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    slot: Mapped[ReminderSlot] = relationship(back_populates="sends")

    __table_args__ = (
        sa.UniqueConstraint("slot_id", "recipient", "channel"),
        sa.CheckConstraint("status in ('claimed', 'sent', 'retry', 'failed')", name="status"),
    )
