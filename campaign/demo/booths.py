"""The demo's day at the desks: booths for every unit of every on-site activity, and what they recorded."""

import random
import uuid
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import (
    CALLED_BACK,
    CLOSED,
    DEFAULT_MATERIALS,
    DEFAULT_TOPICS,
    REFERRAL,
    REPLIED,
    SOURCE_PUBLIC,
    UNANSWERED,
    Booth,
    BoothSettings,
    Consultation,
    FollowUp,
    MaterialHandout,
    new_token,
)
from campaign.booths.routing import routing_table
from campaign.plan.models import MODE_ONSITE, Activity, Campaign
from campaign.plan.participants import units_in_activities
from campaign.shared.timeutil import LOCAL_TZ, local_date
from campaign.shared.workdays import add_working_days
from campaign.units.models import Unit
from campaign.web.extensions import db

# The booth whose staff link and PIN `flask demo load` prints, so a newcomer can open the phone page at once.
DEMO_BOOTH_UNIT = "区教育局"
DEMO_BOOTH_PIN = "515515"

QUESTIONS = {
    "社会保险": ["灵活就业人员养老保险怎么续缴？", "退休后养老金调整什么时候到账？", "社保转移接续需要哪些材料？"],
    "医疗保障": ["异地就医备案在哪里办理？", "门诊慢特病怎么申请认定？", "医保个人账户能给家人用吗？"],
    "住房保障": ["公租房申请条件是什么？", "住房公积金提取需要多久？", "老旧小区改造什么时候开始？"],
    "教育入学": ["小学新生入学报名时间？", "随迁子女入学需要哪些证明？", "学区划分在哪里公开？"],
    "就业创业": ["创业担保贷款怎么申请？", "失业登记在哪里办？", "高校毕业生就业补贴有哪些？"],
    "企业开办": ["个体户营业执照能网上办吗？", "企业开办一般几天办完？", "经营范围变更怎么申请？"],
    "营商环境": ["中小企业有哪些减税政策？", "企业诉求通过什么渠道反映？", "惠企资金申报时间？"],
    "行政审批": ["建设工程规划许可需要多久？", "食品经营许可证到期怎么延续？"],
    "政府信息公开": ["依申请公开怎么提交？", "区政府预决算在哪里查？", "征地补偿标准是否公开？"],
    "民政救助": ["低保申请流程是什么？", "高龄津贴怎么领取？", "残疾人两项补贴如何申请？"],
    "其他": ["12345热线反映的问题多久回复？", "小区噪音扰民向哪个部门反映？"],
}
KIND_WEIGHTS = {"政策咨询": 55, "办事咨询": 25, "意见建议": 9, "情况反映": 7, "投诉": 4}
HANDLING_WEIGHTS = {"当场解答": 86, "转办": 8, "需回访": 6}
SATISFACTION_WEIGHTS = {"满意": 80, "基本满意": 15, "": 5}
REPLIES = (
    "已电话联系群众，告知办理流程和所需材料，群众表示满意。",
    "已转交主管科室核实，按政策答复，群众无异议。",
    "已约定时间上门回访，问题已解决。",
    "经核实属其他部门职责，已联系对方并告知群众办理渠道。",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CALL_BACK_NOTES = ("群众表示问题已解决。", "群众认可答复，建议简化材料。", "群众对办理时限不满意，希望尽快解决。")
# Where the demo's referrals stand, so every state shows: (outcome, weight).
REFERRAL_OUTCOMES = {
    "closed_in_time": 40, "closed_late": 8, "called_back": 10, "replied": 10, "unsatisfied": 5,
    "missed": 5, "pending": 22,
}


def load_demo_booths(campaign: Campaign) -> None:
    if db.session.scalar(sa.select(sa.func.count(Booth.id)).where(Booth.campaign_id == campaign.id)):
        return
    db.session.add(BoothSettings(campaign_id=campaign.id, topics=list(DEFAULT_TOPICS), materials=list(DEFAULT_MATERIALS)))
    onsite = (Activity.campaign_id == campaign.id, Activity.mode == MODE_ONSITE)
    activities = {activity.id: activity for activity in db.session.scalars(sa.select(Activity).where(*onsite))}
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Unit))}
    rng = random.Random(515)
    routes = routing_table(campaign.id, DEFAULT_TOPICS)
    # One booth per unit of each on-site activity, the members of a group (各镇街) included, as the plan asks.
    for named in units_in_activities(*onsite):
        activity = activities[named.activity_id]
        booth = Booth(
            campaign_id=campaign.id,
            activity_id=activity.id,
            unit_id=named.unit_id,
            staff_token=new_token(),
            public_token=new_token() if named.role == "lead" else None,
        )
        if units[named.unit_id].short_name == DEMO_BOOTH_UNIT and demo_booth(campaign) is None:
            booth.pin = DEMO_BOOTH_PIN
        db.session.add(booth)
        db.session.flush()
        _record_day(booth, activity, rng, routes)
    db.session.flush()


def demo_booth(campaign: Campaign) -> Booth | None:
    return db.session.scalar(
        sa.select(Booth).where(Booth.campaign_id == campaign.id, Booth.pin == DEMO_BOOTH_PIN).limit(1)
    )


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _at(day, hour: int, rng: random.Random):
    return datetime.combine(day, time(hour, rng.randint(0, 59)), LOCAL_TZ)


