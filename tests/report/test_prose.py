"""The district report's prose (report/prose/): composed from the plan, the records and the units' own words.

On the demo campaign end to end (its real summaries), on hand-built campaigns through the database, and on
Hypothesis-generated figures (the composer reads plain data): no long sentence twice, every figure the data's,
quantifiers by ratio, each material named with its count, each unit's highlight quoted and attributed, the online
outputs' figures, 满意率 defined once, and an activity without evidence flagged on the report page."""

import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.plan.models import Campaign
from campaign.report.compile import compile_report
from campaign.report.prose import compose
from campaign.report.prose.activities import ONLINE_OUTPUTS, assign_online_outputs
from campaign.report.prose.evidence import DONE, NONE, PARTLY, activity_evidence
from campaign.report.prose.sections import SATISFACTION_DEFINED
from campaign.report.prose.sentences import (
    attributed,
    group_points,
    normalise,
    repeated_sentences,
    similarity,
    split_sentences,
)
from campaign.report.prose.voices import voices
from campaign.shared.quantifiers import quantifier
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db

# Sentences and points


def test_a_units_text_is_split_into_its_points_normalised():
    text = "存在以下不足：一是企业参与热情不高,公开内容不够丰富；二是宣传面仍需加大。\n3. 部分群众不了解活动\n（四）满意率96.2%"
    assert split_sentences(text) == [
        "企业参与热情不高，公开内容不够丰富。", "宣传面仍需加大。", "部分群众不了解活动。", "满意率96.2%。",
    ]
    assert normalise("发放1,200份资料 ,登录 www.gov.cn 查看(详见附件)") == "发放1,200份资料，登录www.gov.cn查看（详见附件）"


def test_a_sentence_is_attributed_to_its_unit_in_the_units_own_words():
    assert attributed("区人社局", "我局在广场设立咨询台。") == "区人社局在广场设立咨询台。"
    assert attributed("区人社局", "在园区活动中，我局讲解稳岗政策。") == "在园区活动中，区人社局讲解稳岗政策。"
    assert attributed("区人社局", "区人社局设立两个窗口。") == "区人社局设立两个窗口。"
    assert attributed("区人社局", "5月15日，区人社局设立两个窗口。") == "5月15日，区人社局设立两个窗口。"
    assert attributed("区人社局", "在本会场设立窗口，按本办法执行。") == "区人社局在本会场设立窗口，按本办法执行。"
    assert attributed("区人社局", "活动现场人气很旺。") == "区人社局：活动现场人气很旺。"


def test_the_same_point_in_other_words_is_one_point_with_every_unit_that_made_it():
    groups = group_points([
        ("区发改局", "企业参与热情不高，来园区咨询台的企业不多。"),
        ("区人社局", "政策条文专业性强，群众不易理解。"),
        ("区税务局", "企业参与热情不高，参加宣讲的多为财务人员。"),
        ("区发改局", "企业参与的热情不高。"),
    ])
    assert groups[0] == ("企业参与热情不高。", ["区发改局", "区税务局"])
    assert groups[1] == ("政策条文专业性强，群众不易理解。", ["区人社局"])
    assert similarity("宣传覆盖面仍需加大", "宣传覆盖面仍需加大") == 1.0
    assert similarity("宣传覆盖面仍需加大", "企业参与热情不高") < 0.2


def test_repeated_sentences_finds_a_long_sentence_said_twice_and_allows_short_and_formulaic_ones():
    long = "工作人员面对面解答群众关心的政策问题，对现场不能解答的问题登记转办并限期回复。"
    assert repeated_sentences([f"第一段。{long}", f"{long}好的。"]) == [long]
    assert repeated_sentences(["好的。好的。", "好的。"]) == []
    assert repeated_sentences([long, long], formulaic=[long]) == []


# Generated figures: the composer reads plain data


