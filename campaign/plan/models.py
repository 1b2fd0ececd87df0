"""The plan of one campaign: groups of activities, the units in them, venues and slogans."""

from collections.abc import Callable, Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.shared.timeutil import UTCDateTime, local
from campaign.units.names import expanded_name, lent_prefix, normalized
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
ROLE_PARTICIPATING = "participating"
ROLE_RESPONSIBLE = "responsible"
# In the order a plan prints them.
UNIT_ROLES = (ROLE_LEAD, ROLE_COOPERATING, ROLE_PARTICIPATING, ROLE_RESPONSIBLE)
# The words of the plan document for each role.
UNIT_ROLE_LABELS = {
    ROLE_LEAD: "牵头单位",
    ROLE_COOPERATING: "配合单位",
    ROLE_PARTICIPATING: "参加单位",
    ROLE_RESPONSIBLE: "责任单位",
}

VENUE_MAIN = "main"
VENUE_BRANCH = "branch"
# A place named as it is (区机关办公楼一楼大厅) or a description (各镇街自行选择): printed without a label.
VENUE_PLAIN = "plain"
VENUE_KINDS = (VENUE_MAIN, VENUE_BRANCH, VENUE_PLAIN)
VENUE_KIND_LABELS = {VENUE_MAIN: "主会场", VENUE_BRANCH: "分会场", VENUE_PLAIN: ""}

# Clock times as notices write them (9时30分) or as a schedule does (9:30).
TIME_STYLE_CN = "cn"
TIME_STYLE_COLON = "colon"
TIME_STYLES = (TIME_STYLE_CN, TIME_STYLE_COLON)

# A name as a plan's list writes it, at most as long as a unit's name.
WRITTEN_MAX = 100

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
    # "5月18日前": the deadline is the end of that day and is printed without a clock time.
    deadline_date_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    time_style: Mapped[str] = mapped_column(sa.String(8), default=TIME_STYLE_CN, server_default=TIME_STYLE_CN)
    # The notice's title and body and the plan's opening paragraph as the office wrote them; empty means the text drafted
    # from the other fields (plan/document.py), which then follows their changes.
    notice_title: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    notice_body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    opening_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
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
    # A rehearsal (演练) before the day, while set: entries go to rehearsal records (campaign/booths/rehearsal.py).
    rehearsal_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    groups = relationship(
        "ActivityGroup",
        back_populates="campaign",
        order_by="ActivityGroup.sort_order, ActivityGroup.id",
        cascade="all, delete-orphan",
    )
    # The main venue first, then the branches, then plain places.
    venues = relationship(
        "Venue",
        back_populates="campaign",
        order_by=lambda: (sa.case({VENUE_MAIN: 0, VENUE_BRANCH: 1}, value=Venue.kind, else_=2), Venue.id),
        cascade="all, delete-orphan",
    )
    slogans = relationship(
        "Slogan", back_populates="campaign", order_by="Slogan.sort_order, Slogan.id", cascade="all, delete-orphan"
    )
    # The plan's own sections beside the five it always has (一、指导思想, 六、其他事项 …): plan/sections.py.
    sections = relationship(
        "PlanSection", back_populates="campaign", order_by="PlanSection.sort_order, PlanSection.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.CheckConstraint("status in ('draft', 'issued', 'closed')", name="status"),
        sa.CheckConstraint("time_style in ('cn', 'colon')", name="time_style"),
    )

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
    kind: Mapped[str] = mapped_column(sa.String(8), default=VENUE_BRANCH, server_default=VENUE_BRANCH)

    campaign = relationship("Campaign", back_populates="venues")

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "name", name="uq_venues_campaign_name"),
        sa.CheckConstraint("kind in ('main', 'branch', 'plain')", name="kind"),
    )

    @property
    def is_main(self) -> bool:
        return self.kind == VENUE_MAIN

    @property
    def kind_label(self) -> str:
        """主会场, 分会场, or "" for a plain place."""
        return VENUE_KIND_LABELS.get(self.kind, "")

    @property
    def printed_name(self) -> str:
        """As the plan prints it: 区政务服务中心（主会场）, 区机关办公楼一楼大厅."""
        return f"{self.name}（{self.kind_label}）" if self.kind_label else self.name



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
    # The roles whose list the plan ends with 等 ("区发改局、区教育局等"), comma-separated.
    etc_roles: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")

    group = relationship("ActivityGroup", back_populates="activities")
    venue = relationship("Venue")
    unit_links = relationship(
        "ActivityUnit",
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="ActivityUnit.position, ActivityUnit.id",
    )

    __table_args__ = (
        sa.CheckConstraint("mode in ('online', 'onsite')", name="mode"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
    )

    def links_in_role(self, role: str) -> list["ActivityUnit"]:
        """The units and unit groups named in a role, in the plan's order."""
        return [link for link in self.unit_links if link.role == role]

    def ends_with_etc(self, role: str) -> bool:
        return role in self.etc_roles.split(",")

    def role_names(self, role: str) -> list[str]:
        """A role's names as the plan prints them, in its order (printed_names)."""
        return printed_names(self.links_in_role(role))

    def role_text(self, role: str) -> str:
        """A role's list as the plan prints it, as the office wrote it: 区发改局、教育局、各镇街等."""
        names = "、".join(self.role_names(role))
        return f"{names}等" if names and self.ends_with_etc(role) else names

    @property
    def local_start(self):
        return local(self.starts_at)

    @property
    def local_end(self):
        return local(self.ends_at)


class ActivityUnit(Model):
    """A unit, or a group of units (各镇街), named in one role of an activity, at its place in the plan's list."""

    __tablename__ = "activity_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit_groups.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # The name as the plan's list writes it when that is not the label (教育局 in "区发改局、教育局", 区人社局 for a
    # unit called 区人力社保局): the document prints the office's wording. "" prints the label.
    written: Mapped[str] = mapped_column(sa.String(WRITTEN_MAX), default="", server_default="")

    activity = relationship("Activity", back_populates="unit_links")
    unit = relationship("Unit", lazy="joined")
    group = relationship("UnitGroup", lazy="joined")

    # One role per unit (or group) and activity: a unit cannot lead and cooperate in the same activity.
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "unit_id", name="uq_activity_units_activity_unit"),
        sa.UniqueConstraint("activity_id", "group_id", name="uq_activity_units_activity_group"),
        sa.CheckConstraint("role in ('lead', 'cooperating', 'participating', 'responsible')", name="role"),
        sa.CheckConstraint("(unit_id is null) <> (group_id is null)", name="unit_or_group"),
    )

    @property
    def label(self) -> str:
        """The unit's short name (or name), the group's name: how the unit is called on its own."""
        return self.unit.label if self.unit is not None else self.group.name

    @property
    def printed(self) -> str:
        """How the plan's list prints it: as written, or its label."""
        return self.written or self.label

    @property
    def leans_on_list(self) -> bool:
        """Whether the written name needs its list's 区 to name the unit (教育局 for 区教育局; not 红旗镇)."""
        if not self.written:
            return False
        own = (self.unit.name, self.unit.short_name) if self.unit is not None else (self.group.name,)
        return normalized(self.written) not in {normalized(name) for name in own if name}


