"""The demo district loaded on first `make run`: enough of everything to try every screen."""

import pytest
import sqlalchemy as sa

from campaign.auth.models import User
from campaign.demo.load import DEMO_LOGINS, load_demo
from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Slogan, Venue
from campaign.shared.timeutil import local
from campaign.units.models import Unit
from campaign.web.extensions import db


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _issued_campaign() -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.status == "issued"))


@pytest.mark.loaded_demo
def test_demo_has_a_whole_district_and_plan(app):
    units = db.session.scalars(sa.select(Unit)).all()
    assert len(units) >= 25
    assert {unit.kind for unit in units} >= {"town", "bureau", "institution", "other"}
    assert all(unit.contact_person and unit.contact_phone for unit in units)

    campaign = _issued_campaign()
    assert (campaign.edition, campaign.year, campaign.doc_number) == (19, 2025, "江政办〔2025〕7号")
    assert campaign.issued_at is not None and campaign.local_deadline.strftime("%m-%d %H:%M") == "05-18 17:30"
    assert [group.title for group in campaign.groups] == ["线上主题宣传活动", "线下实地宣传"]
    activities = [activity for group in campaign.groups for activity in group.activities]
    assert len(activities) >= 5
    assert {activity.mode for activity in activities} == {"online", "onsite"}
    for activity in activities:
        assert activity.unit_links, activity.title
        if activity.mode == "onsite":
            assert activity.venue is not None, activity.title
    roles = {link.role for activity in activities for link in activity.unit_links}
    assert roles == {"lead", "cooperating", "participating", "responsible"}
    # A group (各镇街) standing for the towns, a list ending in 等, a start without an end.
    assert any(link.group is not None and link.group.name == "各镇街" for a in activities for link in a.unit_links)
    assert any(a.ends_with_etc("participating") for a in activities)
    assert any(a.ends_at is None for a in activities)
    # A list as offices write it, its first name's 区 serving the rest: printed so, each name still its unit.
    park = next(a for a in activities if a.title == "开展“惠企政策进园区”活动")
    assert park.role_text("cooperating") == "区发改局、人社局、税务局、财政局、市场监管局"
    assert [link.unit.short_name for link in park.links_in_role("cooperating")] == [
        "区发改局", "区人社局", "区税务局", "区财政局", "区市场监管局"]

    assert [venue.kind for venue in campaign.venues].count("main") == 1
    assert {"branch", "plain"} <= {venue.kind for venue in campaign.venues}
    slogans = [slogan.text for slogan in campaign.slogans]
    assert len(slogans) == 10
    assert any("　" in text for text in slogans) and any(len(text) > 20 for text in slogans)

    closed = db.session.scalars(sa.select(Campaign).where(Campaign.status == "closed").order_by(Campaign.year)).all()
    assert [(campaign.year, campaign.edition) for campaign in closed] == [(2022, 16), (2023, 17), (2024, 18)]
    assert all(campaign.groups for campaign in closed)


@pytest.mark.loaded_demo
def test_demo_users_log_in_with_the_printed_passwords(app, client):
    roles = {}
    for username, password, description in DEMO_LOGINS:
        assert description
        response = client.submit("/auth/login", {"username": username, "password": password})
        assert response.status_code == 302, username
        home = client.get("/", follow_redirects=True)
        assert home.status_code == 200
        roles[username] = db.session.scalar(sa.select(User).where(User.username == username))
        client.submit("/auth/logout")
    assert roles["admin"].role == "organizer" and roles["admin"].display_name == "区政务公开办 张敏"
    assert roles["jiaoyu"].unit.short_name == "区教育局"
    assert roles["linjiang"].unit.short_name == "临江镇"


@pytest.mark.loaded_demo
def test_demo_units_have_contacts_some_signed_in_some_only_invited(app, client):
    from campaign.auth.links import live_links
    from campaign.demo.data import ACTIVE_CONTACTS, INVITED_CONTACTS

    contacts = {user.unit.short_name: user for user in db.session.scalars(sa.select(User).where(User.role == "unit"))}
    waiting = live_links([user.id for user in contacts.values()])
    for name in ACTIVE_CONTACTS:
        assert contacts[name].has_password and contacts[name].last_login_at is not None, name
    for name in INVITED_CONTACTS:
        assert not contacts[name].has_password and contacts[name].id in waiting, name
    # Made from the unit list, as the invitation makes them.
    assert (contacts["区发改局"].username, contacts["区发改局"].display_name) == ("fagaiju", "赵磊")
    assert len(contacts) < len(db.session.scalars(sa.select(Unit)).all())  # some units are left to invite
    response = client.submit("/auth/login", {"username": "fagaiju", "password": "demo-unit-2025"})
    assert response.status_code == 302


