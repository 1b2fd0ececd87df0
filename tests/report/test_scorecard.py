"""The scorecard: points per rule (each kind, at the edges of its threshold), ranks, and the rules page."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from campaign.booths.models import FollowUp
from campaign.report.compile import compile_report
from campaign.report.models import ReportDraft, ScoreAdjustment, ScorecardSettings, ScoreRule
from campaign.report.scorecard import DEFAULT_RULES, UnitFacts, compute_scorecard, rule_met
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db

DEADLINE = datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)


def facts(**values) -> UnitFacts:
    base = dict(unit_id=1, name="区教育局", sort_order=1, state="submitted", first_submitted_at=DEADLINE, photos=0,
                consultations=0, follow_ups=0, follow_ups_in_time=0)
    base.update(values)
    return UnitFacts(**base)


@pytest.mark.parametrize(("first_submitted_at", "state", "met"), [
    (DEADLINE - timedelta(seconds=1), "submitted", True),
    (DEADLINE, "submitted", True),  # exactly at the deadline is on time
    (DEADLINE + timedelta(seconds=1), "late", False),
    (DEADLINE - timedelta(days=1), "accepted", True),
    (DEADLINE - timedelta(days=1), "returned", False),  # on time once, but not in the office's hands now
    (None, "not_started", False),
])
def test_on_time(first_submitted_at, state, met):
    assert rule_met("on_time", 0, facts(first_submitted_at=first_submitted_at, state=state), DEADLINE) is met


def test_on_time_without_a_deadline_takes_any_submission():
    assert rule_met("on_time", 0, facts(first_submitted_at=DEADLINE + timedelta(days=30)), None)


@pytest.mark.parametrize(("state", "submitted", "accepted"), [
    ("not_started", False, False), ("draft", False, False), ("returned", False, False),
    ("submitted", True, False), ("late", True, False), ("accepted", True, True),
])
def test_submitted_and_accepted(state, submitted, accepted):
    assert rule_met("submitted", 0, facts(state=state), DEADLINE) is submitted
    assert rule_met("accepted", 0, facts(state=state), DEADLINE) is accepted


@pytest.mark.parametrize(("photos", "state", "met"), [
    (1, "submitted", False), (2, "submitted", True), (3, "accepted", True), (5, "draft", False),
])
def test_photos_at_least_the_threshold(photos, state, met):
    assert rule_met("photos", 2, facts(photos=photos, state=state), DEADLINE) is met


@pytest.mark.parametrize(("consultations", "met"), [(19, False), (20, True), (21, True)])
def test_consultations_at_least_the_threshold_whatever_the_summary(consultations, met):
    assert rule_met("consultations", 20, facts(consultations=consultations, state="not_started"), DEADLINE) is met


@pytest.mark.parametrize(("total", "in_time", "threshold", "met"), [
    (0, 0, 100, True),  # nothing to close
    (3, 3, 100, True),
    (3, 2, 100, False),
    (3, 2, 66, True),  # 66.67% ≥ 66
    (3, 2, 67, False),  # 66.67% < 67: no rounding up at the edge
    (4, 3, 75, True),
    (4, 3, 76, False),
])
def test_follow_ups_closed_in_time_share(total, in_time, threshold, met):
    unit = facts(follow_ups=total, follow_ups_in_time=in_time)
    assert rule_met("follow_ups_closed", threshold, unit, DEADLINE) is met
    unit = facts(follow_ups=total, follow_ups_replied_in_time=in_time)
    assert rule_met("follow_ups_replied", threshold, unit, DEADLINE) is met


def test_totals_and_competition_ranks():
    rules = [ScoreRule(id=1, kind="submitted", label="报送", points=50, threshold=0),
             ScoreRule(id=2, kind="photos", label="照片", points=30, threshold=2)]
    units = [
        facts(unit_id=1, name="甲", sort_order=3, photos=1),
        facts(unit_id=2, name="乙", sort_order=1, photos=2),
        facts(unit_id=3, name="丙", sort_order=2, photos=0),
        facts(unit_id=4, name="丁", sort_order=4, state="draft", photos=9),
    ]
    table = compute_scorecard(rules, units, DEADLINE)
    assert [(row["name"], row["points"], row["total"], row["rank"]) for row in table["rows"]] == [
        ("乙", [50, 30], 80, 1), ("丙", [50, 0], 50, 2), ("甲", [50, 0], 50, 2), ("丁", [0, 0], 0, 4),
    ]
    assert table["max_total"] == 80


def test_compiled_scorecard_from_the_records(app, factory):
    """Every rule kind against real rows: summaries, photos, consultations and follow-ups closed in time or late."""
    on_time, late, silent = factory.unit("准时单位"), factory.unit("逾期单位"), factory.unit("未报单位")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={on_time: "lead", late: "cooperating",
                                                                silent: "cooperating"})
    early = datetime(2025, 5, 17, 10, 0, tzinfo=LOCAL_TZ)
    after = datetime(2025, 5, 19, 10, 0, tzinfo=LOCAL_TZ)
    good = factory.summary(campaign, on_time, status="accepted", submitted_at=early, first_submitted_at=early)
    factory.summary(campaign, late, status="submitted", late=True, submitted_at=after, first_submitted_at=after)
    factory.photo(good)
    factory.photo(good)
    booth = factory.booth(activity, on_time)
    for handling in ("转办", "转办", "当场解答"):
        factory.consultation(booth, handling=handling, recorded_at=datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ))
    follow_ups = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.id)).all()
    # One replied and closed on its deadlines (in time, 23:00 in Beijing), one a day after each.
    for follow_up, late_by in zip(follow_ups, (0, 1), strict=True):
        replied_on, closed_on = (day + timedelta(days=late_by) for day in (follow_up.due_date, follow_up.close_due_date))
        follow_up.status = "closed"
        follow_up.replied_at = datetime(replied_on.year, replied_on.month, replied_on.day, 23, 0, tzinfo=LOCAL_TZ)
        follow_up.closed_at = datetime(closed_on.year, closed_on.month, closed_on.day, 23, 0, tzinfo=LOCAL_TZ)
    db.session.commit()
    for order, (kind, points, threshold) in enumerate((
        ("on_time", 30, 0), ("submitted", 10, 0), ("accepted", 20, 0), ("photos", 15, 2),
        ("consultations", 15, 3), ("follow_ups_closed", 10, 50), ("follow_ups_replied", 5, 60),
    )):
        factory.score_rule(campaign, kind, points, threshold=threshold, sort_order=order)
    table = compile_report(campaign)["scorecard"]
    rows = {row["name"]: row for row in table["rows"]}
    # Half replied in time: below 60 %; half closed in time: 50 % meets 50.
    assert rows["准时单位"]["points"] == [30, 10, 20, 15, 15, 10, 0]
    assert rows["逾期单位"]["points"] == [0, 10, 0, 0, 0, 10, 5]  # no referral: nothing to reply to
    assert rows["未报单位"]["points"] == [0, 0, 0, 0, 0, 10, 5]
    assert [row["rank"] for row in table["rows"]] == [1, 2, 3]


# The rules page


def test_default_rules_are_offered_once(organizer_client, factory):
    campaign = factory.campaign()
    url = f"/campaigns/{campaign.id}/report/scorecard"
    assert "采用默认规则" in organizer_client.get(url).get_data(as_text=True)
    organizer_client.submit(f"{url[:-len('scorecard')]}scorecard/defaults")
    organizer_client.submit(f"{url[:-len('scorecard')]}scorecard/defaults")
    rules = db.session.scalars(sa.select(ScoreRule).where(ScoreRule.campaign_id == campaign.id)).all()
    assert len(rules) == len(DEFAULT_RULES)
    assert sum(rule.points for rule in rules) == 100


def test_add_edit_and_delete_a_rule(organizer_client, factory):
    campaign = factory.campaign()
    base = f"/campaigns/{campaign.id}/report/scorecard"
    response = organizer_client.submit(base, {"new-kind": "photos", "new-label": "照片不少于3张", "new-points": "10",
                                              "new-threshold": "3"})
    assert response.status_code == 302
    rule = db.session.scalar(sa.select(ScoreRule).where(ScoreRule.campaign_id == campaign.id))
    assert (rule.kind, rule.label, rule.points, rule.threshold) == ("photos", "照片不少于3张", 10, 3)

    prefix = f"r{rule.id}-"
    data = {prefix + "kind": "photos", prefix + "label": "照片不少于4张", prefix + "points": "12", prefix + "threshold": "4"}
    assert organizer_client.submit(f"{base}/rules/{rule.id}", data).status_code == 302
    db.session.refresh(rule)
    assert (rule.label, rule.points, rule.threshold) == ("照片不少于4张", 12, 4)
    # The same form again changes nothing and logs nothing.
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    organizer_client.submit(f"{base}/rules/{rule.id}", data)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events

    assert organizer_client.submit(f"{base}/rules/{rule.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreRule)) == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"new-kind": "bogus", "new-label": "x", "new-points": "5"}, "请选择评分项目"),
    ({"new-kind": "photos", "new-label": "照片", "new-points": "1001"}, "分值应在0到1000之间"),
    ({"new-kind": "photos", "new-label": "照片", "new-points": "abc"}, "请填写整数"),
    ({"new-kind": "follow_ups_closed", "new-label": "办结", "new-points": "5", "new-threshold": "101"}, "标准须为0到100之间的整数"),
    ({"new-kind": "photos", "new-label": "", "new-points": "5"}, "请填写评分规则的名称"),
])
def test_bad_rules_are_refused_with_a_message(organizer_client, factory, data, message):
    campaign = factory.campaign()
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/scorecard", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreRule)) == 0


def test_a_rule_of_another_campaign_is_not_found(organizer_client, factory):
    mine, other = factory.campaign(), factory.campaign(year=2024)
    rule = factory.score_rule(other, "submitted", 10)
    response = organizer_client.submit(f"/campaigns/{mine.id}/report/scorecard/rules/{rule.id}/delete")
    assert response.status_code == 404
    assert db.session.get(ScoreRule, rule.id) is not None


def test_include_the_scorecard_in_the_pdf(organizer_client, factory):
    campaign = factory.campaign()
    organizer_client.submit(f"/campaigns/{campaign.id}/report/scorecard/include", {"include": "1"})
    assert db.session.get(ReportDraft, campaign.id).include_scorecard is True
    organizer_client.submit(f"/campaigns/{campaign.id}/report/scorecard/include", {"include": "0"})
    assert db.session.get(ReportDraft, campaign.id).include_scorecard is False


def test_the_page_shows_the_computed_table(organizer_client, factory):
    unit = factory.unit("区卫健局")
    campaign = factory.campaign(status="issued")
    factory.activity(factory.group(campaign), units={unit: "lead"})
    factory.summary(campaign, unit, status="accepted", submitted_at=DEADLINE, first_submitted_at=DEADLINE)
    factory.score_rule(campaign, "accepted", 20, label="总结经审核采纳")
    page = organizer_client.get(f"/campaigns/{campaign.id}/report/scorecard").get_data(as_text=True)
    assert "总结经审核采纳" in page
    # The unit's name heads its row (on one line, held at the left when the table scrolls): see report.css.
    assert '<th class="unit" scope="row">区卫健局</th>' in page
    assert "<strong>20</strong>" in page


# Explaining and adjusting (issue 18 point 5)


@pytest.mark.parametrize(("handed_in", "days", "points"), [
    (DEADLINE + timedelta(hours=2), 1, 27),  # Sunday 18 May 2025, the evening of the deadline: one day
    (datetime(2025, 5, 19, 9, 0, tzinfo=LOCAL_TZ), 1, 27),  # Monday
    (datetime(2025, 5, 21, 9, 0, tzinfo=LOCAL_TZ), 3, 21),  # Wednesday
    (datetime(2025, 5, 26, 9, 0, tzinfo=LOCAL_TZ), 6, 12),  # the next Monday: the weekend between not counted
    # 端午 (2 June, a Monday) not counted either; floor 0.
    (datetime(2025, 6, 30, 9, 0, tzinfo=LOCAL_TZ), 30, 0),
])
def test_partial_credit_by_working_days_late(app, handed_in, days, points):
    from campaign.report.scorecard import Scoring

    rule = ScoreRule(id=1, kind="on_time", label="按时", points=30, threshold=0)
    unit = facts(state="late", first_submitted_at=handed_in)
    table = compute_scorecard([rule], [unit], DEADLINE, Scoring(late_points_per_day=3))
    score = table["rows"][0]["explain"][0]
    assert (score["late_days"], score["points"], score["deducted"]) == (days, points, 30 - points)
    # Without partial credit a late summary earns nothing, and the days late are still shown.
    plain = compute_scorecard([rule], [unit], DEADLINE)["rows"][0]["explain"][0]
    assert (plain["late_days"], plain["points"]) == (days, 0)


def test_a_returned_late_summary_earns_no_partial_credit():
    from campaign.report.scorecard import Scoring

    rule = ScoreRule(id=1, kind="on_time", label="按时", points=30, threshold=0)
    unit = facts(state="returned", first_submitted_at=DEADLINE + timedelta(days=1))
    assert compute_scorecard([rule], [unit], DEADLINE, Scoring(late_points_per_day=3))["rows"][0]["total"] == 0


def test_adjustments_move_the_total_and_units_with_too_few_records_are_not_ranked():
    from campaign.report.scorecard import Adjustment, Scoring

    rules = [ScoreRule(id=1, kind="consultations", label="咨询", points=50, threshold=10)]
    units = [
        facts(unit_id=1, name="甲", sort_order=1, consultations=12, booths=1),
        facts(unit_id=2, name="乙", sort_order=2, consultations=30, booths=1),
        facts(unit_id=3, name="丙", sort_order=3, consultations=2, booths=1),  # a quiet desk
        facts(unit_id=4, name="丁", sort_order=4, consultations=0, booths=0),  # online only
    ]
    adjustments = {1: Adjustment(5, "承担主会场布置")}
    table = compute_scorecard(rules, units, DEADLINE, Scoring(min_consultations=5), adjustments)
    assert [(row["name"], row["computed"], row["adjustment"], row["total"], row["rank"], row["flags"])
            for row in table["rows"]] == [
        ("甲", 50, 5, 55, 1, []), ("乙", 50, 0, 50, 2, []), ("丁", 0, 0, 0, 3, []), ("丙", 0, 0, 0, None, ["consultations"]),
    ]
    assert table["rows"][0]["adjustment_reason"] == "承担主会场布置"
    table = compute_scorecard(rules, units, DEADLINE, Scoring(require_booth=True))
    assert [(row["name"], row["rank"], row["flags"]) for row in table["rows"]] == [
        ("甲", 1, []), ("乙", 1, []), ("丙", 3, []), ("丁", None, ["booth"])]


def _scored_campaign(factory):
    on_time, late, quiet = factory.unit("准时单位"), factory.unit("逾期单位"), factory.unit("冷清单位")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={on_time: "lead", late: "cooperating",
                                                                quiet: "cooperating"})
    early, after = DEADLINE - timedelta(days=1), datetime(2025, 5, 20, 10, 0, tzinfo=LOCAL_TZ)  # Tuesday: 2 days
    factory.summary(campaign, on_time, status="submitted", submitted_at=early, first_submitted_at=early)
    factory.summary(campaign, late, status="submitted", late=True, submitted_at=after, first_submitted_at=after)
    for unit, count in ((on_time, 3), (late, 3), (quiet, 1)):
        booth = factory.booth(activity, unit)
        for _ in range(count):
            factory.consultation(booth)
    factory.score_rule(campaign, "on_time", 30, label="按时报送")
    factory.score_rule(campaign, "consultations", 10, threshold=3, label="咨询不少于3人次")
    return campaign, on_time, late, quiet


def _row(page: str, unit) -> str:
    import re

    return re.search(rf'<tr id="unit-{unit.id}"[^>]*>(.*?)</tr>', page, re.S).group(1)


def test_the_page_explains_partial_credit_and_flags(organizer_client, factory):
    campaign, on_time, late, quiet = _scored_campaign(factory)
    url = f"/campaigns/{campaign.id}/report/scorecard"
    organizer_client.submit(f"{url}/settings", {"scoring-late_points_per_day": "4", "scoring-min_consultations": "2"})
    page = organizer_client.get(url).get_data(as_text=True)
    row = _row(page, late)
    assert "逾期2个工作日：30 − 2 × 4 = 22" in row and "登记3人次，标准3人次" in row
    assert '<td class="num computed">32</td>' in row
    row = _row(page, quiet)
    assert "咨询登记人次不足" in row and "记录过少，不参与排名" in row and '<td class="num rank">—</td>' in row
    settings = db.session.get(ScorecardSettings, campaign.id)
    assert (settings.late_points_per_day, settings.min_consultations, settings.require_booth) == (4, 2, False)
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "scorecard_settings_saved"))


def test_a_manual_adjustment_needs_a_reason_is_audit_logged_and_shown(organizer_client, factory):
    campaign, on_time, late, quiet = _scored_campaign(factory)
    url = f"/campaigns/{campaign.id}/report/scorecard"
    # No reason: refused with the message, nothing saved.
    response = organizer_client.post(f"{url}/adjustments", data={
        "adjust-unit_id": str(late.id), "adjust-points": "5", "adjust-reason": "  ",
        "csrf_token": organizer_client.csrf_token()})
    assert response.status_code == 422 and "请填写调整原因。" in response.get_data(as_text=True)
    # A unit that is not on this campaign's scorecard.
    stranger = factory.unit("外单位")
    response = organizer_client.post(f"{url}/adjustments", data={
        "adjust-unit_id": str(stranger.id), "adjust-points": "5", "adjust-reason": "误选",
        "csrf_token": organizer_client.csrf_token()})
    assert response.status_code == 422 and "不在评分表上" in response.get_data(as_text=True)
    assert not db.session.scalars(sa.select(ScoreAdjustment)).all()

    reason = "承担主会场秩序维护，经领导小组研究加分"
    for _ in range(2):  # sent twice: one adjustment, one audit event
        organizer_client.submit(f"{url}/adjustments", {"adjust-unit_id": str(late.id), "adjust-points": "5",
                                                       "adjust-reason": reason})
    adjustment = db.session.scalars(sa.select(ScoreAdjustment)).one()
    assert (adjustment.unit_id, adjustment.points, adjustment.reason) == (late.id, 5, reason)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "score_adjusted")).all()
    assert len(events) == 1 and events[0].detail["points"] == 5 and events[0].detail["before"] == 0
    assert events[0].detail["reason"] == reason and events[0].user_id is not None
    page = organizer_client.get(url).get_data(as_text=True)
    row = _row(page, late)
    # Beside the computed score: 0 for the late summary (no partial credit) + 10, adjusted by +5.
    assert '<td class="num computed">10</td>' in row and "+5" in row and reason in row
    assert "<strong>15</strong>" in row
    assert "逾期单位 得分调整 +0 → +5，原因：" + reason in page

    organizer_client.submit(f"{url}/adjustments", {"adjust-unit_id": str(late.id), "adjust-points": "0",
                                                   "adjust-reason": "复核后撤销"})
    assert not db.session.scalars(sa.select(ScoreAdjustment)).all()
    removed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "score_adjustment_removed")).one()
    assert removed.detail["before"] == 5 and removed.detail["reason"] == "复核后撤销"
