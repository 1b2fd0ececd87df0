"""The district report: the organizer's working copy, the snapshots of what was exported, background jobs,
and the scorecard's rules."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.jobs.state import JOB_DONE, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, JobState
from campaign.plan.models import CampaignPart
from campaign.shared.timeutil import CreatedAt, UpdatedAt
from campaign.web.extensions import Model

__all__ = ["JOB_DONE", "JOB_FAILED", "JOB_QUEUED", "JOB_RUNNING", "ReportDraft", "ReportJob", "ReportSnapshot",
           "ScoreAdjustment", "ScoreRule", "ScorecardSettings"]


class ReportDraft(UpdatedAt, Model):
    """The organizer's editable text and choices for a campaign's report, before any export."""

    __tablename__ = "report_drafts"

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    # Section key → text; empty until drafted from the figures.
    narrative: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Photo ids chosen for the report, in order; None means the default (two per unit).
    photo_ids: Mapped[list | None] = mapped_column(sa.JSON, nullable=True)
    include_scorecard: Mapped[bool] = mapped_column(default=False)
    # The consultation register (one row a consultation) in the XLSX: a city's million rows make it long to write.
    include_register: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    revision: Mapped[int] = mapped_column(default=0)
    # The organizer's decisions on the numbers check (report/consistency.py): numbers kept as written, with the
    # reason, and corrections made since the last export. [{"fingerprint", "decision", "sentence", "written",
    # "expected", "reason", "by_id", "by", "at", …}]
    number_checks: Mapped[list | None] = mapped_column(sa.JSON, nullable=True)


class ReportSnapshot(CampaignPart, CreatedAt, Model):
    """What was exported, kept as it was: text, figures and the files, so it can be shown again later."""

    __tablename__ = "report_snapshots"

    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    narrative: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # [{"kind": "pdf"|"docx"|"xlsx", "path": relative to UPLOAD_DIR, "bytes": n, "sha256": ...}]
    files: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The numbers of the text that disagreed with the data and went out confirmed or corrected (who, when, why);
    # None for snapshots made before the check existed.
    number_checks: Mapped[list | None] = mapped_column(sa.JSON, nullable=True)

    created_by = relationship("User")


class ReportJob(JobState, CampaignPart, CreatedAt, Model):
    """A compilation running on the task queue (campaign/jobs/); the page polls it, and may be left and come back."""

    __tablename__ = "report_jobs"

    snapshot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_snapshots.id", ondelete="SET NULL"))

    snapshot = relationship("ReportSnapshot")

    __table_args__ = (
        sa.CheckConstraint("status in ('queued', 'running', 'done', 'failed')", name="status"),
        sa.CheckConstraint("progress >= 0 and progress <= 100", name="progress"),
    )


class ScoreRule(CampaignPart, Model):
    """One line of a campaign's scorecard: what earns a unit points, and how many."""

    __tablename__ = "score_rules"

    # Which measure, from the report's rule catalogue (e.g. "on_time", "photos", "consultations").
    kind: Mapped[str] = mapped_column(sa.String(30))
    label: Mapped[str] = mapped_column(sa.String(100))
    points: Mapped[int]
    # The rule's threshold where it has one (at least N photos, at least N consultations, share closed in time).
    threshold: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("points >= 0 and points <= 1000", name="points"),)


class ScorecardSettings(Model):
    """How a campaign's scorecard treats lateness and thin records; a campaign without a row has the defaults."""

    __tablename__ = "scorecard_settings"

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    # Partial credit: the on-time rule's points less this many per working day late, floor 0. 0: late earns nothing.
    late_points_per_day: Mapped[int] = mapped_column(default=0)
    # A booth with fewer consultations than this, or no booth when one is required: flagged, not ranked.
    min_consultations: Mapped[int] = mapped_column(default=0)
    require_booth: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        sa.CheckConstraint("late_points_per_day >= 0 and late_points_per_day <= 1000", name="late_points_per_day"),
        sa.CheckConstraint("min_consultations >= 0", name="min_consultations"),
    )


class ScoreAdjustment(CampaignPart, UpdatedAt, Model):
    """The organizer's manual adjustment of one unit's score (plus or minus), with the reason it was made."""

    __tablename__ = "score_adjustments"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"))
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(200))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "unit_id"),
        sa.CheckConstraint("points >= -1000 and points <= 1000", name="points"),
    )
