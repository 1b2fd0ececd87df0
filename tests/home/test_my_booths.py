"""A unit contact sees its own booths' links and PINs, and prints their cards; never another unit's."""

import subprocess

from campaign.plan.models import STATUS_ISSUED


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
