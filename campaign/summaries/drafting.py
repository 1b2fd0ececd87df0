"""A first draft of a unit's summary in the offices' style, from its figures and its part in the plan.

Our own sentence templates, no outside service. The text is a document's, so it is Chinese whatever the
interface language. The unit reads it, corrects it and adds what only it knows.
"""

from collections.abc import Iterable

from campaign.plan.models import MODE_ONLINE, ROLE_COOPERATING, ROLE_LEAD, ROLE_PARTICIPATING, Campaign
from campaign.plan.tasks import Task, unit_activities
from campaign.shared.breakdown import parts_text, with_parts
from campaign.shared.formatting import cn_date, cn_number, cn_span
from campaign.summaries.figures import NO_TOPIC
from campaign.summaries.models import SECTIONS
from campaign.summaries.phrasing import as_sentence, name_list

# The verbs a plan's activity titles start with (开展“群众难题我来答”活动).
ACTIVITY_VERBS = ("开展", "举办", "组织", "举行")


def campaign_tasks(campaign: Campaign, unit_id: int) -> list[Task]:
    """The unit's activities in this campaign, as its task list shows them."""
    return unit_activities(unit_id, [campaign.id])[campaign.id]


def count_text(n: int) -> str:
    """A count as summaries write it: exact below 1,000 or when round, else rounded down with 余 (2,300余)."""
    n = int(n or 0)
    if n < 1000:
        return str(n)
    if n % 100 == 0:
        return f"{n:,}"
    return f"{n // 100 * 100:,}余"


def _percent(part: int, whole: int) -> int | None:
    return None if not whole else (part * 200 + whole) // (whole * 2)


def _ordinal_list(items: list[str]) -> str:
    """一是……；二是……。"""
    return "；".join(f"{cn_number(i)}是{item}" for i, item in enumerate(items, 1)) + "。"


def _enumerate(parts: Iterable[str]) -> str:
    return "、".join(parts)


def _prefixed(figures: dict, prefix: str) -> list[tuple[str, int]]:
    return [(key.split(":", 1)[1], value) for key, value in figures.items()
            if key.startswith(prefix + ":") and value]


def _core(title: str) -> tuple[str, str]:
    """(the verb the plan used or 开展, the activity without it): 举办“…”集中宣传咨询活动 → (举办, “…”集中宣传咨询活动)."""
    title = title.strip()
    for verb in ACTIVITY_VERBS:
        if title.startswith(verb):
            return verb, title[len(verb):]
    return "开展", title


def _listed(names: list[str], limit: int = 3) -> str:
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + "等单位"


def _once(tail: str, said: set[str]) -> str:
    """The closing words of an activity's phrase the first time only: one paragraph does not say them twice."""
    if tail in said:
        return ""
    said.add(tail)
    return tail


def _activity_phrase(task: Task, unit_label: str, said: set[str]) -> str:
    """What the unit did in one activity, by its role: the lead unit 牵头举办 it, a cooperating unit 配合 the lead,
    a participating unit 参加 it, the responsible unit 负责 it. `said`: the closing words used already."""
    activity = task.activity
    verb, core = _core(activity.title)
    when = cn_span(activity.starts_at, activity.ends_at, activity.all_day)
    leads = _listed(task.other_leads)
    where = f"在{activity.venue.printed_name}" if activity.venue is not None else ""
    online = activity.mode == MODE_ONLINE
    if task.role == ROLE_LEAD:
        others = task.other_participants
        joined = f"，组织{_listed(others)}{'共同参与' if online else '设立政策咨询台'}" if others else ""
        if online:
            return f"{when}，{unit_label}牵头{verb}{core}{joined}，通过门户网站、政务新媒体集中开展线上宣传和解读"
        return (f"{when}，{unit_label}牵头{verb}{core}，{where}统一布置咨询台、桌椅和条幅{joined}，"
                "协调现场秩序，确保活动有序开展")
    if task.role == ROLE_COOPERATING:
        doing = f"配合{leads}{verb}{core}" if leads else f"配合{verb}{core}"
    elif task.role == ROLE_PARTICIPATING:
        doing = f"参加{leads}牵头{verb}的{core}" if leads else f"参加{core}"
    else:
        doing = f"负责{verb}{core}"
    if online:
        tail = _once("结合本单位职能在门户网站、政务新媒体发布政策信息和解读", said)
        return f"{when}，{unit_label}{doing}" + (f"，{tail}" if tail else "")
    tail = _once("，面对面为群众和企业答疑解惑", said)
    return f"{when}，{unit_label}{doing}，{where}设立政策咨询台{tail}"


