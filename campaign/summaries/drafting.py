"""A first draft of a unit's summary in the offices' style, from its figures and its part in the plan.

Our own sentence templates, no outside service. The text is a document's, so it is Chinese whatever the
interface language. The unit reads it, corrects it and adds what only it knows.
"""

from collections.abc import Iterable

from campaign.plan.models import MODE_ONLINE, ROLE_LEAD, UNIT_ROLE_LABELS, Campaign
from campaign.plan.tasks import Task, unit_activities
from campaign.shared.formatting import cn_date, cn_number, cn_span
from campaign.summaries.figures import NO_TOPIC
from campaign.summaries.models import SECTIONS


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


def _activity_phrase(task: Task, unit_label: str) -> str:
    activity = task.activity
    title = activity.title.strip()
    doing = title if title.startswith(("开展", "举办", "组织")) else f"参加{title}"
    when = cn_span(activity.starts_at, activity.ends_at, activity.all_day)
    role = UNIT_ROLE_LABELS[task.role]
    if activity.mode == MODE_ONLINE:
        return f"{when}，{unit_label}作为{role}，{doing}，通过门户网站、政务新媒体等渠道开展线上宣传和解读"
    where = ""
    if activity.venue is not None:
        where = f"在{activity.venue.printed_name}"
    if task.role == ROLE_LEAD:
        return (f"{when}，{unit_label}作为{role}，{doing}，{where}统一布置咨询台、桌椅和条幅，"
                f"协调各参加单位有序开展现场宣传咨询")
    return f"{when}，{unit_label}作为{role}，{doing}，{where}设立政策咨询台，面对面为群众和企业答疑解惑"


def _leadership(campaign: Campaign, unit_label: str, figures: dict, leaders: str) -> str:
    edition = f"第{cn_number(campaign.edition)}届" if campaign.edition else ""
    basis = f"《{campaign.title}》" + (f"（{campaign.doc_number}）" if campaign.doc_number else "")
    led = f"{leaders}高度重视，亲自研究部署" if leaders else "单位主要负责同志高度重视，专题研究部署"
    text = (
        f"{unit_label}将{edition}“5·15政务公开日”活动作为{campaign.year}年政务公开工作的重要内容，{led}，"
        f"按照{basis}要求，结合本单位职能制定具体工作方案，明确分管领导、责任科室和具体工作人员，"
        "细化活动内容和时间安排，确保各项工作落到实处。"
    )
    staff = figures.get("staff_count")
    if staff:
        text += f"活动期间共安排工作人员{staff}人次参与宣传咨询。"
    return text


def _activities(campaign: Campaign, unit_label: str, figures: dict, tasks: list[Task]) -> str:
    paragraphs = []
    if tasks:
        phrases = [_activity_phrase(task, unit_label) for task in tasks]
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
        sentence = f"活动期间，共接待群众咨询{count_text(people)}人次"
        kinds = [f"{name}{value}人次" for name, value in _prefixed(figures, "kind")]
        if kinds:
            sentence += f"，其中{_enumerate(kinds)}"
        materials = figures.get("materials") or 0
        if materials:
            sentence += f"；发放宣传资料{count_text(materials)}份"
            by_material = [f"{name}{count_text(value)}份" for name, value in _prefixed(figures, "material")]
            if len(by_material) > 1:
                sentence += f"（{_enumerate(by_material)}）"
        paragraphs.append(sentence + "。")
        topics = sorted(
            ((name, value) for name, value in _prefixed(figures, "topic") if name not in (NO_TOPIC, "其他")),
            key=lambda item: -item[1],
        )[:3]
        if topics:
            paragraphs.append(
                f"群众咨询的问题主要集中在{_enumerate(name for name, _value in topics)}等方面。"
            )
        answered = figures.get("handling:当场解答", 0)
        referred = figures.get("follow_ups") or (figures.get("handling:转办", 0) + figures.get("handling:需回访", 0))
        handling = f"现场解答问题{answered}个"
        rate = _percent(answered, people)
        if rate is not None:
            handling += f"，现场解答率{rate}%"
        if referred:
            handling += f"；对不能当场答复的{referred}个问题登记转办、限时回访"
            closed = figures.get("follow_ups_closed", 0)
            if closed:
                handling += f"，目前已办结{closed}件"
        paragraphs.append(handling + "。")
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


def _results(unit_label: str, figures: dict) -> str:
    text = (
        "通过此次活动，进一步提高了群众和企业对政务公开工作的知晓度和参与度，"
        "让群众和企业更加直观地了解与自身密切相关的政策，拉近了政府与群众的距离，"
        f"展示了{unit_label}依法行政、公开透明的良好形象。"
    )
    rate = figures.get("satisfaction_rate")
    rated = figures.get("satisfaction_rated") or 0
    if rate is not None and rated:
        text += f"现场共有{rated}人次对咨询服务作出评价，问题解答满意率{rate}%。"
    if figures.get("follow_ups_closed"):
        text += f"对群众反映的问题跟踪办理，已办结转办事项{figures['follow_ups_closed']}件，做到件件有回音。"
    return text


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
        "results": _results(unit_label, figures),
        "problems": _problems(figures),
        "next_steps": _next_steps(figures),
    }
    return {key: drafted[key] for key, _label in SECTIONS}
