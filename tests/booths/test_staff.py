"""The booth staff's phone page: PIN, device cookie, plain forms, corrections."""

import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaign.booths import desk
from campaign.booths.models import Consultation, FollowUp, MaterialHandout, PinFailure, new_token
from campaign.shared.phones import clean_phone
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from tests.booths.staff import PIN, count, entry, form_uuid, page, sign_in

# PIN and device ----------------------------------------------------------------------------------------------


def test_first_visit_asks_for_the_pin(client, booth):
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    assert "登记咨询" not in html


def test_wrong_pins_lock_the_device_out(client, booth):
    url = f"/b/{booth.staff_token}/pin"
    response = client.submit(url, {"pin": "000000"})
    assert response.status_code == 200
    assert "PIN不正确，还可以再试4次" in response.get_data(as_text=True)
    for _try in range(3):
        client.submit(url, {"pin": "000000"})
    response = client.submit(url, {"pin": "000000"})
    assert response.status_code == 429
    assert "请15分钟后再试" in response.get_data(as_text=True)
    # Locked: even the right PIN waits.
    response = client.submit(url, {"pin": PIN})
    assert response.status_code == 429
    assert client.get_cookie(f"bd{booth.id}", path="/b/") is None
    # Another booth is not affected.
    failure = db.session.scalar(sa.select(PinFailure).where(PinFailure.client_key != "booth"))
    assert failure.booth_id == booth.id and failure.locked_until > utcnow() + timedelta(minutes=14)
    failure.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.submit(url, {"pin": PIN}).status_code == 302
    # The device's count starts again; the booth's keeps its five within the hour.
    assert db.session.scalars(sa.select(PinFailure.client_key)).all() == ["booth"]


def test_malformed_pin_is_not_counted(client, booth):
    response = client.submit(f"/b/{booth.staff_token}/pin", {"pin": "12ab"})
    assert "请输入6位数字PIN" in response.get_data(as_text=True)
    assert count(PinFailure) == 0


def test_right_pin_remembers_the_device(client, booth):
    response = client.submit(f"/b/{booth.staff_token}/pin", {"pin": PIN})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"bd{booth.id}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/b/" in cookie and "Expires=" in cookie
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    assert "江滨区人社局" in html and "登记咨询" in html and "宣传单" in html
    assert "app.css" not in html  # the phone page carries its own small stylesheet


def test_unknown_or_inactive_booth_is_a_friendly_404(client, booth):
    response = client.get("/b/not-a-token")
    assert response.status_code == 404
    assert "此二维码已失效，请联系组织方" in response.get_data(as_text=True)
    booth.active = False
    db.session.commit()
    assert client.get(page(booth.staff_token)).status_code == 404
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert response.status_code == 404 and response.json == {"ok": False, "error": "booth_not_found"}


def test_rotated_token_refuses_the_old_link_and_the_old_cookie(client, booth):
    sign_in(client, booth)
    old = booth.staff_token
    booth.staff_token = new_token()
    db.session.commit()
    assert client.get(page(old)).status_code == 404
    assert client.post(f"/b/{old}/api/consultations", json=entry()).status_code == 404
    # The new link with the cookie of the old one: the PIN again.
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in html and "登记咨询" not in html
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry())
    assert response.status_code == 401 and response.json == {"ok": False, "error": "pin_required"}
    assert count(Consultation) == 0


# Plain forms -------------------------------------------------------------------------------------------------


def test_plain_consultation_is_saved_and_keeps_kind_topic_and_rating(client, booth):
    sign_in(client, booth)
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    data = entry(uuid=form_uuid(html), kind="办事咨询", topic="医疗保障", satisfaction="基本满意")
    response = client.submit(f"/b/{booth.staff_token}/consultations", data)
    assert response.status_code == 302
    assert "kind=" in response.location and "topic=" in response.location and "satisfaction=" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "已保存" in html
    assert re.search(r'checked id="kind-\d" name="kind" required type="radio" value="办事咨询"', html)
    assert re.search(r'checked id="topic-\d+" name="topic" required type="radio" value="医疗保障"', html)
    # The rating stays too, in the bar beside 保存, where it is seen at the next save.
    bar = html[html.index('id="bar"'):]
    assert re.search(r'checked id="satisfaction-\d" name="satisfaction" type="radio" value="基本满意"', bar)
    saved = db.session.scalar(sa.select(Consultation))
    assert (saved.kind, saved.topic, saved.source) == ("办事咨询", "医疗保障", "staff")
    assert saved.device_id and saved.client_uuid == data["uuid"]


def test_double_submitted_form_is_one_record(client, booth):
    sign_in(client, booth)
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    data = entry(uuid=form_uuid(html))
    first = client.submit(f"/b/{booth.staff_token}/consultations", data)
    second = client.submit(f"/b/{booth.staff_token}/consultations", data)
    assert first.status_code == second.status_code == 302
    assert count(Consultation) == 1