@pytest.mark.loaded_demo
def test_demo_contact_sees_its_tasks(app, client):
    client.submit("/auth/login", {"username": "linjiang", "password": "demo-unit-2025"})
    page = client.get("/tasks/").get_data(as_text=True)
    assert "临江镇便民服务中心广场" in page and "牵头单位" in page
    assert "惠企政策进园区" not in page


@pytest.mark.slow
def test_loading_again_adds_nothing_and_keeps_existing_rows(app, factory):
    # A unit and a user that happen to exist already are kept, not duplicated and not a crash.
    factory.unit("江滨区教育局", kind="bureau")
    factory.user("organizer", username="admin")
    load_demo()
    models = (Unit, User, Campaign, ActivityGroup, Activity, ActivityUnit, Venue, Slogan)
    counts = [_count(model) for model in models]
    load_demo()
    assert [_count(model) for model in models] == counts
    assert _count(Campaign) == 4


@pytest.mark.slow
def test_cli_loads_once_when_empty(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "已加载演示活动" in first.output
    for username, password, _ in DEMO_LOGINS:
        assert username in first.output and password in first.output
    activities = _count(Activity)

    second = runner.invoke(args=["demo", "load", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "未加载" in second.output
    assert _count(Campaign) == 4 and _count(Activity) == activities


@pytest.mark.loaded_demo
def test_demo_has_a_day_at_the_desks(app):
    from campaign.booths.models import Booth, Consultation, FollowUp, MaterialHandout
    from campaign.demo.booths import DEMO_BOOTH_PIN

    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    assert count(Booth) >= 20
    assert count(Consultation) >= 200
    assert count(FollowUp) >= 10
    assert count(MaterialHandout) >= 50
    assert db.session.scalar(sa.select(sa.func.count(Booth.id)).where(Booth.pin == DEMO_BOOTH_PIN)) == 1
    public = sa.select(sa.func.count(Consultation.id)).where(Consultation.source == "public")
    assert db.session.scalar(public) > 0
    # Every entry has its receipt code, as a phone's entry gets it (the demo writes its rows directly).
    from campaign.booths.models import ReceiptCode, RehearsalRecord
    for model in (Consultation, MaterialHandout, RehearsalRecord):
        without = sa.select(sa.func.count()).select_from(model).outerjoin(
            ReceiptCode, ReceiptCode.client_uuid == model.client_uuid
        ).where(model.client_uuid.is_not(None), ReceiptCode.code.is_(None))
        assert db.session.scalar(without) == 0
    assert count(ReceiptCode) >= count(Consultation) + count(MaterialHandout)


@pytest.mark.loaded_demo
def test_demo_has_unit_summaries_in_every_state_with_photos(app, client):
    from pathlib import Path

    from flask import current_app
    from PIL import Image, ImageStat

    from campaign.summaries.models import SECTIONS, FigureCorrection
    from campaign.summaries.review import campaign_overview

    overview = campaign_overview(_issued_campaign())
    counts = overview.counts
    assert counts["accepted"] >= 3 and counts["submitted"] >= 2 and counts["draft"] >= 2
    assert counts["not_started"] >= 2 and counts["late"] == 1 and counts["returned"] == 1
    assert _count(FigureCorrection) >= 2

    rows = {row.unit.short_name: row for row in overview.rows.items}
    # The demo logins meet their summaries: 区教育局's returned with a note, 临江镇's a draft with photos.
    assert rows["区教育局"].state == "returned" and rows["区教育局"].summary.review_note
    assert rows["临江镇"].state == "draft" and rows["临江镇"].photo_count == 2
    assert rows["区住建局"].late_text  # the late one says how late
    # The unit's own steps carry its contact's name where the demo has a login for the unit.
    from campaign.shared.audit import AuditEvent

    submitted = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "summary_submitted", AuditEvent.object_id == rows["区教育局"].summary.id))
    assert submitted.user.username == "jiaoyu"

    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    for row in overview.rows.items:
        if row.state not in ("submitted", "late", "accepted", "returned"):
            continue
        summary = row.summary
        assert 2 <= row.photo_count <= 4, row.unit.name
        assert all(summary.narrative.get(key) for key, _label in SECTIONS), row.unit.name
        assert row.unit.name in summary.narrative["activities"] or row.unit.label in summary.narrative["activities"]
        for photo in summary.photos:
            assert photo.caption and photo.taken_at is not None
            # Taken in working hours, as its camera's clock said (a UTC time written as local one was 8 h off).
            assert 8 <= local(photo.taken_at).hour <= 18, (photo.caption, photo.taken_at)
            with Image.open(upload_dir / photo.display_path) as image:
                assert image.format == "JPEG" and image.size == (photo.display_width, photo.display_height)
                assert not image.getexif()  # stored like an upload: no metadata kept
                # A drawn scene, not a flat colour.
                assert max(ImageStat.Stat(image.convert("L")).stddev) > 20
            assert (upload_dir / photo.thumb_path).is_file()

    client.submit("/auth/login", {"username": "jiaoyu", "password": "demo-unit-2025"})
    summary = rows["区教育局"].summary
    assert client.get(f"/summaries/{summary.id}/pdf").status_code == 200


@pytest.mark.loaded_demo
def test_demo_has_a_compiled_report_and_a_scorecard(app):
    from pathlib import Path

    from flask import current_app

    from campaign.report.models import ReportSnapshot, ScoreRule

    campaign = _issued_campaign()
    assert sum(rule.points for rule in db.session.scalars(sa.select(ScoreRule).where(ScoreRule.campaign_id == campaign.id))) == 100
    snapshot = db.session.scalar(sa.select(ReportSnapshot).where(ReportSnapshot.campaign_id == campaign.id))
    assert {item["kind"] for item in snapshot.files} == {"pdf", "docx", "xlsx"}
    for item in snapshot.files:
        assert (Path(current_app.config["UPLOAD_DIR"]) / item["path"]).stat().st_size == item["bytes"]
    assert snapshot.figures["photos"] and snapshot.figures["missing"] and snapshot.figures["scorecard"]["rows"]
    assert snapshot.figures["include_scorecard"] is True
    load_demo()  # a second load leaves the export as it was
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 1


@pytest.mark.loaded_demo
def test_demo_referrals_reach_several_units_in_every_state(app, client):
    from campaign.booths import followup_lists
    from campaign.booths.models import FollowUp

    campaign = _issued_campaign()
    counts = followup_lists.follow_up_counts(campaign.id)
    assert counts.pending and counts.replied and counts.called_back and counts.closed and counts.overdue
    assert counts.replied_in_time and counts.replied_late and counts.satisfaction["不满意"]
    units = dict(db.session.execute(
        sa.select(Unit.short_name, sa.func.count(FollowUp.id)).join(FollowUp, FollowUp.unit_id == Unit.id)
        .group_by(Unit.short_name)
    ).all())
    assert len(units) >= 5 and units.get("区人社局")
    # 区人社局's contact sees its referrals with the full number of those who consented.
    client.submit("/auth/login", {"username": "renshe", "password": "demo-unit-2025"})
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert 'href="tel:1' in page
    assert "data-referrals" in client.get("/tasks/").get_data(as_text=True)


@pytest.mark.loaded_demo
def test_demo_has_a_finished_export_to_download(app, client):
    import sqlalchemy as sa

    from campaign.jobs.models import FileJob
    from campaign.web.extensions import db
    from tests.conftest import log_in, make_organizer
    from tests.factory import Factory

    job = db.session.scalar(sa.select(FileJob))
    assert (job.kind, job.status, job.progress) == ("register_xlsx", "done", 100)
    log_in(client, make_organizer(Factory()))
    page = client.get(f"/campaigns/{job.campaign_id}/exports").get_data(as_text=True)
    assert "咨询登记册（Excel）" in page and job.file_name in page
    assert client.get(f"/campaigns/{job.campaign_id}/exports/{job.id}/file").data.startswith(b"PK")


@pytest.mark.loaded_demo
def test_demo_has_automatic_reminders_sent_and_one_failure(app, client):
    from campaign.reminders.models import ReminderSend

    campaign = _issued_campaign()
    sends = list(db.session.scalars(sa.select(ReminderSend)))
    assert {send.slot.key for send in sends} == {"issued", "halfway", "day_before", "deadline"}
    assert sum(send.status == "sent" and send.channel == "email" for send in sends) >= 4
    failed = [send for send in sends if send.status == "failed"]
    assert len(failed) == 1 and failed[0].error == "对方回答 HTTP 503"
    username, password = DEMO_LOGINS[0][0], DEMO_LOGINS[0][1]
    client.submit("/auth/login", {"username": username, "password": password})
    page = client.get(f"/campaigns/{campaign.id}/reminders").get_data(as_text=True)
    assert "发送失败（1条）" in page and "对方回答 HTTP 503" in page and "qyapi.weixin.qq.com" in page


@pytest.mark.loaded_demo
def test_demo_has_three_earlier_years_in_each_units_record(app, client):
    """The matrix and a unit's page from the demo's history: every outcome, figures and scores in each year."""
    import re

    from campaign.report.history import LATE, MISSING, ON_TIME, history

    found = history()
    assert [campaign.year for campaign in found.campaigns] == [2022, 2023, 2024, 2025]
    for campaign in found.campaigns[:3]:
        years = [record.years[campaign.id] for record in found.units if campaign.id in record.years]
        assert len(years) >= 30, campaign.year
        assert {year.outcome for year in years} == {ON_TIME, LATE, MISSING}, campaign.year
        assert sum(year.consultations for year in years) > 100 and sum(year.referrals for year in years) > 10
        assert all(year.score is not None for year in years)
    records = {record.unit.short_name: record for record in found.units}
    late_every_year = records["区住建局"]
    assert [year.outcome for year in late_every_year.years.values()] == [LATE] * 4
    assert late_every_year.on_time_rate == 0
    # 2023: partial credit, 2 points a working day; 2024: desks with fewer than 5 consultations not ranked.
    assert any(year.adjustment == 5 for year in records["区融媒体中心"].years.values())
    assert any(year.flagged for record in found.units for year in record.years.values())

    username, password = DEMO_LOGINS[0][0], DEMO_LOGINS[0][1]
    client.submit("/auth/login", {"username": username, "password": password})
    page = client.get("/report/history/").get_data(as_text=True)
    row = re.search(rf'<tr data-unit="{late_every_year.unit.id}">(.*?)</tr>', page, re.S).group(1)
    assert row.count("逾期报送") == 4 and "得分" in row and ">0%<" in row
    page = client.get(f"/report/history/units/{records['白沙镇'].unit.id}").get_data(as_text=True)
    assert "未报送" in page and "（逾期" in page and page.count("<tr data-campaign=") == 4

@pytest.mark.loaded_demo
def test_demo_has_a_rehearsal_with_ready_and_unready_desks(app, client):
    campaign = _issued_campaign()
    username, password = DEMO_LOGINS[0][0], DEMO_LOGINS[0][1]
    client.submit("/auth/login", {"username": username, "password": password})
    page = client.get(f"/campaigns/{campaign.id}/booths/rehearsal").get_data(as_text=True)
    # The day has begun: the rehearsal stopped by itself, its records kept for the office to read.
    assert "演练已自动停止" in page
    assert page.count('data-ready="yes"') >= 5 and page.count('data-ready="no"') >= 2
    assert "微信 8.0.47.2560" in page and "Safari 16.6" in page and "已到达" in page
    # Kept apart from the day's entries (tests/booths/test_rehearsal.py shows they count nowhere).
    from campaign.booths.models import Consultation

    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)
                                 .where(Consultation.question.like("演练%")))


