"""The report's photos: the ones it shows (the organizer's choice, or the first two of each counted unit), and the
photo page's lists to choose from, a page of units at a time (a city's 400 units hold thousands of photos)."""

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.models import Campaign
from campaign.report.figures import PhotoEntry
from campaign.report.models import ReportDraft
from campaign.summaries.models import Photo, UnitSummary
from campaign.summaries.workflow import COUNTED_STATES, COUNTED_STATUSES, summary_state
from campaign.units.models import Unit
from campaign.web.extensions import db

DEFAULT_PHOTOS_PER_UNIT = 2


def chosen_photos(draft: ReportDraft | None, counted: list[tuple[Unit, UnitSummary]]) -> list[PhotoEntry]:
    """The photos the report shows: the organizer's choice if any (photos no longer in a counted summary drop
    out), else the first two of each counted unit, in unit order."""
    units = {summary.id: unit for unit, summary in counted}
    if not units:
        return []
    query = sa.select(Photo).where(Photo.summary_id.in_(list(units)))
    if draft is not None and draft.photo_ids is not None:
        # Only the chosen photos are read, whatever the number the summaries hold.
        wanted = [photo_id for photo_id in draft.photo_ids if isinstance(photo_id, int)]
        found = {photo.id: photo for photo in db.session.scalars(query.where(Photo.id.in_(wanted)))} if wanted else {}
        chosen = [(units[found[photo_id].summary_id], found[photo_id]) for photo_id in wanted if photo_id in found]
    else:
        # The first photos of each summary in its own order, picked by the database.
        place = sa.func.row_number().over(partition_by=Photo.summary_id, order_by=(Photo.sort_order, Photo.id))
        ranked = sa.select(Photo.id.label("id"), place.label("place")).where(
            Photo.summary_id.in_(list(units))).subquery()
        first = sa.select(ranked.c.id).where(ranked.c.place <= DEFAULT_PHOTOS_PER_UNIT)
        photos = db.session.scalars(query.where(Photo.id.in_(first)).order_by(Photo.sort_order, Photo.id)).all()
        by_summary: dict[int, list] = defaultdict(list)
        for photo in photos:
            by_summary[photo.summary_id].append(photo)
        chosen = [(unit, photo) for unit, summary in counted for photo in by_summary.get(summary.id, [])]
    return [
        {
            "id": photo.id, "unit": unit.label, "unit_id": unit.id, "caption": photo.caption,
            "display_path": photo.display_path, "width": photo.display_width, "height": photo.display_height,
        }
        for unit, photo in chosen
    ]


def photo_selection(campaign: Campaign) -> list[PhotoEntry]:
    """The photos the report shows, as compile_report chooses them, read alone: the photo page needs these and not
    the 400 units' figures (a city's compile)."""
    summaries = db.session.scalars(
        sa.select(UnitSummary).where(UnitSummary.campaign_id == campaign.id).options(joinedload(UnitSummary.unit))
    ).all()
    counted = sorted(((summary.unit, summary) for summary in summaries
                      if summary_state(summary, campaign) in COUNTED_STATES),
                     key=lambda pair: (pair[0].sort_order, pair[0].id))
    return chosen_photos(db.session.get(ReportDraft, campaign.id), counted)


# The photo page shows the counted summaries' photos a page of units at a time: a city's 400 units hold thousands.
PHOTO_UNITS_PER_PAGE = 25


def _counted_with_photos(campaign_id: int):
    """The counted summaries that hold a photo, in unit order (a summary's status decides: see COUNTED_STATUSES)."""
    return (
        sa.select(UnitSummary)
        .join(Unit, UnitSummary.unit_id == Unit.id)
        .where(UnitSummary.campaign_id == campaign_id, UnitSummary.status.in_(COUNTED_STATUSES),
               sa.exists().where(Photo.summary_id == UnitSummary.id))
        .order_by(Unit.sort_order, Unit.id)
    )


def available_photos(campaign_id: int, page: int = 1, per_page: int = PHOTO_UNITS_PER_PAGE):
    """One page of the photos of the counted summaries, by unit: what the organizer may choose from. Its `items`
    are (unit, photos) pairs; the pager macro reads the rest."""
    shown = db.paginate(_counted_with_photos(campaign_id), page=page, per_page=per_page, error_out=False)
    if not shown.items and shown.page > 1 and shown.pages:  # past the end (an old link): the last page
        shown = db.paginate(_counted_with_photos(campaign_id), page=shown.pages, per_page=per_page, error_out=False)
    summaries = db.session.scalars(
        sa.select(UnitSummary).where(UnitSummary.id.in_([summary.id for summary in shown.items]))
        .options(joinedload(UnitSummary.unit), selectinload(UnitSummary.photos))
    ).all()
    by_id = {summary.id: summary for summary in summaries}
    shown.items = [(by_id[summary.id].unit, list(by_id[summary.id].photos)) for summary in shown.items]
    return shown


def photo_order(campaign_id: int, photo_ids) -> list[int]:
    """Those of the photo ids that belong to a counted summary of the campaign, in the order the page lists them
    (unit order, then each summary's own photo order)."""
    ids = list(photo_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Photo.id)
        .join(UnitSummary, Photo.summary_id == UnitSummary.id)
        .join(Unit, UnitSummary.unit_id == Unit.id)
        .where(UnitSummary.campaign_id == campaign_id, UnitSummary.status.in_(COUNTED_STATUSES), Photo.id.in_(ids))
        .order_by(Unit.sort_order, Unit.id, Photo.sort_order, Photo.id)
    ))
