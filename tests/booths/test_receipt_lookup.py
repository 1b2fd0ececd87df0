"""The organizer finds an entry by the receipt code somebody quotes (booths/lookup.py)."""

import uuid
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from campaign.booths import entries, lookup, receipts
from campaign.booths.models import RehearsalRecord
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from tests.conftest import log_in

DAY = date(2025, 5, 15)


@pytest.fixture
def setup(factory):
    campaign = factory.campaign(title="云岭区第十九届“5·15政务公开日”活动方案")
    other = factory.campaign(year=2024)
    activity = factory.activity(factory.group(campaign))
    booth = factory.booth(activity, factory.unit("𠮷䶮街道办事处"))
    second = factory.booth(activity, factory.unit("區教育局"))
    elsewhere = factory.booth(factory.activity(factory.group(other)), factory.unit("区医保局"))
    return {"campaign": campaign, "booth": booth, "second": second, "elsewhere": elsewhere, "factory": factory}


def at(minutes: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, 9, tzinfo=LOCAL_TZ) + timedelta(minutes=minutes)


@pytest.mark.parametrize(("typed", "stored"), [
    ("7K3M-9QXD", "7K3M-9QXD"),
    ("7k3m9qxd", "7K3M-9QXD"),
    (" 7K3M 9QXD ", "7K3M-9QXD"),
    ("７Ｋ３Ｍ－９ＱＸＤ", "7K3M-9QXD"),  # typed on a Chinese keyboard: full-width
    ("7K3M-9QXO", "7K3M-9QX0"),  # O read for 0
    ("iK3M-9QXL", "1K3M-9QX1"),  # I and L read for 1
    ("7K3M-9QXD-A1B2", "7K3M-9QXD-A1B2"),
    ("7K3M-9QX", None),  # too short
    ("7K3M-9QXU", None),  # U is no code's
    ("回执码7K3M9QXD", None),
    ("", None),
])
def test_a_code_is_read_however_it_is_quoted(typed, stored):
    assert receipts.cleaned_code(typed) == stored


def test_a_uuid_is_read_as_the_last_resort_code():
    value = str(uuid.uuid4())
    assert receipts.cleaned_code(value.upper()) == value


def test_the_code_leads_to_the_entry_on_the_page_of_the_list_that_shows_it(setup, client, organizer):
    booth, factory = setup["booth"], setup["factory"]
    # 120 entries, one a minute: the list shows 50 a page, newest first.
    recorded = [factory.consultation(booth, recorded_at=at(minutes)) for minutes in range(120)]
    handout = factory.handout(booth, "政务公开指南", 3, recorded_at=at(10))  # the same minute as a consultation
    factory.consultation(setup["second"], recorded_at=at(30))
    log_in(client, organizer)
    for kind, wanted in [("consultation", recorded[0]), ("consultation", recorded[60]), ("consultation", recorded[119]),
                         ("handout", handout), ("consultation", recorded[10])]:
        code = receipts.code_of(wanted.client_uuid)
        quoted = code.lower().replace("-", " ")
        response = client.get(f"/campaigns/{booth.campaign_id}/booths/receipt", query_string={"code": quoted})
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == f"/campaigns/{booth.campaign_id}/booths/{booth.id}/entries"
        assert location.fragment == f"{kind}-{wanted.id}"
        page = client.get(f"{location.path}?{location.query}").get_data(as_text=True)
        assert f'id="{kind}-{wanted.id}"' in page, (kind, parse_qs(location.query))
        assert code in page


