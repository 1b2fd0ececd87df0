"""The demo's unit summaries of the 2025 campaign: every state the office meets after the day, with photos.

Several accepted, some waiting for review, one late, one returned with a note (区教育局, the demo login
`jiaoyu`), some drafts (临江镇, the demo login `linjiang`) and some not started. The text is our own drafting
from each unit's booth figures, with what each unit wrote in its own words (summary_texts.py: what it did beyond
the desks, its results, problems and next steps); two units corrected a recorded figure. The photos are drawn
by demo_photos.py and go through the same intake as an upload (media.prepare_photo / store_photo), so they are
stored and served like real ones.
"""

import functools
import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from campaign.auth.models import User
from campaign.demo.photos import demo_photo
from campaign.demo.summary_texts import OWN_WORDS, ordinal_text
from campaign.plan.models import MODE_ONSITE, Campaign
from campaign.plan.participants import participants
from campaign.shared import media
from campaign.shared.audit import record
from campaign.shared.timeutil import local, local_datetime, utcnow
from campaign.summaries.drafting import campaign_tasks, draft_sections
from campaign.summaries.figures import effective_figures, recorded_figures_by_unit
from campaign.summaries.models import FigureCorrection, Photo, UnitSummary
from campaign.web.extensions import db

ACCEPTED = ("区政府办", "区人社局", "区医保局", "区市场监管局", "区司法局", "区营商环境局", "区政务服务中心", "区融媒体中心")
SUBMITTED = ("区发改局", "区卫健局", "区民政局", "区税务局", "区12345热线中心")
LATE = ("区住建局",)
RETURNED = {
    "区教育局": "请补充5月15日主会场咨询台的现场照片（至少2张），并在“主要成效”部分写明群众满意率；"
    "“工作人员登记”人次的更正请附当日纸质登记表扫描件。",
}
DRAFTS = ("临江镇", "区财政局", "区农业农村局", "白沙镇")
# Units that corrected a recorded figure: key, amount added, reason.
CORRECTIONS = {
    "区人社局": ("material:宣传册", 60, "部分宣传册由工作人员在咨询台旁直接发放，未及时在手机上登记"),
    "区教育局": ("consultations_staff", 12, "活动开始前群众集中咨询，有12人次未及时登记"),
}
LEADERS = {
    "区政府办": "区政府办党组书记、主任陈立新",
    "区人社局": "区人社局党组书记、局长钱卫东",
    "区教育局": "区教育局分管副局长林晓红",
    "区医保局": "区医保局局长韩志强",
    "区司法局": "区司法局党组成员、副局长朱建华",
    "区住建局": "区住建局分管副局长冯卫国",
}
VIDEOS = {
    "区融媒体中心": [{"title": "第十九届“5·15政务公开日”主会场活动短视频", "url": "https://v.jiangbin.example/515/2025/main"}],
    "区政府办": [{"title": "“5·15政务公开日”集中宣传咨询活动现场", "url": "https://v.jiangbin.example/515/2025/scene"}],
}
STATE_OF = {
    name: state
    for state, names in (("accepted", ACCEPTED), ("submitted", SUBMITTED), ("late", LATE), ("returned", RETURNED),
                         ("draft", DRAFTS))
    for name in names
}


def load_demo_summaries(campaign: Campaign) -> None:
    if db.session.scalar(sa.select(sa.func.count(UnitSummary.id)).where(UnitSummary.campaign_id == campaign.id)):
        return
    db.session.flush()
    rng = random.Random(518)
    upload_dir = current_app.config["UPLOAD_DIR"]
    admin = db.session.scalar(sa.select(User).where(User.role == "organizer").order_by(User.id).limit(1))
    # The unit's own steps are done by its contact where the demo has one (the others have no account to show).
    contacts = {user.unit_id: user for user in db.session.scalars(sa.select(User).where(User.role == "unit"))}
    units = participants(campaign.id)
    recorded = recorded_figures_by_unit(campaign.id, [unit.id for unit in units])
    for unit in units:
        state = STATE_OF.get(unit.short_name)
        if state is None:
            continue
        summary = UnitSummary(
            campaign_id=campaign.id, unit_id=unit.id, narrative={}, unit_figures={}, video_links=[], revision=1
        )
        db.session.add(summary)
        db.session.flush()
        tasks = campaign_tasks(campaign, unit.id)
        _fill(summary, campaign, unit, tasks, recorded.get(unit.id, {}), rng)
        _history(summary, campaign, unit, state, admin, contacts.get(unit.id), rng)
        if state != "draft" or unit.short_name == "临江镇":
            count = 2 if state == "draft" else rng.randint(2, 4)
            _add_photos(summary, campaign, unit, _photo_plan(unit, tasks, rng)[:count], upload_dir)
    db.session.flush()