def _leadership(campaign: Campaign, unit_label: str, figures: dict, leaders: str) -> str:
    edition = f"第{cn_number(campaign.edition)}届" if campaign.edition else ""
    basis = f"《{campaign.title}》" + (f"（{campaign.doc_number}）" if campaign.doc_number else "")
    names = name_list(leaders)
    led = f"{names}高度重视，亲自研究部署" if names else "单位主要负责同志高度重视，专题研究部署"
    text = (
        f"{unit_label}将{edition}“5·15政务公开日”活动作为{campaign.year}年政务公开工作的重要内容，{led}，"
        f"按照{basis}要求，结合本单位职能制定具体工作方案，明确分管领导、责任科室和具体工作人员，"
        "细化活动内容和时间安排，确保各项工作落到实处。"
    )
    if leaders and not names:  # what the unit typed is a clause: a sentence of its own
        text += as_sentence(leaders)
    staff = figures.get("staff_count")
    if staff:
        text += f"活动期间共安排工作人员{staff}人次参与宣传咨询。"
    return text


def _activities(campaign: Campaign, unit_label: str, figures: dict, tasks: list[Task]) -> str:
    paragraphs = []
    if tasks:
        said: set[str] = set()
        phrases = [_activity_phrase(task, unit_label, said) for task in tasks]
        paragraphs.append("按照活动方案安排，" + "；".join(phrases) + "。")
    else:
        paragraphs.append(
            f"按照活动方案要求，{unit_label}在{cn_date(campaign.first_day)}至{cn_date(campaign.last_day)}期间，"
            "结合本单位职能开展政务公开宣传。"
        )

    materials_used = []
    if figures.get("display_boards"):
        materials_used.append(f"摆放展板{figures['display_boards']}块")
    if figures.get("banners"):
        materials_used.append(f"悬挂横幅{figures['banners']}条")
    if materials_used:
        paragraphs.append(
            "活动现场" + "，".join(materials_used)
            + "，重点宣传《中华人民共和国政府信息公开条例》和惠民利企政策。"
        )

    people = figures.get("people") or figures.get("consultations") or 0
    if people:
        # Exact numbers wherever parts are listed: 2,300余 cannot be shown to add up.
        sentence = "活动期间，共接待群众咨询" + with_parts(people, _prefixed(figures, "kind"), "人次")
        materials = figures.get("materials") or 0
        if materials:
            by_material = parts_text(materials, _prefixed(figures, "material"), "份", rest="其他资料")
            sentence += f"；发放宣传资料{materials if by_material else count_text(materials)}份"
            if by_material:
                sentence += f"，{by_material}"
        paragraphs.append(sentence + "。")
        topics = sorted(
            ((name, value) for name, value in _prefixed(figures, "topic") if name not in (NO_TOPIC, "其他")),
            key=lambda item: -item[1],
        )[:3]
        if topics:
            paragraphs.append(
                f"群众咨询的问题主要集中在{_enumerate(name for name, _value in topics)}等方面。"
            )
        # At its own desks: answered there, or referred (a part of the people received, so it cannot exceed them).
        answered = figures.get("handling:当场解答", 0)
        referred = figures.get("handling:转办", 0) + figures.get("handling:需回访", 0)
        if answered + referred <= people:
            handling = f"现场解答问题{answered}人次"
            rate = _percent(answered, people)
            if rate is not None:
                handling += f"，现场解答率{rate}%"
            if referred:
                handling += f"；对不能当场答复的{referred}人次登记转办、限时回访"
            paragraphs.append(handling + "。")
        # The referrals it answers as the competent unit, from its own desks and others'.
        follow_ups = figures.get("follow_ups") or 0
        if follow_ups:
            closed = figures.get("follow_ups_closed", 0)
            paragraphs.append(f"承办转办事项{follow_ups}件" + (f"，目前已办结{closed}件" if closed else "") + "。")
    elif figures.get("materials"):
        paragraphs.append(f"活动期间共发放宣传资料{count_text(figures['materials'])}份。")

    online = []
    if figures.get("interpretations_published"):
        online.append(f"发布政策解读{figures['interpretations_published']}篇")
    if figures.get("online_posts"):
        online.append(f"通过门户网站和政务新媒体发布信息{figures['online_posts']}条")
    if figures.get("hotline_answered"):
        online.append(f"答复热线平台群众关心的问题{figures['hotline_answered']}个")
    if online:
        paragraphs.append("线上同步开展宣传，" + "，".join(online) + "。")
    return "\n".join(paragraphs)


def _top_topics(figures: dict, n: int = 3) -> list[str]:
    ranked = sorted(((name, value) for name, value in _prefixed(figures, "topic") if name not in (NO_TOPIC, "其他")),
                    key=lambda item: -item[1])
    return [name for name, _value in ranked[:n]]


