"""A unit's own 起草 (summaries/drafting.py): its activities by role, its figures adding up to their totals, the
text it typed fitted into full sentences, and effects that differ because its facts differ."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.booths.models import KINDS
from campaign.plan.models import STATUS_ISSUED
from campaign.shared.breakdown import parts_text, with_parts
from campaign.summaries import drafting
from campaign.summaries.phrasing import as_sentence, name_list

MATERIALS = ("宣传单", "宣传册", "政策汇编")


@pytest.fixture
def world(factory):
    """区政府办 leads an on-site activity with 区人社局 cooperating and 区医保局 participating; 区人社局 is
    responsible for an online one."""
    office, social, medical = factory.unit("区政府办"), factory.unit("区人社局"), factory.unit("区医保局")
    campaign = factory.campaign(status=STATUS_ISSUED)
    square = factory.venue(campaign, "市民广场", is_main=True)
    factory.activity(factory.group(campaign), units={office: "lead", social: "cooperating", medical: "participating"},
                     title="举办“5·15政务公开日”集中宣传咨询活动", venue_id=square.id)
    factory.activity(factory.group(campaign, "线上主题宣传活动"), units={social: "responsible"}, mode="online",
                     venue_id=None, title="开展“政策解读上线”活动")
    return campaign, office, social, medical


def _draft(campaign, unit, figures, leaders=""):
    return drafting.draft_sections(campaign, unit, figures, drafting.campaign_tasks(campaign, unit.id),
                                   leaders_present=leaders)


def test_each_unit_is_written_in_its_role(app, world):
    campaign, office, social, medical = world
    lead = _draft(campaign, office, {})["activities"]
    assert "区政府办牵头举办“5·15政务公开日”集中宣传咨询活动，在市民广场（主会场）统一布置" in lead
    assert "组织区人社局、区医保局设立政策咨询台" in lead
    cooperating = _draft(campaign, social, {})["activities"]
    assert "区人社局配合区政府办举办“5·15政务公开日”集中宣传咨询活动，在市民广场（主会场）设立政策咨询台" in cooperating
    assert "区人社局负责开展“政策解读上线”活动" in cooperating
    participating = _draft(campaign, medical, {})["activities"]
    assert "区医保局参加区政府办牵头举办的“5·15政务公开日”集中宣传咨询活动" in participating
    for text in (cooperating, participating):
        assert "牵头举办“" not in text and "作为" not in text and "统一布置" not in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.integers(0, 3000),
    kinds=st.lists(st.integers(0, 1200), min_size=len(KINDS), max_size=len(KINDS)),
    materials=st.integers(0, 9000),
    by_material=st.lists(st.integers(0, 4000), min_size=len(MATERIALS), max_size=len(MATERIALS)),
)
def test_the_units_figures_add_up_whatever_they_are(app, world, people, kinds, materials, by_material):
    campaign, office, _social, _medical = world
    figures = {"people": people, "materials": materials,
               **{f"kind:{kind}": count for kind, count in zip(KINDS, kinds, strict=True)},
               **{f"material:{name}": count for name, count in zip(MATERIALS, by_material, strict=True)}}
    text = _draft(campaign, office, figures)["activities"]
    if not people:
        assert "接待群众咨询" not in text
        return
    sentence = re.search(r"共接待群众咨询([^。]*)。", text).group(1)
    reception, _, handed = sentence.partition("；发放宣传资料")
    total, _, listed = reception.partition("，其中")
    assert total == f"{people}人次"
    if listed:
        parts = [int(n) for n in re.findall(r"(\d+)人次", listed)]
        assert sum(parts) == people and all(parts)
    named = [count for count in kinds if count]
    if 0 < sum(named) <= people and not (len(named) == 1 and sum(named) == people):
        assert listed, sentence
        if sum(named) < people:
            assert listed.endswith(f"其他{people - sum(named)}人次")
    else:
        assert not listed  # more than the total (a total corrected down) or nothing to split: not listed under it
    if handed:
        amount, _, parts_listed = handed.partition("，其中")
        if parts_listed:
            assert amount == f"{materials}份"
            assert sum(int(n) for n in re.findall(r"(\d+)份", parts_listed)) == materials


def test_several_activities_do_not_repeat_their_closing_words(app, factory):
    unit, lead = factory.unit("区人社局"), factory.unit("区政府办")
    campaign = factory.campaign(status=STATUS_ISSUED)
    for n in range(3):
        factory.activity(factory.group(campaign), units={lead: "lead", unit: "cooperating"}, title=f"举办第{n + 1}场宣传咨询活动")
    for n in range(2):
        factory.activity(factory.group(campaign, "线上"), units={lead: "lead", unit: "cooperating"}, mode="online",
                         venue_id=None, title=f"开展线上解读活动{n + 1}")
    text = _draft(campaign, unit, {"people": 12, "handling:当场解答": 9, "handling:转办": 3, "follow_ups": 5,
                                   "follow_ups_closed": 2})["activities"]
    assert text.count("设立政策咨询台") == 3 and text.count("面对面为群众和企业答疑解惑") == 1
    assert text.count("发布政策信息和解读") == 1
    # Answered on the spot and referred at its desks are parts of the people received; the referrals it answers
    # as the competent unit are a count of their own.
    assert "现场解答问题9人次，现场解答率75%；对不能当场答复的3人次登记转办、限时回访。" in text
    assert "承办转办事项5件，目前已办结2件。" in text


def test_parts_name_what_they_leave_out():
    assert with_parts(33, [("政策咨询", 11), ("办事咨询", 7), ("投诉", 1), ("意见建议", 2)], "人次") == (
        "33人次，其中政策咨询11人次、办事咨询7人次、投诉1人次、意见建议2人次、其他12人次")
    assert with_parts(21, [("政策咨询", 11), ("办事咨询", 10), ("投诉", 0)], "人次") == (
        "21人次，其中政策咨询11人次、办事咨询10人次")
    assert with_parts(20, [("政策咨询", 11), ("办事咨询", 10)], "人次") == "20人次"
    assert with_parts(11, [("政策咨询", 11)], "人次") == "11人次"
    assert parts_text(800, [("宣传册", 300)], "份", rest="其他资料") == "其中宣传册300份、其他资料500份"


@pytest.mark.parametrize(("typed", "names"), [
    ("局长王明，副局长李红。", "局长王明、副局长李红"),
    ("王明 李红、", "王明、李红"),
    ("  局党组书记、局长王明;副局长李红,, ", "局党组书记、局长王明、副局长李红"),
    ("局长王明", "局长王明"),
])
def test_typed_leaders_fit_the_sentence_whatever_their_punctuation(app, world, typed, names):
    campaign, office, _social, _medical = world
    assert name_list(typed) == names
    text = _draft(campaign, office, {}, leaders=typed)["leadership"]
    assert f"，{names}高度重视，亲自研究部署，" in text
    assert not re.search(r"[。，、；;,.]{2}|[，、；]高度", text), text


def test_a_typed_clause_is_a_sentence_of_its_own(app, world):
    campaign, office, _social, _medical = world
    typed = "常务副区长张伟带队到现场指导, 局长王明主持召开专题会议。。"
    assert name_list(typed) is None
    assert as_sentence(typed) == "常务副区长张伟带队到现场指导，局长王明主持召开专题会议。"
    text = _draft(campaign, office, {}, leaders=typed)["leadership"]
    assert "单位主要负责同志高度重视" in text
    assert "确保各项工作落到实处。常务副区长张伟带队到现场指导，局长王明主持召开专题会议。" in text
    assert "。。" not in text and "会议高度重视" not in text
    assert as_sentence(" ，。 ") == "" and name_list("、、") is None


def test_two_units_with_different_facts_get_different_effects(app, world):
    campaign, office, social, medical = world
    first = {"people": 40, "topic:社会保险": 25, "topic:医疗保障": 10, "handling:当场解答": 36, "asker:企业": 2,
             "satisfaction_rate": 95, "satisfaction_rated": 30, "follow_ups_closed": 3}
    second = {"people": 12, "topic:教育入学": 9, "handling:当场解答": 12, "interpretations_published": 4,
              "hotline_answered": 15}
    drafts = {unit.id: _draft(campaign, unit, figures)
              for unit, figures in ((office, first), (social, second), (medical, {}))}
    results = [draft["results"] for draft in drafts.values()]
    assert len(set(results)) == 3
    a, b = drafts[office.id]["results"], drafts[social.id]["results"]
    assert "社会保险、医疗保障" in a and "面对面答疑40人次，其中当场解答36人次" in a and "接待企业咨询2人次" in a
    assert "满意与基本满意占已评价人次的比例" in a and "已办结转办事项3件" in a
    assert "牵头组织作用" in a and "组织2个单位共同参与" in a
    assert "教育入学" in b and "发布政策解读4篇" in b and "答复热线平台群众关心的问题15个" in b
    assert "接待企业咨询" not in b and "牵头" not in b
    # No sentence of 20 characters or more of one unit's effects appears in the other's.
    sentences = [{part for part in re.split(r"[。；]", text) if len(part) >= 20} for text in (a, b)]
    assert not (sentences[0] & sentences[1])
