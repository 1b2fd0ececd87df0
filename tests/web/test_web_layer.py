"""The shared web layer: a refusal no view showed, the one commit per request, the campaign scope."""

import sqlalchemy as sa

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.audit import AuditEvent
from campaign.summaries.models import UnitSummary
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.conftest import log_in


def _units(name: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(Unit.id)).where(Unit.name == name))


def test_uncaught_refusal_is_a_400_with_its_message_and_stores_nothing(app, client):
    @app.get("/test/refuse")
    def refuse():
        db.session.add(Unit(name="半途单位", kind="bureau", sort_order=1))
        db.session.flush()
        raise Refusal("不能这样做。")

    page = client.get("/test/refuse")
    assert page.status_code == 400 and "不能这样做。" in page.get_data(as_text=True)
    answer = client.get("/test/refuse", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.get_json() == {"error": "不能这样做。"}
    db.session.remove()
    assert _units("半途单位") == 0


def test_a_successful_request_is_committed_once_a_failed_one_is_not(app, client):
    @app.get("/test/add/<name>/<int:status>")
    def add(name, status):
        db.session.add(Unit(name=name, kind="bureau", sort_order=1))
        return "", status

    assert client.get("/test/add/留下的单位/204").status_code == 204
    assert client.get("/test/add/退回的单位/422").status_code == 422
    db.session.remove()
    assert _units("留下的单位") == 1
    assert _units("退回的单位") == 0


def test_each_request_loads_its_own_campaign(client, factory, organizer):
    first, second = factory.campaign(year=2024), factory.campaign(year=2025)
    log_in(client, organizer)
    for campaign in (first, second, first):
        page = client.get(f"/campaigns/{campaign.id}/edit")
        assert page.status_code == 200 and campaign.doc_number in page.get_data(as_text=True)


def test_a_request_whose_second_service_refuses_stores_nothing_of_the_first(factory, unit_contact, unit_client):
    # The summary page's first save makes the unit's summary (get_or_create_summary: the row and its audit event,
    # in a savepoint), then saves the text (save_draft), which refuses a too long 出席领导. The request is one unit
    # of work: the summary made by the first service is not stored either.
    campaign = factory.campaign(status=STATUS_ISSUED)
    factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    page, campaign_id = f"/summaries/{campaign.id}", campaign.id
    response = unit_client.submit(page, {
        "base_revision": "0", "section_leadership": "局党组高度重视。", "leaders_present": "局长" * 300,
        "action": "save",
    })
    assert response.status_code == 400 and "出席领导" in response.get_data(as_text=True)
    db.session.remove()
    summaries = sa.select(sa.func.count(UnitSummary.id)).where(UnitSummary.campaign_id == campaign_id)
    assert db.session.scalar(summaries) == 0
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "summary_created")
    ) == 0

    # The same save within the limit stores both.
    response = unit_client.submit(page, {
        "base_revision": "0", "section_leadership": "局党组高度重视。", "leaders_present": "局长王明",
        "action": "save",
    })
    assert response.status_code == 302
    db.session.remove()
    summary = db.session.scalar(sa.select(UnitSummary).where(UnitSummary.campaign_id == campaign_id))
    assert summary is not None and summary.leaders_present == "局长王明"
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "summary_created")
    ) == 1
