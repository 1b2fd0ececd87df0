"""A unit's figures prefilled from its booths' records; corrections keep both values; drafting uses them."""

import re
from datetime import date

import sqlalchemy as sa

from campaign.booths.models import HANDLINGS, KINDS, BoothSettings
from campaign.plan.models import STATUS_ISSUED
from campaign.shared.timeutil import utcnow
from campaign.summaries import drafting, figures, workflow
from campaign.summaries.models import FigureCorrection
from campaign.web.extensions import db
from tests.statements import statements_sent


def _two_units(factory):
    """One campaign where two units each have a booth, with records of every sort, some withdrawn."""
    campaign = factory.campaign(status=STATUS_ISSUED)
    group = factory.group(campaign)
    unit_a, unit_b = factory.unit("江滨区人社局"), factory.unit("江滨区医保局")
    activity = factory.activity(group, units={unit_a: "lead", unit_b: "cooperating"})
    booth_a, booth_b = factory.booth(activity, unit_a), factory.booth(activity, unit_b)
    return campaign, unit_a, unit_b, booth_a, booth_b


def _record_unit_a(factory, booth):
    consultation = factory.consultation
    consultation(booth, kind="政策咨询", topic="社会保险", satisfaction="满意", asker_type="群众")
    consultation(booth, kind="政策咨询", topic="社会保险", satisfaction="基本满意", asker_type="企业")
    consultation(booth, kind="办事咨询", topic="医疗保障", satisfaction="不满意", handling="转办")
    consultation(booth, kind="投诉", topic="", handling="需回访")
    consultation(booth, kind="意见建议", topic="社会保险", source="public", satisfaction="满意")
    # Withdrawn: counted nowhere, and its follow-up neither.
    consultation(booth, kind="投诉", topic="住房保障", handling="转办", withdrawn_at=utcnow(), satisfaction="满意")
    factory.handout(booth, "宣传单", 120)
    factory.handout(booth, "宣传单", 80)
    factory.handout(booth, "政策汇编", 15)
    factory.handout(booth, "宣传册", 999, withdrawn_at=utcnow())


def test_prefilled_figures_equal_the_booth_records(factory):
    campaign, unit_a, unit_b, booth_a, booth_b = _two_units(factory)
    _record_unit_a(factory, booth_a)
    # Unit B's records must not leak into unit A's figures.
    factory.consultation(booth_b, kind="政策咨询", topic="医疗保障", satisfaction="满意")
    factory.handout(booth_b, "宣传册", 40)

    by_unit = figures.recorded_figures_by_unit(campaign.id)
    a = by_unit[unit_a.id]
    assert a["consultations"] == 5
    assert (a["consultations_staff"], a["consultations_public"]) == (4, 1)
    assert a["people"] == 5
    assert {k: a[f"kind:{k}"] for k in KINDS} == {"政策咨询": 2, "办事咨询": 1, "投诉": 1, "意见建议": 1, "情况反映": 0}
    assert a["topic:社会保险"] == 3 and a["topic:医疗保障"] == 1 and a["topic:未选主题"] == 1
    assert "topic:住房保障" not in a
    assert {h: a[f"handling:{h}"] for h in HANDLINGS} == {"当场解答": 3, "转办": 1, "需回访": 1}
    assert (a["asker:群众"], a["asker:企业"]) == (4, 1)
    assert (a["satisfaction_rated"], a["satisfied"], a["satisfaction_rate"]) == (4, 3, 75)
    assert a["material:宣传单"] == 200 and a["material:政策汇编"] == 15 and a["material:宣传册"] == 0
    assert a["materials"] == 215
    assert (a["follow_ups"], a["follow_ups_open"], a["follow_ups_closed"]) == (2, 2, 0)

    b = by_unit[unit_b.id]
    assert (b["consultations"], b["materials"], b["material:宣传册"], b["follow_ups"]) == (1, 40, 40, 0)
    assert b["satisfaction_rate"] == 100

    # One unit asked alone gives the same as in the whole campaign.
    assert figures.recorded_figures(campaign.id, unit_a.id) == a