def _figures(spec: dict) -> dict:
    """ReportFigures as compile_report makes them, from a generated spec: units, activities with desks and
    materials, summaries with their sections."""
    units = []
    for index, unit in enumerate(spec["units"]):
        units.append({
            "id": index + 1, "name": f"江滨区第{index + 1}局", "label": f"区第{index + 1}局", "kind": "区政府部门",
            "state": "submitted" if unit["counted"] else "not_started", "state_text": "", "counted": unit["counted"],
            "taking_part": True, "late": False, "submitted_at": None, "photos": unit["photos"], "figures": {},
            "corrections": [], "unit_figures": unit["online"] if unit["counted"] else {},
            "sections": {key: "".join(text) for key, text in unit["sections"].items()} if unit["counted"] else {},
            "leaders": unit["leaders"] if unit["counted"] else "",
        })
    activities, by_material_total = [], {}
    for index, activity in enumerate(spec["activities"]):
        members = [unit_id for unit_id in activity["units"] if unit_id <= len(units)] or [1]
        roles = [[unit_id, "lead" if place == 0 else activity["role"]] for place, unit_id in enumerate(members)]
        onsite = activity["onsite"]
        by_material = [[name, count] for name, count in activity["materials"].items() if count] if onsite else []
        for name, count in by_material:
            by_material_total[name] = by_material_total.get(name, 0) + count
        desks = [unit_id for unit_id in members if onsite and activity["desks"]]
        labels = {unit["id"]: unit["label"] for unit in units}
        activities.append({
            "id": 100 + index, "group": "线下", "title": f"开展“第{index + 1}项活动”", "description": activity["purpose"],
            "mode": "onsite" if onsite else "online", "time_text": "5月15日上午9时",
            "venue": f"第{index + 1}广场" if onsite else "", "venue_kind": "",
            "lead": [labels[members[0]]],
            "cooperating": [labels[u] for u, role in roles[1:] if role == "cooperating"],
            "participating": [labels[u] for u, role in roles[1:] if role == "participating"],
            "responsible": [labels[u] for u, role in roles[1:] if role == "responsible"],
            "unit_roles": roles, "units": len(members), "booths": len(desks),
            "desk_units": [labels[u] for u in desks], "desk_unit_ids": desks,
            "recorded_unit_ids": desks if activity["consultations"] or by_material else [],
            "consultations": activity["consultations"] if onsite else 0,
            "materials": sum(count for _name, count in by_material), "by_material": by_material,
        })
    consultations = sum(activity["consultations"] for activity in activities)
    satisfied = min(spec["satisfied"], consultations)
    counted = [unit for unit in units if unit["counted"]]
    missing = [unit for unit in units if not unit["counted"]]
    unit_figure_totals = {key: sum(unit["unit_figures"].get(key, 0) for unit in counted)
                          for key, *_rest in ONLINE_OUTPUTS}
    return {
        "version": 1, "compiled_at": "2025-05-21T00:00:00+00:00",
        "campaign": {"id": 1, "title": "江滨区活动方案", "year": 2025, "edition": 19, "issuing_office": "江滨区政府办公室",
                     "theme": "", "first_day": "2025-05-15", "last_day": "2025-05-20",
                     "period_text": "2025年5月15日至5月20日", "deadline": None, "deadline_text": ""},
        "totals": {
            "consultations": consultations, "consultations_staff": consultations, "consultations_public": 0,
            "people": consultations, "satisfaction_rated": consultations, "satisfied": satisfied,
            "satisfaction_rate": (satisfied * 200 + consultations) // (consultations * 2) if consultations else None,
            "materials": sum(activity["materials"] for activity in activities),
            "follow_ups": 0, "follow_ups_closed": 0, "follow_ups_open": 0, "follow_ups_overdue": 0,
            "follow_ups_replied_in_time": 0, "follow_ups_replied_late": 0, "follow_ups_called_back": 0,
            "call_backs_satisfied": 0, "call_backs_fairly_satisfied": 0, "call_backs_unsatisfied": 0,
            "units_taking_part": len(units), "units_in_plan": len(units), "units_reported": len(counted),
            "units_missing": len(missing), "units_late": 0, "venues": 0, "venues_main": 0, "venues_branch": 0,
            "booths": sum(activity["booths"] for activity in activities), "photos": 0,
            "activities": len(activities), "activities_online": sum(a["mode"] == "online" for a in activities),
            "activities_onsite": sum(a["mode"] == "onsite" for a in activities),
        },
        "by_kind": [], "by_topic": [], "by_asker": [], "by_hour": [],
        "by_handling": [["当场解答", consultations - consultations // 3], ["转办", consultations // 3 // 2]],
        "by_material": sorted(([name, count] for name, count in by_material_total.items()), key=lambda i: -i[1]),
        "unit_figures": [{"key": key, "label": key, "total": total} for key, total in unit_figure_totals.items()],
        "units": units, "activities": activities,
        "missing": [{"id": unit["id"], "name": unit["name"], "state": "not_started", "state_text": "未报送"}
                    for unit in missing],
        "late": [], "photos": [], "scorecard": {}, "include_scorecard": False, "include_register": False,
    }


POINTS = ("企业参与热情不高", "宣传覆盖面仍需扩大", "政策解读通俗性不够", "持续深化政务公开", "建立转办事项台账",
          "部分群众对活动知晓度不高", "群众满意度进一步提升")
unit_spec = st.fixed_dictionaries({
    "counted": st.booleans(),
    "photos": st.integers(0, 3),
    "leaders": st.sampled_from(("", "局长王某", "分管副局长李某。")),
    "online": st.fixed_dictionaries({key: st.integers(0, 30) for key, *_rest in ONLINE_OUTPUTS}),
    "sections": st.fixed_dictionaries({
        key: st.lists(st.sampled_from(POINTS).map(lambda p: p + "，具体情况已登记在册。"), max_size=3)
        .map(lambda points: [f"{'一二三'[i]}是{p}" for i, p in enumerate(points)]).map(lambda items: ["；".join(items)])
        for key in ("results", "problems", "next_steps")
    } | {"activities": st.lists(st.sampled_from((
        "在第1广场设立咨询台，为群众现场讲解社保政策。", "在“第2项活动”中，我局发布解读材料并答复网民提问。",
        "活动现场人气很旺，群众排队咨询入学政策。")), max_size=2)}),
})
activity_spec = st.fixed_dictionaries({
    "onsite": st.booleans(),
    "units": st.lists(st.integers(1, 8), min_size=1, max_size=5, unique=True),
    "role": st.sampled_from(("cooperating", "participating", "responsible")),
    "purpose": st.sampled_from(("", "面向群众集中宣讲惠民政策。", "围绕营商环境解读政策")),
    "desks": st.booleans(),
    "consultations": st.integers(0, 300),
    "materials": st.fixed_dictionaries({name: st.integers(0, 900) for name in ("宣传单", "《条例》宣传册")}),
})
campaign_spec = st.fixed_dictionaries({
    "units": st.lists(unit_spec, min_size=1, max_size=8),
    "activities": st.lists(activity_spec, min_size=1, max_size=4),
    "satisfied": st.integers(0, 900),
})


def _quote_free(composition) -> dict[str, str]:
    """The composed text without the units' quoted sentences: what the composer itself says."""
    texts = dict(composition.sections)
    for quote in composition.quotes:
        texts[quote.section] = texts[quote.section].replace(quote.text, "")
    return texts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(campaign_spec)
def test_generated_campaigns_are_told_without_repeats_with_the_datas_figures(spec):
    figures = _figures(spec)
    composition = compose(figures)
    texts = composition.sections
    everything = "\n".join(texts.values())
    assert repeated_sentences(texts.values()) == []
    totals = figures["totals"]
    # 满意率 defined once, where first used, with its counts.
    if totals["satisfaction_rate"] is not None:
        assert everything.count(SATISFACTION_DEFINED) == 1
        assert everything.index(SATISFACTION_DEFINED) == everything.index("满意率")
        assert (f"{SATISFACTION_DEFINED}为{totals['satisfaction_rate']}%（已评价{totals['satisfaction_rated']}人次，"
                f"其中满意和基本满意{totals['satisfied']}人次）") in texts["overview"]
    # Quantifiers by ratio: the missing units.
    if totals["units_missing"]:
        word = quantifier(totals["units_missing"], totals["units_taking_part"])
        assert f"{word}单位工作不够扎实" in texts["problems"]
        assert f"{totals['units_missing']}个单位未报送活动总结" in texts["problems"]
    own_words = _quote_free(composition)
    online = assign_online_outputs(figures, voices(figures))
    # Each unit's online figures said once, in an online activity of its own, the parts adding up to the total.
    for unit in figures["units"]:
        own_online = {activity["id"] for activity in figures["activities"] if activity["mode"] == "online"
                      and any(unit_id == unit["id"] for unit_id, _role in activity["unit_roles"])}
        for key, verb, measure, _words in ONLINE_OUTPUTS:
            value = unit["unit_figures"].get(key, 0) if unit["counted"] else 0
            said_in = [activity_id for activity_id, outputs in online.items()
                       for label, fig, _value in outputs if label == unit["label"] and fig == key]
            assert len(said_in) == (1 if value and own_online else 0)
            if said_in:
                text = own_words[f"activity:{said_in[0]}"]
                assert f"{unit['label']}{value}{measure}" in text or f"{unit['label']}{verb}{value}{measure}" in text
    for activity_id, outputs in online.items():
        text = own_words[f"activity:{activity_id}"]
        for key, verb, measure, _words in ONLINE_OUTPUTS:
            total = sum(value for _label, fig, value in outputs if fig == key)
            if total:
                assert f"{verb}{total}{measure}" in text
    for activity in figures["activities"]:
        paragraph = texts[f"activity:{activity['id']}"]
        said = own_words[f"activity:{activity['id']}"]
        # Roles: the lead unit 牵头, the others by their role; never "作为配合单位，举办".
        assert f"{activity['lead'][0]}牵头" in said
        for names, verb in ((activity["cooperating"], "配合"), (activity["participating"], "参加"),
                            (activity["responsible"], "负责")):
            if names:
                assert f"{names[-1]}{verb}" in said or f"等{len(names)}个单位{verb}" in said
        # Each material named with its count; the parts add up to the total said.
        for name, count in activity["by_material"]:
            assert f"{name}{count}份" in said
        if len(activity["by_material"]) > 1:
            assert f"共计{activity['materials']}份" in said
        if activity["consultations"] and activity["mode"] == "onsite":
            assert f"接待群众咨询{activity['consultations']}人次" in said
        # Every number the composer says is the data's (dates and the edition apart).
        allowed = {activity["consultations"], activity["materials"], activity["booths"], len(activity["desk_units"]),
                   len(activity["cooperating"]), len(activity["participating"]), len(activity["responsible"]),
                   *(count for _name, count in activity["by_material"]), }
        for unit in figures["units"]:
            allowed.update(unit["unit_figures"].values())
        outputs = online.get(activity["id"], [])
        allowed.update(sum(value for _label, fig, value in outputs if fig == key) for key, *_ in ONLINE_OUTPUTS)
        bare = said.replace(activity["time_text"], "").replace(activity["title"], "").replace(activity["venue"], "")
        bare = re.sub(r"区第\d+局", "", bare)  # the generated units' names
        for number in re.findall(r"\d+", bare):
            assert int(number) in allowed, (number, said)
        assert paragraph.startswith(said[:10])
    # Each counted unit's points reach the report, attributed to it, with how many made each.
    for quote in composition.quotes:
        assert quote.text in texts[quote.section]
        for label in quote.unit.split("、")[:3]:
            assert label in quote.text


# The demo campaign: its real summaries


@pytest.fixture
def demo_figures(app):
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.year == 2025))
    return compile_report(campaign)


