"""Receipt codes (issue 16.5): derived from the entry's UUID, stable, unique within a campaign, and shown on the
phone, the organizer's entry list, the export and the public card's thanks page."""

import re
import uuid
from io import BytesIO

from openpyxl import load_workbook

from campaign.booths.export import write_workbook
from campaign.booths.receipts import receipt_code
from campaign.booths.recording import record_consultation
from tests.booths.staff import entry, sign_in
from tests.booths.test_public import _send

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_a_code_is_stable_short_and_readable():
    value = "0f1e2d3c-4b5a-4697-8877-665544332211"
    assert receipt_code(value) == receipt_code(value.upper()) == receipt_code(value)
    assert CODE.match(receipt_code(value))
    # Its first 40 bits (0x0f1e2d3c4b) in Crockford's base32, most significant first.
    assert receipt_code(value) == "1WF2-TF2B"
    assert receipt_code("not a uuid") == "" and receipt_code("") == ""
    assert receipt_code("00000000-0000-4000-8000-000000000000") != receipt_code("00000001-0000-4000-8000-000000000000")


def test_codes_are_unique_within_a_campaign_and_shown_in_the_list_and_export(organizer_client, booth):
    uuids = [str(uuid.uuid4()) for _ in range(400)]
    for value in uuids:
        record_consultation(booth, {"kind": "政策咨询", "topic": "社会保险"}, value)
    codes = {receipt_code(value) for value in uuids}
    assert len(codes) == len(uuids)
    page = organizer_client.get(
        f"/campaigns/{booth.campaign_id}/booths/{booth.id}/entries").get_data(as_text=True)
    shown = set(re.findall(r'class="receipt">回执码 ([0-9A-Z]{4}-[0-9A-Z]{4})<', page))
    assert shown and shown <= codes
    buffer = BytesIO()
    write_workbook(booth.campaign, buffer, register_only=True)
    sheet = load_workbook(BytesIO(buffer.getvalue()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("回执码")
    assert {row[column] for row in rows[1:]} == codes


def test_the_phone_gets_the_code_of_a_confirmed_entry(client, booth):
    sign_in(client, booth)
    sent = entry()
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=sent)
    assert response.json["receipt"] == receipt_code(sent["uuid"])
    summary = client.get(f"/b/{booth.staff_token}/api/summary").json
    assert summary["recent"][0]["receipt"] == receipt_code(sent["uuid"])
    assert receipt_code(sent["uuid"]) in summary["recent_html"]


def test_the_public_cards_thanks_page_shows_the_code_with_when_to_expect_a_reply(client, factory):
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign()
    booth = factory.booth(factory.activity(factory.group(campaign), units={unit: "lead"}), unit, public=True)
    response = _send(client, booth, topic="社会保险", person_phone="13812345678", consent="y", person_name="王")
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'data-receipt="([^"]+)"', thanks).group(1)
    assert CODE.match(code) and "通过您留下的电话答复您" in thanks
    # A forged link names no stored entry: no code.
    forged = client.get(f"/p/{booth.public_token}/thanks?entry={uuid.uuid4()}").get_data(as_text=True)
    assert "data-receipt" not in forged