def test_units_without_booth_get_zeros_and_rate_none(factory):
    campaign, unit_a, _unit_b, _booth_a, _booth_b = _two_units(factory)
    lonely = factory.unit("江滨区统计局")
    result = figures.recorded_figures_by_unit(campaign.id, [lonely.id, unit_a.id])
    assert set(result) == {lonely.id, unit_a.id}
    assert result[lonely.id]["consultations"] == 0 and result[lonely.id]["materials"] == 0
    assert result[lonely.id]["satisfaction_rate"] is None
    # The whole campaign: the units of its plan, whether they recorded anything or not.
    assert set(figures.recorded_figures_by_unit(campaign.id)) == {unit_a.id, _unit_b.id}


def test_follow_ups_closed_open_overdue_count_for_the_responsible_unit(factory, organizer):
    campaign, unit_a, unit_b, booth_a, _booth_b = _two_units(factory)
    closed = factory.consultation(booth_a, handling="转办")
    factory.consultation(booth_a, handling="需回访")
    moved = factory.consultation(booth_a, handling="转办")
    from campaign.booths.models import FollowUp
    rows = {f.consultation_id: f for f in db.session.scalars(sa.select(FollowUp))}
    rows[closed.id].status, rows[closed.id].closed_at, rows[closed.id].reply = "closed", utcnow(), "已答复"
    rows[closed.id].replied_at = utcnow()
    rows[closed.id].call_back_reached, rows[closed.id].call_back_satisfaction = True, "基本满意"
    rows[moved.id].unit_id = unit_b.id  # reassigned: unit B answers it now
    db.session.commit()
    due = min(row.due_date for row in rows.values())  # the call-back's: 3 working days, the referral's 5

    a = figures.recorded_figures(campaign.id, unit_a.id, today=due)
    assert (a["follow_ups"], a["follow_ups_closed"], a["follow_ups_open"], a["follow_ups_overdue"]) == (2, 1, 1, 0)
    assert (a["follow_ups_replied_in_time"], a["follow_ups_replied_late"], a["follow_ups_called_back"]) == (1, 0, 1)
    assert (a["call_backs_satisfied"], a["call_backs_fairly_satisfied"], a["call_backs_unsatisfied"]) == (0, 1, 0)
    later = date.fromordinal(due.toordinal() + 1)
    assert figures.recorded_figures(campaign.id, unit_a.id, today=later)["follow_ups_overdue"] == 1
    assert figures.recorded_figures(campaign.id, unit_b.id, today=due)["follow_ups"] == 1
    # Handling is what the booth did, whoever answers now.
    assert a["handling:转办"] == 2


def test_a_correction_keeps_both_values(factory, unit_contact):
    campaign, _unit_a, _unit_b, _booth_a, _booth_b = _two_units(factory)
    group = factory.group(campaign, "线上主题宣传活动")
    activity = factory.activity(group, units={unit_contact.unit: "responsible"})
    booth = factory.booth(activity, unit_contact.unit)
    _record_unit_a(factory, booth)
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)

    workflow.set_correction(summary, unit_contact, "material:宣传单", 260, "另有60份在分会场发放，未登记")
    workflow.set_correction(summary, unit_contact, "consultations_staff", 10, "高峰时段未及时登记")

    row = db.session.scalar(sa.select(FigureCorrection).where(FigureCorrection.key == "material:宣传单"))
    assert (row.recorded, row.corrected, row.reason) == (200, 260, "另有60份在分会场发放，未登记")

    recorded = figures.recorded_figures(campaign.id, unit_contact.unit_id)
    table = {r.key: r for r in figures.figure_rows(summary, recorded)}
    assert (table["material:宣传单"].recorded, table["material:宣传单"].corrected) == (200, 260)
    assert table["material:宣传单"].label == "宣传单（份）"
    assert table["materials"].corrected is None and not table["satisfaction_rate"].correctable

    effective = figures.effective_figures(summary, recorded)
    assert effective["material:宣传单"] == 260 and recorded["material:宣传单"] == 200
    # Totals not corrected themselves follow their parts.
    assert effective["materials"] == 275
    assert effective["consultations"] == 11 and effective["people"] == 11
    # The table shows where the parts moved a total, beside its recorded value; a corrected figure is not "moved".
    assert (table["materials"].recorded, table["materials"].moved_to) == (215, 275)
    assert table["people"].moved_to == 11 and table["material:宣传单"].moved_to is None
    assert table["material:政策汇编"].moved_to is None

    workflow.clear_correction(summary, unit_contact, "material:宣传单")
    assert [c.key for c in summary.corrections] == ["consultations_staff"]
    assert figures.effective_figures(summary, recorded)["materials"] == 215