@pytest.mark.loaded_demo
def test_the_demo_report_quotes_specific_different_things_from_different_units(demo_figures):
    composition = compose(demo_figures)
    texts = composition.sections
    assert repeated_sentences(texts.values()) == []
    quoted_units = {quote.unit for quote in composition.quotes if quote.section.startswith("activity:")}
    counted = {unit["label"] for unit in demo_figures["units"] if unit["counted"]}
    # Every unit whose summary counts is heard in the activity paragraphs, attributed by name.
    assert counted <= quoted_units
    for quote in composition.quotes:
        if quote.section.startswith("activity:"):
            assert quote.unit in quote.text
    # Different units, different things: no two quotes alike.
    sentences = [quote.sentence for quote in composition.quotes]
    assert len(set(sentences)) == len(sentences)
    everything = "\n".join(texts.values())
    # What units did beyond the booths, their leaders, a problem several made with their number, next steps.
    assert "区人社局党组书记、局长钱卫东" in texts["overview"]
    assert "在“政府开放日”活动中，区税务局展示个人所得税App汇算清缴操作" in everything
    assert re.search(r"等\d+个单位提出：企业参与热情不高。", texts["problems"])
    assert "区营商环境局提出：推动惠企政策“免申即享”" in texts["next_steps"]
    assert "作为配合单位，举办" not in "".join(_quote_free(composition).values())


