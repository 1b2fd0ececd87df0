"""A paragraph per activity of the plan: what happened (time, place, purpose), who held it and who took part (the
lead unit 牵头, the others 配合/参加, the responsible unit 负责), the desks and what they recorded, each material
named with its count, the online outputs the units reported with their figures, and what the units themselves
said about this activity, quoted and attributed."""

from dataclasses import dataclass

from campaign.report.figures import ActivityEntry, ReportFigures
from campaign.report.prose.sentences import Ledger, attributed, containment, has_figures
from campaign.report.prose.voices import Voice, markers, mentions, quotable, units_of
from campaign.report.prose.wording import counted_names, names, sentence

# The unit's own figures of online work, as a sentence says them, and the words that tie each to an activity.
ONLINE_OUTPUTS = (
    ("hotline_answered", "解答热线问题", "个", ("热线", "12345", "难题", "答")),
    ("interpretations_published", "发布政策解读", "篇", ("解读",)),
    ("online_posts", "在网站、新媒体发布信息", "条", ("网站", "新媒体", "发布", "线上")),
)
_VERBS = ("开展", "举办", "组织")


@dataclass(frozen=True)
class Quote:
    """A unit's sentence the report says, as the unit wrote it (normalised), with where it went."""

    unit: str
    sentence: str
    text: str  # as printed: attributed
    section: str


def _opening(activity: ActivityEntry) -> str:
    title = activity["title"].strip()
    verb, rest = (title[:2], title[2:]) if title.startswith(_VERBS) else ("举办", title)
    kind = f"（{activity['venue_kind']}）" if activity.get("venue_kind") else ""
    where = f"在{activity['venue']}{kind}" if activity.get("venue") else ""
    lead, responsible = activity["lead"], activity["responsible"]
    if lead:
        holder = f"{names(lead)}牵头"
    elif responsible:
        holder = f"{names(responsible)}负责"
    else:
        holder = ""
    clauses = [activity["time_text"], f"{holder}{where}{verb}{rest}"]
    if lead and responsible:
        clauses.append(f"{names(responsible)}负责组织实施")
    if activity["cooperating"]:
        clauses.append(f"{names(activity['cooperating'])}配合")
    participating = activity.get("participating") or []
    if participating:
        clauses.append(f"{names(participating)}参加")
    return sentence(*clauses)


def _purpose(activity: ActivityEntry) -> str:
    text = " ".join((activity.get("description") or "").split())
    if not text:
        return ""
    return text if text.endswith(("。", "！", "？")) else text.rstrip("，；") + "。"


def _desks(activity: ActivityEntry) -> str:
    if activity["mode"] != "onsite":
        return ""
    desk_units = activity.get("desk_units")
    clauses = []
    if activity["booths"]:
        who = counted_names(desk_units) if desk_units else ""
        clauses.append(f"{who}设立政策咨询台{activity['booths']}个")
    if activity["consultations"]:
        clauses.append(f"接待群众咨询{activity['consultations']}人次")
    if activity["materials"]:
        by_material = activity.get("by_material") or []
        named = "、".join(f"{name}{count}份" for name, count in by_material)
        if not by_material:
            clauses.append(f"发放宣传资料{activity['materials']}份")
        elif len(by_material) == 1 and by_material[0][1] == activity["materials"]:
            clauses.append(f"发放{named}")
        else:
            left = activity["materials"] - sum(count for _name, count in by_material)
            other = f"、其他资料{left}份" if left > 0 else ""
            clauses.append(f"发放{named}{other}，共计{activity['materials']}份")
    return sentence(*clauses)


def assign_online_outputs(figures: ReportFigures, voices: dict[int, Voice]) -> dict[int, list[tuple[str, str, int]]]:
    """{activity id: [(unit, figure key, value)]}: each unit's online figures go to the one online activity of its
    own that the figure is about (a hotline figure to the hotline activity), so no figure is said twice."""
    online = {activity["id"]: activity for activity in figures["activities"] if activity["mode"] != "onsite"}
    result: dict[int, list[tuple[str, str, int]]] = {}
    for voice in voices.values():
        own = [activity_id for activity_id, _role in voice.roles if activity_id in online]
        if not own:
            continue
        for figure, _verb, _unit, words in ONLINE_OUTPUTS:
            value = int(voice.figures.get(figure) or 0)
            if not value:
                continue
            text = {activity_id: online[activity_id]["title"] + (online[activity_id].get("description") or "")
                    for activity_id in own}
            best = max(own, key=lambda activity_id: (sum(word in text[activity_id] for word in words),
                                                     -own.index(activity_id)))
            result.setdefault(best, []).append((voice.label, figure, value))
    return result


