"""Three earlier years of the demo district (2022, 2023 and 2024, all closed), so the units × years matrix and
each unit's page have a history to show: summaries on time, late by a day or a week, or never sent; booths with
their consultations and referrals (closed in time or not); the default scorecard, partial credit for lateness from
2023 on, one manual adjustment with its reason, and units with too few consultations to rank in 2024.

The rows go in with bulk inserts (the booths' running totals rebuilt once a year after), so `flask demo load` stays
quick. The habits are deliberate, as an office sees them: 区住建局 is late every year, 白沙镇 missed 2022 and was
late after, 区财政局 missed one year; most units are on time.
"""

import random
import uuid
from datetime import date, time, timedelta

import sqlalchemy as sa

from campaign.booths import tallies
from campaign.booths.models import (
    CLOSED,
    DEFAULT_MATERIALS,
    DEFAULT_TOPICS,
    REFERRAL,
    Booth,
    BoothSettings,
    Consultation,
    FollowUp,
    new_token,
)
from campaign.plan.models import (
    MODE_ONLINE,
    MODE_ONSITE,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
    Venue,
)
from campaign.plan.participants import participant_ids
from campaign.report import scorecard, scoring
from campaign.report.models import ScorecardSettings
from campaign.shared.timeutil import local_date, local_datetime
from campaign.shared.workdays import add_working_days
from campaign.summaries.models import SECTIONS, UnitSummary
from campaign.units.models import Unit, UnitGroup
from campaign.web.extensions import db

# year → (edition, deadline day, on-time share of the units without a habit, partial credit, fewest consultations)
YEARS = {
    2022: (16, date(2022, 5, 20), 0.8, 0, 0),
    2023: (17, date(2023, 5, 19), 0.85, 2, 0),
    2024: (18, date(2024, 5, 20), 0.9, 3, 5),
}
# Units with a habit, by short name: year → "late:N" (working days late), "missing", or "on_time".
HABITS = {
    "区住建局": {2022: "late:3", 2023: "late:1", 2024: "late:2"},
    "白沙镇": {2022: "missing", 2023: "late:6", 2024: "late:1"},
    "区财政局": {2023: "missing"},
    "桃源镇": {2022: "late:1"},
    "区教育局": {2022: "on_time", 2023: "on_time", 2024: "on_time"},
}
# The units that set up a desk at the main venue each year (the rest took part online).
DESKS = ("区政府办", "区教育局", "区人社局", "区医保局", "区市场监管局", "区住建局", "区卫健局", "区民政局", "区司法局",
         "区税务局", "区营商环境局", "区政务服务中心", "临江镇", "江滨街道", "白沙镇")
TOPIC_UNITS = {"社会保险": "区人社局", "医疗保障": "区医保局", "教育入学": "区教育局", "企业开办": "区市场监管局",
               "住房保障": "区住建局", "民政救助": "区民政局"}
ADJUSTMENT = (2023, "区融媒体中心", 5, "承担主会场直播和全区宣传报道，经政务公开领导小组研究加分")
TEXT = {
    "leadership": "{unit}高度重视第{edition}届“5·15政务公开日”活动，召开专题会议研究部署，明确分管领导和联络员。",
    "activities": "活动期间，{unit}{desk}在门户网站和政务新媒体发布政策解读，解答群众和企业咨询。",
    "results": "通过活动，群众对政务公开和惠民利企政策的知晓度进一步提高。",
    "problems": "企业参与热情不高，公开内容不够丰富，宣传面仍需继续加大。",
    "next_steps": "下一步，{unit}将把政务公开融入日常工作，持续做好政策解读和回应关切。",
}


def load_earlier_years(units: dict[str, Unit]) -> None:
    """The three years, each once (a year with summaries already is left as it is)."""
    rng = random.Random(2022)
    for year, (edition, deadline_day, on_time_share, late_points, fewest) in YEARS.items():
        campaign = _campaign(year, edition, deadline_day)
        if db.session.scalar(sa.select(sa.func.count(UnitSummary.id)).where(UnitSummary.campaign_id == campaign.id)):
            continue
        _plan(campaign, units)
        booths = _booths(campaign, units, rng)
        db.session.flush()
        tallies.rebuild(campaign.id)
        _summaries(campaign, units, on_time_share, booths, rng)
        scorecard.add_default_rules(campaign.id, None)
        if late_points or fewest:
            db.session.add(ScorecardSettings(campaign_id=campaign.id, late_points_per_day=late_points,
                                             min_consultations=fewest, require_booth=False))
        if year == ADJUSTMENT[0]:
            scoring.adjust(campaign.id, units[ADJUSTMENT[1]].id, None, ADJUSTMENT[2], ADJUSTMENT[3])
    db.session.flush()


