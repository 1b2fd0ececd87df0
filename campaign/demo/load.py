"""The demo campaign a newcomer sees on first `make run`.

Rows are built straight from the models (not through the plan services), so the demo does not move each time
the forms do. Loading twice is harmless: units, users and campaigns that already exist are left as they are.
"""

from datetime import date, time

import sqlalchemy as sa

from campaign.auth.accounts import AccountFields, create_account
from campaign.auth.models import User
from campaign.booths import receipts
from campaign.demo.accounts import load_demo_accounts
from campaign.demo.booths import load_demo_booths
from campaign.demo.data import CAMPAIGNS, UNITS, USERS
from campaign.demo.earlier_years import load_earlier_years
from campaign.demo.last_year import load_last_year
from campaign.demo.rehearsal import load_demo_rehearsal
from campaign.demo.reminders import load_demo_reminders
from campaign.demo.report import load_demo_export, load_demo_report
from campaign.demo.summaries import load_demo_summaries
from campaign.plan.models import (
    UNIT_ROLES,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
    PlanSection,
    Slogan,
    Venue,
)
from campaign.shared.timeutil import local_datetime
from campaign.units.groups import add_default_groups
from campaign.units.models import Unit, UnitGroup
from campaign.units.names import written_names
from campaign.web.extensions import db

DEMO_LOGINS = [(username, password, description) for username, password, _, _, _, description in USERS]


def load_demo() -> None:
    units = _load_units()
    # The usual 统称 (各镇街 …), as a new district gets them.
    add_default_groups()
    _load_users(units)
    issued = []
    for spec in CAMPAIGNS:
        campaign = _load_campaign(spec, units)
        if campaign is not None and campaign.status == "closed":
            load_last_year(campaign)
        if campaign is not None and campaign.status == "issued":
            load_demo_booths(campaign)
            load_demo_rehearsal(campaign)
            load_demo_summaries(campaign)
            load_demo_report(campaign)
            load_demo_reminders(campaign)
            issued.append(campaign.id)
    # The years before, closed, so each unit's record over the years has a history.
    load_earlier_years(units)
    # After the summaries: their steps are the two README contacts' (the others have not done anything yet).
    load_demo_accounts(units)
    # Every entry its receipt code, as recording gives a phone's (the demo writes its entries directly).
    receipts.give_missing()
    db.session.commit()
    # Last: a job's run ends the session it used.
    for campaign_id in issued:
        load_demo_export(campaign_id)


def _load_units() -> dict[str, Unit]:
    """All demo units by short name, creating the missing ones."""
    existing = {unit.name: unit for unit in db.session.scalars(sa.select(Unit))}
    units = {}
    for order, (name, short_name, kind, person, phone) in enumerate(UNITS, start=1):
        unit = existing.get(name)
        if unit is None:
            unit = Unit(
                name=name,
                short_name=short_name,
                kind=kind,
                contact_person=person,
                contact_phone=phone,
                # The reserved .example domain: reminders sent from the demo can reach nobody.
                contact_email=f"gongkai{order:02d}@jiangbin.example",
                sort_order=order * 10,
            )
            db.session.add(unit)
        units[short_name] = unit
    db.session.flush()
    return units


def _load_users(units: dict[str, Unit]) -> None:
    """The README's logins, made as `flask users create` makes them (the password rule holds for them too)."""
    taken = set(db.session.scalars(sa.select(User.username)))
    for username, password, display_name, role, unit_short_name, _ in USERS:
        if username in taken:
            continue
        unit_id = units[unit_short_name].id if unit_short_name else None
        create_account(None, AccountFields(username, display_name, role, unit_id), password, via="demo")


def _load_campaign(spec: dict, units: dict[str, Unit]) -> Campaign | None:
    fields = spec["fields"]
    already = db.session.scalar(
        sa.select(Campaign.id).where(Campaign.year == fields["year"], Campaign.edition == fields["edition"])
    )
    if already:
        return None
    campaign = Campaign(
        **fields,
        status=spec["status"],
        summary_deadline=_at(*spec["deadline"]),
        deadline_date_only=spec.get("deadline_date_only", False),
        issued_at=_at(*spec["issued_at"]),
    )
    db.session.add(campaign)
    db.session.flush()

    venues = {}
    for name, address, kind in spec["venues"]:
        venues[name] = Venue(campaign_id=campaign.id, name=name, address=address, kind=kind)
        db.session.add(venues[name])
    db.session.flush()

    for group_order, (title, activities) in enumerate(spec["groups"], start=1):
        group = ActivityGroup(campaign_id=campaign.id, title=title, sort_order=group_order)
        db.session.add(group)
        db.session.flush()
        for order, activity_spec in enumerate(activities, start=1):
            _add_activity(campaign, group, order, activity_spec, venues, units)

    for order, text in enumerate(spec["slogans"], start=1):
        db.session.add(Slogan(campaign_id=campaign.id, text=text, sort_order=order))
    for order, (place, title, text) in enumerate(spec.get("sections", ()), start=1):
        db.session.add(PlanSection(campaign_id=campaign.id, place=place, title=title, text=text, sort_order=order))
    db.session.flush()
    return campaign


def _add_activity(campaign, group, order, spec, venues, units) -> Activity:
    if "day" in spec:
        day = date(campaign.year, *spec["day"])
        ends_at = _at(day, spec["end"]) if "end" in spec else None
        starts_at, all_day = _at(day, spec["start"]), False
    else:
        # Online activities run through the whole period.
        starts_at, ends_at, all_day = _at(campaign.first_day, (0, 0)), _at(campaign.last_day, (23, 59)), True
    activity = Activity(
        campaign_id=campaign.id,
        group_id=group.id,
        title=spec["title"],
        description=spec.get("description", ""),
        mode=spec["mode"],
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        venue_id=venues[spec["venue"]].id if spec.get("venue") else None,
        requirements=spec.get("requirements", ""),
        to_bring=spec.get("to_bring", ""),
        sort_order=order,
        etc_roles=",".join(spec.get("etc", ())),
    )
    db.session.add(activity)
    db.session.flush()
    seen = set()
    position = 0
    for role in UNIT_ROLES:
        # Split as the plan's lists are (units/names.py): "区发改局、人社局" names 区人社局 and prints 人社局.
        names, _etc = written_names("、".join(spec.get(role, ())))
        for name in names:
            # As NameIndex.find reads it: the name itself (临江镇), else with its list's 区 (人社局 → 区人社局).
            short_name = name.name if name.name in units or _group_exists(name.name) else name.expanded
            # The database refuses a unit twice in one activity; say which one, rather than an IntegrityError.
            if short_name in seen:
                raise ValueError(f"{short_name} appears twice in {spec['title']}")
            seen.add(short_name)
            position += 1
            link = ActivityUnit(activity_id=activity.id, role=role, position=position,
                                written="" if name.written == short_name else name.written)
            if short_name in units:
                link.unit_id = units[short_name].id
            else:
                link.group_id = _group_named(short_name).id
            db.session.add(link)
    return activity


def _group_exists(name: str) -> bool:
    return db.session.scalar(sa.select(UnitGroup.id).where(UnitGroup.name == name)) is not None


def _group_named(name: str) -> UnitGroup:
    return db.session.execute(sa.select(UnitGroup).where(UnitGroup.name == name)).scalar_one()


def _at(day: date, hour_minute: tuple[int, int]):
    return local_datetime(day, time(*hour_minute))
