"""The report's sections other than the activity paragraphs: the opening, 一、基本情况 (who led, the district's
figures, 满意率 defined where first used), and 三、主要成效 / 四、存在问题 / 五、下一步工作 from the units' own
points, grouped and counted, with what the figures themselves say."""

import re

from campaign.report.figures import ReportFigures
from campaign.report.prose.activities import ONLINE_OUTPUTS, Quote
from campaign.report.prose.sentences import Ledger, group_points, has_figures, left_out, normalise
from campaign.report.prose.voices import Voice, quotable
from campaign.report.prose.wording import names, ordinal_points, parts_of, sentence
from campaign.shared.formatting import cn_number
from campaign.shared.quantifiers import quantifier

# Points a section lists before it says how many more the units made.
POINTS_SHOWN = 8
# Said once, where the rate first appears; later mentions use the word alone.
SATISFACTION_DEFINED = "满意率（满意与基本满意占已评价人次的比例）"
_LEADERS_DID = re.compile(r"(?:等)?(?:同志)?(?:亲自|亲临|分别)?(?:带队|出席|参加|到场|到现场|现场指导)(?:了)?(?:活动|现场)?(?:指导)?$")


def intro(figures: ReportFigures) -> str:
    campaign = figures["campaign"]
    return (
        f"为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步推进政务公开工作，"
        f"{campaign['period_text']}，我区组织开展了第{cn_number(campaign['edition'])}届“5·15政务公开日”活动。"
        f"现将活动开展情况报告如下："
    )


def _leaders(voices: dict[int, Voice]) -> str:
    """The leaders the units named, each fitted into the sentence as the unit's: 区人社局党组书记、局长钱卫东."""
    present = []
    for voice in voices.values():
        text = normalise(voice.leaders).strip("，。；、：")
        # What the unit typed may already say what they did: the sentence says it once.
        text = _LEADERS_DID.sub("", text).strip("，。；、：")
        if not text:
            continue
        present.append(text if text.startswith(voice.label) else f"{voice.label}{text}")
    if not present:
        return ""
    return f"{'，'.join(present)}等单位负责同志带队参加活动、靠前指挥。" if len(present) > 1 \
        else f"{present[0]}带队参加活动、靠前指挥。"


def satisfaction(figures: ReportFigures) -> str:
    totals = figures["totals"]
    if totals["satisfaction_rate"] is None:
        return ""
    counts = dict((name, count) for name, count in figures.get("by_satisfaction") or [])
    fully, fairly = counts.get("满意", 0), counts.get("基本满意", 0)
    if counts and fully + fairly == totals["satisfied"]:
        parts = parts_of(totals["satisfaction_rated"], [("满意", fully), ("基本满意", fairly),
                                                         ("不满意", totals["satisfaction_rated"] - fully - fairly)], "人次")
    else:
        parts = f"其中满意和基本满意{totals['satisfied']}人次"
    return f"{SATISFACTION_DEFINED}为{totals['satisfaction_rate']}%（已评价{totals['satisfaction_rated']}人次，{parts}）"


def _materials(figures: ReportFigures) -> str:
    total = figures["totals"]["materials"]
    if not total:
        return ""
    by_material = [(name, count) for name, count in figures["by_material"] if count]
    if not by_material:
        return f"发放宣传资料{total}份"
    named = "、".join(f"{name}{count}份" for name, count in by_material)
    left = total - sum(count for _name, count in by_material)
    if len(by_material) == 1 and not left:
        return f"发放{named}"
    return f"发放{named}" + (f"、其他资料{left}份" if left > 0 else "") + f"，共计{total}份"


def overview(figures: ReportFigures, voices: dict[int, Voice]) -> str:
    campaign, totals = figures["campaign"], figures["totals"]
    office = campaign["issuing_office"] or "区政府办公室"
    leadership = (
        f"{office}高度重视此次活动，及时印发《{campaign['title']}》，明确活动主题、形式、时间和责任分工，"
        f"各镇街、各部门按照方案要求认真组织实施，确保活动有序开展。"
    ) + _leaders(voices)
    venues = ""
    if totals["venues"]:
        venues = (f"设主会场{totals['venues_main']}个、分会场{totals['venues_branch']}个" if totals["venues_main"]
                  else f"设活动场地{totals['venues']}个")
    desk_units = {unit_id for activity in figures["activities"] for unit_id in activity.get("desk_unit_ids") or []}
    desks = ""
    if totals["booths"]:
        desks = (f"{len(desk_units)}家单位设置政策咨询台{totals['booths']}个" if desk_units
                 else f"设置政策咨询台{totals['booths']}个")
    unit_figures = {item["key"]: item["total"] for item in figures["unit_figures"]}
    online = [f"{verb}{unit_figures[key]}{unit}" for key, verb, unit, _words in ONLINE_OUTPUTS
              if unit_figures.get(key)]
    figures_text = sentence(
        f"本次活动共有{totals['units_taking_part']}个单位参与",
        f"开展线上、线下活动{totals['activities']}项" if totals["activities"] else "",
        venues,
        desks,
        f"现场接待群众咨询{totals['people']}人次" if totals["people"] else "",
        _materials(figures),
        f"摆放展板{unit_figures['display_boards']}块" if unit_figures.get("display_boards") else "",
        f"悬挂横幅{unit_figures['banners']}条" if unit_figures.get("banners") else "",
        "各单位" + "、".join(online) if online else "",
        satisfaction(figures),
    )
    reported = f"截至目前，共收到{totals['units_reported']}个单位报送的活动总结。"
    return f"{leadership}\n{figures_text}{reported}"


