"""The plan's own sections beside the standard five: 一、指导思想 before them, 六、其他事项 after, as an office writes.

A section has a title, its text (a paragraph a line) and its place: before the standard sections, or after one of
them (PlanSection.place); the document numbers them all in order (plan/document.py). Every change goes through
services.note_change, so an issued plan records who changed what and when.
"""

import re

from flask_babel import lazy_gettext as _l

from campaign.plan.activities import move_and_note, next_order
from campaign.plan.models import SECTION_PLACES, SECTION_TITLE_MAX, Campaign, PlanSection
from campaign.plan.services import change_and_note, note_change
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

SECTION_TEXT_MAX = 5000
# A heading pasted with its number (一、 （一） 1.), or a number alone, keeps none: the document numbers the sections.
# (The import's H1, H2 and ITEM want a heading's text after the number; a number alone must come out empty here.)
_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|\d{1,2}\s*[.．、](?!\d))\s*")
# The standard sections, as the place choices name them.
PLACE_LABELS = {
    "start": _l("放在“活动主题”之前（第一部分）"),
    "theme": _l("放在“活动主题”之后"),
    "form": _l("放在“活动形式”之后"),
    "period": _l("放在“活动时间”之后"),
    "content": _l("放在“活动内容”之后"),
    "requirements": _l("放在“活动要求”之后（最后）"),
}


def cleaned(title, text, place) -> dict:
    """The section's fields as stored; raises Refusal naming the field."""
    title = _NUMBER.sub("", str(title or "").strip(), count=1).strip().rstrip("。：:")
    if not title:
        raise Refusal(_l("请填写章节标题，如“指导思想”。"), field="title")
    if len(title) > SECTION_TITLE_MAX:
        raise Refusal(_l("章节标题不能超过%(n)s个字。", n=SECTION_TITLE_MAX), field="title")
    text = "\n".join(line.strip() for line in str(text or "").splitlines() if line.strip())
    if len(text) > SECTION_TEXT_MAX:
        raise Refusal(_l("章节内容不能超过%(n)s个字。", n=SECTION_TEXT_MAX), field="text")
    if place not in SECTION_PLACES:
        raise Refusal(_l("请选择章节放在哪里。"), field="place")
    return {"title": title, "text": text, "place": place}


def add_section(user, campaign: Campaign, title, text, place) -> PlanSection:
    values = cleaned(title, text, place)
    order = next_order(PlanSection.sort_order, PlanSection.campaign_id == campaign.id)
    section = PlanSection(campaign_id=campaign.id, sort_order=order, **values)
    db.session.add(section)
    db.session.flush()
    note_change(campaign, user, "section_added", section, title=section.title)
    db.session.flush()
    return section


def update_section(user, section: PlanSection, title, text, place) -> dict:
    return change_and_note(section.campaign, user, "section_updated", section, cleaned(title, text, place))


def delete_section(user, section: PlanSection) -> None:
    note_change(section.campaign, user, "section_deleted", section, title=section.title)
    db.session.delete(section)
    db.session.flush()


def beside(section: PlanSection) -> list[PlanSection]:
    """The sections at the same place as this one (itself among them), in order: what it moves among."""
    return [other for other in section.campaign.sections if other.place == section.place]


def move_section(user, section: PlanSection, direction: str) -> bool:
    """Up or down among the sections at the same place."""
    return move_and_note(user, section.campaign, beside(section), section, direction, "section_moved",
                         title=section.title)