@pytest.mark.loaded_demo
def test_the_demo_reports_activities_name_materials_desks_and_online_outputs(demo_figures):
    texts = compose(demo_figures).sections
    for activity in demo_figures["activities"]:
        paragraph = texts[f"activity:{activity['id']}"]
        for name, count in activity["by_material"]:
            assert f"{name}{count}份" in paragraph
        if activity["booths"]:
            assert f"设立政策咨询台{activity['booths']}个" in paragraph
            assert sum(count for _name, count in activity["by_material"]) == activity["materials"]
    hotline = next(a for a in demo_figures["activities"] if "群众难题我来答" in a["title"])
    unit = next(u for u in demo_figures["units"] if u["label"] == "区12345热线中心")
    answered = unit["unit_figures"]["hotline_answered"]
    assert answered and f"区12345热线中心解答热线问题{answered}个" in texts[f"activity:{hotline['id']}"]
    totals = demo_figures["totals"]
    overview = texts["overview"]
    assert f"现场接待群众咨询{totals['people']}人次" in overview and f"共计{totals['materials']}份" in overview
    for name, count in demo_figures["by_material"]:
        assert f"{name}{count}份" in overview
    assert overview.count(SATISFACTION_DEFINED) == 1
    counts = dict(demo_figures["by_satisfaction"])
    assert counts["满意"] + counts["基本满意"] == totals["satisfied"] and counts["满意"] and counts["基本满意"]
    assert (f"（已评价{totals['satisfaction_rated']}人次，其中满意{counts['满意']}人次、基本满意{counts['基本满意']}人次"
            in overview)


