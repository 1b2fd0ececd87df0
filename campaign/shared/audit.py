"""The audit log: who did what to which object, and when."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from campaign.shared.timeutil import UTCDateTime, utcnow
from campaign.web.extensions import Model, db


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[int | None]
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    user = relationship("User")


# action -> words shown in the audit log; each module registers the actions it records.
ACTION_LABELS: dict = {}


def register_action_labels(labels: dict) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def record(user, action: str, obj, *, campaign_id: int | None = None, **detail) -> AuditEvent:
    """Add an audit event to the session; the caller commits it with the change it describes."""
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        campaign_id=campaign_id,
        detail=detail,
    )
    db.session.add(event)
    return event


def newest_events(*conditions, limit: int) -> list[AuditEvent]:
    """The audit events that meet `conditions`, newest first, at most `limit`, with who did each."""
    return list(db.session.scalars(
        sa.select(AuditEvent)
        .where(*conditions)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ))
