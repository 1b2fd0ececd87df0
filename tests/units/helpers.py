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


# The State Council's notice of 2026's holidays, its first two paragraphs as a web page gives them (ASCII marks).
NOTICE_2026 = ("一、元旦:1月1日(周四)至3日(周六)放假调休,共3天.1月4日(周日)上班. "
               "二、春节:2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休,共9天.2月14日(周六)、2月28日(周六)上班.")
