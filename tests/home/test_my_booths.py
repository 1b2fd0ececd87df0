"""A unit contact sees its own booths' links and PINs, and prints their cards; never another unit's."""

import subprocess
from datetime import timedelta

from campaign.plan.models import STATUS_ISSUED
from tests.conftest import log_in


def _world(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    group = factory.group(campaign)
    other = factory.unit("江滨区住建局")
    activity = factory.activity(group, units={unit_contact.unit: "lead", other: "cooperating"})
    mine = factory.booth(activity, unit_contact.unit, pin="246810")
    theirs = factory.booth(activity, other, pin="135790")
    draft = factory.campaign(year=2026, status="draft")
    hidden = factory.booth(factory.activity(factory.group(draft), units={unit_contact.unit: "lead"}), unit_contact.unit)
    return mine, theirs, hidden


def test_contact_sees_own_booth_link_and_pin_only(factory, unit_contact, unit_client):
    mine, theirs, hidden = _world(factory, unit_contact)
    page = unit_client.get("/my-booths/").get_data(as_text=True)
    assert f"/b/{mine.staff_token}" in page and "246810" in page
    assert theirs.staff_token not in page and "135790" not in page
    assert hidden.staff_token not in page  # a draft plan's booths are not handed out yet


def test_contact_prints_own_card_with_pin_and_not_another_units(factory, unit_contact, unit_client, tmp_path):
    mine, theirs, _ = _world(factory, unit_contact)
    response = unit_client.get(f"/my-booths/{mine.id}/card.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "246810" in text.replace(" ", "")
    assert unit_client.get(f"/my-booths/{theirs.id}/card.pdf").status_code == 403


def test_organizer_has_no_my_booths_page(organizer_client):
    response = organizer_client.get("/my-booths/")
    assert response.status_code == 403
    assert "您没有权限访问此页面" in response.get_data(as_text=True)


def test_a_paused_pin_shows_on_both_sides_and_the_unit_can_rotate_its_own(app, factory, unit_contact, unit_client,
                                                                          organizer):
    """Issue 19.8: past 20 wrong PINs in an hour from anywhere, the booth's PIN entry pauses; the unit contact and
    the organizers see it, and a new link and PIN end it."""
    import sqlalchemy as sa

    from campaign.booths.models import Booth, PinFailure
    from campaign.shared.timeutil import utcnow
    from campaign.web.extensions import db

    mine, theirs, _ = _world(factory, unit_contact)
    for booth in (mine, theirs):
        db.session.add(PinFailure(booth_id=booth.id, client_key="booth", failures=20, window_started_at=utcnow(),
                                  locked_until=utcnow() + timedelta(minutes=50)))
    db.session.commit()
    old_token, old_pin = mine.staff_token, mine.pin

    page = unit_client.get("/my-booths/").get_data(as_text=True)
    assert "PIN输入已暂停" in page and page.count("更换链接和PIN") >= 1
    organizer_client = log_in(app.test_client(), organizer)
    board = organizer_client.get(f"/campaigns/{mine.campaign_id}/booths/").get_data(as_text=True)
    assert board.count("PIN输入已暂停") == 2

    assert unit_client.submit(f"/my-booths/{theirs.id}/rotate").status_code == 403
    assert unit_client.submit(f"/my-booths/{mine.id}/rotate").status_code == 302
    db.session.expire_all()
    rotated = db.session.get(Booth, mine.id)
    assert rotated.staff_token != old_token and rotated.pin != old_pin
    assert db.session.scalar(sa.select(PinFailure.id).where(PinFailure.booth_id == mine.id)) is None
    assert db.session.get(Booth, theirs.id).staff_token == theirs.staff_token
    assert "PIN输入已暂停" not in unit_client.get("/my-booths/").get_data(as_text=True)
