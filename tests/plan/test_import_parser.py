"""The plan import's parser on three plans in different shapes (tests/plan/plan_texts.py), and on what is no plan:
every field lands where it belongs, with the line it came from; what is unsure is marked."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.plan.importing.parser import parse_plan
from campaign.plan.importing.times import read_when
from campaign.web.refusal import Refusal
from tests.plan.plan_texts import TRADITIONAL, WEB_COPY, WORD_EXPORT


def _line(text: str, number: int | None) -> str:
    assert number is not None
    return text.split("\n")[number - 1]


def test_a_word_export_reads_into_every_field_with_its_line():
    plan = parse_plan(WORD_EXPORT)
    assert plan["doc_number"].value == "河政办发〔2023〕8号" and plan["doc_number"].line == 1
    # The notice's title broken over two lines is read as one; the plan's title is the one inside 《》.
    assert plan["title"].value == "河阳区第十七届“5·15政务公开日”活动方案"
    assert plan["addressees"].value == "各镇街，区政府各部门、区直各单位："
    assert plan["basis_title"].value == "河州市人民政府办公室关于开展第十七届“5·15政务公开日”活动的通知"
    assert plan["basis_number"].value == "河政办明电〔2023〕12号"
    assert plan["issuing_office"].value == "河阳区人民政府办公室"
    assert plan["issue_date"].value == "2023年5月8日"
    assert plan["opening_text"].value.startswith("今年5月15日是全市第十七届")
    assert plan["theme"].value == "坚持依法行政，深化政务公开，加强法治政府建设。"
    assert plan["period"].value == "2023年5月15日至5月19日。"
    assert plan["deadline"].value == "5月18日"
    assert plan["closing_requirements"].value.count("\n") == 2
    assert (plan.text_year, plan.text_edition) == (2023, 17)
    assert [group.title.value for group in plan.groups] == ["线上主题宣传活动", "线下实地宣传"]
    square = plan.groups[1].activities[0]
    assert square["title"].value == "开展“政务公开进广场”活动"
    assert square["time"].value == "5月15日上午9时至11时30分"
    assert (square["venue"].value, square["venue_kind"].value) == ("河阳区人民广场", "main")
    assert square["lead"].value == "区营商局"
    assert square["participating"].value.endswith("区医保局、区档案馆")
    assert "8时30分前布置到位" in square["requirements"].value
    assert square["mode"].value == "onsite" and plan.groups[0].activities[0]["mode"].value == "online"
    branch = plan.groups[1].activities[1]
    assert (branch["venue"].value, branch["venue_kind"].value, branch["responsible"].value) == (
        "各镇街自行选择", "branch", "各镇街")
    assert [slogan.value for slogan in plan.slogans][:2] == ["推进政务公开　优化营商环境", "公开是常态　不公开是例外"]
    # Each field's line is the line of the source it was read from.
    assert _line(WORD_EXPORT, square["time"].line) == "活动时间：5月15日上午9时至11时30分"
    assert _line(WORD_EXPORT, square["lead"].line) == "牵头单位：区营商局"
    assert _line(WORD_EXPORT, plan["issuing_office"].line) == "河阳区人民政府办公室"
    fields, uncertain = plan.counts()
    assert fields >= 45 and uncertain == 0 and not plan.unplaced


def test_a_web_copy_leaves_the_page_around_it_and_reads_ascii_punctuation():
    plan = parse_plan(WEB_COPY)
    assert plan["title"].value == "云溪区第十六届“5·15政务公开日”活动方案"
    assert plan["addressees"].value == "各镇街，区政府各部门、区直各单位："
    assert plan["basis_number"].value == "湘政办明电〔2022〕9号" and plan["doc_number"].value == ""
    assert plan["issue_date"].value == "2022年5月10日"
    assert plan["opening_text"].value == "今年5月15日是全省第十六届“政务公开日”，为做好我区活动，特制定活动方案如下："
    assert plan["time_style"].value == "colon"
    desk = plan.groups[1].activities[0]
    assert desk["venue"].value == "云溪区文化广场" and desk["venue_kind"].value == "main"
    assert read_when(desk["time"].value).end_time.hour == 11
    assert plan.groups[1].activities[1]["responsible"].value == "区政府办"
    assert [slogan.value for slogan in plan.slogans] == ["推进政务公开  优化营商环境", "公开是常态  不公开是例外"]
    everything = "".join(found.value for found in plan.all_found())
    for debris in ("浏览", "ICP", "版权所有", "当前位置", "打印本页", "网站标识码"):
        assert debris not in everything
    assert not plan.unplaced


def test_traditional_characters_and_run_in_headings():
    plan = parse_plan(TRADITIONAL)
    assert plan.traditional
    assert plan["title"].value == "鹿鸣县第十八届“5·15政务公开日”活动方案"
    assert plan["theme"].value == "坚持依法行政，深化政务公开，助力优化营商环境。"
    assert plan["form_text"].value == "线上线下相结合，集中宣传惠民利企政策。"
    assert plan["deadline"].value == "5月16日下午5时"
    assert [group.title.value for group in plan.groups] == ["开展线上主题宣传活动", "开展线下实地宣传活动"]
    online = plan.groups[0].activities[0]
    # Several labelled parts run into one line.
    assert online["title"].value == "开展“政策问答”活动"
    assert online["description"].value == "在县政府门户网站开设专栏，解答群众关切。"
    assert online["cooperating"].value == "县发改局、教育局、科技局"
    fair = plan.groups[1].activities[0]
    assert fair["participating"].value == "县发改局、县教育局、县卫健局、县残联等"
    assert fair["requirements"].value == "各单位派2名工作人员参加。"


def test_uncertain_readings_are_marked():
    text = WORD_EXPORT.replace("活动时间：5月15日上午9时\n", "活动时间：另行通知\n").replace("〔2023〕8号", "[2023]8号")
    plan = parse_plan(text)
    assert plan["doc_number"].value == "河政办发〔2023〕8号" and plan["doc_number"].uncertain
    assert plan.groups[1].activities[1]["time"].uncertain


def test_a_news_article_is_not_a_plan_and_an_overlong_text_is_refused():
    news = "我区开展“5·15政务公开日”活动\n5月15日上午，我区在人民广场开展活动，20家单位设立咨询台。\n浏览:120次"
    assert not parse_plan(news).looks_like_a_plan
    assert not parse_plan("").looks_like_a_plan
    with pytest.raises(Refusal):
        parse_plan("一" * 200_001)


@pytest.mark.parametrize("hostile", ["（" * 50_000, "1." * 60_000, "活动时间：" * 30_000, "5月" * 80_000,
                                     ("关于印发" + "《" * 1000 + "\n") * 100])
def test_hostile_text_is_parsed_in_bounded_time(hostile):
    started = time.perf_counter()
    parse_plan(hostile)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("text, first, last, start, end", [
    ("5月15日", (5, 15), None, None, None),
    ("5月15日至5月20日", (5, 15), (5, 20), None, None),
    ("5月15日上午9时至11时30分", (5, 15), (5, 15), (9, 0), (11, 30)),
    ("5月15日（星期一）9:00-11:30", (5, 15), (5, 15), (9, 0), (11, 30)),
    ("5月16日中午12时", (5, 16), None, (12, 0), None),
    ("5月15日下午2点半至4点", (5, 15), (5, 15), (14, 30), (16, 0)),
    ("2022年5月15日至20日", (5, 15), (5, 20), None, None),
])
def test_times_as_plans_write_them(text, first, last, start, end):
    when = read_when(text)
    assert when.start == first and when.end == last
    clock = [(moment.hour, moment.minute) if moment else None for moment in (when.start_time, when.end_time)]
    assert clock == [start, end]


PIECES = ["关于印发《", "》的通知", "各镇街：", "活动方案", "一、", "（一）", "1.", "1、", "活动时间：", "活动地点：",
          "牵头单位：", "参加单位:", "5月15日", "上午9时", "至", "11时30分", "9:00-11:30", "附件", "附件：", "标语",
          "2022年5月10日", "（此件公开发布）", "浏览:9699次", "区发改局、", "等", "\n", "\n", " ", "　", "。", "〔2022〕3号"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60))
def test_any_text_is_read_or_refused_never_crashes(pieces):
    try:
        plan = parse_plan("".join(pieces))
    except Refusal:
        return
    for found in plan.all_found():
        assert found.line is None or 1 <= found.line <= len(plan.lines)
