"""What the booth staff tests share: the booth's PIN, signing a phone in, an entry as the phone sends it, a UUID
whose receipt code collides with another's, and a booth in rehearsal."""

import re
import uuid

import sqlalchemy as sa

from campaign.web.extensions import db

PIN = "246810"


def page(token: str) -> str:
    return f"/b/{token}"


def sign_in(client, booth) -> None:
    response = client.submit(f"/b/{booth.staff_token}/pin", {"pin": PIN})
    assert response.status_code == 302, response.get_data(as_text=True)


def entry(**fields) -> dict:
    values = {
        "uuid": str(uuid.uuid4()), "kind": "政策咨询", "topic": "社会保险", "question": "灵活就业养老保险怎么缴？",
        "asker_type": "群众", "handling": "当场解答", "person_name": "", "person_phone": "", "consent": False,
        "satisfaction": "满意",
    }
    values.update(fields)
    return values


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def form_uuid(html: str, form_id: str = "cform") -> str:
    form = html[html.index(f'id="{form_id}"'):]
    return re.search(r'name="uuid" type="hidden" value="([^"]+)"', form).group(1)


def colliding(client_uuid: str) -> str:
    """Another version-4 UUID with the same first 40 bits (ten hex digits), hence the same eight-character code."""
    other = uuid.UUID(client_uuid[:8] + client_uuid[9:11] + uuid.uuid4().hex[10:])
    return str(uuid.UUID(int=other.int, version=4))


def rehearsing_booth(factory, organizer, days_ahead: int = 10):
    """A booth of an issued campaign whose first day is `days_ahead` days away, rehearsing since now."""
    from datetime import timedelta

    from campaign.booths import rehearsal
    from campaign.plan.models import STATUS_ISSUED
    from campaign.shared.timeutil import local_today

    today = local_today()
    unit = factory.unit("滨海市䶮山区人社局")
    campaign = factory.campaign(first_day=today + timedelta(days=days_ahead),
                                last_day=today + timedelta(days=days_ahead + 2), status=STATUS_ISSUED)
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    booth = factory.booth(activity, unit, public=True, pin=PIN)
    assert rehearsal.start(campaign, organizer)
    db.session.commit()
    return booth