def activities_intro(figures: ReportFigures) -> str:
    totals = figures["totals"]
    if not totals["activities"]:
        return "各单位结合自身职能，采取线上线下相结合的方式开展活动。"
    return (
        f"活动采取线上线下相结合的方式进行，共开展线上活动{totals['activities_online']}项、"
        f"线下活动{totals['activities_onsite']}项。"
    )


def _who(units: list[str]) -> str:
    """The units making a point: named when few, else the first named and all counted (区人社局、…等8个单位)."""
    return names(units, 3)


def unit_points(voices: dict[int, Voice], section: str, ledger: Ledger, quotes: list[Quote],
                key: str) -> tuple[list[str], str]:
    """The units' points of one of their sections, the same point in other words said once, with who made it,
    and a line saying how many points are left out. Points more units made come first; among equals each unit's
    first point before anyone's second. A sentence with figures is the unit's own count, not a point others
    share: the report's figures are the records'."""
    said = []
    rank: dict[str, int] = {}
    for voice in voices.values():
        points = [point for point in voice.sentences(section) if quotable(point) and not has_figures(point)]
        for place, point in enumerate(points):
            said.append((voice.label, point))
            rank.setdefault(point, place)
    groups = sorted(enumerate(group_points(said)),
                    key=lambda item: (-len(item[1][1]), rank.get(item[1][0], 0), item[0]))
    lines = []
    for _index, (wording, units) in groups[:POINTS_SHOWN]:
        if not ledger.fresh(wording):
            continue
        line = f"{_who(units)}提出：{wording}"
        if not ledger.fresh(line):
            continue
        lines.append(line)
        quotes.append(Quote("、".join(units), wording, line, key))
    left = [group for _index, group in groups[POINTS_SHOWN:]]
    unread = said[len(said) - left_out(said):] if left_out(said) else []
    note = ""
    if left or unread:
        more = {unit for _wording, units in left for unit in units} | {unit for unit, _point in unread}
        note = f"此外，{len(more)}个单位还提出了其他{len(left) + len(unread)}条意见，详见各单位活动总结。"
    return lines, note


def _consultations(figures: ReportFigures) -> str:
    totals = figures["totals"]
    if not totals["people"]:
        return ""
    handling = [(name, count) for name, count in figures["by_handling"]]
    clauses = [f"活动期间共解答群众咨询{totals['people']}人次", parts_of(totals["people"], handling, "人次")]
    if totals["follow_ups"]:
        follow = f"登记转办、回访事项{totals['follow_ups']}件，已办结{totals['follow_ups_closed']}件"
        in_time, late = totals.get("follow_ups_replied_in_time", 0), totals.get("follow_ups_replied_late", 0)
        if in_time or late:
            follow += f"，按期答复{in_time}件" + (f"、超期答复{late}件" if late else "")
        called_back = totals.get("follow_ups_called_back", 0)
        if called_back:
            pleased = totals.get("call_backs_satisfied", 0) + totals.get("call_backs_fairly_satisfied", 0)
            follow += f"，回访群众{called_back}人次，其中满意和基本满意{pleased}人次"
        clauses.append(follow)
    topics = [name for name, count in figures["by_topic"][:3] if count]
    if topics:
        clauses.append(f"群众咨询主要集中在{'、'.join(topics)}等方面")
    return sentence(*clauses)


def results(figures: ReportFigures, voices: dict[int, Voice], ledger: Ledger, quotes: list[Quote]) -> str:
    rate = figures["totals"]["satisfaction_rate"]
    facts = _consultations(figures) + (f"群众满意率为{rate}%。" if rate is not None else "")
    points, note = unit_points(voices, "results", ledger, quotes, "results")
    heading = "各单位报送的主要成效：\n" if points else ""
    if not points:
        points = ["提升了政务公开的社会知晓度，通过面对面交流，群众对政务公开工作有了更直观的了解。",
                  "拉近了政府与群众的距离，增进了群众对政府工作的理解和支持。"]
    return "\n".join(part for part in (facts, heading + ordinal_points(points), note) if part)


def problems(figures: ReportFigures, voices: dict[int, Voice], ledger: Ledger, quotes: list[Quote]) -> str:
    totals = figures["totals"]
    points, note = unit_points(voices, "problems", ledger, quotes, "problems")
    taking_part = totals["units_taking_part"]
    late, missing = figures["late"], figures["missing"]
    if late or missing:
        clauses = []
        if late:
            labels = {unit["id"]: unit["label"] for unit in figures["units"]}
            clauses.append(f"{names([labels.get(unit['id'], unit['name']) for unit in late], 3)}逾期报送活动总结"
                           + (f"（共{len(late)}个单位）" if len(late) > 3 else ""))
        if missing:
            clauses.append(f"{len(missing)}个单位未报送活动总结")
        word = quantifier(len(late) + len(missing), taking_part)
        points.append(f"{word}单位工作不够扎实，{'，'.join(clauses)}。")
    if totals["follow_ups_overdue"]:
        points.append(f"转办事项办理仍需提速，尚有{totals['follow_ups_overdue']}件转办、回访事项超过办理期限。")
    if not points:
        points = ["宣传面仍需拓展，群众和企业对活动的知晓度和参与度有待提升。"]
    return "\n".join(part for part in (ordinal_points(points), note) if part)


def next_steps(figures: ReportFigures, voices: dict[int, Voice], ledger: Ledger, quotes: list[Quote]) -> str:
    points, note = unit_points(voices, "next_steps", ledger, quotes, "next_steps")
    if figures["totals"]["follow_ups_open"]:
        points.append(f"做好尚未办结的{figures['totals']['follow_ups_open']}件转办事项的跟踪督办，"
                      f"确保群众反映的问题件件有回音、事事有着落。")
    points.append("总结活动经验，将政务公开日活动与日常政务公开工作相结合，推动政务公开常态化、制度化。")
    return "\n".join(part for part in (ordinal_points(points), note) if part)
