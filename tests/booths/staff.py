"""What the booth staff tests share: the booth's PIN, signing a phone in, and an entry as the phone sends it."""

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
