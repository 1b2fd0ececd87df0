"""Venues and slogans of a campaign's plan.

Every change goes through services.note_change, so an issued plan records who changed what and when.
"""

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.plan.activities import move_and_note, next_order
from campaign.plan.models import VENUE_BRANCH, VENUE_KINDS, Activity, Campaign, Slogan, Venue
from campaign.plan.services import change_and_note, note_change, one_line
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

VENUE_NAME_MAX, ADDRESS_MAX, SLOGAN_MAX = 100, 200, 200

# What people number their lines with when they paste a list: 1. 1、 1) （1） ① 一、 — but not 5.15 or 5·15.
_NUMBERING = re.compile(r"^\s*(?:[（(]\s*\d{1,3}\s*[）)]|\d{1,3}\s*[.．、,，)）](?!\d)|[①-⑳]|[一二三四五六七八九十]{1,3}、)\s*")


# Venues


def _venue_values(campaign: Campaign, name, address, kind, exclude_id=None) -> dict:
    name, address = one_line(name), one_line(address)
    if kind not in VENUE_KINDS:
        raise Refusal(_l("请选择地点类型。"), field="kind")
    if not name:
        raise Refusal(_l("请填写地点名称。"), field="name")
    if len(name) > VENUE_NAME_MAX:
        raise Refusal(_l("地点名称不能超过%(n)s个字。", n=VENUE_NAME_MAX), field="name")
    if len(address) > ADDRESS_MAX:
        raise Refusal(_l("地址不能超过%(n)s个字。", n=ADDRESS_MAX), field="address")
    query = sa.select(Venue.id).where(Venue.campaign_id == campaign.id, Venue.name == name)
    if exclude_id is not None:
        query = query.where(Venue.id != exclude_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Refusal(_l("已有名为“%(name)s”的地点。", name=name), field="name")
    return dict(name=name, address=address, kind=kind)


def add_venue(user, campaign: Campaign, name: str, address: str = "", kind: str = VENUE_BRANCH) -> Venue:
    venue = Venue(campaign_id=campaign.id, **_venue_values(campaign, name, address, kind))
    db.session.add(venue)
    db.session.flush()
    note_change(campaign, user, "venue_created", venue, name=venue.name)
    db.session.flush()
    return venue


def update_venue(user, venue: Venue, name: str, address: str = "", kind: str = VENUE_BRANCH) -> None:
    campaign = venue.campaign
    change_and_note(campaign, user, "venue_updated", venue,
                    _venue_values(campaign, name, address, kind, exclude_id=venue.id))


def delete_venue(user, venue: Venue) -> None:
    used_by = db.session.scalars(sa.select(Activity.title).where(Activity.venue_id == venue.id).limit(2)).all()
    if used_by:
        raise Refusal(
            _l("地点“%(venue)s”正用于活动“%(activity)s”，请先为该活动更换地点后再删除。",
               venue=venue.name, activity=used_by[0])
        )
    campaign = venue.campaign
    note_change(campaign, user, "venue_deleted", venue, name=venue.name)
    db.session.delete(venue)
    db.session.flush()


# Slogans


def split_slogans(text: str) -> list[str]:
    """One slogan a line, numbering and blank lines dropped."""
    slogans = []
    for line in str(text or "").splitlines():
        line = _NUMBERING.sub("", line, count=1).strip()
        if line:
            slogans.append(line)
    return slogans


def _slogan_text(text) -> str:
    text = str(text or "").strip()
    if not text:
        raise Refusal(_l("请填写标语内容。"), field="text")
    if len(text) > SLOGAN_MAX:
        raise Refusal(_l("每条标语不能超过%(n)s个字。", n=SLOGAN_MAX), field="text")
    return text


def add_slogans(user, campaign: Campaign, text: str) -> list[Slogan]:
    lines = split_slogans(text)
    if not lines:
        raise Refusal(_l("请粘贴标语，每行一条。"), field="text")
    for number, line in enumerate(lines, start=1):
        if len(line) > SLOGAN_MAX:
            raise Refusal(_l("第%(n)s行超过%(max)s个字，请检查是否漏了换行。", n=number, max=SLOGAN_MAX),
                            field="text")
    order = next_order(Slogan.sort_order, Slogan.campaign_id == campaign.id)
    slogans = [Slogan(campaign_id=campaign.id, text=line, sort_order=order + i) for i, line in enumerate(lines)]
    db.session.add_all(slogans)
    db.session.flush()
    note_change(campaign, user, "slogans_added", campaign, texts=lines)
    db.session.flush()
    return slogans


def update_slogan(user, slogan: Slogan, text: str) -> None:
    change_and_note(slogan.campaign, user, "slogan_updated", slogan, {"text": _slogan_text(text)})


def delete_slogan(user, slogan: Slogan) -> None:
    note_change(slogan.campaign, user, "slogan_deleted", slogan, text=slogan.text)
    db.session.delete(slogan)
    db.session.flush()


def move_slogan(user, slogan: Slogan, direction: str) -> bool:
    campaign = slogan.campaign
    return move_and_note(user, campaign, campaign.slogans, slogan, direction, "slogan_moved", text=slogan.text)
