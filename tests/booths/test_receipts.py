"""Receipt codes (issue 16.5): stored with the entry, unique across every entry (so within a campaign), stable once
the server answered, short in the common case; shown on the phone, the organizer's entry list, the export and the
public card's thanks page as stored."""

import importlib.util
import re
import uuid
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.booths import receipts
from campaign.booths.export import write_workbook
from campaign.booths.models import Consultation, MaterialHandout, ReceiptCode
from campaign.booths.recording import record_consultation, record_handout
from campaign.web.extensions import db
from tests.booths.public_card import send
from tests.booths.staff import colliding, count, entry, rehearsing_booth, sign_in
from tests.racing import at_once

SHORT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
LONGER = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2,5}$")
FIELDS = {"kind": "政策咨询", "topic": "社会保险"}


def stored() -> dict[str, str]:
    db.session.expire_all()
    return {value: code for value, code in db.session.execute(sa.select(ReceiptCode.client_uuid, ReceiptCode.code))}


# The rule -------------------------------------------------------------------------------------------------------


def test_a_code_is_the_uuids_random_bits_in_crockford_base32():
    value = "0f1e2d3c-4b5a-4697-8877-665544332211"
    codes = receipts.candidates(value)
    # Its first 40 bits (0x0f1e2d3c4b) in Crockford's base32, most significant first: the code as it always was.
    assert codes[0] == receipts.first_code(value) == "1WF2-TF2B" and SHORT.match(codes[0])
    # Longer ones continue it, four characters (20 bits) at a time; the last resort is the UUID itself.
    assert [len(code.replace("-", "")) for code in codes[:-1]] == [8, 12, 16, 20, 24] and codes[-1] == value
    assert all(code.startswith(codes[0]) and LONGER.match(code) for code in codes[1:-1])
    # The version nibble and the variant bits are not random: they never change a code; every random bit does.
    number = uuid.UUID(value).int
    same = [number ^ (1 << 76), number ^ (1 << 79), number ^ (1 << 62), number ^ (1 << 63)]
    for other in same:
        assert receipts.candidates(str(uuid.UUID(int=other)))[:-1] == codes[:-1]
    for bit in (127, 88, 80, 75, 64, 61, 2):
        assert receipts.candidates(str(uuid.UUID(int=number ^ (1 << bit))))[-2] != codes[-2]


def test_the_migration_gives_codes_by_the_same_rule():
    path = Path(__file__).parents[2] / "migrations" / "versions" / "r9c4e1a7d3b2_receipt_codes.py"
    spec = importlib.util.spec_from_file_location("receipt_codes_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for value in [str(uuid.uuid4()) for _n in range(200)] + ["00000000-0000-0000-0000-000000000000"]:
        assert migration._candidates(value) == receipts.candidates(value)


# Given once, unique, stable ----------------------------------------------------------------------------------------


def test_a_collision_gets_a_longer_code_and_both_stay_on_a_resend(client, booth):
    first = str(uuid.uuid4())
    second = colliding(first)
    assert receipts.first_code(first) == receipts.first_code(second)

    one = record_consultation(booth, FIELDS, first)
    two = record_consultation(booth, FIELDS, second)
    assert one.created and two.created
    assert one.receipt == receipts.first_code(first) and SHORT.match(one.receipt)
    assert two.receipt != one.receipt and LONGER.match(two.receipt) and two.receipt.startswith(one.receipt)
    assert stored() == {first: one.receipt, second: two.receipt}

    # Resent (the phone lost the answer), in either order: the same entries, the same codes, nothing new.
    assert record_consultation(booth, FIELDS, second)[1:] == (False, two.receipt)
    assert record_consultation(booth, FIELDS, first)[1:] == (False, one.receipt)
    db.session.rollback()  # the insert that stored nothing still holds SQLite's write lock (a request ends it)
    sign_in(client, booth)
    for value, code in ((second, two.receipt), (first, one.receipt)):
        answer = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(uuid=value))
        assert answer.status_code == 200 and answer.json["receipt"] == code
    assert count(Consultation) == 2 and len(stored()) == 2


def test_consultations_and_handouts_share_one_domain(client, booth):
    """A handout whose UUID starts as a consultation's does gets a longer code: no two entries share one."""
    sign_in(client, booth)
    consultation = entry()
    handout_uuid = colliding(consultation["uuid"])
    answer = client.post(f"/b/{booth.staff_token}/api/consultations", json=consultation)
    handout = client.post(f"/b/{booth.staff_token}/api/handouts",
                          json={"uuid": handout_uuid, "material": "宣传单", "quantity": 5})
    assert answer.json["receipt"] == receipts.first_code(consultation["uuid"])
    assert handout.json["receipt"] != answer.json["receipt"] and LONGER.match(handout.json["receipt"])
    assert stored() == {consultation["uuid"]: answer.json["receipt"], handout_uuid: handout.json["receipt"]}
    again = client.post(f"/b/{booth.staff_token}/api/handouts",
                        json={"uuid": handout_uuid, "material": "宣传单", "quantity": 5})
    assert again.json == handout.json and count(MaterialHandout) == 1
    # The phone's recent list shows both, each with its own code.
    recent = client.get(f"/b/{booth.staff_token}/api/summary").json["recent"]
    assert {row["uuid"]: row["receipt"] for row in recent} == stored()


def _at_once(app, booth, pair: list[str]) -> dict[str, str]:
    """Each UUID recorded by its own thread of the app (as two server workers), released at the same moment:
    {uuid: the code its answer carried}."""

    def send(ready, client_uuid: str) -> tuple[str, str]:
        own_booth = db.session.get(type(booth), booth.id)
        ready()
        return client_uuid, record_consultation(own_booth, FIELDS, client_uuid, device_id="d").receipt

    return dict(at_once(app, send, pair))