def test_correction_recorded_value_refreshed_on_submit(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    activity = factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    booth = factory.booth(activity, unit_contact.unit)
    factory.handout(booth, "宣传单", 100)
    summary = workflow.get_or_create_summary(campaign, unit_contact.unit, unit_contact)
    workflow.save_draft(summary, unit_contact, {
        "narrative": {"activities": "开展了宣传。"},
        "corrections": {"material:宣传单": {"corrected": "150", "reason": "补登记"}},
    })
    factory.handout(booth, "宣传单", 30)  # a late entry from a phone that was offline
    workflow.submit(summary, unit_contact)
    assert summary.corrections[0].recorded == 130 and summary.corrections[0].corrected == 150


def test_settings_materials_are_listed_even_when_none_handed_out(factory):
    campaign, unit_a, _unit_b, _booth_a, _booth_b = _two_units(factory)
    db.session.add(BoothSettings(campaign_id=campaign.id, topics=["社会保险"], materials=["折页", "手册"]))
    db.session.commit()
    a = figures.recorded_figures(campaign.id, unit_a.id)
    assert a["material:折页"] == 0 and a["material:手册"] == 0 and "material:宣传单" not in a


def test_bounded_queries_whatever_the_number_of_units(factory, app):
    campaign = factory.campaign(status=STATUS_ISSUED)
    group = factory.group(campaign)
    units = [factory.unit() for _ in range(8)]
    activity = factory.activity(group, units={unit: "cooperating" for unit in units})
    for unit in units:
        booth = factory.booth(activity, unit)
        factory.consultation(booth, handling="转办")
        factory.handout(booth)

    campaign_id, unit_ids = campaign.id, [unit.id for unit in units]

    with statements_sent() as statements:
        result = figures.recorded_figures_by_unit(campaign_id)
    assert sorted(result) == sorted(unit_ids)
    assert all(result[unit_id]["follow_ups"] == 1 for unit_id in unit_ids)
    # Settings, the units of the plan, then the tallies: consultations (every dimension in one statement),
    # handouts, follow-ups. None of them reads the entries themselves.
    assert len(statements) == 5, statements
    assert not any(re.search(r"FROM (consultations|material_handouts|follow_ups)\b", statement)
                   for statement in statements), statements


def test_drafting_produces_text_with_the_figures(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)
    venue = factory.venue(campaign, "市民广场", is_main=True)
    activity = factory.activity(
        factory.group(campaign), units={unit_contact.unit: "lead"}, title="开展“群众难题我来答”活动",
        venue_id=venue.id,
    )
    booth = factory.booth(activity, unit_contact.unit)
    for i in range(12):
        factory.consultation(booth, kind="政策咨询", topic="教育入学", satisfaction="满意",
                             handling="转办" if i == 0 else "当场解答")
    factory.handout(booth, "宣传单", 2345)
    recorded = figures.recorded_figures(campaign.id, unit_contact.unit_id)
    tasks = drafting.campaign_tasks(campaign, unit_contact.unit_id)
    assert [t.activity.id for t in tasks] == [activity.id]

    sections = drafting.draft_sections(
        campaign, unit_contact.unit, {**recorded, "display_boards": 6, "banners": 2}, tasks,
        leaders_present="局党组书记、局长王明",
    )
    assert list(sections) == ["leadership", "activities", "results", "problems", "next_steps"]
    assert "王明" in sections["leadership"] and "第十九届" in sections["leadership"]
    text = sections["activities"]
    assert "共接待群众咨询12人次" in text
    assert "发放宣传资料2,300余份" in text
    assert "摆放展板6块" in text and "悬挂横幅2条" in text
    assert "市民广场（主会场）" in text and "5月15日上午9时至11时30分" in text
    assert "江滨区教育局牵头开展“群众难题我来答”活动" in text
    assert "现场解答问题11人次，现场解答率92%；对不能当场答复的1人次登记转办" in text and "教育入学" in text
    assert "满意率100%" in sections["results"]
    assert "一是" in sections["problems"] and "1件转办事项尚未办结" in sections["problems"]


def test_count_text():
    assert drafting.count_text(128) == "128"
    assert drafting.count_text(2300) == "2,300"
    assert drafting.count_text(2345) == "2,300余"
    assert figures.satisfaction_rate(2, 3) == 67 and figures.satisfaction_rate(0, 0) is None