def _at(month_day: tuple[int, int], hour: int, minute: int) -> datetime:
    return local_datetime(date(2025, *month_day), time(hour, minute))


def _fill(summary: UnitSummary, campaign: Campaign, unit, tasks, recorded: dict, rng: random.Random) -> None:
    onsite = any(task.activity.mode == MODE_ONSITE for task in tasks)
    own_figures = {
        "staff_count": rng.randint(3, 8) if onsite else rng.randint(2, 4),
        "display_boards": rng.randint(2, 6) if onsite else 0,
        "banners": rng.randint(1, 2) if onsite else 0,
        "interpretations_published": rng.randint(2, 6) if not onsite or rng.random() < 0.5 else 0,
        "online_posts": rng.randint(3, 12),
        "hotline_answered": rng.randint(5, 30) if unit.short_name == "区12345热线中心" else 0,
    }
    summary.unit_figures = {key: value for key, value in own_figures.items() if value}
    summary.leaders_present = LEADERS.get(unit.short_name, "")
    summary.video_links = list(VIDEOS.get(unit.short_name, []))
    if unit.short_name in CORRECTIONS:
        key, added, reason = CORRECTIONS[unit.short_name]
        was = recorded.get(key, 0) or 0
        summary.corrections.append(FigureCorrection(key=key, recorded=was, corrected=was + added, reason=reason))
    figures = {**effective_figures(summary, recorded), **summary.unit_figures}
    sections = draft_sections(campaign, unit, figures, tasks, summary.leaders_present)
    own = OWN_WORDS.get(unit.short_name)
    if own:
        # What the contact wrote in: what the unit did at its desks and beyond them, and its own results,
        # problems and next steps in place of the draft's.
        sections["activities"] += "\n" + "\n".join(own["activities"])
        for key in ("results", "problems", "next_steps"):
            sections[key] = ordinal_text(own[key])
    else:
        sections["activities"] += "\n" + rng.choice((
            "活动中，工作人员耐心倾听群众诉求，对政策条文逐条讲解，对需要办理的事项一次性告知所需材料。",
            "现场设置意见建议登记簿，收集群众对政务公开工作的意见建议，会后逐条梳理、分类研究。",
            "针对群众关心的热点问题，现场发放“一图读懂”等通俗易懂的政策解读材料，受到群众欢迎。",
        ))
    summary.narrative = sections if unit.short_name not in ("区财政局", "区农业农村局") else {
        # Drafts half written: the first two sections only.
        key: sections[key] for key in ("leadership", "activities")
    }


