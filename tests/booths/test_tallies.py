"""The live board's running tallies stay equal to what the rows say, through every way an entry changes.

Two checks after each step (tests/booths/tally_checks.py): the stored tallies equal tallies.recount() (the same
rules applied to the rows), and the board's figures equal counts made there from the rows by plain Python, apart from
both.
"""

import uuid
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from campaign import create_app
from campaign.booths import board, corrections, entries, followups, recording, tallies
from campaign.booths.models import Booth, Consultation, FollowUp
from campaign.shared.timeutil import UTCDateTime, utcnow
from campaign.summaries.figures import recorded_figures_by_unit
from campaign.web.extensions import db
from tests.booths.tally_checks import DAY, assert_exact, at, entry
from tests.serverutil import drop_database, new_database


def test_tallies_follow_inserts_edits_withdrawals_restores_and_deletions(three_booths, organizer, factory):
    campaign, (first, second, third) = three_booths["campaign"], three_booths["booths"]
    assert_exact(campaign)

    # Inserts: the phone's API path, the public card's, and rows added through the ORM (demo loader, factories).
    made = []
    for n, (booth, hour, fields) in enumerate([
        (first, 9, entry()), (first, 9, entry(handling="转办")), (first, 10, entry(topic="医疗保障", kind="投诉")),
        (second, 11, entry(handling="需回访", person_phone="13812345678", consent=True)),
        (second, 0, entry(topic="就业创业")),  # 00:00–01:00 local is the day before in UTC
    ]):
        consultation, created, _receipt = recording.record_consultation(
            booth, {**fields, "recorded_at": at(hour, n)}, str(uuid.uuid4()), device_id="phone"
        )
        assert created
        made.append(consultation)
    again, created, _receipt = recording.record_consultation(first, entry(), made[0].client_uuid, device_id="phone")
    assert not created and again.id == made[0].id
    public, _created, _receipt = recording.record_consultation(
        second, {**entry(topic="", kind="意见建议", handling=""), "recorded_at": at(10, 30)}, str(uuid.uuid4()),
        source="public",
    )
    factory.consultation(third, recorded_at=at(9, 5, DAY - timedelta(days=1)))  # another day: no hour today
    factory.consultation(third, recorded_at=at(9, 15), withdrawn_at=at(9, 20))  # withdrawn as it was written
    handout, _created, _receipt = recording.record_handout(first, "宣传单", 10, str(uuid.uuid4()), "phone", recorded_at=at(9))
    factory.handout(second, "宣传册", 3, recorded_at=at(23, 30))
    assert_exact(campaign)

    # The phone's corrections: a referral becomes an answer (its follow-up goes) and back (a new one).
    corrections.update_consultation(made[1], entry(handling="当场解答", topic="住房保障"))
    assert_exact(campaign)
    corrections.update_consultation(made[1], entry(handling="需回访", kind="办事咨询"))
    assert_exact(campaign)
    corrections.withdraw_consultation(made[2])
    corrections.withdraw_handout(handout)
    assert_exact(campaign)

    # Follow-ups move between units and through their states: their counts move with them.
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == made[3].id))
    followups.reassign(follow_up, three_booths["units"][2].id, organizer)
    contact = factory.user("unit", unit=three_booths["units"][2])
    followups.reply(follow_up, "已电话答复。", contact)
    assert_exact(campaign)
    followups.call_back(follow_up, True, "基本满意", "", contact)
    assert_exact(campaign)
    followups.close(follow_up, contact)
    assert_exact(campaign)
    assert_exact(campaign, today=DAY + timedelta(days=30))  # overdue ones, seen from a month later
    followups.reopen(follow_up, organizer)
    assert_exact(campaign, today=DAY + timedelta(days=30))

    # The organizer's corrections, withdrawals and restores, twice each (the second changes nothing).
    entries.correct_consultation(made[3], entry(topic="教育入学", handling="需回访", person_phone="13812345678",
                                                consent=True), organizer)
    for _twice in range(2):
        entries.withdraw_consultation(made[3], organizer)
        entries.withdraw_consultation(public, organizer)
        entries.restore_consultation(made[2], organizer)
        entries.restore_handout(handout, organizer)
    assert_exact(campaign)
    for _twice in range(2):
        entries.restore_consultation(made[3], organizer)
        entries.withdraw_handout(handout, organizer)
    assert_exact(campaign)

    # A consultation and a follow-up deleted through the session, and a whole booth deleted (the database cascades).
    db.session.delete(made[0])
    db.session.commit()
    db.session.delete(db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == made[1].id)))
    db.session.commit()
    assert_exact(campaign)
    db.session.execute(sa.delete(Booth).where(Booth.id == second.id))
    db.session.commit()
    assert_exact(campaign)
    assert tallies.stored(), "the remaining booths still have entries"