def test_plain_form_errors_store_nothing(client, booth):
    sign_in(client, booth)
    data = entry(kind="", person_phone="12345")
    response = client.submit(f"/b/{booth.staff_token}/consultations", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请选择咨询类别" in html and "请填写正确的手机号" in html and "须经本人同意" in html
    assert count(Consultation) == 0


def test_plain_form_without_the_device_asks_for_the_pin(client, booth):
    response = client.submit(f"/b/{booth.staff_token}/consultations", entry())
    assert response.status_code == 302 and response.location.endswith(page(booth.staff_token))
    assert count(Consultation) == 0


def test_handouts_append_and_sum(client, booth):
    sign_in(client, booth)
    for quantity in (1, 10):
        data = {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": quantity}
        assert client.submit(f"/b/{booth.staff_token}/handouts", data).status_code == 302
        client.submit(f"/b/{booth.staff_token}/handouts", data)  # the same button twice: counted once
    response = client.post(
        f"/b/{booth.staff_token}/api/handouts", json={"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 25}
    )
    assert response.status_code == 200 and response.json["ok"] is True
    assert count(MaterialHandout) == 3
    assert desk.today_counts(booth)[1]["宣传单"] == 36
    assert '<b data-m="宣传单">36</b>' in client.get(page(booth.staff_token)).get_data(as_text=True)
    summary = client.get(f"/b/{booth.staff_token}/api/summary").json
    assert summary["handouts_today"]["宣传单"] == 36 and summary["handouts_today"]["宣传册"] == 0
    assert len(summary["recent"]) == 3 and "宣传单 +25" in summary["recent_html"]


@pytest.mark.parametrize("quantity", [0, -3, 10_001, "abc", 2.5, True])
def test_handout_quantity_is_checked(client, booth, quantity):
    sign_in(client, booth)
    payload = {"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": quantity}
    response = client.post(f"/b/{booth.staff_token}/api/handouts", json=payload)
    assert response.status_code == 400 and "quantity" in response.json["errors"]
    assert count(MaterialHandout) == 0


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True), ("138 1234 5678", True), ("+8613812345678", True), ("0571-88886666", True),
        ("057188886666", True), ("88886666", True), ("０５７１－８８８８６６６６", True),
        ("12812345678", False), ("1381234567", False), ("12345", False), ("0571-0888666", False), ("abc", False),
    ],
)
def test_phone_numbers(phone, ok):
    assert (clean_phone(phone) is not None) is ok


def test_name_and_phone_need_consent(client, booth):
    sign_in(client, booth)
    url = f"/b/{booth.staff_token}/api/consultations"
    response = client.post(url, json=entry(person_name="王先生", person_phone="13812345678"))
    assert response.status_code == 400 and "consent" in response.json["errors"]
    response = client.post(url, json=entry(person_phone="1381234"))
    assert "person_phone" in response.json["errors"]
    assert count(Consultation) == 0
    response = client.post(url, json=entry(person_name="王先生", person_phone="13812345678", consent=True))
    assert response.status_code == 200
    saved = db.session.scalar(sa.select(Consultation))
    assert saved.consent and saved.person_phone == "13812345678"


def test_referral_opens_a_follow_up_for_the_booths_unit(client, booth):
    sign_in(client, booth)
    response = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(handling="转办"))
    follow_up = db.session.scalar(sa.select(FollowUp))
    assert follow_up.consultation_id == response.json["id"] and follow_up.unit_id == booth.unit_id
    client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(handling="当场解答"))
    assert count(FollowUp) == 1


# Corrections -------------------------------------------------------------------------------------------------


def test_same_device_may_withdraw_within_ten_minutes(client, app, booth):
    sign_in(client, booth)
    consultation_id = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(handling="需回访")).json["id"]
    handout_id = client.post(
        f"/b/{booth.staff_token}/api/handouts", json={"uuid": str(uuid.uuid4()), "material": "宣传册", "quantity": 10}
    ).json["id"]
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    assert f"/consultations/{consultation_id}/withdraw" in html and f"/handouts/{handout_id}/withdraw" in html

    other = app.test_client()
    sign_in(other, booth)
    assert f"/consultations/{consultation_id}/withdraw" not in other.get(page(booth.staff_token)).get_data(as_text=True)
    response = other.submit(f"/b/{booth.staff_token}/consultations/{consultation_id}/withdraw", follow_redirects=True)
    assert "超过10分钟，只能由组织方修改" in response.get_data(as_text=True)
    assert db.session.get(Consultation, consultation_id).withdrawn_at is None

    assert client.submit(f"/b/{booth.staff_token}/consultations/{consultation_id}/withdraw").status_code == 302
    assert client.submit(f"/b/{booth.staff_token}/handouts/{handout_id}/withdraw").status_code == 302
    assert db.session.get(Consultation, consultation_id).withdrawn_at is not None  # kept, marked
    assert db.session.get(MaterialHandout, handout_id).withdrawn_at is not None
    assert desk.today_counts(booth) == (0, {"宣传单": 0, "宣传册": 0, "政策汇编": 0, "征求意见卡": 0})
    assert count(FollowUp) == 0  # nobody had started on it


