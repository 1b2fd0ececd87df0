"""A campaign that closes (issue 16.6, 19.1): entries until the grace period ends or the organizer closes it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaign.booths.models import Consultation, MaterialHandout
from campaign.shared.timeutil import local_today
from campaign.web.extensions import db
from tests.booths.public_card import card_form
from tests.booths.staff import PIN, count, entry, sign_in


@pytest.fixture(autouse=True)
def default_grace(app):
    # The suite keeps its May 2025 campaigns open (tests/conftest.py); here the rule runs as configured by default.
    app.config["BOOTH_GRACE_DAYS"] = 3


def _booth(factory, first_ago: int, last_ago: int):
    """A booth of a campaign that ran from `first_ago` to `last_ago` days before today."""
    today = local_today()
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign(first_day=today - timedelta(days=first_ago), last_day=today - timedelta(days=last_ago))
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    return factory.booth(activity, unit, public=True, pin=PIN)


def test_an_entry_inside_the_grace_period_is_accepted(client, factory):
    booth = _booth(factory, 4, 2)  # ended the day before yesterday: inside the 3 days
    sign_in(client, booth)
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert response.status_code == 200 and response.json["ok"]
    assert client.get(f"/p/{booth.public_token}").status_code == 200


def test_after_the_grace_period_entries_are_refused_with_whom_to_contact_and_nothing_is_stored(client, factory):
    booth = _booth(factory, 6, 4)
    sign_in(client, booth)
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert response.status_code == 409 and response.is_json
    assert response.json["error"] == "campaign_closed"
    assert "江滨区人民政府办公室" in response.json["message"] and "保留在这部手机上" in response.json["message"]
    handout = client.post(f"/b/{booth.staff_token}/api/handouts",
                          json={"uuid": entry()["uuid"], "material": "政府信息公开条例", "quantity": 3})
    assert handout.status_code == 409 and handout.json["error"] == "campaign_closed"
    assert count(Consultation) == 0 and count(MaterialHandout) == 0
    # The page says so too, and its plain form refuses without storing.
    assert "本次活动已结束登记" in client.get(f"/b/{booth.staff_token}").get_data(as_text=True)


def test_the_organizer_closing_the_campaign_stops_staff_links_and_public_cards(client, factory):
    booth = _booth(factory, 1, -1)  # running today
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    stored = entry()
    assert client.post(url, json=stored).status_code == 200
    opened = card_form(client, booth)  # a card a citizen opened before the close
    booth.campaign.status = "closed"
    db.session.commit()
    refused = client.post(url, json=entry())
    assert refused.status_code == 409 and refused.json["error"] == "campaign_closed"
    # The copy of an entry stored before the close (its answer was lost) is still answered as stored: exactly-once.
    again = client.post(url, json=stored)
    assert again.status_code == 200 and again.json["uuid"] == stored["uuid"]
    assert count(Consultation) == 1
    card = client.get(f"/p/{booth.public_token}")
    assert card.status_code == 410 and "不再接收留言" in card.get_data(as_text=True)
    posted = client.post(f"/p/{booth.public_token}", data={**opened, "kind": "政策咨询", "question": "还能留言吗？"})
    assert posted.status_code == 410 and count(Consultation) == 1
    # The phone's own correction window closes with it.
    row = db.session.scalar(sa.select(Consultation))
    withdraw = client.submit(f"/b/{booth.staff_token}/consultations/{row.id}/withdraw", {})
    assert withdraw.status_code == 302
    db.session.refresh(row)
    assert row.withdrawn_at is None


def test_a_time_after_the_period_and_its_grace_is_refused_with_a_field_message(client, factory):
    booth = _booth(factory, 1, -1)
    sign_in(client, booth)
    response = client.post(f"/b/{booth.staff_token}/api/consultations",
                           json=entry(recorded_at="2099-01-01T10:00:00+08:00"))
    assert response.status_code == 400 and "晚于活动结束" in response.json["errors"]["recorded_at"]
    assert count(Consultation) == 0


def test_the_grace_is_configurable(client, factory, app):
    booth = _booth(factory, 6, 4)
    app.config["BOOTH_GRACE_DAYS"] = 7
    sign_in(client, booth)
    assert client.post(f"/b/{booth.staff_token}/api/consultations", json=entry()).status_code == 200
