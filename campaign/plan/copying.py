"""Copying a campaign to another year: the whole plan — texts, groups, activities with their units and unit groups,
venues, slogans and its own sections — as a new draft, with dates, editions and years moved to the new year."""

import re
from datetime import date, datetime

import sqlalchemy as sa

from campaign.plan.models import (
    STATUS_DRAFT,
    UNIT_ROLES,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
    PlanSection,
    Slogan,
    Venue,
    printed_names,
)
from campaign.plan.services import check_edition_and_year, note_change
from campaign.shared.formatting import cn_number
from campaign.shared.timeutil import LOCAL_TZ, local
from campaign.units.models import Unit
from campaign.web.extensions import db


def _to_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def _moment_to_year(moment: datetime | None, year: int) -> datetime | None:
    """The same wall-clock time in Beijing on the same month and day of another year."""
    if moment is None:
        return None
    wall = local(moment)
    return datetime.combine(_to_year(wall.date(), year), wall.time(), tzinfo=LOCAL_TZ)


def _retext(text: str, source: Campaign, year: int, edition: int) -> str:
    """Texts name their year and edition (2025年5月18日, 第十九届); the copy names the new ones."""
    text = text.replace(f"第{cn_number(source.edition)}届", f"第{cn_number(edition)}届")
    text = text.replace(f"第{source.edition}届", f"第{edition}届")
    return re.sub(rf"(?<!\d){source.year}(?=年)", str(year), text)


def copy_campaign(source: Campaign, year: int, edition: int, user=None) -> Campaign:
    """A draft for another year with the whole plan of `source`: its texts, groups, activities with their
    units (active ones), venues and slogans. Dates keep their month, day and clock time."""
    check_edition_and_year(edition, year)

    def retext(value: str) -> str:
        return _retext(value or "", source, year, edition)

    campaign = Campaign(
        edition=edition,
        year=year,
        title=retext(source.title),
        theme=source.theme,
        first_day=_to_year(source.first_day, year),
        last_day=_to_year(source.last_day, year) if source.last_day.year == source.year else source.last_day,
        issuing_office=source.issuing_office,
        doc_number="",
        basis_title=retext(source.basis_title),
        basis_number="",
        addressees=source.addressees,
        form_text=retext(source.form_text),
        closing_requirements=retext(source.closing_requirements),
        summary_deadline=_moment_to_year(source.summary_deadline, year),
        deadline_date_only=source.deadline_date_only,
        time_style=source.time_style,
        notice_title=retext(source.notice_title),
        notice_body=retext(source.notice_body),
        opening_text=retext(source.opening_text),
        issue_date=None,
        masthead_shown=source.masthead_shown,
        issuer_mark=source.issuer_mark,
        copy_to=source.copy_to,
        printed_by=source.printed_by,
        printed_on=None,
        status=STATUS_DRAFT,
    )
    if campaign.last_day < campaign.first_day:
        campaign.last_day = campaign.first_day
    db.session.add(campaign)
    db.session.flush()

    venue_ids = {}
    for venue in source.venues:
        venue_copy = Venue(campaign_id=campaign.id, name=venue.name, address=venue.address, kind=venue.kind)
        db.session.add(venue_copy)
        db.session.flush()
        venue_ids[venue.id] = venue_copy.id
    active = set(db.session.scalars(sa.select(Unit.id).where(Unit.active.is_(True))))

    def dropped(link: ActivityUnit) -> bool:
        # A unit deactivated since is no longer assigned new work; a group names whoever is in it now.
        return link.group_id is None and link.unit_id not in active

    for group in source.groups:
        group_copy = ActivityGroup(campaign_id=campaign.id, title=group.title, sort_order=group.sort_order)
        db.session.add(group_copy)
        db.session.flush()
        for activity in group.activities:
            copy = Activity(
                campaign_id=campaign.id,
                group_id=group_copy.id,
                title=retext(activity.title),
                description=retext(activity.description),
                mode=activity.mode,
                starts_at=_moment_to_year(activity.starts_at, year),
                ends_at=_moment_to_year(activity.ends_at, year),
                all_day=activity.all_day,
                venue_id=venue_ids.get(activity.venue_id),
                requirements=retext(activity.requirements),
                to_bring=activity.to_bring,
                sort_order=activity.sort_order,
                etc_roles=activity.etc_roles,
            )
            if copy.starts_at and copy.ends_at and copy.ends_at < copy.starts_at:  # across 28 February in a leap year
                copy.ends_at = copy.starts_at
            db.session.add(copy)
            db.session.flush()
            for role in UNIT_ROLES:
                links = activity.links_in_role(role)
                kept = [link for link in links if not dropped(link)]
                # The names as the plan wrote them; one that leaned on a dropped unit's 区 takes it along.
                for link, printed in zip(kept, printed_names(links, left_out=dropped), strict=True):
                    db.session.add(ActivityUnit(
                        activity_id=copy.id, unit_id=link.unit_id, group_id=link.group_id, role=link.role,
                        position=link.position, written="" if printed == link.label else printed,
                    ))
    for slogan in source.slogans:
        db.session.add(Slogan(campaign_id=campaign.id, text=slogan.text, sort_order=slogan.sort_order))
    for section in source.sections:
        db.session.add(PlanSection(campaign_id=campaign.id, title=section.title, text=section.text,
                                   place=section.place, sort_order=section.sort_order))
    note_change(campaign, user, "campaign_copied", campaign, source_id=source.id, source_year=source.year)
    db.session.flush()
    return campaign