def _online(outputs: list[tuple[str, str, int]]) -> str:
    clauses = []
    for figure, verb, unit, _words in ONLINE_OUTPUTS:
        items = [(label, value) for label, fig, value in outputs if fig == figure]
        if not items:
            continue
        total = sum(value for _label, value in items)
        each = f"（{'、'.join(f'{label}{value}{unit}' for label, value in items)}）" if len(items) > 1 else ""
        who = items[0][0] if len(items) == 1 else ""
        clauses.append(f"{who}{verb}{total}{unit}{each}")
    if not clauses:
        return ""
    return "据各单位报送，" + "；".join(clauses) + "。" if len(clauses) > 1 or "（" in clauses[0] \
        else clauses[0] + "。"


def _home(voice: Voice) -> int | None:
    """The activity a unit's sentences belong to when they name none: the first it leads, else its first."""
    led = [activity_id for activity_id, role in voice.roles if role in ("lead", "responsible")]
    first = led or [activity_id for activity_id, _role in voice.roles]
    return first[0] if first else None


# A unit's sentence that mostly repeats what the plan says of the activity (its time, place, title, roles) adds
# nothing: at or above this share of its bigrams found in the plan's words, it is not quoted.
RESTATES_PLAN = 0.6
# Words of a day at the desks: a unit's sentence with them that names no activity is not about an online one.
DESK_WORDS = ("现场", "咨询台", "接待", "发放", "展板", "横幅", "群众咨询")


def _highlights(voice: Voice, activity: ActivityEntry, others: list[list[str]], home: bool,
                plan_text: str) -> list[str]:
    """The unit's sentences about this activity, most specific first: those that name it, then (for the unit's
    home activity) those with figures, then the others; never one that names another activity only, nor one
    that restates the plan."""
    words = markers(activity)
    ranked = []
    for index, candidate in enumerate(voice.sentences("activities", "leadership")):
        if not quotable(candidate) or containment(candidate, plan_text + voice.label + voice.name) >= RESTATES_PLAN:
            continue
        about_this = mentions(candidate, words)
        if not about_this and (not home or any(mentions(candidate, other) for other in others)
                               or (activity["mode"] != "onsite" and mentions(candidate, list(DESK_WORDS)))):
            continue
        score = (4 if about_this else 0) + (1 if has_figures(candidate) else 0)
        ranked.append((-score, index, candidate))
    return [candidate for _score, _index, candidate in sorted(ranked)]


def compose_activity(activity: ActivityEntry, figures: ReportFigures, voices: dict[int, Voice],
                     online: dict[int, list[tuple[str, str, int]]], ledger: Ledger, quotes: list[Quote],
                     section: str) -> str:
    others = [markers(other) for other in figures["activities"] if other["id"] != activity["id"]]
    parts = [_opening(activity), _purpose(activity), _desks(activity), _online(online.get(activity["id"], []))]
    text = "".join(part for part in parts if part and ledger.fresh(part))
    plan_text = "".join(parts) + activity["title"] + "".join(
        activity["lead"] + activity["cooperating"] + (activity.get("participating") or []) + activity["responsible"]
    ) + "按照活动方案安排作为牵头单位配合单位参加单位责任单位"
    said = []
    for unit_id in units_of(activity):
        voice = voices.get(unit_id)
        if voice is None:
            continue
        home = _home(voice) == activity["id"]
        for chosen in _highlights(voice, activity, others, home, plan_text):
            printed = attributed(voice.label, chosen)
            if ledger.was_said(chosen) or ledger.was_said(printed) or not ledger.new_quote(chosen):
                continue
            # The unit's sentence itself is remembered too: another unit's same words are not said again.
            ledger.fresh(chosen)
            ledger.fresh(printed)
            said.append(printed)
            quotes.append(Quote(voice.label, chosen, printed, section))
            break
    return text + "".join(said)