def _history(summary: UnitSummary, campaign: Campaign, unit, state: str, admin, contact, rng: random.Random) -> None:
    def logged(user, action: str, at: datetime, **detail) -> None:
        record(user, action, summary, campaign_id=campaign.id, **detail).at = at

    created = _at((5, 16), rng.randint(8, 17), rng.randint(0, 59))
    summary.created_at = created
    logged(contact, "summary_created", created, unit_id=unit.id)
    if state == "draft":
        summary.updated_at = created + timedelta(hours=rng.randint(1, 40))
        return
    if state == "late":
        submitted = _at((5, 19), 9, 42)
    elif state == "returned":
        submitted = _at((5, 17), 16, 20)
    else:
        submitted = _at((5, rng.choice((16, 17, 18))), rng.randint(9, 16), rng.randint(0, 59))
    summary.status = "submitted"
    summary.first_submitted_at = summary.submitted_at = submitted
    summary.late = state == "late"
    summary.updated_at = submitted
    summary.revision = 2
    logged(contact, "summary_submitted", submitted, late=summary.late, resubmission=False)
    for correction in summary.corrections:
        logged(contact, "summary_figure_corrected", submitted - timedelta(minutes=20), key=correction.key,
               recorded=correction.recorded, corrected=correction.corrected, reason=correction.reason)
    if state == "returned":
        summary.status = "returned"
        summary.returned_at = _at((5, 18), 10, 15)
        summary.review_note = RETURNED[unit.short_name]
        summary.revision = 3
        logged(admin, "summary_returned", summary.returned_at, note=summary.review_note)
    elif state == "accepted":
        summary.status = "accepted"
        summary.accepted_at = _at((5, 19), rng.randint(9, 11), rng.randint(0, 59))
        summary.revision = 3
        logged(admin, "summary_accepted", summary.accepted_at, late=False)


# Photos


def _photo_plan(unit, tasks, rng: random.Random) -> list[tuple[str, str, datetime]]:
    onsite = [task.activity for task in tasks if task.activity.mode == MODE_ONSITE]
    meeting_at = _at((5, 12), rng.randint(9, 15), rng.randint(0, 59))
    if not onsite:
        return [
            ("meeting", f"{unit.label}召开专题会议部署“5·15政务公开日”活动", meeting_at),
            ("hall", f"{unit.label}开展政策解读宣讲", _at((5, 16), 10, rng.randint(0, 59))),
            ("meeting", f"{unit.label}研究梳理群众关注的热点问题答复口径", _at((5, 14), 15, rng.randint(0, 59))),
        ]
    activity = onsite[0]
    venue = activity.venue.name if activity.venue else ""
    at = activity.starts_at + timedelta(minutes=rng.randint(10, 90))
    plan = [
        ("desk", f"{venue}，{unit.label}政策咨询台现场解答群众咨询", at),
        ("handout", "工作人员向群众发放宣传资料、讲解惠民政策", at + timedelta(minutes=12)),
    ]
    if len(onsite) > 1 or activity.venue is None or not activity.venue.is_main:
        plan.append(("hall", f"在{venue}开展政策宣讲", at + timedelta(minutes=30)))
    plan.append(("meeting", f"{unit.label}召开专题会议部署“5·15政务公开日”活动", meeting_at))
    return plan


@functools.lru_cache(maxsize=128)
def _prepared_photo(kind: str, unit_name: str, seed: str, taken_at: datetime, filename: str) -> media.PreparedPhoto:
    # Kept for the process: the tests load the demo again and again, and drawing is most of its time.
    return media.prepare_photo(demo_photo(kind, unit_name, seed, taken_at), filename)


def _add_photos(summary: UnitSummary, campaign: Campaign, unit, plan: list, upload_dir: str) -> None:
    for order, (kind, caption, taken_at) in enumerate(plan):
        filename = f"IMG_{local(taken_at):%Y%m%d_%H%M%S}.jpg"
        prepared = _prepared_photo(kind, unit.label, f"{unit.name}-{order}", taken_at, filename)
        stored = media.store_photo(prepared, upload_dir, f"photos/{campaign.id}")
        photo = Photo(
            summary_id=summary.id, sha256=prepared.sha256, caption=caption, sort_order=order,
            original_name=prepared.original_name, taken_at=prepared.taken_at,
            width=prepared.width, height=prepared.height,
            display_path=stored["display_path"], display_width=prepared.display.width,
            display_height=prepared.display.height, display_bytes=prepared.display.size_bytes,
            thumb_path=stored["thumb_path"], thumb_width=prepared.thumb.width, thumb_height=prepared.thumb.height,
            created_at=(summary.submitted_at or summary.created_at or utcnow()) - timedelta(minutes=30 - order),
        )
        db.session.add(photo)