def test_after_ten_minutes_only_the_organizer(client, booth):
    sign_in(client, booth)
    consultation_id = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry()).json["id"]
    handout_id = client.post(
        f"/b/{booth.staff_token}/api/handouts", json={"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 1}
    ).json["id"]
    late = utcnow() - timedelta(minutes=11)
    db.session.execute(sa.update(Consultation).values(received_at=late))
    db.session.execute(sa.update(MaterialHandout).values(recorded_at=late, received_at=late))
    db.session.commit()
    for url in (
        f"/b/{booth.staff_token}/consultations/{consultation_id}/withdraw",
        f"/b/{booth.staff_token}/handouts/{handout_id}/withdraw",
    ):
        response = client.submit(url, follow_redirects=True)
        assert "超过10分钟，只能由组织方修改" in response.get_data(as_text=True)
    response = client.get(f"/b/{booth.staff_token}/consultations/{consultation_id}/edit", follow_redirects=True)
    assert "超过10分钟" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Consultation)).withdrawn_at is None
    assert db.session.scalar(sa.select(MaterialHandout)).withdrawn_at is None


def test_a_handout_sent_late_from_an_offline_phone_can_still_be_withdrawn(client, booth):
    sign_in(client, booth)
    queued = (utcnow() - timedelta(minutes=30)).isoformat()
    handout_id = client.post(
        f"/b/{booth.staff_token}/api/handouts",
        json={"uuid": str(uuid.uuid4()), "material": "宣传单", "quantity": 5, "recorded_at": queued},
    ).json["id"]
    assert client.submit(f"/b/{booth.staff_token}/handouts/{handout_id}/withdraw").status_code == 302
    assert db.session.get(MaterialHandout, handout_id).withdrawn_at is not None


def test_correction_within_ten_minutes(client, booth):
    sign_in(client, booth)
    consultation_id = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(handling="转办")).json["id"]
    url = f"/b/{booth.staff_token}/consultations/{consultation_id}/edit"
    assert "灵活就业养老保险怎么缴" in client.get(url).get_data(as_text=True)
    response = client.submit(url, entry(kind="投诉", topic="住房保障", handling="当场解答"))
    assert response.status_code == 302
    saved = db.session.get(Consultation, consultation_id)
    assert (saved.kind, saved.topic, saved.handling) == ("投诉", "住房保障", "当场解答")
    assert saved.updated_at is not None and count(FollowUp) == 0
    response = client.submit(url, entry(kind=""))
    assert "请选择咨询类别" in response.get_data(as_text=True)


def test_booth_and_edit_pages_are_labelled_and_self_contained(client, booth):
    from tests.pageaudit import PageAudit

    sign_in(client, booth)
    consultation_id = client.post(f"/b/{booth.staff_token}/api/consultations", json=entry()).json["id"]
    for url in (page(booth.staff_token), f"/b/{booth.staff_token}/consultations/{consultation_id}/edit"):
        audit = PageAudit()
        audit.feed(client.get(url).get_data(as_text=True))
        assert audit.html_lang == "zh-CN" and audit.external == [] and audit.unlabelled() == [], url


def test_the_worker_is_served_for_the_staff_links_scope_and_names_its_files_by_their_hash(client):
    response = client.get("/b/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    hashes = client.application.extensions["asset_hashes"]
    assert f"/static/js/booth.js?v={hashes['js/booth.js']}" in script
    assert f"/static/css/booth.css?v={hashes['css/booth.css']}" in script
    assert "booth-files-" in script


def test_the_staff_link_tells_the_service_worker_what_to_keep_and_what_to_forget(client, booth):
    # The PIN page at the same URL, and an unknown (rotated) link's 404, tell it to forget its copy.
    assert client.get(page(booth.staff_token)).headers["X-Booth-Page"] == "forget"
    sign_in(client, booth)
    opened = client.get(page(booth.staff_token))
    assert opened.headers["X-Booth-Page"] == "keep" and 'id="cform"' in opened.get_data(as_text=True)
    missing = client.get(page("no-such-token"))
    assert missing.status_code == 404 and missing.headers["X-Booth-Page"] == "forget"
    assert "X-Booth-Page" not in client.get(f"/b/{booth.staff_token}/api/summary").headers


def test_the_recent_list_shows_kind_asker_handling_and_rating(client, booth):
    sign_in(client, booth)
    client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(asker_type="企业", satisfaction="基本满意"))
    client.post(f"/b/{booth.staff_token}/api/consultations", json=entry(satisfaction=""))
    html = client.get(page(booth.staff_token)).get_data(as_text=True)
    recent = html[html.index('id="recent"'):]
    assert "政策咨询 · 社会保险 · 企业 · 当场解答" in recent and '<b class="rt">基本满意</b>' in recent
    assert '<b class="rt">未评</b>' in recent
