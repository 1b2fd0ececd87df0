"""The summary's workflow: every legal transition, every illegal one refused with nothing changed, the deadline
edge in Asia/Shanghai, the window, drafts saved idempotently and stale tabs refused."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.plan.models import STATUS_CLOSED, STATUS_DRAFT, STATUS_ISSUED
from campaign.plan.participants import takes_part
from campaign.shared.audit import AuditEvent, action_label
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries import window, workflow
from campaign.summaries.models import FigureCorrection, UnitSummary
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.racing import at_once

DEADLINE = datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)
BEFORE = datetime(2025, 5, 18, 17, 29, 59, tzinfo=LOCAL_TZ)
AFTER = datetime(2025, 5, 18, 17, 30, 1, tzinfo=LOCAL_TZ)
TEXT = {"narrative": {"activities": "5月15日上午，在市民广场设立政策咨询台，接待群众咨询。"}}


@pytest.fixture
def setup(factory, unit_contact, organizer):
    campaign = factory.campaign(status=STATUS_ISSUED, summary_deadline=DEADLINE)
    factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)
    return campaign, summary, unit_contact, organizer


def _row(summary_id: int) -> dict:
    db.session.expire_all()
    row = db.session.get(UnitSummary, summary_id)
    return {column.name: getattr(row, column.key) for column in UnitSummary.__table__.columns}


def _events() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _refused(call, *args, **kwargs) -> Refusal:
    summary = args[0]
    before, events = _row(summary.id), _events()
    with pytest.raises(Refusal) as refusal:
        call(*args, **kwargs)
    assert _row(summary.id) == before, "a refused change must change nothing"
    assert _events() == events
    assert str(refusal.value)
    return refusal.value


def _submitted(setup, now=BEFORE):
    _campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, TEXT)
    submitted = workflow.submit(summary, contact, now=now)
    db.session.commit()
    return submitted


# The deadline edge and the late flag


@pytest.mark.parametrize(
    ("now", "late"),
    [(BEFORE, False), (DEADLINE, False), (AFTER, True)],
    ids=["a second before", "exactly at", "a second after"],
)
def test_deadline_edge_in_asia_shanghai(setup, now, late):
    campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, TEXT)
    workflow.submit(summary, contact, now=now)
    assert summary.status == "submitted"
    assert summary.late is late
    assert summary.submitted_at == now and summary.first_submitted_at == now
    assert workflow.summary_state(summary, campaign) == ("late" if late else "submitted")


def test_deadline_compared_as_instants_whatever_the_zone(setup):
    """09:30:01 UTC is 17:30:01 in Beijing: late; 09:30:00 UTC is on time."""
    _campaign, summary, contact, _organizer = setup
    assert workflow.is_late(summary.campaign, datetime(2025, 5, 18, 9, 30, 1, tzinfo=UTC))
    assert not workflow.is_late(summary.campaign, datetime(2025, 5, 18, 9, 30, 0, tzinfo=UTC))


def test_no_deadline_never_late(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED, summary_deadline=None)
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)
    workflow.save_draft(summary, unit_contact, TEXT)
    workflow.submit(summary, unit_contact, now=AFTER)
    assert summary.late is False


def test_late_resubmission_keeps_first_submission(setup):
    _campaign, summary, contact, organizer = setup
    _submitted(setup, now=BEFORE)
    workflow.return_summary(summary, organizer, "请补充群众咨询的主要问题。", now=AFTER)
    later = datetime(2025, 5, 19, 9, 0, tzinfo=LOCAL_TZ)
    workflow.submit(summary, contact, now=later)
    assert summary.first_submitted_at == BEFORE and summary.submitted_at == later
    assert summary.late is True
    assert workflow.summary_state(summary) == "late"
    assert summary.review_note == "请补充群众咨询的主要问题。"


# Every legal transition


def test_every_legal_transition_with_audit(setup):
    campaign, summary, contact, organizer = setup
    assert workflow.summary_state(None, campaign) == "not_started"
    assert workflow.summary_state(summary, campaign) == "draft"

    _submitted(setup)
    assert summary.status == "submitted"
    workflow.return_summary(summary, organizer, "  请补充照片说明。  ")
    assert (summary.status, summary.review_note) == ("returned", "请补充照片说明。")
    assert summary.returned_at is not None
    assert workflow.summary_state(summary, campaign) == "returned"

    workflow.save_draft(summary, contact, {"narrative": {"results": "群众满意。"}})
    workflow.submit(summary, contact, now=BEFORE)
    assert summary.status == "submitted"
    workflow.accept(summary, organizer)
    assert summary.status == "accepted" and summary.accepted_at is not None
    assert workflow.summary_state(summary, campaign) == "accepted"
    workflow.reopen(summary, organizer)
    assert summary.status == "submitted" and summary.accepted_at is None
    workflow.accept(summary, organizer)

    actions = _events()
    assert actions == [
        "summary_created", "summary_submitted", "summary_returned", "summary_submitted", "summary_accepted",
        "summary_reopened", "summary_accepted",
    ]
    assert all(action_label(action) != action for action in actions), "every action has a readable label"
    returned = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "summary_returned"))
    assert returned.detail["note"] == "请补充照片说明。" and returned.campaign_id == campaign.id
    assert returned.user_id == organizer.id


# Every illegal one


def test_illegal_transitions_from_draft(setup):
    _campaign, summary, contact, organizer = setup
    _refused(workflow.return_summary, summary, organizer, "note")
    _refused(workflow.accept, summary, organizer)
    _refused(workflow.reopen, summary, organizer)


def test_illegal_transitions_from_submitted(setup):
    _campaign, summary, contact, organizer = setup
    _submitted(setup)
    _refused(workflow.submit, summary, contact, now=BEFORE)
    _refused(workflow.reopen, summary, organizer)
    _refused(workflow.save_draft, summary, contact, {"narrative": {"activities": "改一改"}})
    _refused(workflow.set_correction, summary, contact, "consultations", 5, "漏登")


def test_illegal_transitions_from_returned(setup):
    _campaign, summary, contact, organizer = setup
    _submitted(setup)
    workflow.return_summary(summary, organizer, "请修改")
    _refused(workflow.return_summary, summary, organizer, "再退一次")
    _refused(workflow.accept, summary, organizer)
    _refused(workflow.reopen, summary, organizer)


def test_illegal_transitions_from_accepted(setup):
    _campaign, summary, contact, organizer = setup
    _submitted(setup)
    workflow.accept(summary, organizer)
    _refused(workflow.submit, summary, contact, now=BEFORE)
    _refused(workflow.return_summary, summary, organizer, "note")
    _refused(workflow.accept, summary, organizer)
    _refused(workflow.save_draft, summary, contact, {"narrative": {"activities": "改一改"}})


def test_return_needs_a_note_and_an_organizer(setup):
    _campaign, summary, contact, organizer = setup
    _submitted(setup)
    assert _refused(workflow.return_summary, summary, organizer, "   ").field == "note"
    _refused(workflow.return_summary, summary, contact, "自己退回")
    _refused(workflow.accept, summary, contact)


def test_submit_needs_text_and_reasons(setup):
    _campaign, summary, contact, _organizer = setup
    assert "总结正文" in str(_refused(workflow.submit, summary, contact, now=BEFORE))
    workflow.save_draft(summary, contact, {**TEXT, "corrections": {"consultations": {"corrected": "12"}}})
    assert "原因" in str(_refused(workflow.submit, summary, contact, now=BEFORE))
    workflow.set_correction(summary, contact, "consultations", 12, "高峰时段漏登")
    workflow.submit(summary, contact, now=BEFORE)
    assert summary.status == "submitted"


def test_another_units_contact_cannot_submit(setup, factory):
    _campaign, summary, _contact, _organizer = setup
    workflow.save_draft(summary, _contact, TEXT)
    stranger = factory.user("unit", unit=factory.unit("江滨区民政局"))
    _refused(workflow.submit, summary, stranger, now=BEFORE)


def test_draft_plan_refuses_submission(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_DRAFT)
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)
    workflow.save_draft(summary, unit_contact, TEXT)
    assert "尚未印发" in str(_refused(workflow.submit, summary, unit_contact, now=BEFORE))


def test_closed_campaign_still_takes_summaries(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_CLOSED, summary_deadline=DEADLINE)
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)
    workflow.save_draft(summary, unit_contact, TEXT)
    workflow.submit(summary, unit_contact, now=AFTER)
    assert summary.status == "submitted" and summary.late


# The window


def test_closed_window_refuses_submission_until_reopened(setup):
    campaign, summary, contact, organizer = setup
    workflow.save_draft(summary, contact, TEXT)
    assert not window.window_closed(campaign)
    assert window.close_window(campaign, organizer, now=AFTER) is True
    assert window.window_closed(campaign)
    assert window.close_window(campaign, organizer) is False, "closing twice changes nothing"
    assert "关闭" in str(_refused(workflow.submit, summary, contact, now=AFTER))
    # Drafts may still be saved while the window is closed.
    workflow.save_draft(summary, contact, {"narrative": {"results": "成效明显。"}})

    assert window.reopen_window(campaign, organizer) is True
    assert window.reopen_window(campaign, organizer) is False
    workflow.submit(summary, contact, now=AFTER)
    assert summary.status == "submitted" and summary.late
    assert _events().count("summary_window_closed") == 1
    assert _events().count("summary_window_reopened") == 1


# Drafts


def test_save_draft_cleans_and_stores(setup):
    _campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, {
        "narrative": {"leadership": "  局长亲自部署。\r\n召开专题会。  ", "results": "", "unknown": "ignored"},
        "unit_figures": {"display_boards": "１２", "banners": 3, "staff_count": "1,200", "online_posts": ""},
        "leaders_present": " 局长王明 ",
    })
    assert summary.narrative == {"leadership": "局长亲自部署。\n召开专题会。"}
    assert summary.unit_figures == {"display_boards": 12, "banners": 3, "staff_count": 1200}
    assert summary.leaders_present == "局长王明"
    assert summary.revision == 1


@pytest.mark.parametrize("value", ["-1", "三", "1.5", "1e3", "2000000", True])
def test_bad_unit_figures_refused_with_nothing_changed(setup, value):
    _campaign, summary, contact, _organizer = setup
    error = _refused(workflow.save_draft, summary, contact, {
        "narrative": {"activities": "新文字"}, "unit_figures": {"banners": value},
    })
    assert error.field == "unit-banners" and "横幅" in str(error)


def test_too_long_section_refused(setup):
    _campaign, summary, contact, _organizer = setup
    error = _refused(workflow.save_draft, summary, contact, {"narrative": {"results": "字" * 6001}})
    assert error.field == "section-results"


def test_same_content_twice_raises_no_revision(setup):
    _campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, {**TEXT, "unit_figures": {"banners": "2"}}, base_revision=0)
    assert summary.revision == 1
    updated_at = summary.updated_at
    # The same again, from the same (now stale) revision, as a retried request would be: nothing changes.
    workflow.save_draft(summary, contact, {**TEXT, "unit_figures": {"banners": 2}}, base_revision=0)
    assert summary.revision == 1 and summary.updated_at == updated_at


def test_stale_revision_with_other_content_is_a_conflict(setup):
    _campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, TEXT, base_revision=0)  # tab A
    error = _refused(workflow.save_draft, summary, contact, {"narrative": {"activities": "tab B"}}, base_revision=0)
    assert error.conflict and "刷新" in str(error)
    workflow.save_draft(summary, contact, {"narrative": {"activities": "tab B"}}, base_revision=1)
    assert summary.narrative["activities"] == "tab B" and summary.revision == 2


def test_corrections_need_a_known_figure_and_are_not_derived(setup):
    _campaign, summary, contact, _organizer = setup
    _refused(workflow.set_correction, summary, contact, "satisfaction_rate", 100, "")
    _refused(workflow.set_correction, summary, contact, "kind:编造的类别", 3, "")
    _refused(workflow.set_correction, summary, contact, "consultations", "-3", "原因")


def test_a_correction_equal_to_the_record_is_no_correction(setup):
    _campaign, summary, contact, _organizer = setup
    workflow.set_correction(summary, contact, "consultations", 0, "")
    assert summary.corrections == []
    workflow.set_correction(summary, contact, "consultations", 4, "漏登")
    workflow.set_correction(summary, contact, "consultations", "", "")
    assert db.session.scalar(sa.select(sa.func.count(FigureCorrection.id))) == 0
    assert _events().count("summary_figure_corrected") == 1
    assert _events().count("summary_correction_cleared") == 1


def test_fill_sections_only_fills_empty_ones_unless_overwrite(setup):
    _campaign, summary, contact, _organizer = setup
    workflow.save_draft(summary, contact, {"narrative": {"leadership": "自己写的。"}})
    drafted = {"leadership": "起草的领导重视", "activities": "起草的开展情况"}
    assert workflow.fill_sections(summary, contact, drafted) == ["activities"]
    assert summary.narrative == {"leadership": "自己写的。", "activities": "起草的开展情况"}
    assert workflow.fill_sections(summary, contact, drafted, overwrite=True) == ["leadership", "activities"]
    assert summary.narrative["leadership"] == "起草的领导重视"


def test_racing_transitions_one_wins(setup):
    """An organizer accepting from a row read before another request changed it is refused, nothing changed."""
    _campaign, summary, contact, organizer = setup
    _submitted(setup)
    read_revision = summary.revision
    # Another request (its own connection) returns the summary meanwhile.
    with db.engine.begin() as other:
        other.execute(
            sa.update(UnitSummary).where(UnitSummary.id == summary.id)
            .values(status="returned", review_note="请修改", revision=read_revision + 1)
        )
    assert summary.revision == read_revision and summary.status == "submitted"  # what this request read
    with pytest.raises(Refusal) as refusal:
        workflow.accept(summary, organizer)
    assert refusal.value.conflict
    row = _row(summary.id)
    assert (row["status"], row["accepted_at"]) == ("returned", None)
    assert "summary_accepted" not in _events()


def test_get_or_create_is_race_safe(app, factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    campaign_id, unit_id = campaign.id, unit_contact.unit_id

    def open_summary(ready, _tab) -> int:
        from campaign.plan.models import Campaign
        from campaign.units.models import Unit
        campaign = db.session.get(Campaign, campaign_id)
        unit = db.session.get(Unit, unit_id)
        ready()
        summary = workflow.get_or_create_summary(campaign, unit)
        db.session.commit()
        return summary.id

    ids = at_once(app, open_summary, range(4))
    assert len(set(ids)) == 1 and len(ids) == 4
    assert db.session.scalar(sa.select(sa.func.count(UnitSummary.id))) == 1


def test_takes_part(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    assert not takes_part(campaign.id, unit_contact.unit_id)
    factory.activity(factory.group(campaign), units={unit_contact.unit: "cooperating"})
    assert takes_part(campaign.id, unit_contact.unit_id)
