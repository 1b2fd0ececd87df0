"""Where a referral goes: the competent unit (主管部门) for a topic, from the campaign's routing table.

A desk refers what it cannot answer to the unit that can — a pension question to 人社局, a food licence to 市场监管局
— never simply to its own unit. The organizer sets, per campaign, which units a desk is offered for each topic
(ReferralRoute); until they do, the defaults below match the topic to the departments taking part by what their
names say they do. Only units taking part in the campaign (plan/participants.py) may be given a referral: they are
the ones with a contact who will see it.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.booths.models import FOLLOW_UP_KINDS, REFERRAL, ReferralRoute
from campaign.booths.on_duty import BoothLike
from campaign.plan.models import Campaign
from campaign.plan.participants import participant_ids_query, participants
from campaign.shared.audit import record, register_action_labels
from campaign.units.models import Unit
from campaign.web.extensions import db
from campaign.web.forms import optional_id
from campaign.web.refusal import Refusal

# Units that answer policy questions: departments and institutions, not the towns and streets that run desks.
COMPETENT_KINDS = ("bureau", "institution")
# Topic → words in the name of the unit that usually answers it (区人力资源和社会保障局 has 人力资源 and 社会保障).
DEFAULT_ROUTE_WORDS: dict[str, tuple[str, ...]] = {
    "社会保险": ("人社", "人力资源", "社保", "社会保障"),
    "医疗保障": ("医保", "医疗保障", "卫健", "卫生健康"),
    "住房保障": ("住建", "住房", "房管"),
    "教育入学": ("教育",),
    "就业创业": ("人社", "人力资源", "就业"),
    "企业开办": ("市场监管", "市场监督", "行政审批"),
    "营商环境": ("营商", "发改", "发展和改革", "行政审批"),
    "行政审批": ("行政审批", "政务服务"),
    "政府信息公开": ("政务公开", "政府办", "人民政府办公室"),
    "民政救助": ("民政",),
}
SUGGESTIONS_MAX = 4
# A campaign's routes for one topic: more would be no suggestion.
ROUTE_UNITS_MAX = SUGGESTIONS_MAX

register_action_labels({"referral_routes_updated": _l("修改转办去向")})


def default_routes(topics: Iterable[str], units: list[Unit]) -> dict[str, list[int]]:
    """For each topic, the competent units (by kind) whose names say they handle it, in the units' order."""
    competent = [unit for unit in units if unit.kind in COMPETENT_KINDS]
    routes: dict[str, list[int]] = {}
    for topic in topics:
        words = DEFAULT_ROUTE_WORDS.get(topic, ())
        routes[topic] = [unit.id for unit in competent if any(word in unit.name for word in words)][:ROUTE_UNITS_MAX]
    return routes


def routing_table(campaign_id: int, topics: Iterable[str]) -> dict[str, list[int]]:
    """Topic → the ids of the units a desk is offered first: the organizer's routes where set, else the defaults.
    Only units taking part; two queries."""
    topics = list(topics)
    taking_part = participants(campaign_id)
    ids = {unit.id for unit in taking_part}
    table = default_routes(topics, taking_part)
    stored: dict[str, list[int]] = {}
    for route in db.session.scalars(
        sa.select(ReferralRoute).where(ReferralRoute.campaign_id == campaign_id)
        .order_by(ReferralRoute.topic, ReferralRoute.position)
    ):
        if route.unit_id in ids:
            stored.setdefault(route.topic, []).append(route.unit_id)
    table.update({topic: units for topic, units in stored.items() if topic in table})
    return table


def has_own_routes(campaign_id: int) -> set[str]:
    """The topics the organizer has set routes for (the others follow the defaults)."""
    return set(db.session.scalars(
        sa.select(ReferralRoute.topic).where(ReferralRoute.campaign_id == campaign_id).distinct()
    ))


def set_routes(campaign_id: int, routes: dict[str, list[int]], topics: Iterable[str], user=None) -> None:
    """Replace the campaign's routing table. A topic with no unit chosen goes back to the defaults."""
    topics = list(topics)
    ids = {unit.id for unit in participants(campaign_id)}
    cleaned: dict[str, list[int]] = {}
    for topic, unit_ids in routes.items():
        if topic not in topics:
            raise Refusal(_("“%(topic)s”不是本次活动的咨询主题。", topic=topic[:20]))
        chosen = list(dict.fromkeys(unit_ids))
        if any(unit_id not in ids for unit_id in chosen):
            raise Refusal(_("只能转给参加本次活动的单位。"), field=f"route_{topics.index(topic)}")
        if len(chosen) > ROUTE_UNITS_MAX:
            raise Refusal(
                _("每个主题最多建议%(n)s个单位。", n=ROUTE_UNITS_MAX), field=f"route_{topics.index(topic)}"
            )
        if chosen:
            cleaned[topic] = chosen
    db.session.execute(sa.delete(ReferralRoute).where(ReferralRoute.campaign_id == campaign_id))
    for topic, unit_ids in cleaned.items():
        for position, unit_id in enumerate(unit_ids):
            db.session.add(ReferralRoute(campaign_id=campaign_id, topic=topic, unit_id=unit_id, position=position))
    record(user, "referral_routes_updated", db.session.get(Campaign, campaign_id), campaign_id=campaign_id,
           routes=cleaned)
    db.session.flush()


def taking_part(campaign_id: int, unit_id: int) -> Unit | None:
    """The unit, if it is active and takes part in the campaign; else None."""
    return db.session.scalar(
        sa.select(Unit).where(
            Unit.id == unit_id, Unit.active.is_(True), Unit.id.in_(participant_ids_query(campaign_id))
        )
    )


def suggested_unit(campaign_id: int, topic: str) -> int | None:
    """The first unit the routing table offers for a topic, or None."""
    routes = routing_table(campaign_id, [topic]) if topic else {}
    return next(iter(routes.get(topic) or []), None)


def asks_follow_up(handling: str) -> bool:
    """Whether an entry handled so opens a follow-up (转办, 需回访)."""
    return handling in FOLLOW_UP_KINDS


def responsible_unit_id(booth: BoothLike, handling: str, topic: str, unit_id) -> int | None:
    """The unit a new follow-up goes to (None when the handling asks for none); refuses a unit that does not take
    part in the campaign.

    需回访 is the desk's own promise to call back: its own unit unless another is named. 转办 goes to the unit the
    desk chose; an entry that names none (queued on a phone before the desk could choose) follows the routing
    table, and the desk's own unit when the table has nothing for the topic.
    """
    if not asks_follow_up(handling):
        return None
    if unit_id in (None, ""):
        if handling == REFERRAL:
            return suggested_unit(booth.campaign_id, topic) or booth.unit_id
        return booth.unit_id
    chosen = optional_id(unit_id) if isinstance(unit_id, int | str) and not isinstance(unit_id, bool) else None
    if chosen is None or chosen <= 0:
        raise Refusal.of_fields({"referral_unit_id": _("请选择转办单位。")})
    unit_id = chosen
    if unit_id == booth.unit_id:
        return unit_id
    if taking_part(booth.campaign_id, unit_id) is None:
        raise Refusal.of_fields({"referral_unit_id": _("所选单位没有参加本次活动，不能转给它。请另选一个单位。")})
    return unit_id