# Evidence


def test_an_activity_without_evidence_is_flagged_on_the_report_page(organizer_client, factory):
    shown, silent, partial = factory.unit("区人社局"), factory.unit("区档案馆"), factory.unit("区医保局")
    campaign = factory.campaign(status="issued")
    group = factory.group(campaign)
    done = factory.activity(group, units={shown: "lead"}, title="开展“社保咨询”活动")
    factory.activity(group, units={silent: "lead"}, title="开展“档案开放”活动")
    half = factory.activity(group, units={shown: "lead", partial: "cooperating"}, title="开展“医保宣传”活动")
    factory.consultation(factory.booth(done, shown))
    factory.consultation(factory.booth(half, shown))
    at = datetime(2025, 5, 16, 10, 0, tzinfo=LOCAL_TZ)
    factory.summary(campaign, partial, status="submitted", submitted_at=at, first_submitted_at=at,
                    narrative={"activities": "我局在主会场宣传了医保政策。"})
    evidence = {item.title: item for item in activity_evidence(compile_report(campaign))}
    assert evidence["开展“社保咨询”活动"].status == DONE
    assert evidence["开展“档案开放”活动"].status == NONE and evidence["开展“档案开放”活动"].without == ["区档案馆"]
    assert evidence["开展“医保宣传”活动"].status == PARTLY
    assert [unit.unit for unit in evidence["开展“医保宣传”活动"].evidenced] == ["区人社局"]
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    warning = page[page.index('role="alert"'):]
    warning = warning[:warning.index("</p>")]
    assert "开展“档案开放”活动" in warning and "开展“社保咨询”活动" not in warning
    assert "未见开展佐证" in page and "部分开展" in page
    # A summary that names the activity is evidence too.
    factory.summary(campaign, silent, status="submitted", submitted_at=utcnow(), first_submitted_at=utcnow(),
                    narrative={"activities": "我馆开展“档案开放”活动，接待市民参观。"})
    evidence = {item.title: item for item in activity_evidence(compile_report(campaign))}
    assert evidence["开展“档案开放”活动"].status == DONE


def test_eleven_of_twenty_five_units_missing_is_never_a_few():
    silent = {"counted": False, "photos": 0, "leaders": "", "online": {},
              "sections": {"results": [], "problems": [], "next_steps": [], "activities": []}}
    spec = {"units": [{**silent, "counted": index >= 11} for index in range(25)], "satisfied": 0,
            "activities": [{"onsite": True, "units": [12], "role": "cooperating", "purpose": "", "desks": False,
                            "consultations": 0, "materials": {}}]}
    problems = compose(_figures(spec)).sections["problems"]
    assert "部分单位工作不够扎实" in problems and "11个单位未报送活动总结" in problems
    assert "个别" not in problems


@pytest.mark.loaded_demo
def test_the_demo_export_reads_as_the_units_wrote(app):
    from campaign.report.models import ReportSnapshot

    snapshot = db.session.scalar(sa.select(ReportSnapshot).order_by(ReportSnapshot.id.desc()).limit(1))
    texts = snapshot.narrative
    assert repeated_sentences(texts.values()) == []
    assert texts["intro"].startswith("今年5月15日是全市第十九届")  # the organizer's own opening
    everything = "\n".join(texts.values())
    for said in ("区政务服务中心在一楼大厅设置引导员", "区融媒体中心制作“一图读懂”政策解读图解6期",
                 "区司法局会同白沙镇在白沙镇文化礼堂组织法律援助律师现场坐诊", "区营商环境局提出：", "区医保局提出："):
        assert said in everything


def test_leaders_the_units_typed_are_fitted_into_one_sentence():
    from campaign.report.prose.sections import _leaders
    from campaign.report.prose.voices import Voice

    typed = {1: Voice(1, "区人社局", {}, "局长钱卫东带队。", {}, 0),
             2: Voice(2, "区医保局", {}, "区医保局局长韩志强亲临现场指导", {}, 0),
             3: Voice(3, "区税务局", {}, "", {}, 0)}
    assert _leaders(typed) == "区人社局局长钱卫东，区医保局局长韩志强等单位负责同志带队参加活动、靠前指挥。"
    assert _leaders({1: typed[1]}) == "区人社局局长钱卫东带队参加活动、靠前指挥。"