def test_page_of_agrees_with_the_list_for_every_entry(setup):
    booth, factory = setup["booth"], setup["factory"]
    for minutes in range(7):
        # Two entries a minute, a handout among them: ties are broken as the list breaks them.
        factory.consultation(booth, recorded_at=at(minutes // 2))
    factory.handout(booth, recorded_at=at(1))
    # Two a page: the minute with two consultations and the handout is split across pages 2 and 3.
    for page in (1, 2, 3, 4):
        listing = entries.booth_entries(booth, page=page, per_page=2)
        assert len(listing.entries) == 2
        for shown in listing.entries:
            assert entries.page_of(booth.id, shown.kind, shown.row.id, per_page=2) == page


def test_a_code_of_another_campaign_or_nobody_s_finds_nothing_and_says_so(setup, client, organizer):
    elsewhere = setup["factory"].consultation(setup["elsewhere"], recorded_at=at(0))
    elsewhere_code = receipts.code_of(elsewhere.client_uuid)
    log_in(client, organizer)
    campaign_id = setup["campaign"].id
    for code in (elsewhere_code, "ZZZZ-ZZZZ"):
        response = client.get(f"/campaigns/{campaign_id}/booths/receipt", query_string={"code": code})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f"本次活动中没有回执码为 {code} 的登记" in page
    assert lookup.find(setup["elsewhere"].campaign_id, elsewhere_code).row.id == elsewhere.id


def test_what_cannot_be_a_code_is_refused_in_words(setup, client, organizer):
    log_in(client, organizer)
    response = client.get(f"/campaigns/{setup['campaign'].id}/booths/receipt", query_string={"code": "<script>1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "回执码是8位字母和数字" in page and "<script>1" not in page


def test_a_rehearsal_entry_is_named_as_one(setup, client, organizer):
    booth = setup["booth"]
    client_uuid = str(uuid.uuid4())
    db.session.add(RehearsalRecord(campaign_id=booth.campaign_id, booth_id=booth.id, kind="consultation",
                                   client_uuid=client_uuid, details={"topic": "医疗保障"}))
    code = receipts.assign(client_uuid)
    db.session.commit()
    log_in(client, organizer)
    page = client.get(f"/campaigns/{booth.campaign_id}/booths/receipt", query_string={"code": code}).get_data(as_text=True)
    assert f"回执码 {code} 是演练期间的测试登记" in page and booth.label in page


def test_the_booths_page_offers_the_lookup(setup, client, organizer):
    log_in(client, organizer)
    page = client.get(f"/campaigns/{setup['campaign'].id}/booths/").get_data(as_text=True)
    assert f'action="/campaigns/{setup["campaign"].id}/booths/receipt"' in page and "按回执码查找登记" in page
    # The box takes as much as the code's reader reads, no more.
    assert f'name="code" value="" placeholder="7K3M-9QXD" maxlength="{receipts.QUOTED_MAX}"' in page


# The follow-up lists' search by receipt code ---------------------------------------------------------------------


@pytest.fixture
def referrals(factory, unit_contact):
    """Three referrals to the unit contact's unit (区教育局), one to 区人社局, in an issued campaign."""
    campaign = factory.campaign(status="issued")
    education = unit_contact.unit
    labour = factory.unit("江滨区人力资源和社会保障局")
    activity = factory.activity(factory.group(campaign), units={education: "lead", labour: "cooperating"})
    booth, labour_booth = factory.booth(activity, education), factory.booth(activity, labour)
    ours = [factory.consultation(booth, handling="转办", recorded_at=at(n), question=f"入学材料第{n}问") for n in range(3)]
    theirs = factory.consultation(labour_booth, handling="转办", recorded_at=at(5), question="社保转移接续")
    return {"campaign": campaign, "ours": ours, "theirs": theirs}


def test_the_organizers_follow_up_table_finds_the_referral_a_code_names(referrals, client, organizer):
    log_in(client, organizer)
    campaign_id = referrals["campaign"].id
    wanted = referrals["ours"][1]
    code = receipts.code_of(wanted.client_uuid)
    page = client.get("/follow-ups/", query_string={"campaign_id": campaign_id,
                                                    "receipt": code.lower().replace("-", "")}).get_data(as_text=True)
    assert "入学材料第1问" in page and "入学材料第0问" not in page and "社保转移接续" not in page
    assert f'value="{code.lower().replace("-", "")}"' in page  # shown back as typed
    assert f'maxlength="{receipts.QUOTED_MAX}"' in page
    # The export of the filtered table holds that one referral too.
    assert 'receipt=' in page
    nobody = client.get("/follow-ups/", query_string={"campaign_id": campaign_id, "receipt": "ZZZZ-ZZZZ"})
    assert "入学材料" not in nobody.get_data(as_text=True)
    unreadable = client.get("/follow-ups/", query_string={"campaign_id": campaign_id, "receipt": "回执码？"})
    text = unreadable.get_data(as_text=True)
    assert unreadable.status_code == 200 and "回执码是8位字母和数字" in text
    assert all(f"入学材料第{n}问" in text for n in range(3))  # filters nothing


def test_a_unit_finds_its_own_referral_by_code_and_never_another_units(referrals, client, unit_contact):
    log_in(client, unit_contact)
    wanted = referrals["ours"][2]
    page = client.get("/follow-ups/", query_string={"receipt": receipts.code_of(wanted.client_uuid)}).get_data(as_text=True)
    assert "入学材料第2问" in page and "入学材料第1问" not in page
    # Another unit's referral is not found by its code: the queue lists only this unit's.
    other = client.get("/follow-ups/", query_string={"receipt": receipts.code_of(referrals["theirs"].client_uuid)})
    assert "社保转移接续" not in other.get_data(as_text=True) and "入学材料" not in other.get_data(as_text=True)