def _results(unit_label: str, figures: dict, tasks: list[Task]) -> str:
    """The effects, from the unit's own facts: what it was asked about and answered, who came (enterprises), the
    satisfaction, the referrals closed, its online outputs, its part in the plan. Two units with different facts
    get different paragraphs; the general words only where a unit has no facts at all."""
    points = []
    people = figures.get("people") or figures.get("consultations") or 0
    topics = _top_topics(figures)
    answered = figures.get("handling:当场解答", 0)
    if people:
        about = f"围绕{_enumerate(topics)}等群众关心的问题" if topics else ""
        on_spot = f"，其中当场解答{answered}人次" if 0 < answered <= people else ""
        points.append(f"政策宣传更加贴近需求。{unit_label}{about}面对面答疑{people}人次{on_spot}，"
                      "让群众和企业更加直观地了解与自身密切相关的政策")
    enterprises = figures.get("asker:企业", 0)
    if enterprises:
        points.append(f"惠企政策直达企业。活动中接待企业咨询{enterprises}人次，现场讲解惠企政策和办事流程")
    rate = figures.get("satisfaction_rate")
    rated = figures.get("satisfaction_rated") or 0
    closed = figures.get("follow_ups_closed", 0)
    if (rate is not None and rated) or closed:
        parts = []
        if rate is not None and rated:
            satisfied = figures.get("satisfied")
            counted = f"满意和基本满意{satisfied}人次，" if satisfied is not None and satisfied <= rated else ""
            parts.append(f"现场共有{rated}人次对咨询服务作出评价，{counted}"
                         f"问题解答满意率{rate}%（满意与基本满意占已评价人次的比例）")
        if closed:
            parts.append(f"已办结转办事项{closed}件，做到件件有回音")
        points.append("群众认可度进一步提升。" + "，".join(parts))
    online = [(figures.get("interpretations_published"), "发布政策解读{}篇"),
              (figures.get("hotline_answered"), "答复热线平台群众关心的问题{}个"),
              (figures.get("online_posts"), "通过门户网站和政务新媒体发布信息{}条")]
    said = [template.format(value) for value, template in online if value]
    if said:
        points.append("线上线下形成合力。" + "，".join(said) + "，扩大了政策的知晓面")
    if any(task.role == ROLE_LEAD for task in tasks):
        led = [task for task in tasks if task.role == ROLE_LEAD]
        others = sorted({name for task in led for name in task.other_participants})
        if others:
            points.append(f"牵头组织作用得到发挥。{unit_label}作为牵头单位，组织{len(others)}个单位共同参与，"
                          "活动组织有序、衔接顺畅")
    if not points:
        return (
            "通过此次活动，进一步提高了群众和企业对政务公开工作的知晓度和参与度，"
            f"拉近了政府与群众的距离，展示了{unit_label}依法行政、公开透明的良好形象。"
        )
    return f"{unit_label}通过此次活动，主要取得了以下成效：" + _ordinal_list(points)


def _problems(figures: dict) -> str:
    items = []
    people = figures.get("people") or figures.get("consultations") or 0
    enterprises = figures.get("asker:企业", 0)
    if people and enterprises * 10 < people:
        items.append("企业参与热情不高，面向企业的惠企政策宣传还不够深入")
    else:
        items.append("宣传形式还不够丰富，群众参与的深度和广度有待提升")
    items.append("公开内容与群众需求的对接还不够精准，政策解读的通俗性、可读性仍需加强")
    if figures.get("follow_ups_open"):
        items.append(f"仍有{figures['follow_ups_open']}件转办事项尚未办结，问题办理的时效性有待提高")
    else:
        items.append("宣传覆盖面仍需加大，日常化、常态化的公开宣传机制还需健全")
    return "活动虽然取得了一定成效，但也存在一些不足：" + _ordinal_list(items)


def _next_steps(figures: dict) -> str:
    items = [
        "持续深化政务公开，围绕群众和企业关注的热点问题，及时准确发布和解读政策信息",
        "丰富宣传形式，综合运用门户网站、政务新媒体和线下咨询等渠道，扩大宣传覆盖面",
    ]
    if figures.get("follow_ups_open"):
        items.append("抓紧办理活动中登记的转办事项，按期答复群众，做到件件有落实、事事有回音")
    else:
        items.append("建立健全活动中收集问题的跟踪办理机制，推动政务公开工作常态化、制度化")
    return "下一步，我们将认真总结本次活动经验：" + _ordinal_list(items)


def draft_sections(campaign: Campaign, unit, figures: dict, tasks: list[Task] | None = None,
                   leaders_present: str = "") -> dict[str, str]:
    """The five sections (keys of SECTIONS). `figures`: the unit's effective figures, with its own figures
    (UNIT_FIGURES keys: staff, boards, banners, online outputs) merged in when it has given them."""
    unit_label = unit.name
    tasks = tasks or []
    drafted = {
        "leadership": _leadership(campaign, unit_label, figures, (leaders_present or "").strip()),
        "activities": _activities(campaign, unit_label, figures, tasks),
        "results": _results(unit_label, figures, tasks),
        "problems": _problems(figures),
        "next_steps": _next_steps(figures),
    }
    return {key: drafted[key] for key, _label in SECTIONS}
