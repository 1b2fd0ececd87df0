"""What the units' tests read back: the units in their order, their names, the audit events of an action, and a
page's text."""

import html

import sqlalchemy as sa

from campaign.shared.audit import AuditEvent
from campaign.units.models import Unit
from campaign.web.extensions import db


def units_in_order() -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).order_by(Unit.sort_order, Unit.id)))


def unit_names() -> list[str]:
    return [unit.name for unit in units_in_order()]


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
