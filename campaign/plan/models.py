"""The plan of one campaign: groups of activities, the units in them, venues and slogans."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.shared.timeutil import UTCDateTime, local
from campaign.web.extensions import Model

STATUS_DRAFT = "draft"
STATUS_ISSUED = "issued"
STATUS_CLOSED = "closed"
STATUSES = (STATUS_DRAFT, STATUS_ISSUED, STATUS_CLOSED)

MODE_ONLINE = "online"
MODE_ONSITE = "onsite"
MODES = (MODE_ONLINE, MODE_ONSITE)

ROLE_LEAD = "lead"
ROLE_COOPERATING = "cooperating"
ROLE_RESPONSIBLE = "responsible"
UNIT_ROLES = (ROLE_LEAD, ROLE_COOPERATING, ROLE_RESPONSIBLE)
# The words of the plan document for each role.
UNIT_ROLE_LABELS = {ROLE_LEAD: "牵头单位", ROLE_COOPERATING: "配合单位", ROLE_RESPONSIBLE: "责任单位"}

# Slogans longer than this no longer fit one banner line at a readable size.
BANNER_MAX_CHARS = 20


class CampaignPart:
    """A model mixin: a row of one campaign's, deleted with it. Its own id and the campaign's come first."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class Campaign(Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[int]
    year: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    first_day: Mapped[date] = mapped_column(sa.Date)
    last_day: Mapped[date] = mapped_column(sa.Date)
    issuing_office: Mapped[str] = mapped_column(sa.String(100), default="")
    doc_number: Mapped[str] = mapped_column(sa.String(60), default="")
    basis_title: Mapped[str] = mapped_column(sa.String(200), default="")
    basis_number: Mapped[str] = mapped_column(sa.String(60), default="")
    addressees: Mapped[str] = mapped_column(sa.Text, default="")
    form_text: Mapped[str] = mapped_column(sa.Text, default="")
    closing_requirements: Mapped[str] = mapped_column(sa.Text, default="")
    summary_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    issue_date: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=STATUS_DRAFT)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The notice's 版头 (the red 发文机关标志 over the 文号 and the red rule) and 版记 (抄送, 印发机关和印发日期 between
    # rules at the foot of the last page), GB/T 9704-2012: both optional; the 版记 is printed when 印发机关 or 抄送 is given.
    masthead_shown: Mapped[bool] = mapped_column(default=False)
    issuer_mark: Mapped[str] = mapped_column(sa.String(40), default="")
    copy_to: Mapped[str] = mapped_column(sa.Text, default="")
    printed_by: Mapped[str] = mapped_column(sa.String(100), default="")
    printed_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)

    groups = relationship(
        "ActivityGroup",
        back_populates="campaign",
        order_by="ActivityGroup.sort_order, ActivityGroup.id",
        cascade="all, delete-orphan",
    )
    venues = relationship(
        "Venue", back_populates="campaign", order_by="Venue.is_main.desc(), Venue.id", cascade="all, delete-orphan"
    )
    slogans = relationship(
        "Slogan", back_populates="campaign", order_by="Slogan.sort_order, Slogan.id", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("status in ('draft', 'issued', 'closed')", name="status"),)

    @property
    def is_draft(self) -> bool:
        return self.status == STATUS_DRAFT

    @property
    def local_deadline(self):
        return local(self.summary_deadline)

    def __repr__(self) -> str:
        return f"<Campaign {self.year} #{self.edition}>"


class Venue(CampaignPart, Model):
    __tablename__ = "venues"

    name: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    is_main: Mapped[bool] = mapped_column(default=False)

    campaign = relationship("Campaign", back_populates="venues")

    __table_args__ = (sa.UniqueConstraint("campaign_id", "name", name="uq_venues_campaign_name"),)

    @property
    def kind_label(self) -> str:
        return "主会场" if self.is_main else "分会场"


class ActivityGroup(CampaignPart, Model):
    __tablename__ = "activity_groups"

    title: Mapped[str] = mapped_column(sa.String(100))
    sort_order: Mapped[int] = mapped_column(default=0)

    campaign = relationship("Campaign", back_populates="groups")
    activities = relationship(
        "Activity",
        back_populates="group",
        order_by="Activity.sort_order, Activity.id",
        cascade="all, delete-orphan",
    )


class Activity(CampaignPart, Model):
    __tablename__ = "activities"

    group_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    mode: Mapped[str] = mapped_column(sa.String(16), default=MODE_ONSITE)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A span of whole days (5月15日至5月20日) is shown without clock times.
    all_day: Mapped[bool] = mapped_column(default=False)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id", ondelete="SET NULL"))
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    # What each unit brings to the desk (展板、宣传资料 …), shown on the unit's task list.
    to_bring: Mapped[str] = mapped_column(sa.Text, default="")
    sort_order: Mapped[int] = mapped_column(default=0)

    group = relationship("ActivityGroup", back_populates="activities")
    venue = relationship("Venue")
    unit_links = relationship(
        "ActivityUnit", back_populates="activity", cascade="all, delete-orphan", order_by="ActivityUnit.id"
    )

    __table_args__ = (
        sa.CheckConstraint("mode in ('online', 'onsite')", name="mode"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
    )

    def units_in_role(self, role: str):
        return [link.unit for link in self.unit_links if link.role == role]

    @property
    def local_start(self):
        return local(self.starts_at)

    @property
    def local_end(self):
        return local(self.ends_at)


class ActivityUnit(Model):
    __tablename__ = "activity_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))

    activity = relationship("Activity", back_populates="unit_links")
    unit = relationship("Unit", lazy="joined")

    # One role per unit and activity: a unit cannot lead and cooperate in the same activity.
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "unit_id", name="uq_activity_units_activity_unit"),
        sa.CheckConstraint("role in ('lead', 'cooperating', 'responsible')", name="role"),
    )


class Slogan(CampaignPart, Model):
    __tablename__ = "slogans"

    text: Mapped[str] = mapped_column(sa.String(200))
    sort_order: Mapped[int] = mapped_column(default=0)

    campaign = relationship("Campaign", back_populates="slogans")

    @property
    def too_long_for_banner(self) -> bool:
        return len(self.text.replace("　", "").replace(" ", "")) > BANNER_MAX_CHARS