def _campaign(year: int, edition: int, deadline_day: date) -> Campaign:
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.year == year, Campaign.edition == edition))
    if campaign is not None:
        return campaign
    campaign = Campaign(
        edition=edition, year=year, title=f"江滨区第{_cn(edition)}届“5·15政务公开日”活动方案",
        theme="深化政务公开，推进法治政府建设。", first_day=date(year, 5, 15), last_day=date(year, 5, 17),
        issuing_office="江滨区人民政府办公室", doc_number=f"江政办〔{year}〕{edition - 8}号",
        addressees="各镇（街道），区政府各部门、区直各单位：", issue_date=date(year, 5, 6), status="closed",
        summary_deadline=local_datetime(deadline_day, time(17, 30)),
        issued_at=local_datetime(date(year, 5, 6), time(10, 0)),
        # Until 2023 the office titled its notice by the activity, not by the plan it sent (Campaign.notice_title).
        notice_title=f"关于开展第{_cn(edition)}届“5·15政务公开日”活动的通知" if year <= 2023 else "",
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _cn(number: int) -> str:
    digits = "零一二三四五六七八九"
    return f"十{digits[number - 10]}" if number < 20 else digits[number // 10] + "十" + digits[number % 10]


def _plan(campaign: Campaign, units: dict[str, Unit]) -> None:
    """The year's plan as the matrix needs it: every unit online (through the groups) and the desks on site."""
    order = db.session.scalar(sa.select(sa.func.count(ActivityGroup.id)).where(ActivityGroup.campaign_id == campaign.id))
    group = ActivityGroup(campaign_id=campaign.id, title="各单位集中宣传", sort_order=(order or 0) + 1)
    db.session.add(group)
    db.session.flush()
    online = Activity(
        campaign_id=campaign.id, group_id=group.id, title="开展“政务公开进万家”线上宣传活动", mode=MODE_ONLINE,
        description="各单位在门户网站和政务新媒体发布政策解读，回应群众关切。", all_day=True, sort_order=1,
        starts_at=local_datetime(campaign.first_day, time(0, 0)), ends_at=local_datetime(campaign.last_day, time(23, 59)),
    )
    venue = db.session.scalar(sa.select(Venue).where(Venue.campaign_id == campaign.id).limit(1))
    if venue is None:
        venue = Venue(campaign_id=campaign.id, name="江滨区市民广场", address="江滨区滨江大道188号", kind="main")
        db.session.add(venue)
        db.session.flush()
    onsite = Activity(
        campaign_id=campaign.id, group_id=group.id, title="各单位设立政策咨询台", mode=MODE_ONSITE, venue_id=venue.id,
        description="在市民广场设立政策咨询台，现场解答群众和企业咨询。", sort_order=2,
        starts_at=local_datetime(campaign.first_day, time(9, 0)), ends_at=local_datetime(campaign.first_day, time(11, 30)),
    )
    db.session.add_all([online, onsite])
    db.session.flush()
    groups = db.session.scalars(sa.select(UnitGroup).where(UnitGroup.unit_kind.is_not(None)).order_by(UnitGroup.id))
    db.session.add_all([ActivityUnit(activity_id=online.id, role="responsible", position=position, group_id=g.id)
                        for position, g in enumerate(groups, start=1)])
    db.session.add_all([ActivityUnit(activity_id=onsite.id, role="participating", position=position,
                                     unit_id=units[name].id) for position, name in enumerate(DESKS, start=1)])


def _booths(campaign: Campaign, units: dict[str, Unit], rng: random.Random) -> dict[int, int]:
    """A booth per desk unit and its consultations, some referred and closed in time or late; {unit id: count}."""
    # 2024's desks of its own plan came first (demo/last_year.py), with the campaign's settings.
    if db.session.get(BoothSettings, campaign.id) is None:
        db.session.add(BoothSettings(campaign_id=campaign.id, topics=list(DEFAULT_TOPICS),
                                     materials=list(DEFAULT_MATERIALS)))
    activity = db.session.scalar(sa.select(Activity).where(Activity.campaign_id == campaign.id,
                                                           Activity.mode == MODE_ONSITE).order_by(Activity.id.desc()))
    assert activity is not None and activity.starts_at is not None
    booths = {}
    for name in DESKS:
        booth = Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=units[name].id,
                      staff_token=new_token(), active=False)
        db.session.add(booth)
        booths[name] = booth
    db.session.flush()
    counts, rows = {}, []
    for booth in booths.values():
        # A few desks had a quiet morning (fewer than 2024's minimum of five): flagged, not ranked, that year.
        count = rng.randint(1, 4) if rng.random() < 0.15 else rng.randint(8, 30)
        counts[booth.unit_id] = count
        for _ in range(count):
            topic = rng.choice(list(TOPIC_UNITS) + ["政府信息公开", "营商环境"])
            at = activity.starts_at + timedelta(minutes=rng.randint(0, 150))
            rows.append(dict(client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), booth_id=booth.id,
                             recorded_at=at, received_at=at, kind=rng.choice(("政策咨询", "政策咨询", "办事咨询")),
                             topic=topic, question=f"{topic}相关政策咨询", satisfaction="满意",
                             handling=REFERRAL if topic in TOPIC_UNITS and rng.random() < 0.25 else "当场解答"))
    db.session.execute(sa.insert(Consultation), rows)
    referred = db.session.execute(
        sa.select(Consultation.id, Consultation.topic)
        .where(Consultation.booth_id.in_([booth.id for booth in booths.values()]), Consultation.handling == REFERRAL)
    ).all()
    follow_ups = []
    day = campaign.first_day  # the desks' morning
    for consultation_id, topic in referred:
        due, close_due = add_working_days(day, 5), add_working_days(day, 10)
        late = rng.random() < 0.2
        closed_on = add_working_days(close_due, rng.randint(1, 4)) if late else add_working_days(day, rng.randint(3, 9))
        follow_ups.append(dict(
            consultation_id=consultation_id, unit_id=units[TOPIC_UNITS[topic]].id, due_date=due, close_due_date=close_due,
            status=CLOSED, reply="已电话答复群众，告知办理渠道和所需材料。",
            replied_at=local_datetime(min(closed_on, add_working_days(day, 3)), time(10, 0)),
            closed_at=local_datetime(closed_on, time(16, 0))))
    if follow_ups:
        db.session.execute(sa.insert(FollowUp), follow_ups)
    return counts