def test_two_phones_sending_colliding_entries_at_once_get_two_codes(app, booth):
    """UUIDs that share their first 40 bits, inserted at the same moment: two rows, two different codes, the
    database deciding which gets the short one."""
    for _round in range(5):
        first = str(uuid.uuid4())
        pair = [first, colliding(first)]
        answers = _at_once(app, booth, pair)
        assert set(answers) == set(pair) and len(set(answers.values())) == 2
        assert sorted(answers.values(), key=len)[0] == receipts.first_code(first)
        codes = stored()
        assert all(codes[value] == answers[value] for value in pair)
    assert count(Consultation) == 10 and len(stored()) == 10


def test_entries_stored_without_a_code_get_theirs_in_order(booth, factory):
    """The demo's and the benchmarks' bulk loads: give_missing gives the codes recording would, oldest first."""
    first = str(uuid.uuid4())
    values = [first, colliding(first), str(uuid.uuid4())]
    for value in values:
        db.session.add(Consultation(client_uuid=value, booth_id=booth.id, **FIELDS))
    db.session.add(MaterialHandout(client_uuid=colliding(first), booth_id=booth.id, material="宣传单", quantity=1))
    db.session.commit()
    receipts.give_missing(batch=2)
    db.session.commit()
    codes = stored()
    assert len(codes) == 4 and len(set(codes.values())) == 4
    assert codes[values[0]] == receipts.first_code(first) and LONGER.match(codes[values[1]])
    assert codes[values[2]] == receipts.first_code(values[2])
    receipts.give_missing()
    assert stored() == codes


# Shown as stored ----------------------------------------------------------------------------------------------


def test_the_list_and_the_export_show_the_stored_codes(organizer_client, booth):
    first = str(uuid.uuid4())
    values = [first, colliding(first)] + [str(uuid.uuid4()) for _n in range(30)]
    for value in values:
        record_consultation(booth, FIELDS, value)
    handout = record_handout(booth, "宣传单", 3, str(uuid.uuid4()))
    codes = stored()
    assert len(set(codes.values())) == len(values) + 1
    page = organizer_client.get(
        f"/campaigns/{booth.campaign_id}/booths/{booth.id}/entries").get_data(as_text=True)
    shown = re.findall(r'class="receipt">回执码 ([0-9A-Z-]+)<', page)
    assert set(shown) == set(codes.values()) and codes[values[1]] in shown and handout.receipt in shown
    buffer = BytesIO()
    write_workbook(booth.campaign, buffer, register_only=True)
    sheet = load_workbook(BytesIO(buffer.getvalue()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("回执码")
    assert sorted(row[column] for row in rows[1:]) == sorted(codes[value] for value in values)


def test_the_phone_gets_the_stored_code_of_a_confirmed_entry(client, booth):
    taken = str(uuid.uuid4())
    record_consultation(booth, FIELDS, taken)
    sign_in(client, booth)
    sent = entry(uuid=colliding(taken))
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=sent)
    code = stored()[sent["uuid"]]
    assert response.json["receipt"] == code and LONGER.match(code)
    summary = client.get(f"/b/{booth.staff_token}/api/summary").json
    assert summary["recent"][0]["uuid"] == sent["uuid"] and summary["recent"][0]["receipt"] == code
    assert f"回执码 {code}" in summary["recent_html"]


def test_the_public_cards_thanks_page_shows_the_stored_code_with_when_to_expect_a_reply(client, factory):
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign()
    booth = factory.booth(factory.activity(factory.group(campaign), units={unit: "lead"}), unit, public=True)
    response = send(client, booth, topic="社会保险", person_phone="13812345678", consent="y", person_name="王")
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'data-receipt="([^"]+)"', thanks).group(1)
    [client_uuid] = db.session.scalars(sa.select(Consultation.client_uuid)).all()
    assert SHORT.match(code) and code == stored()[client_uuid] and "通过您留下的电话答复您" in thanks
    # A forged link names no stored entry: no code.
    forged = client.get(f"/p/{booth.public_token}/thanks?entry={uuid.uuid4()}").get_data(as_text=True)
    assert "data-receipt" not in forged


def test_a_rehearsals_test_entries_get_codes_from_the_same_domain_never_reused(client, factory, organizer):
    """A volunteer trying the desk sees a code like the day's; ending the rehearsal deletes the entries, and the
    codes they had are not given again (a code is never reused)."""
    from campaign.booths import rehearsal

    booth = rehearsing_booth(factory, organizer)
    sign_in(client, booth)
    sent = entry()
    answers = [client.post(f"/b/{booth.staff_token}/api/consultations", json=sent).json for _n in range(2)]
    code = stored()[sent["uuid"]]
    assert answers[0]["receipt"] == answers[1]["receipt"] == code == receipts.first_code(sent["uuid"])
    later = colliding(sent["uuid"])
    handout = client.post(f"/b/{booth.staff_token}/api/handouts", json={"uuid": later, "material": "宣传单",
                                                                        "quantity": 2}).json
    assert LONGER.match(handout["receipt"])
    assert rehearsal.end(booth.campaign, organizer) is not None
    db.session.commit()
    assert stored() == {sent["uuid"]: code, later: handout["receipt"]}
    # The day's first entry whose UUID starts the same way gets a code of its own.
    assert receipts.assign(colliding(sent["uuid"])) not in (code, handout["receipt"])