def printed_names(links: Sequence[ActivityUnit], left_out: Callable[[ActivityUnit], bool] = lambda link: False,
                  ) -> list[str]:
    """The one way a role's list of an activity is printed, wherever it is (the plan's documents and pages, a
    unit's tasks, the district report): each link as the plan wrote it, in the plan's order.

    A written name that leans on an earlier name's 区 (教育局 after 区发改局) gets that 区 back when the earlier
    name is `left_out` (a unit's task lists the others without the unit itself; a copy drops a unit closed
    since), so that it never reads as another unit's name."""
    printed, lent, now_lent = [], "", ""
    for link in links:
        name = link.printed
        leans_on = lent
        lent = lent_prefix(name) or lent
        if left_out(link):
            continue
        if leans_on and leans_on != now_lent and link.leans_on_list:
            name = expanded_name(name, leans_on)
        now_lent = lent_prefix(name) or now_lent
        printed.append(name)
    return printed


class Slogan(CampaignPart, Model):
    __tablename__ = "slogans"

    text: Mapped[str] = mapped_column(sa.String(200))
    sort_order: Mapped[int] = mapped_column(default=0)

    campaign = relationship("Campaign", back_populates="slogans")

    @property
    def too_long_for_banner(self) -> bool:
        return len(self.text.replace("　", "").replace(" ", "")) > BANNER_MAX_CHARS


# The sections every plan has, in order, by key (document text: not translated).
STANDARD_SECTIONS = {"theme": "活动主题", "form": "活动形式", "period": "活动时间", "content": "活动内容",
                     "requirements": "活动要求"}
# Where a section of the plan's own goes: before the first standard section, or after the one a key names.
SECTION_PLACES = ("start", *STANDARD_SECTIONS)
SECTION_TITLE_MAX = 40


class PlanSection(CampaignPart, Model):
    """A section of the plan beside the standard five (活动主题, 活动形式, 活动时间, 活动内容, 活动要求), as an office's
    plan has them: 指导思想 before them, 其他事项 after. Numbered with the others when the document is built."""

    __tablename__ = "plan_sections"

    title: Mapped[str] = mapped_column(sa.String(SECTION_TITLE_MAX))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    place: Mapped[str] = mapped_column(sa.String(16), default="requirements")
    sort_order: Mapped[int] = mapped_column(default=0)

    campaign = relationship("Campaign", back_populates="sections")

    __table_args__ = (
        sa.CheckConstraint(f"place in ({', '.join(repr(place) for place in SECTION_PLACES)})", name="place"),
    )
