"""A background job that produces one file to download (an export, the cards PDF)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.jobs.state import JobState
from campaign.plan.models import CampaignPart
from campaign.shared.timeutil import CreatedAt
from campaign.web.extensions import Model


class FileJob(JobState, CampaignPart, CreatedAt, Model):
    """One requested file: what to make (`kind`, registered by its stage, and `params`), its progress, and once done
    the file kept under UPLOAD_DIR/exports/<campaign>/<job>/ for download."""

    __tablename__ = "file_jobs"

    kind: Mapped[str] = mapped_column(sa.String(30))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Relative to UPLOAD_DIR; empty until done.
    file_path: Mapped[str] = mapped_column(sa.String(300), default="")
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    file_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    __table_args__ = (
        sa.CheckConstraint("status in ('queued', 'running', 'done', 'failed')", name="status"),
        sa.CheckConstraint("progress >= 0 and progress <= 100", name="progress"),
    )
