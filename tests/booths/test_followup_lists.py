"""Referral lists: the organizer's table (paged, filtered, reassigned in bulk, exported), a unit's queue, the
board's overdue list; what a withdrawn consultation leaves; masking."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.booths import followup_lists, followups
from campaign.booths.models import FollowUp
from campaign.booths.privacy import mask_name, mask_phone
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import utcnow
from campaign.shared.workdays import OfficeDay
from campaign.web.extensions import db
from tests.booths.referrals import consult, follow_up_of, referral_desks
from tests.conftest import log_in
from tests.statements import statements_sent


@pytest.fixture
def setup(factory, unit_contact):
    return referral_desks(factory, unit_contact)


# The lists -------------------------------------------------------------------------------------------------


def make_many(setup, n: int) -> None:
    for index in range(n):
        booth = setup["booth"] if index % 2 else setup["labour_booth"]
        consult(booth, unit=setup["labour"] if index % 3 else None, question=f"问题{index}",
                person_phone="13912340756", person_name="张三", consent=True)


def test_the_organizers_table_is_paginated_with_the_same_statements_whatever_the_count(setup, client, organizer):
    log_in(client, organizer)
    url = f"/follow-ups/?campaign_id={setup['campaign'].id}"
    # The office's calendar has rows of its own: still read once, whatever the count (shared/workdays.py).
    db.session.add(OfficeDay(day=date(2025, 6, 3), kind="holiday", note="本地安排"))
    db.session.commit()
    make_many(setup, 3)
    client.get(url)
    with statements_sent() as few:
        page = client.get(url).get_data(as_text=True)
    assert page.count('name="follow_up_id"') == 3
    make_many(setup, 60)
    with statements_sent() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count('name="follow_up_id"') == followup_lists.PAGE_SIZE
    assert "第 1 / 3 页，共 63 条" in page
    assert len(many) == len(few), (few, many)
    page = client.get(url + "&page=3").get_data(as_text=True)
    assert page.count('name="follow_up_id"') == 63 - 2 * followup_lists.PAGE_SIZE
    # Filters: unit, state, kind, topic, overdue; masked numbers only.
    page = client.get(url + f"&unit_id={setup['education'].id}").get_data(as_text=True)
    education = db.session.scalar(sa.select(sa.func.count()).where(FollowUp.unit_id == setup["education"].id))
    assert 0 < education < followup_lists.PAGE_SIZE
    assert page.count('name="follow_up_id"') == education and "13912340756" not in page and "139****0756" in page
    assert client.get(url + "&state=closed").get_data(as_text=True).count('name="follow_up_id"') == 0
    assert client.get(url + "&kind=需回访").get_data(as_text=True).count('name="follow_up_id"') == 0
    assert client.get(url + "&topic=社会保险").get_data(as_text=True).count('name="follow_up_id"') == 0
    assert client.get(url + "&overdue=1&state=bogus&unit_id=x").status_code == 200


def test_bulk_reassign_and_the_export_masked_unless_asked(setup, client, organizer):
    made = [follow_up_of(consult(setup["booth"], question=f"问题{n}", person_phone="13912340756", consent=True,
                                 person_name="张三")) for n in range(3)]
    log_in(client, organizer)
    response = client.submit("/follow-ups/reassign", {
        "unit_id": setup["labour"].id, "follow_up_id": [made[0].id, made[1].id], "back": "/follow-ups/?state=pending",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/follow-ups/?state=pending")
    db.session.expire_all()
    assert [db.session.get(FollowUp, f.id).unit_id for f in made] == [setup["labour"].id] * 2 + [setup["education"].id]
    refused = client.submit("/follow-ups/reassign", {"unit_id": setup["outsider"].id, "follow_up_id": [made[2].id]},
                            follow_redirects=True).get_data(as_text=True)
    assert "请选择参加本次活动的单位" in refused
    assert db.session.get(FollowUp, made[2].id).unit_id == setup["education"].id

    masked = client.get(f"/follow-ups/export.xlsx?campaign_id={setup['campaign'].id}&unit_id={setup['labour'].id}")
    sheet = load_workbook(io.BytesIO(masked.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][6] == "139****0756" and rows[1][7] == "江滨区人力资源和社会保障局"
    full = client.submit(f"/follow-ups/export-full.xlsx?campaign_id={setup['campaign'].id}", {"confirm": "y"})
    rows = list(load_workbook(io.BytesIO(full.data)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][6] == "13912340756"
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "follow_up_export_full")) == 1


def test_a_units_queue_shows_the_current_campaign_and_earlier_ones_a_click_away(setup, client, factory):
    earlier = factory.campaign(year=2024, status="closed")
    old_activity = factory.activity(factory.group(earlier), units={setup["labour"]: "lead"})
    old_booth = factory.booth(old_activity, setup["labour"])
    consult(old_booth, question="去年的问题", unit=setup["labour"])
    consult(setup["booth"], question="今年的问题", unit=setup["labour"])
    log_in(client, setup["labour_contact"])
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "今年的问题" in page and "去年的问题" not in page
    page = client.get(f"/follow-ups/?campaign_id={earlier.id}").get_data(as_text=True)
    assert "去年的问题" in page and "今年的问题" not in page


def test_overdue_ones_are_highlighted_and_listed_on_the_board(setup, client, organizer):
    old = follow_up_of(consult(setup["booth"], recorded_at=utcnow() - timedelta(days=30), question="老问题"))
    consult(setup["booth"], question="新问题")
    assert followups.is_overdue(old)
    assert [item.id for item in followup_lists.overdue_follow_ups(setup["campaign"].id)] == [old.id]
    log_in(client, organizer)
    board = client.get(f"/campaigns/{setup['campaign'].id}/board").get_data(as_text=True)
    listed = board[board.index("data-overdue-list"):]
    assert "老问题" in listed and "新问题" not in listed
    table = client.get(f"/follow-ups/?campaign_id={setup['campaign'].id}&overdue=1").get_data(as_text=True)
    assert "老问题" in table and "新问题" not in table and 'class="overdue"' in table


def test_withdrawn_consultations_leave_the_queue(setup):
    consultation = consult(setup["booth"])
    assert followup_lists.unit_queue(setup["education"].id, setup["campaign"].id).total == 1
    consultation.withdrawn_at = utcnow()
    db.session.commit()
    assert followup_lists.unit_queue(setup["education"].id, setup["campaign"].id).total == 0
    assert followup_lists.follow_up_counts(setup["campaign"].id).open == 0


def test_masking():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0571-88886666") == "0571-****6666"
    assert mask_phone("01012345678") == "010-****5678"
    assert mask_phone("") == ""
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("王小明") == "王**"

