"""The referral tests' world (test_followups.py, test_followup_lists.py): two desks of units taking part, a town,
a unit that does not, and consultations referred from them."""

import sqlalchemy as sa

from campaign.booths.models import Consultation, FollowUp
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from tests.booths.staff import PIN
from tests.factory import Factory


def referral_desks(factory, unit_contact) -> dict:
    """区教育局 (the unit contact's unit) and 区人社局 run desks; a town takes part too; 区统计局 does not."""
    campaign = factory.campaign(status="issued")
    education = unit_contact.unit
    education.name, education.short_name = "江滨区教育局", "区教育局"
    labour = factory.unit("江滨区人力资源和社会保障局", short_name="区人社局")
    town = factory.unit("临江镇人民政府", kind="town", short_name="临江镇")
    outsider = factory.unit("江滨区统计局")
    activity = factory.activity(
        factory.group(campaign), units={education: "cooperating", labour: "cooperating", town: "lead"}
    )
    booth = factory.booth(activity, education, pin=PIN)
    labour_booth = factory.booth(activity, labour)
    return dict(
        campaign=campaign, activity=activity, booth=booth, labour_booth=labour_booth, education=education,
        labour=labour, town=town, outsider=outsider,
        labour_contact=factory.user("unit", unit=labour, username="renshe"),
    )


def consult(booth, handling="转办", recorded_at=None, unit=None, **fields) -> Consultation:
    fields.setdefault("topic", "教育入学")
    fields.setdefault("question", "孩子入学需要哪些材料？")
    consultation = Factory().consultation(
        booth, handling=handling, recorded_at=recorded_at or utcnow(), **fields
    )
    if unit is not None:
        follow_up = follow_up_of(consultation)
        follow_up.unit_id = unit.id
        db.session.commit()
    return consultation


def follow_up_of(consultation) -> FollowUp:
    return db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == consultation.id))


def log_out(client):
    client.submit("/auth/logout")
