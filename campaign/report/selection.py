"""The organizer's choices for the report besides its text: which photos it shows, and whether the PDF carries the
scorecard."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.plan.models import Campaign
from campaign.report.models import ReportDraft
from campaign.report.narrative import forget_if_new, get_or_create_draft
from campaign.report.photos import available_photos, photo_order, photo_selection
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

MAX_PHOTOS = 200

register_action_labels({
    "report_photos_chosen": _l("选择区级总结的照片"),
    "report_photos_default": _l("区级总结照片恢复默认"),
    "report_scorecard_included": _l("设置PDF是否附评分表"),
    "report_register_included": _l("设置Excel是否附咨询登记明细"),
})


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise Refusal(_("所选照片无效，请刷新页面后重试。")) from None
        if number not in ids:
            ids.append(number)
    return ids


def choose_photos(campaign_id: int, user, values, page: int = 1) -> bool:
    """Keeps the photos chosen on one page of the photo page (its units' photos: the others' choice stays), in the
    order the page lists them; True if the choice changed. Only photos of the counted summaries shown on that page
    may be chosen. A choice still at the default starts from the default's photos."""
    wanted = set(_ids(values))
    shown = {photo.id for _unit, photos in available_photos(campaign_id, page).items for photo in photos}
    if wanted - shown:
        raise Refusal(_("所选照片不属于已报送的单位总结，请刷新页面后重试。"))
    draft = db.session.get(ReportDraft, campaign_id)
    if draft is not None and draft.photo_ids is not None:
        before = [photo_id for photo_id in draft.photo_ids if isinstance(photo_id, int)]
    else:
        before = [photo["id"] for photo in photo_selection(db.session.get_one(Campaign, campaign_id))]
    chosen = photo_order(campaign_id, (set(before) - shown) | wanted)
    # The default may hold more than MAX_PHOTOS (two for each of many units): a choice may keep as many as it had.
    limit = max(MAX_PHOTOS, len(before))
    if len(chosen) > limit:
        raise Refusal(_("最多选择%(n)s张照片。", n=limit))
    return _change_draft(campaign_id, user, "photo_ids", chosen, "report_photos_chosen", photos=len(chosen))


def default_photos(campaign_id: int, user) -> bool:
    """Back to the default (two per unit); True if it was not already."""
    return _change_draft(campaign_id, user, "photo_ids", None, "report_photos_default")


def include_scorecard(campaign_id: int, user, include: bool) -> bool:
    return _change_draft(campaign_id, user, "include_scorecard", include, "report_scorecard_included",
                         include=include)


def include_register(campaign_id: int, user, include: bool) -> bool:
    return _change_draft(campaign_id, user, "include_register", include, "report_register_included",
                         include=include)


def _change_draft(campaign_id: int, user, field: str, value, action: str, **detail) -> bool:
    """Set one field of the report draft, audited; False (nothing written) when it already had that value."""
    draft = get_or_create_draft(campaign_id)
    if getattr(draft, field) == value:
        forget_if_new(draft)
        return False
    setattr(draft, field, value)
    draft.updated_at = utcnow()
    record(user, action, draft, campaign_id=campaign_id, **detail)
    db.session.flush()
    return True
