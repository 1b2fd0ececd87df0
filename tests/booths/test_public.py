"""The public card: anyone may leave a question or a rating; honeypot, limits per address and per booth."""

import re
import uuid

import pytest
import sqlalchemy as sa

from campaign.booths.models import SOURCE_PUBLIC, Consultation, FollowUp, PublicCardHour
from campaign.shared.timeutil import local_today
from campaign.shared.workdays import add_working_days
from campaign.summaries.figures import figure_label, recorded_figures_by_unit
from campaign.web.extensions import db
from tests.booths.public_card import card, card_form, send
from tests.conftest import log_in


@pytest.fixture
def booth(factory):
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign))
    return factory.booth(activity, factory.unit("江滨区人社局"), public=True)


def _public_rows(booth) -> list[Consultation]:
    return list(db.session.scalars(sa.select(Consultation).where(Consultation.booth_id == booth.id)))


def test_a_question_is_stored_as_public_input(client, booth):
    response = send(client, booth, topic="社会保险")
    assert response.status_code == 302
    assert f"/p/{booth.public_token}/thanks" in response.headers["Location"]
    [row] = _public_rows(booth)
    assert (row.source, row.kind, row.topic) == (SOURCE_PUBLIC, "政策咨询", "社会保险")
    assert row.question == "灵活就业人员怎么参加养老保险？"
    assert (row.person_name, row.person_phone, row.consent) == ("", "", False)
    assert "谢谢" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_question_with_a_number_is_a_referral_routed_by_topic_and_the_thanks_page_says_when(client, factory):
    campaign = factory.campaign(status="issued")
    town, labour = factory.unit("临江镇人民政府", kind="town"), factory.unit("江滨区人力资源和社会保障局")
    activity = factory.activity(factory.group(campaign), units={town: "lead", labour: "cooperating"})
    booth = factory.booth(activity, town, public=True)

    response = send(client, booth, topic="社会保险", person_name="李四", person_phone="13912340756", consent="y")
    [row] = _public_rows(booth)
    assert row.handling == "转办"
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == row.id))
    assert follow_up.unit_id == labour.id  # the route for 社会保险, not the town that ran the desk
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    expected = add_working_days(local_today(), 5)
    assert f'data-reply-by="{expected.isoformat()}"' in thanks and f"{expected.month}月{expected.day}日" in thanks

    # A topic without a route: the desk's own unit.
    send(client, booth, topic="其他", person_phone="13912340757", consent="y")
    other = db.session.scalar(sa.select(FollowUp).join(Consultation).where(Consultation.topic == "其他"))
    assert other.unit_id == town.id


def test_a_question_without_contact_is_counted_unanswered_never_answered_on_the_spot(client, booth):
    response = send(client, booth, topic="社会保险")
    [row] = _public_rows(booth)
    assert row.handling == "未答复"
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "没有留下联系电话" in thanks
    figures = recorded_figures_by_unit(booth.campaign_id, [booth.unit_id])[booth.unit_id]
    assert (figures["handling:未答复"], figures["handling:当场解答"]) == (1, 0)
    assert figure_label("handling:未答复") == "未答复（无联系方式，人次）"


def test_a_rating_alone_is_enough(client, booth):
    response = send(client, booth, question="", satisfaction="满意")
    assert response.status_code == 302
    [row] = _public_rows(booth)
    assert (row.satisfaction, row.question, row.source) == ("满意", "", SOURCE_PUBLIC)


def test_an_empty_card_is_refused_with_a_message(client, booth):
    response = send(client, booth, question="  ")
    assert response.status_code == 200
    assert "请写下您的问题或意见" in response.get_data(as_text=True)
    assert _public_rows(booth) == []


def test_too_long_a_question_is_refused(client, booth):
    response = send(client, booth, question="问" * 501)
    assert "500" in response.get_data(as_text=True)
    assert _public_rows(booth) == []


def test_the_honeypot_answers_like_success_and_stores_nothing(client, booth):
    response = send(client, booth, website="http://spam.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/thanks")
    assert _public_rows(booth) == []


def test_the_honeypot_is_hidden_from_people(client, booth):
    page = card(client, booth)
    honeypot = re.search(r"<input[^>]*name=\"website\"[^>]*>", page).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "请勿填写" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"person_phone": "13812345678"}, "需要勾选同意"),
        ({"person_name": "张三"}, "需要勾选同意"),
        ({"person_phone": "12345", "consent": "y"}, "正确的手机号"),
        ({"person_phone": "23812345678", "consent": "y"}, "正确的手机号"),
    ],
)
def test_contact_details_need_consent_and_a_real_number(client, booth, fields, error):
    response = send(client, booth, **fields)
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert _public_rows(booth) == []


@pytest.mark.parametrize(("phone", "stored"), [("138 1234 5678", "13812345678"), ("0571-87654321", "0571-87654321")])
def test_contact_details_with_consent_are_kept(client, booth, phone, stored):
    response = send(client, booth, person_name="张三", person_phone=phone, consent="y")
    assert response.status_code == 302
    [row] = _public_rows(booth)
    assert row.consent is True
    assert row.person_name == "张三"
    assert row.person_phone == stored


