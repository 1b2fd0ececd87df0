"""The world: one issued campaign with one of every object, built once per test process. A test that asks for
`world` starts from a fresh copy of it (its database and its upload folder)."""

import pytest

from campaign.auth.links import issue_link
from campaign.auth.models import NO_PASSWORD
from campaign.booths.file_jobs import REGISTER_XLSX
from campaign.booths.followups import ensure_follow_up
from campaign.jobs.files import start_file_job
from campaign.jobs.state import execute
from campaign.plan.models import STATUS_ISSUED, PlanSection
from campaign.reminders.models import ReminderSlot
from campaign.report.snapshots import export_snapshot
from campaign.units.groups import save_group
from campaign.web.extensions import db
from tests.conftest import filled_database, make_organizer, make_unit_contact
from tests.serverutil import drop_database


def _build_world(factory) -> dict:
    """One issued campaign where the unit contact's unit leads an activity, and one of every object → their ids."""
    unit_contact = make_unit_contact(factory)
    campaign = factory.campaign(status=STATUS_ISSUED)
    group = factory.group(campaign)
    activity = factory.activity(group, units={unit_contact.unit: "lead"})
    slogan = factory.slogan(campaign, "公开是常态　不公开是例外")
    section = PlanSection(campaign_id=campaign.id, title="指导思想", text="以公开促落实。", place="start")
    db.session.add(section)
    booth = factory.booth(activity, unit_contact.unit, public=True)
    consultation = factory.consultation(booth, handling="转办")
    handout = factory.handout(booth)
    follow_up = ensure_follow_up(consultation)
    summary = factory.summary(campaign, unit_contact.unit)
    photo = factory.photo(summary)
    # A real export (compile, PDF, DOCX, XLSX): its files exist, so their downloads answer as pages do.
    snapshot = export_snapshot(campaign, None)
    job = factory.report_job(campaign)
    # A finished export (a FileJob, run here without the queue: only its file and row matter to the world), under
    # the same id as the report job, so both routes' <job_id> find their row.
    export = start_file_job(campaign.id, REGISTER_XLSX, {"full": False}, None)
    rule = factory.score_rule(campaign)
    unit_group = save_group(None, "各镇街", "town", [])
    slot = ReminderSlot(campaign_id=campaign.id, key="halfway", due_at=campaign.summary_deadline)
    db.session.add(slot)
    db.session.flush()
    ids = {
        "campaign_id": campaign.id,
        "group_id": group.id,
        "activity_id": activity.id,
        "venue_id": activity.venue_id,
        "slogan_id": slogan.id,
        "section_id": section.id,
        "unit_id": unit_contact.unit_id,
        "booth_id": booth.id,
        "token": booth.staff_token,
        "public_token": booth.public_token,
        "consultation_id": consultation.id,
        "handout_id": handout.id,
        "follow_up_id": follow_up.id,
        "summary_id": summary.id,
        "photo_id": photo.id,
        "snapshot_id": snapshot.id,
        "job_id": job.id,
        "rule_id": rule.id,
        "unit_group_id": unit_group.id,
        "slot_id": slot.id,
    }
    # An invited unit contact whose one-time link is still unused (the link's token is shown once: kept here).
    invited = factory.user("unit", unit=unit_contact.unit, username="invited")
    invited.password_hash = NO_PASSWORD
    ids["link_token"] = issue_link(None, invited).token
    ids["user_id"] = invited.id
    assert export.id == job.id
    db.session.commit()
    make_organizer(factory)
    db.session.commit()
    execute(REGISTER_XLSX, ids["job_id"])  # ends the session: the last thing done here
    return ids


@pytest.fixture(scope="session")
def world_database(tmp_path_factory, migrated_database):
    """The world built once per test process; every test that asks for `world` gets a fresh copy of it (its
    database and its upload folder), so a request that changes the world changes only that test's copy."""
    template = filled_database(tmp_path_factory, migrated_database, "world", _build_world)
    yield template
    drop_database(template.url)


@pytest.fixture
def database_template(request, database_template):
    """A test that asks for `world` starts from a copy of the world; the others as everywhere else."""
    if "world" in request.fixturenames:
        return request.getfixturevalue("world_database")
    return database_template


@pytest.fixture
def world(app, world_database) -> dict:
    """The ids of the world's objects (the unit contact, its unit and the organizer come with it)."""
    return dict(world_database.value)