@pytest.mark.loaded_demo
def test_demo_report_compares_with_last_year_and_its_text_agrees_with_the_data(app):
    from campaign.report.compile import compile_report
    from campaign.report.models import ReportSnapshot
    from campaign.report.number_checks import open_mismatches

    campaign = _issued_campaign()
    figures = compile_report(campaign)
    comparison = figures["year_on_year"]
    assert comparison["previous_year"] == 2024
    rows = {row["key"]: row for row in comparison["rows"]}
    # 2024 was recorded at its desks too: every measure is compared, each one a sentence.
    assert set(rows) == {"units_taking_part", "booths", "people", "materials", "satisfaction_rate",
                         "follow_ups_closed_in_time"}
    assert all(row["previous"] > 0 for row in rows.values())
    assert len(comparison["sentences"]) == len(rows)
    assert open_mismatches(campaign.id, figures) == []
    # The demo's export went out with the comparison in it.
    snapshot = db.session.scalar(sa.select(ReportSnapshot).where(ReportSnapshot.campaign_id == campaign.id))
    assert snapshot.figures["year_on_year"]["rows"]


@pytest.mark.loaded_demo
def test_demo_referral_deadlines_skip_the_holidays_and_the_page_lists_them(app, client):
    from datetime import date

    from campaign.booths.models import FollowUp
    from campaign.shared.workdays import is_workday

    campaign = _issued_campaign()
    dues = db.session.execute(sa.select(FollowUp.due_date, FollowUp.close_due_date)).all()
    assert dues and all(is_workday(due) and is_workday(close) for due, close in dues)
    # 15 working days to close a referral of 15 May, counted across 端午 (31 May – 2 June 2025): 6 June, not 5 June.
    closes = {close for _, close in dues}
    assert date(2025, 6, 6) in closes and date(2025, 6, 5) not in closes
    client.submit("/auth/login", {"username": DEMO_LOGINS[0][0], "password": DEMO_LOGINS[0][1]})
    page = client.get(f"/units/holidays/?year={campaign.year}").get_data(as_text=True)
    assert "端午节" in page and "劳动节调休上班" in page
    settings = client.get(f"/campaigns/{campaign.id}/booths/settings").get_data(as_text=True)
    assert f"/units/holidays/?year={campaign.year}" in settings