def test_the_same_card_sent_twice_is_stored_once(client, booth):
    data = card_form(client, booth)
    data.update({"kind": "投诉", "question": "窗口排队太久。"})
    first = client.post(f"/p/{booth.public_token}", data=data)
    second = client.post(f"/p/{booth.public_token}", data=data)
    assert first.status_code == second.status_code == 302
    assert len(_public_rows(booth)) == 1


def test_each_address_is_limited(app, client, booth):
    app.config["PUBLIC_RATE_LIMIT"] = "3 per 10 minutes"
    for _ in range(3):
        assert send(client, booth).status_code == 302
    response = send(client, booth)
    assert response.status_code == 429
    assert "请过一会儿再提交" in response.get_data(as_text=True)
    assert len(_public_rows(booth)) == 3


def test_the_default_limit_is_five_per_phone_and_the_crowd_on_one_address_goes_on(app, client, booth):
    """Issue 19.7: a venue's crowd shares one address; one phone's limit is its own."""
    for _ in range(5):
        assert send(client, booth).status_code == 302
    refused = send(client, booth)
    assert refused.status_code == 429
    assert "请过一会儿再提交" in refused.get_data(as_text=True)
    neighbour = app.test_client()
    assert send(neighbour, booth).status_code == 302
    assert len(_public_rows(booth)) == 6
    # The refused entry is stored nowhere and counted for the organizers.
    assert db.session.scalar(sa.select(PublicCardHour.refused)) == 1


def test_each_booth_is_capped_per_hour(app, booth):
    app.config["PUBLIC_BOOTH_HOURLY_CAP"] = 3
    answers = [send(app.test_client(), booth).status_code for _phone in range(4)]
    assert answers == [302, 302, 302, 429]
    assert len(_public_rows(booth)) == 3


def test_a_card_sent_again_or_refused_as_invalid_takes_no_share_of_the_cap(app, client, booth):
    app.config["PUBLIC_BOOTH_HOURLY_CAP"] = 1
    data = card_form(client, booth)
    data.update({"kind": "投诉", "question": "窗口排队太久。"})
    assert client.post(f"/p/{booth.public_token}", data=data).status_code == 302
    app.config["PUBLIC_BOOTH_HOURLY_CAP"] = 2
    assert client.post(f"/p/{booth.public_token}", data=data).status_code == 302  # the same entry again
    assert send(app.test_client(), booth).status_code == 302
    assert len(_public_rows(booth)) == 2


def test_staff_entries_do_not_count_against_the_public_cap(client, booth):
    db.session.add_all(
        Consultation(client_uuid=str(uuid.uuid4()), booth_id=booth.id, kind="政策咨询", source="staff")
        for _ in range(200)
    )
    db.session.commit()
    response = send(client, booth)
    assert response.status_code == 302
    assert f"/p/{booth.public_token}/thanks" in response.headers["Location"]
    assert sum(row.source == SOURCE_PUBLIC for row in _public_rows(booth)) == 1


def test_an_unknown_token_is_a_friendly_404(client, factory):
    response = client.get("/p/no-such-token")
    assert response.status_code == 404
    assert "链接无效" in response.get_data(as_text=True)
    campaign = factory.campaign()
    booth = factory.booth(factory.activity(factory.group(campaign)), factory.unit())
    assert booth.public_token is None
    assert client.get(f"/p/{booth.staff_token}").status_code == 404


def test_an_inactive_booth_takes_no_input(client, booth):
    data = card_form(client, booth)  # the card as it was open on a phone before the booth was switched off
    data.update({"kind": "政策咨询", "question": "灵活就业人员怎么参加养老保险？"})
    booth.active = False
    db.session.commit()
    assert client.get(f"/p/{booth.public_token}").status_code == 404
    assert client.post(f"/p/{booth.public_token}", data=data).status_code == 404
    assert _public_rows(booth) == []


def test_a_post_without_the_csrf_token_keeps_what_was_typed(client, booth):
    data = card_form(client, booth)
    data.pop("csrf_token")
    data.update({"kind": "政策咨询", "question": "公积金怎么提取？"})
    response = client.post(f"/p/{booth.public_token}", data=data)
    assert response.status_code == 400
    assert "公积金怎么提取？" in response.get_data(as_text=True)
    assert _public_rows(booth) == []


def test_organizers_see_the_refusals_on_the_board(app, client, booth, organizer):
    app.config["PUBLIC_DEVICE_LIMIT"] = 1
    assert send(client, booth).status_code == 302
    assert send(client, booth).status_code == 429
    assert send(client, booth).status_code == 429
    board = log_in(app.test_client(), organizer).get(f"/campaigns/{booth.campaign_id}/board").get_data(as_text=True)
    assert "过去24小时有 2 条公众留言因提交过于频繁被拒" in board and f"{booth.label} 2" in board