def _advance(follow_up: FollowUp, recorded_day, rng: random.Random) -> None:
    """Move a demo referral along as a unit would have: replied, called back, closed (or not yet)."""
    outcome = _pick(rng, REFERRAL_OUTCOMES)
    if outcome == "pending":
        return  # overdue by now: the board lists it
    late = outcome == "closed_late"
    reply_day = add_working_days(recorded_day, rng.randint(6, 9) if late else rng.randint(1, 4))
    follow_up.reply = rng.choice(REPLIES)
    follow_up.replied_at = _at(reply_day, 10, rng)
    follow_up.status = REPLIED
    if outcome == "replied":
        return
    call_day = add_working_days(reply_day, rng.randint(1, 3))
    follow_up.called_back_at = _at(call_day, 15, rng)
    if outcome == "missed":
        follow_up.call_back_reached = False
        follow_up.call_back_note = "电话无人接听，改日再联系。"
        return
    follow_up.call_back_reached = True
    follow_up.status = CALLED_BACK
    if outcome == "unsatisfied":
        follow_up.call_back_satisfaction = "不满意"
        follow_up.call_back_note = CALL_BACK_NOTES[2]
        follow_up.awaiting_decision = True
        return
    follow_up.call_back_satisfaction = rng.choice(("满意", "满意", "满意", "基本满意"))
    follow_up.call_back_note = rng.choice(CALL_BACK_NOTES[:2])
    if outcome == "called_back":
        return
    close_day = add_working_days(follow_up.close_due_date, rng.randint(1, 5)) if late else call_day
    follow_up.status = CLOSED
    follow_up.closed_at = _at(close_day, 17, rng)


def _record_day(booth: Booth, activity: Activity, rng: random.Random, routes: dict[str, list[int]]) -> None:
    if activity.starts_at is None or activity.ends_at is None:
        return  # an activity the towns hold on their own, with no end time: their desks report no entries
    span = max(int((activity.ends_at - activity.starts_at).total_seconds()), 600)
    busy = 25 if activity.venue and activity.venue.is_main else 12
    for _ in range(rng.randint(busy // 2, busy)):
        topic = rng.choice(list(QUESTIONS))
        handling = _pick(rng, HANDLING_WEIGHTS)
        with_contact = handling != "当场解答" or rng.random() < 0.1
        recorded_at = activity.starts_at + timedelta(seconds=rng.randint(0, span))
        consultation = Consultation(
            client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            booth_id=booth.id,
            recorded_at=recorded_at,
            kind=_pick(rng, KIND_WEIGHTS),
            topic=topic,
            question=rng.choice(QUESTIONS[topic]),
            asker_type="企业" if topic in ("企业开办", "营商环境") and rng.random() < 0.7 else "群众",
            handling=handling,
            person_name=(rng.choice(SURNAMES) + rng.choice("先生女士")) if with_contact else "",
            person_phone=f"139{rng.randint(0, 99999999):08d}" if with_contact else "",
            consent=with_contact,
            satisfaction=_pick(rng, SATISFACTION_WEIGHTS),
        )
        consultation.received_at = recorded_at
        db.session.add(consultation)
        db.session.flush()
        # A referral goes to the competent unit the routing table offers for its topic (else the desk's own).
        competent = routes.get(topic) or []
        unit_id = rng.choice(competent) if handling == REFERRAL and competent else None
        follow_up = ensure_follow_up(consultation, unit_id)
        if follow_up is not None:
            db.session.flush()
            _advance(follow_up, local_date(recorded_at), rng)
    if booth.public_token:
        for _ in range(rng.randint(2, 5)):
            db.session.add(
                Consultation(
                    client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    booth_id=booth.id,
                    recorded_at=activity.starts_at + timedelta(seconds=rng.randint(0, span)),
                    kind=rng.choice(["意见建议", "政策咨询"]),
                    question=rng.choice(["希望多开展这样的活动", "现场讲解很清楚，谢谢", "建议周末也设咨询点"]),
                    satisfaction="满意",
                    source=SOURCE_PUBLIC,
                )
            )
        # A question left on the card without a number: nobody can answer it, and it is counted so.
        db.session.add(Consultation(
            client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), booth_id=booth.id,
            recorded_at=activity.starts_at + timedelta(seconds=rng.randint(0, span)), kind="政策咨询", topic="民政救助",
            question="高龄津贴需要每年认证吗？", handling=UNANSWERED, source=SOURCE_PUBLIC,
        ))
        # And one with a number, referred by topic like a desk's.
        consultation = Consultation(
            client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), booth_id=booth.id,
            recorded_at=activity.starts_at + timedelta(seconds=rng.randint(0, span)), kind="政策咨询", topic="社会保险",
            question="灵活就业社保补贴怎么申请？", handling=REFERRAL, person_name="周女士",
            person_phone=f"138{rng.randint(0, 99999999):08d}", consent=True, source=SOURCE_PUBLIC,
        )
        db.session.add(consultation)
        db.session.flush()
        ensure_follow_up(consultation, next(iter(routes.get("社会保险") or []), None))
    for material in DEFAULT_MATERIALS:
        for _ in range(rng.randint(1, 4)):
            db.session.add(
                MaterialHandout(
                    client_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    booth_id=booth.id,
                    material=material,
                    quantity=rng.choice([10, 20, 50, 100]),
                    recorded_at=activity.starts_at + timedelta(seconds=rng.randint(0, span)),
                )
            )
