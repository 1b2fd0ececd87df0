"""The numbers check before an export: every number the report's text writes, recomputed from the data.

The organizer may have edited the narrative (ReportDraft.narrative) by hand, and the data may have moved since the
text was drafted. Before any export each figure the text states — a count with its measure word (人次, 份, 家/个单位,
个, 场, 件, 项, 块, 条, 篇, %), in digits or in Chinese numerals — is matched to the figure its words name (the
words of its clause: 接待群众咨询 → people received, 满意率 → the satisfaction rate) and compared with the data.
A number nothing in the data matches is listed too. What is not a figure is not read: dates (5月15日), years,
document numbers (〔2026〕12号), editions (第十六届), ordinals (一是, 一、), and anything inside quotation marks or
title marks (“十条禁令” is a name, not ten banners).

Each mismatch is listed for the organizer, who confirms it (kept as written, with a reason) or corrects it: those
decisions, and the export's refusal while one is open, are report/number_checks.py's.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from campaign.report.figures import ReportFigures
from campaign.report.narrative import activity_key, draft_sections
from campaign.report.prose.activities import ONLINE_OUTPUTS, assign_online_outputs
from campaign.report.prose.voices import voices
from campaign.report.written_numbers import Mention, mentions
from campaign.summaries.figures import figure_label
from campaign.summaries.models import UNIT_FIGURES


@dataclass(frozen=True)
class Fact:
    """A figure of the data the text may state: its value, what it counts, and the words that name it."""

    value: int
    kinds: frozenset[str]
    keywords: tuple[str, ...]
    label: str
    # The section it belongs to ("activity:3"), None for the whole report.
    section: str | None = None
    # Only when the sentence names this (a unit's own figures).
    requires: str | None = None


@dataclass
class Mismatch:
    mention: Mention
    expected: int | None
    label: str
    fingerprint: str = ""
    decision: dict | None = field(default=None)

    @property
    def section(self) -> str:
        return self.mention.section

    @property
    def sentence(self) -> str:
        return self.mention.sentence

    @property
    def written(self) -> str:
        return self.mention.written

    @property
    def sentence_parts(self) -> tuple[str, str, str]:
        """The sentence around the number: (before, the number as written, after)."""
        at = self.mention.start - self.mention.sentence_start
        sentence = self.mention.sentence
        return sentence[:at], self.mention.written, sentence[at + len(self.mention.written):]

    @property
    def decided_at(self) -> datetime | None:
        return datetime.fromisoformat(self.decision["at"]) if self.decision and self.decision.get("at") else None

    @property
    def confirmed(self) -> bool:
        return self.decision is not None


def _fact(facts: list[Fact], value, kinds: str, keywords: tuple[str, ...], label: str, **where) -> None:
    if value is None:
        return
    facts.append(Fact(int(value), frozenset(kinds.split()), keywords, label, **where))


def facts_of(figures: ReportFigures) -> list[Fact]:
    """Every figure of the compiled report the text may state, with the words that name it."""
    facts: list[Fact] = []
    t = figures["totals"]
    _fact(facts, t["units_taking_part"], "units", ("参与", "参加", "单位"), "参与单位")
    _fact(facts, t["units_in_plan"], "units", ("方案", "列入"), "方案所列单位")
    _fact(facts, t["units_reported"], "units", ("报送", "收到", "总结"), "报送总结的单位")
    _fact(facts, t["units_missing"], "units", ("未报送", "未报"), "未报送总结的单位")
    _fact(facts, t["units_late"], "units", ("逾期", "迟报"), "逾期报送的单位")
    _fact(facts, t["activities"], "activities", ("活动", "开展"), "活动项数")
    _fact(facts, t["activities_online"], "activities", ("线上",), "线上活动")
    _fact(facts, t["activities_onsite"], "activities", ("线下", "现场"), "线下活动")
    _fact(facts, t["venues"], "count places", ("场地", "会场", "地点"), "活动场地")
    _fact(facts, t["venues_main"], "count places", ("主会场",), "主会场")
    _fact(facts, t["venues_branch"], "count places", ("分会场",), "分会场")
    _fact(facts, t["booths"], "count", ("咨询台", "咨询点", "服务台"), "政策咨询台")
    _fact(facts, t["people"], "people", ("接待", "群众", "咨询", "解答", "服务"), "接待群众（人次）")
    _fact(facts, t["consultations"], "people items", ("咨询", "登记", "问题"), "咨询登记（人次）")
    _fact(facts, t["satisfaction_rated"], "people", ("评价",), "作出评价的人次")
    _fact(facts, t["satisfied"], "people", ("满意",), "满意和基本满意的人次")
    _fact(facts, t["materials"], "copies", ("资料", "发放", "宣传", "材料"), "发放宣传资料（份）")
    _fact(facts, t["photos"], "photos", ("照片", "图片"), "照片")
    _fact(facts, t["satisfaction_rate"], "percent", ("满意率", "满意"), "群众满意率")
    follow = [
        ("follow_ups", ("转办", "回访", "登记"), "转办事项"),
        ("follow_ups_closed", ("办结",), "已办结"),
        ("follow_ups_open", ("未办结", "尚未", "正在办理"), "未办结"),
        ("follow_ups_overdue", ("超过", "超期", "逾期"), "超过办理期限"),
        ("follow_ups_replied_in_time", ("按期", "按时"), "按期答复"),
        ("follow_ups_replied_late", ("超期答复", "逾期答复"), "超期答复"),
    ]
    for key, words, label in follow:
        _fact(facts, t.get(key, 0), "items count", words, label)
    _fact(facts, t.get("follow_ups_called_back", 0), "people items", ("回访",), "回访群众")
    pleased = t.get("call_backs_satisfied", 0) + t.get("call_backs_fairly_satisfied", 0)
    _fact(facts, pleased, "people items", ("满意和基本满意", "满意"), "回访满意和基本满意")
    _fact(facts, t.get("call_backs_unsatisfied", 0), "people items", ("不满意",), "回访不满意")
    for series, kinds in (("by_kind", "people items"), ("by_topic", "people items"), ("by_handling", "people items"),
                          ("by_asker", "people items"), ("by_material", "copies"),
                          ("by_satisfaction", "people items")):
        for name, count in figures.get(series, []):  # type: ignore[attr-defined]
            _fact(facts, count, kinds, (str(name),), str(name))
    unit_words = {
        "staff_count": ("people", ("工作人员", "人员")), "display_boards": ("boards", ("展板",)),
        "banners": ("lines", ("横幅", "条幅")), "interpretations_published": ("articles", ("解读",)),
        "hotline_answered": ("count items", ("热线",)), "online_posts": ("lines articles", ("发布信息", "新媒体", "网站")),
    }
    for item in figures["unit_figures"]:
        kinds, words = unit_words.get(item["key"], ("count", (item["label"],)))
        _fact(facts, item["total"], kinds, words, item["label"])
    desk_units = {unit_id for activity in figures["activities"] for unit_id in activity.get("desk_unit_ids", [])}
    _fact(facts, len(desk_units), "units", ("咨询台", "设立", "设置"), "设立政策咨询台的单位")
    # The units' online work as the prose puts it under an activity: each unit's figure and their sum.
    online = assign_online_outputs(figures, voices(figures))
    for activity_id, outputs in online.items():
        for figure, verb, _measure, _words in ONLINE_OUTPUTS:
            values = [value for _unit, key, value in outputs if key == figure]
            kinds, words = unit_words.get(figure, ("count", ()))
            for amount in {*values, sum(values)}:
                _fact(facts, amount, kinds, (*words, verb), f"{verb}（各单位报送）", section=activity_key(activity_id))
    for activity in figures["activities"]:
        key = activity_key(activity["id"])
        title = activity["title"]
        others = activity["cooperating"] + activity.get("participating", []) + activity["responsible"]
        _fact(facts, activity["units"], "units", ("单位", "参加", "参与"), f"{title}：参加单位", section=key)
        _fact(facts, len(activity["lead"]), "units", ("牵头",), f"{title}：牵头单位", section=key)
        _fact(facts, len(others), "units", ("参加", "配合", "单位"), f"{title}：参加单位", section=key)
        _fact(facts, activity["booths"], "count", ("咨询台", "咨询点"), f"{title}：咨询台", section=key)
        _fact(facts, activity["consultations"], "people", ("接待", "群众", "咨询", "解答"), f"{title}：接待群众",
              section=key)
        _fact(facts, activity["materials"], "copies", ("资料", "发放", "宣传", "共计"), f"{title}：发放资料", section=key)
        # What the prose says of the activity (report/prose/activities.py): the units at its desks, each material.
        _fact(facts, len(activity.get("desk_units", [])), "units", ("咨询台", "设立", "设置"),
              f"{title}：设立咨询台的单位", section=key)
        for name, quantity in activity.get("by_material", []):
            _fact(facts, quantity, "copies", (str(name),), f"{title}：{name}", section=key)
    unit_labels = dict(UNIT_FIGURES)
    for unit in figures["units"]:
        for key, cell in unit["figures"].items():
            for value in {cell.get("value"), cell.get("recorded")} - {None}:
                kinds = "percent" if key == "satisfaction_rate" else ("copies" if key == "materials" else
                                                                       "people items count")
                _fact(facts, value, kinds, (), f"{unit['name']}：{figure_label(key)}", requires=unit["label"])
        for key, value in unit["unit_figures"].items():
            kinds, words = unit_words.get(key, ("count", ()))
            _fact(facts, value, kinds, words, f"{unit['name']}：{unit_labels.get(key, key)}", requires=unit["label"])
    comparison = figures.get("year_on_year")
    if comparison:
        for row in comparison["rows"]:
            words = (*row["keywords"], "上年", "去年", str(comparison["previous_year"]))
            _fact(facts, row["current"], row["kinds"], tuple(row["keywords"]), row["label"])
            _fact(facts, row["previous"], row["kinds"], words, f"{comparison['than']}{row['label']}")
            _fact(facts, abs(row["change"]), row["kinds"], ("增加", "减少", "提高", "下降", "增长", "百分点"),
                  f"{row['label']}比{comparison['than']}的变化")
    return facts


def _agrees(mention: Mention, value: int) -> bool:
    if not mention.approximate:
        return mention.value == value
    # 2,300余 is 2,300 to 2,399; 100余人 is 100 to 199.
    written = mention.value
    zeros = len(str(written)) - len(str(written).rstrip("0"))
    step = 10 ** zeros if zeros else 10
    return written <= value < written + step


def _score(fact: Fact, mention: Mention) -> int:
    near = sum(len(word) for word in fact.keywords if word in mention.before)
    far = sum(len(word) for word in fact.keywords if word in mention.after)
    score = 2 * near + far
    if score and fact.section is not None:
        score += 3  # the activity's own figure before the district's
    if fact.requires is not None:
        score += 1
    return score


def check_mention(mention: Mention, facts: list[Fact]) -> tuple[int | None, str] | None:
    """None when the number agrees with the data; else (the data's number or None, what it is)."""
    candidates = [
        fact for fact in facts
        if mention.kind in fact.kinds
        and (fact.section is None or fact.section == mention.section)
        and (fact.requires is None or fact.requires in mention.sentence)
    ]
    scored = sorted(((_score(fact, mention), fact) for fact in candidates), key=lambda item: -item[0])
    named = [(score, fact) for score, fact in scored if score > 0]
    if named:
        if any(_agrees(mention, fact.value) for _score_, fact in named):
            return None
        best = named[0][1]
        return best.value, best.label
    if any(_agrees(mention, fact.value) for fact in candidates):
        return None
    return None, ""


def _fingerprint(mention: Mention, expected: int | None) -> str:
    # The number's own clause, not the whole sentence: correcting another number of the sentence keeps this one's
    # confirmation; any change to this clause, or to the data's number, asks again.
    key = "\x1f".join([mention.section, mention.before, mention.written, mention.after, str(expected)])
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def find_mismatches(figures: ReportFigures, narrative: dict[str, str], trust_drafted: bool = True,
                    drafted: dict[str, str] | None = None) -> list[Mismatch]:
    """Every number of the text that does not agree with the data, in document order.

    A sentence the drafting writes from today's data (report/prose/) is taken as it is: its figures are the data's
    by construction, and the units' sentences it quotes are theirs, attributed, with their own numbers. Any other
    sentence — edited by hand, or drafted from data that has moved since — has each number recomputed. `drafted`:
    the sections as drafted from these figures, when the caller has them already (drafting is the costly part)."""
    facts = facts_of(figures)
    if not trust_drafted:
        drafted = {}
    elif drafted is None:
        drafted = draft_sections(figures)
    names = tuple({name for unit in figures["units"] for name in (unit["name"], unit["label"])})
    result = []
    for section, text in narrative.items():
        for mention in mentions(section, text or "", names):
            if mention.sentence.strip() and mention.sentence.strip() in drafted.get(section, ""):
                continue
            outcome = check_mention(mention, facts)
            if outcome is None:
                continue
            expected, label = outcome
            result.append(Mismatch(mention, expected, label, _fingerprint(mention, expected)))
    return result
