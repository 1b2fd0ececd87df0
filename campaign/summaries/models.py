"""A unit's summary of one campaign, the figures it corrected, and its photos."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.plan.models import CampaignPart
from campaign.shared.timeutil import CreatedAt, UpdatedAt, UTCDateTime
from campaign.web.extensions import Model

STATUS_DRAFT = "draft"
STATUS_SUBMITTED = "submitted"
STATUS_RETURNED = "returned"
STATUS_ACCEPTED = "accepted"
STATUSES = (STATUS_DRAFT, STATUS_SUBMITTED, STATUS_RETURNED, STATUS_ACCEPTED)

# The narrative's sections, in the order of every summary written in the offices (domain.md).
SECTIONS = (
    ("leadership", "领导重视"),
    ("activities", "开展情况"),
    ("results", "主要成效"),
    ("problems", "存在问题"),
    ("next_steps", "下一步工作"),
)

# What only the unit knows, with no booth record behind it.
UNIT_FIGURES = (
    ("staff_count", "参与工作人员（人次）"),
    ("display_boards", "展板（块）"),
    ("banners", "横幅（条）"),
    ("interpretations_published", "发布政策解读（篇）"),
    ("hotline_answered", "热线解答问题（个）"),
    ("online_posts", "网站、新媒体发布信息（条）"),
)


class UnitSummary(CampaignPart, CreatedAt, UpdatedAt, Model):
    __tablename__ = "unit_summaries"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default=STATUS_DRAFT)
    # Section key → text, keys from SECTIONS.
    narrative: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Key from UNIT_FIGURES → whole number.
    unit_figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The recorded figures as they stood at acceptance (figures.as_accepted): an entry changed later by an organizer
    # shows beside them, and never moves what was accepted. None unless accepted.
    accepted_figures: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    leaders_present: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"title": ..., "url": ...}] links to videos hosted elsewhere.
    video_links: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Raised by every saved change; an autosave names the revision it edited, so a stale tab cannot overwrite.
    revision: Mapped[int] = mapped_column(default=0)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    late: Mapped[bool] = mapped_column(default=False)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review_note: Mapped[str] = mapped_column(sa.Text, default="")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    unit = relationship("Unit")
    campaign = relationship("Campaign")
    corrections = relationship(
        "FigureCorrection", back_populates="summary", cascade="all, delete-orphan", order_by="FigureCorrection.key"
    )
    photos = relationship(
        "Photo", back_populates="summary", cascade="all, delete-orphan", order_by="Photo.sort_order, Photo.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "unit_id", name="uq_unit_summaries_campaign_unit"),
        sa.CheckConstraint("status in ('draft', 'submitted', 'returned', 'accepted')", name="status"),
    )


class FigureCorrection(UpdatedAt, Model):
    """A recorded figure the unit corrected: both values are kept, and the organizer sees both."""

    __tablename__ = "summary_figure_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(sa.ForeignKey("unit_summaries.id", ondelete="CASCADE"), index=True)
    # Which figure, e.g. "consultations", "kind:政策咨询", "material:宣传单".
    key: Mapped[str] = mapped_column(sa.String(80))
    recorded: Mapped[int]
    corrected: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    summary = relationship("UnitSummary", back_populates="corrections")

    __table_args__ = (sa.UniqueConstraint("summary_id", "key", name="uq_summary_figure_corrections_summary_key"),)


class Photo(CreatedAt, Model):
    """One uploaded photo; only the derived copies (EXIF stripped, upright) are kept and served."""

    __tablename__ = "summary_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(sa.ForeignKey("unit_summaries.id", ondelete="CASCADE"), index=True)
    # Of the uploaded file's bytes: the same photo uploaded twice is recognised.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    caption: Mapped[str] = mapped_column(sa.String(200), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    # Paths relative to UPLOAD_DIR.
    display_path: Mapped[str] = mapped_column(sa.String(200))
    display_width: Mapped[int] = mapped_column(default=0)
    display_height: Mapped[int] = mapped_column(default=0)
    display_bytes: Mapped[int] = mapped_column(default=0)
    thumb_path: Mapped[str] = mapped_column(sa.String(200))
    thumb_width: Mapped[int] = mapped_column(default=0)
    thumb_height: Mapped[int] = mapped_column(default=0)

    summary = relationship("UnitSummary", back_populates="photos")

    __table_args__ = (sa.UniqueConstraint("summary_id", "sha256", name="uq_summary_photos_summary_sha256"),)


class SummaryWindow(Model):
    """Per campaign: whether the office still takes summaries. After the deadline they are taken, marked late,
    until the organizer closes the window."""

    __tablename__ = "summary_windows"

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
