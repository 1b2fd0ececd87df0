"""`flask purge-personal-data`: names and phones go once the retention period after a campaign is over."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaign.booths.models import Consultation, FollowUp, PinFailure
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import local, utcnow
from campaign.web.extensions import db

CONTACT = {"person_name": "张三", "person_phone": "13812341234", "consent": True}


def _booth_of_campaign_ended(factory, days_ago: int, year: int):
    today = local(utcnow()).date()
    campaign = factory.campaign(year=year, first_day=today - timedelta(days=days_ago + 5),
                                last_day=today - timedelta(days=days_ago))
    unit = factory.unit()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    return factory.booth(activity, unit)


@pytest.fixture
def world(factory):
    """An old campaign (ended 200 days ago) and a recent one (ended 10 days ago), both with contacts."""
    old_booth = _booth_of_campaign_ended(factory, 200, 2023)
    recent_booth = _booth_of_campaign_ended(factory, 10, 2024)
    old = [factory.consultation(old_booth, **CONTACT, question=f"旧问题{n}") for n in range(3)]
    old.append(factory.consultation(old_booth, question="没有留联系方式"))
    referred_open = factory.consultation(old_booth, **CONTACT, handling="需回访", question="仍待回访")
    referred_closed = factory.consultation(old_booth, **CONTACT, handling="转办", question="已办结")
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == referred_closed.id))
    follow_up.status = "closed"
    recent = factory.consultation(recent_booth, **CONTACT, question="最近的问题")
    db.session.add_all([
        PinFailure(booth_id=old_booth.id, client_key="a:203.0.113.7", failures=2),
        PinFailure(booth_id=recent_booth.id, client_key="a:203.0.113.8", failures=1),
    ])
    db.session.commit()
    return {
        "old_campaign": old_booth.campaign_id, "old": [c.id for c in old], "open": referred_open.id,
        "closed": referred_closed.id, "recent": recent.id,
    }


def _contact(consultation_id: int) -> tuple:
    consultation = db.session.get(Consultation, consultation_id)
    return consultation.person_name, consultation.person_phone


def _purge(app, *args):
    return app.test_cli_runner().invoke(args=["purge-personal-data", *args])


def _purge_events() -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "personal_data_purged")).all()


def test_dry_run_counts_and_changes_nothing(app, world):
    result = _purge(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将清除 4 条" in result.output  # three old ones and the closed referral; not the open one
    assert "保留 1 条" in result.output
    assert _contact(world["old"][0]) == ("张三", "13812341234")
    assert db.session.scalar(sa.select(sa.func.count(PinFailure.id))) == 2
    assert _purge_events() == []


def test_purge_blanks_contacts_past_the_retention_period_once(app, world):
    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "已清除 4 条" in result.output

    for consultation_id in [*world["old"], world["closed"]]:
        assert _contact(consultation_id) == ("", "")
    consultation = db.session.get(Consultation, world["old"][0])
    assert consultation.question == "旧问题0" and consultation.kind == "政策咨询"  # only the personal data goes
    # The unit still has to call this one back: kept until its follow-up is closed.
    assert _contact(world["open"]) == ("张三", "13812341234")
    assert _contact(world["recent"]) == ("张三", "13812341234")
    assert db.session.scalars(sa.select(PinFailure.client_key)).all() == ["a:203.0.113.8"]
    [event] = _purge_events()
    assert event.campaign_id == world["old_campaign"] and event.detail["consultations"] == 4

    again = _purge(app)
    assert again.exit_code == 0 and "已清除 0 条" in again.output
    assert len(_purge_events()) == 1

    db.session.get(FollowUp, db.session.scalar(
        sa.select(FollowUp.id).where(FollowUp.consultation_id == world["open"]))).status = "closed"
    db.session.commit()
    assert "已清除 1 条" in _purge(app).output
    assert _contact(world["open"]) == ("", "")


def test_the_retention_period_comes_from_the_config_or_the_command_line(app, world):
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 365
    assert "已清除 0 条" in _purge(app).output
    assert _contact(world["old"][0]) == ("张三", "13812341234")

    assert "已清除 4 条" in _purge(app, "--older-than-days", "100").output
    assert _contact(world["recent"]) == ("张三", "13812341234")

    tomorrow = (local(utcnow()).date() + timedelta(days=1)).isoformat()
    assert "已清除 1 条" in _purge(app, "--before", tomorrow).output
    assert _contact(world["recent"]) == ("", "")


@pytest.mark.parametrize("args", [
    ("--before", "2024-13-40"),
    ("--older-than-days", "-3"),
    ("--older-than-days", "many"),
    ("--before", "2024-01-01", "--older-than-days", "3"),
])
def test_bad_arguments_are_refused_and_change_nothing(app, world, args):
    result = _purge(app, *args)
    assert result.exit_code != 0
    assert _contact(world["old"][0]) == ("张三", "13812341234")
    assert _purge_events() == []


def test_phone_numbers_typed_into_questions_and_replies_go_too(app, factory, world):
    """Issue 19.10: a number typed into the question ("请回电…") is personal data like the phone field."""
    booth = db.session.get(Consultation, world["old"][0]).booth
    typed = factory.consultation(booth, question="孩子入学政策，请回电138-1234-5678或0571-88886666")
    replied = factory.consultation(booth, handling="转办", question="医保报销")
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == replied.id))
    follow_up.status, follow_up.reply = "closed", "已电话联系（13900001111），群众满意"
    still_open = factory.consultation(booth, handling="转办", question="请回电13700002222")
    db.session.commit()

    assert "2 条问题或答复中的电话号码" in _purge(app).output

    assert db.session.get(Consultation, typed.id).question == "孩子入学政策，请回电[电话已清除]或[电话已清除]"
    assert db.session.get(FollowUp, follow_up.id).reply == "已电话联系（[电话已清除]），群众满意"
    # An open referral keeps its number: the unit has yet to call back.
    assert db.session.get(Consultation, still_open.id).question == "请回电13700002222"
    assert _purge_events()[0].detail["texts"] == 2
    assert "0 条问题或答复中的电话号码" in _purge(app).output


def test_report_snapshots_lose_the_names_and_phones_of_their_register(app, factory, world):
    """Issue 19.10: the report's spreadsheet lists consultations with masked names and phones (王*, 138****1234):
    still personal data once the campaign is past its retention period."""
    import io
    from pathlib import Path

    import openpyxl

    from campaign.plan.models import Campaign
    from campaign.report.models import ReportSnapshot
    from campaign.report.snapshots import export_snapshot

    booth = db.session.get(Consultation, world["old"][0]).booth
    factory.consultation(booth, **CONTACT, question="请回电13812341234")
    snapshot = export_snapshot(db.session.get(Campaign, world["old_campaign"]), None)
    listing = next(item for item in snapshot.files if item["kind"] == "xlsx")
    path = Path(app.config["UPLOAD_DIR"]) / listing["path"]

    def register() -> list[tuple]:
        sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["咨询登记"]
        rows = list(sheet.iter_rows(values_only=True))
        columns = [rows[0].index(name) for name in ("问题", "姓名", "电话")]
        return [tuple(row[column] for column in columns) for row in rows[1:]]

    assert ("请回电13812341234", "张*", "138****1234") in register()

    assert "1 份报告快照表格中的姓名和电话" in _purge(app).output

    rows = register()
    assert all(not name and not phone for question, name, phone in rows)
    assert ("请回电[电话已清除]", None, None) in rows or ("请回电[电话已清除]", "", "") in rows
    db.session.expire_all()
    listing = next(item for item in db.session.get(ReportSnapshot, snapshot.id).files if item["kind"] == "xlsx")
    assert listing["bytes"] == path.stat().st_size and listing["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "0 份报告快照表格" in _purge(app).output


def test_a_referral_left_open_past_its_closing_deadline_by_the_retention_period_expires(app, world):
    """Issue 19.10: before, an open referral kept its citizen's number for ever."""
    follow_up = db.session.scalar(sa.select(FollowUp).where(FollowUp.consultation_id == world["open"]))
    assert follow_up.status != "closed"
    follow_up.close_due_date = local(utcnow()).date() - timedelta(days=400)
    db.session.commit()

    assert "已清除 5 条" in _purge(app).output
    assert _contact(world["open"]) == ("", "")