def test_rebuild_repairs_what_core_statements_skipped(app, three_booths, factory):
    campaign, booth = three_booths["campaign"], three_booths["booths"][0]
    for minute in range(5):
        factory.consultation(booth, recorded_at=at(10, minute), handling="转办")
    factory.handout(booth, "政策汇编", 4, recorded_at=at(10))
    # A bulk statement bypasses the ORM and so the tallies: they are now wrong …
    db.session.execute(sa.update(Consultation).values(topic="其他"))
    db.session.commit()
    assert tallies.stored() != tallies.recount()
    runner = app.test_cli_runner()
    check = runner.invoke(args=["booths", "rebuild-tallies", "--check"])
    assert check.exit_code == 1 and "不一致" in check.output

    # … until the repair command counts them again from the rows.
    rebuilt = runner.invoke(args=["booths", "rebuild-tallies", "--campaign", str(campaign.id)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["booths", "rebuild-tallies", "--check"]).exit_code == 0
    assert_exact(campaign)
    assert {row["name"] for row in board.figures(campaign, today=DAY)["topics"]} == {"其他"}


def test_the_check_covers_handling_asker_and_satisfaction(app, three_booths, factory):
    campaign, booth = three_booths["campaign"], three_booths["booths"][0]
    for satisfaction in ("满意", "不满意", ""):
        factory.consultation(booth, recorded_at=at(9), satisfaction=satisfaction, asker_type="企业")
    assert_exact(campaign)
    runner = app.test_cli_runner()
    # A bulk change of what only the profile tallies count (not kind, topic or hour) is found by --check …
    db.session.execute(sa.update(Consultation).values(satisfaction="满意"))
    db.session.commit()
    check = runner.invoke(args=["booths", "rebuild-tallies", "--check"])
    assert check.exit_code == 1 and "不一致" in check.output
    # … and repaired by the rebuild, after which the summaries read the new figures.
    assert runner.invoke(args=["booths", "rebuild-tallies"]).exit_code == 0
    assert_exact(campaign)
    unit_figures = recorded_figures_by_unit(campaign.id, [booth.unit_id])[booth.unit_id]
    assert (unit_figures["satisfaction_rated"], unit_figures["satisfied"], unit_figures["asker:企业"]) == (3, 3, 3)


def test_the_migration_fills_the_tallies_from_the_rows_already_stored(tmp_path):
    url = new_database(tmp_path, "backfill")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "BOOTH_GRACE_DAYS": 365 * 100})  # its campaign is dated 2025 (tests/conftest.py)
    try:
        with app.app_context():
            upgrade(revision="8d62992e60a1")
            connection = db.session.connection()
            connection.execute(sa.text(
                "INSERT INTO campaigns (id, edition, year, title, theme, first_day, last_day, issuing_office,"
                " doc_number, basis_title, basis_number, addressees, form_text, closing_requirements, status)"
                " VALUES (1, 19, 2025, '活动', '', '2025-05-15', '2025-05-20', '', '', '', '', '', '', '', 'issued')"
            ))
            connection.execute(sa.text("INSERT INTO units (id, name, short_name, kind, contact_person, contact_phone,"
                                       " sort_order, active) VALUES (1, '医保局', '', 'bureau', '', '', 1, true)"))
            connection.execute(sa.text("INSERT INTO booths (id, campaign_id, unit_id, name, staff_token, pin, active)"
                                       " VALUES (1, 1, 1, '', 'token', '123456', true)"))
            rows = [
                dict(hour=9, source="staff", handling="转办", withdrawn=None),
                dict(hour=9, source="staff", handling="当场解答", withdrawn=None),
                dict(hour=10, source="public", handling="当场解答", withdrawn=None),
                dict(hour=10, source="staff", handling="转办", withdrawn=at(11)),
            ]
            # The tables as that revision has them, so a column added later cannot break this test.
            def times(*names):
                return [sa.column(name, UTCDateTime()) for name in names]

            consultations = sa.table("consultations", *times("recorded_at", "received_at", "withdrawn_at"), *(sa.column(name) for name in (
                "id", "client_uuid", "booth_id", "kind", "topic", "question", "asker_type", "handling", "person_name",
                "person_phone", "consent", "satisfaction", "source", "device_id",
            )))
            follow_ups = sa.table("follow_ups", sa.column("due_date", sa.Date()), *(
                sa.column(name) for name in ("consultation_id", "unit_id", "status", "reply")))
            handouts = sa.table("material_handouts", *times("recorded_at", "received_at"), *(
                sa.column(name) for name in ("client_uuid", "booth_id", "material", "quantity", "device_id")))
            for n, row in enumerate(rows, start=1):
                consultation_id = db.session.scalar(sa.insert(consultations).returning(consultations.c.id).values(
                    client_uuid=str(uuid.uuid4()), booth_id=1, recorded_at=at(row["hour"], n),
                    received_at=at(row["hour"], n), kind="政策咨询", topic="医疗保障", question="", asker_type="群众",
                    handling=row["handling"], person_name="", person_phone="", consent=False, satisfaction="",
                    source=row["source"], device_id="", withdrawn_at=row["withdrawn"],
                ))
                if row["handling"] == "转办":
                    db.session.execute(sa.insert(follow_ups).values(
                        consultation_id=consultation_id, unit_id=1, due_date=date(2025, 5, 30), status="open", reply="",
                    ))
            db.session.execute(sa.insert(handouts).values(
                client_uuid=str(uuid.uuid4()), booth_id=1, material="宣传单", quantity=50, recorded_at=at(9),
                received_at=at(9), device_id="",
            ))
            db.session.commit()

            upgrade()
            stored = tallies.stored()
            assert stored == tallies.recount()
            assert sum(n for (table, _key), n in stored.items() if table == tallies.CONSULTATIONS) == 3
            assert sum(n for (table, _key), n in stored.items() if table == tallies.FOLLOW_UPS) == 1
            assert sum(n for (table, _key), n in stored.items() if table == tallies.HANDOUTS) == 50
            # The running totals carry on from the filled ones.
            booth = db.session.get(Booth, 1)
            recording.record_consultation(
                booth, {**entry(topic="医疗保障"), "recorded_at": at(9, 59)}, str(uuid.uuid4()), device_id="d"
            )
            assert tallies.stored() == tallies.recount()
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(url)


def test_hours_are_local_and_the_day_before_stays_apart(three_booths, factory):
    campaign, booth = three_booths["campaign"], three_booths["booths"][0]
    factory.consultation(booth, recorded_at=at(0, 30))  # 16:30 UTC on 14 May
    factory.consultation(booth, recorded_at=at(23, 59, DAY - timedelta(days=1)))
    data = board.figures(campaign, today=DAY, day=DAY)
    assert [(row["hour"], row["staff"]) for row in data["hours"] if row["total"]] == [(0, 1)]
    assert data["totals"]["consultations_today"] == 1 and data["totals"]["consultations"] == 2
    assert tallies.hour_start(at(0, 30)) == datetime(2025, 5, 14, 16, tzinfo=utcnow().tzinfo)


@pytest.mark.loaded_demo
def test_the_demo_leaves_exact_tallies(app):
    from campaign.plan.models import Campaign

    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.status == "issued"))
    assert board.figures(campaign, today=campaign.first_day)["totals"]["consultations"] > 100
    assert_exact(campaign, today=campaign.first_day)