def _summaries(campaign: Campaign, units: dict[str, Unit], on_time_share: float, booths: dict[int, int],
               rng: random.Random) -> None:
    deadline = campaign.summary_deadline
    assert deadline is not None
    by_id = {unit.id: unit for unit in units.values()}
    rows = []
    for unit_id in sorted(participant_ids(campaign.id)):
        unit = by_id.get(unit_id)
        if unit is None:
            continue
        habit = HABITS.get(unit.short_name, {}).get(campaign.year)
        if habit is None:
            roll = rng.random()
            habit = "on_time" if roll < on_time_share else ("missing" if roll > 0.97 else f"late:{rng.randint(1, 4)}")
        if habit == "missing":
            continue
        if habit == "on_time":
            handed_in = deadline - timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 8))
        else:
            later = add_working_days(local_date(deadline), int(habit.split(":")[1]))
            handed_in = local_datetime(later, time(rng.randint(9, 16), rng.randint(0, 59)))
        desk = f"在市民广场设立政策咨询台，接待群众咨询{booths[unit_id]}人次，" if unit_id in booths else ""
        words = {"unit": unit.name, "edition": _cn(campaign.edition), "desk": desk}
        rows.append(dict(
            campaign_id=campaign.id, unit_id=unit_id, status="accepted", late=habit != "on_time",
            narrative={key: TEXT[key].format(**words) for key, _label in SECTIONS},
            unit_figures={"staff_count": rng.randint(2, 6), "online_posts": rng.randint(2, 10)}, video_links=[],
            revision=1, first_submitted_at=handed_in, submitted_at=handed_in,
            accepted_at=handed_in + timedelta(days=2), created_at=handed_in - timedelta(days=2), updated_at=handed_in,
        ))
    db.session.execute(sa.insert(UnitSummary), rows)
