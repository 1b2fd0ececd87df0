"""The unit contact's summary page and its autosave endpoint, through the test client and the real database."""

import json
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from campaign.plan.models import STATUS_DRAFT, STATUS_ISSUED
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries import workflow
from campaign.summaries.models import FigureCorrection, UnitSummary
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.statements import page_statements

FORM = {
    "base_revision": "0",
    "section_leadership": "局党组高度重视，专题研究部署。",
    "section_activities": "5月15日上午在市民广场设立咨询台。",
    "unit_display_boards": "6",
    "unit_banners": "2",
    "leaders_present": "局长王明",
}


@pytest.fixture
def world(factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED, summary_deadline=datetime(2099, 5, 18, 17, 30, tzinfo=LOCAL_TZ))
    activity = factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    booth = factory.booth(activity, unit_contact.unit)
    for _ in range(3):
        factory.consultation(booth, kind="政策咨询", topic="教育入学", satisfaction="满意")
    factory.handout(booth, "宣传单", 150)
    return campaign, booth


def _summary(campaign, unit_id) -> UnitSummary | None:
    db.session.expire_all()
    return workflow.find_summary(campaign.id, unit_id)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _autosave(client, campaign, payload, token=None):
    token = token or _csrf(client.get(f"/summaries/{campaign.id}").get_data(as_text=True))
    return client.post(
        f"/summaries/{campaign.id}/autosave", data=json.dumps(payload),
        headers={"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
    )


def test_page_shows_recorded_figures_without_creating_a_summary(unit_client, world, unit_contact):
    campaign, _booth = world
    page = unit_client.get(f"/summaries/{campaign.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "未开始" in html and "2099-05-18 17:30" in html
    assert re.search(r"咨询登记（人次）</th>\s*<td class=\"num recorded\">3<", html)
    assert re.search(r"宣传单（份）</th>\s*<td class=\"num recorded\">150<", html)
    for label in ("领导重视", "开展情况", "主要成效", "存在问题", "下一步工作", "展板（块）", "起草", "保存草稿", "报送总结"):
        assert label in html
    assert _summary(campaign, unit_contact.unit_id) is None, "looking is not starting"


def test_tasks_page_links_to_the_summary(unit_client, world):
    campaign, _booth = world
    html = unit_client.get("/tasks/").get_data(as_text=True)
    assert f'href="/summaries/{campaign.id}"' in html


def test_plain_post_saves_and_redirects(unit_client, world, unit_contact):
    campaign, _booth = world
    response = unit_client.submit(f"/summaries/{campaign.id}", {
        **FORM, "correction:material:宣传单": "180", "reason:material:宣传单": "分会场30份未登记", "action": "save",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/summaries/{campaign.id}")
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.narrative["leadership"] == FORM["section_leadership"]
    assert summary.unit_figures == {"display_boards": 6, "banners": 2}
    assert summary.leaders_present == "局长王明"
    correction = summary.corrections[0]
    assert (correction.key, correction.recorded, correction.corrected) == ("material:宣传单", 150, 180)

    html = unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert "草稿已保存" in html and "草稿" in html and "5月15日上午在市民广场设立咨询台。" in html
    assert 'value="180"' in html and "分会场30份未登记" in html


def test_bad_input_keeps_the_text_and_changes_nothing(unit_client, world, unit_contact):
    campaign, _booth = world
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "save"})
    before = _summary(campaign, unit_contact.unit_id).revision
    response = unit_client.submit(f"/summaries/{campaign.id}", {
        **FORM, "base_revision": str(before), "section_results": "新写的成效，不能丢。", "unit_banners": "两条",
    })
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "横幅" in html and "整数" in html
    assert "新写的成效，不能丢。" in html, "what the contact typed stays on the page"
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.revision == before and "results" not in summary.narrative


def test_stale_form_is_a_conflict_with_the_text_kept(unit_client, world, unit_contact):
    campaign, _booth = world
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "save"})
    # Another tab saved since: this form still says revision 0.
    response = unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "section_results": "另一个标签页的文字"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "别的窗口或设备" in html and "另一个标签页的文字" in html
    assert "results" not in _summary(campaign, unit_contact.unit_id).narrative


def test_draft_button_fills_empty_sections_with_the_figures(unit_client, world, unit_contact):
    campaign, _booth = world
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "draft"})
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.narrative["leadership"] == FORM["section_leadership"], "a written section is kept"
    assert summary.narrative["activities"] == FORM["section_activities"], "a written section is kept"
    assert "满意率100%" in summary.narrative["results"]
    assert "一是" in summary.narrative["problems"] and summary.narrative["next_steps"]

    unit_client.submit(f"/summaries/{campaign.id}", {
        **{k: v for k, v in FORM.items() if k != "base_revision"}, "base_revision": str(summary.revision),
        "section_results": summary.narrative["results"], "section_problems": summary.narrative["problems"],
        "section_next_steps": summary.narrative["next_steps"], "action": "draft", "overwrite": "1",
    })
    summary = _summary(campaign, unit_contact.unit_id)
    assert "共接待群众咨询3人次" in summary.narrative["activities"]
    assert "摆放展板6块" in summary.narrative["activities"] and "局长王明" in summary.narrative["leadership"]


def test_submit_then_read_only(unit_client, world, unit_contact):
    campaign, _booth = world
    response = unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "submit"})
    assert response.status_code == 302
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.status == "submitted" and not summary.late
    html = unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert "已报送" in html and "<textarea" not in html and 'name="correction:' not in html
    assert FORM["section_activities"] in html

    # A second click changes nothing, and says why.
    revision = summary.revision
    again = unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "section_activities": "改了", "action": "submit"})
    assert again.status_code == 302
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.revision == revision and summary.narrative["activities"] == FORM["section_activities"]
    assert "不能再修改" in unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert _autosave(unit_client, campaign, {"base_revision": revision, "narrative": {"activities": "x"}}).status_code == 409


def test_submit_without_text_is_refused_with_a_message(unit_client, world, unit_contact):
    campaign, _booth = world
    response = unit_client.submit(f"/summaries/{campaign.id}", {"base_revision": "0", "action": "submit"})
    assert response.status_code == 400
    assert "总结正文" in response.get_data(as_text=True)
    assert _summary(campaign, unit_contact.unit_id).status == "draft"


def test_late_submission_is_marked(unit_client, factory, unit_contact):
    campaign = factory.campaign(status=STATUS_ISSUED)  # deadline 2025-05-18 17:30, long past
    factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    html = unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert "记为逾期" in html
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "submit"})
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.late and workflow.summary_state(summary) == "late"
    assert "逾期" in unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)


def test_returned_summary_shows_the_note_and_is_editable(unit_client, world, unit_contact, organizer):
    campaign, _booth = world
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "submit"})
    summary = _summary(campaign, unit_contact.unit_id)
    workflow.return_summary(summary, organizer, "请补充活动照片的说明。")
    db.session.commit()
    html = unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert "已退回" in html and "请补充活动照片的说明。" in html and "<textarea" in html


# Who may see and change what


def test_unit_b_sees_its_own_and_cannot_touch_unit_a(client, factory, world, unit_contact):
    campaign, _booth = world
    log_in(client, unit_contact)
    client.submit(f"/summaries/{campaign.id}", {**FORM, "section_results": "甲单位的秘密文字", "action": "save"})
    a_before = _summary(campaign, unit_contact.unit_id)
    a_revision = a_before.revision
    client.get("/auth/login")
    client.submit("/auth/logout")

    unit_b = factory.unit("江滨区人社局")
    factory.activity(campaign.groups[0] if campaign.groups else factory.group(campaign), units={unit_b: "cooperating"})
    contact_b = factory.user("unit", unit=unit_b)
    log_in(client, contact_b)
    html = client.get(f"/summaries/{campaign.id}").get_data(as_text=True)
    assert "甲单位的秘密文字" not in html and "未开始" in html
    assert f"summary-draft:{campaign.id}:{unit_b.id}" in html

    client.submit(f"/summaries/{campaign.id}", {**FORM, "section_results": "乙单位", "action": "submit"})
    response = _autosave(client, campaign, {"base_revision": a_revision, "narrative": {"results": "乙改甲"}})
    assert response.status_code in (200, 409)
    a_after = _summary(campaign, unit_contact.unit_id)
    assert a_after.revision == a_revision and a_after.narrative["results"] == "甲单位的秘密文字"
    assert a_after.status == "draft"
    b = _summary(campaign, unit_b.id)
    assert b.id != a_after.id and b.narrative["results"] == "乙单位"


def test_unit_not_in_the_plan_gets_a_clear_message(client, factory, world):
    campaign, _booth = world
    outsider = factory.user("unit", unit=factory.unit("江滨区档案馆"))
    log_in(client, outsider)
    response = client.get(f"/summaries/{campaign.id}")
    assert response.status_code == 200
    assert "没有安排贵单位参加活动" in response.get_data(as_text=True)
    assert client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "save"}).status_code == 200
    assert _autosave(client, campaign, {"base_revision": 0, "narrative": {"results": "x"}}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(UnitSummary.id))) == 0


def test_draft_campaign_is_not_found(unit_client, factory, unit_contact):
    campaign = factory.campaign(status=STATUS_DRAFT)
    factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
    page = unit_client.get(f"/summaries/{campaign.id}")
    assert page.status_code == 404 and campaign.title not in page.get_data(as_text=True)
    assert unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "save"}).status_code == 404
    assert _autosave(unit_client, campaign, {"base_revision": 0, "narrative": {"results": "x"}}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(UnitSummary.id))) == 0


def test_organizers_get_403(organizer_client, world):
    campaign, _booth = world
    assert organizer_client.get(f"/summaries/{campaign.id}").status_code == 403
    assert organizer_client.submit(f"/summaries/{campaign.id}", FORM).status_code == 403
    assert organizer_client.submit(f"/summaries/{campaign.id}/autosave", FORM).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(UnitSummary.id))) == 0


# Autosave


def test_autosave_is_idempotent(unit_client, world, unit_contact):
    campaign, _booth = world
    payload = {
        "base_revision": 0,
        "narrative": {"activities": "现场接待群众咨询。"},
        "unit_figures": {"banners": "3"},
        "leaders_present": "副局长李华",
        "corrections": {"consultations": {"corrected": "5", "reason": "高峰时段漏登2人"}},
    }
    token = _csrf(unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True))
    first = _autosave(unit_client, campaign, payload, token)
    assert first.status_code == 200 and first.json["ok"] and first.json["revision"] == 1
    second = _autosave(unit_client, campaign, payload, token)
    assert second.status_code == 200 and second.json == first.json, "the same payload twice, the same answer"

    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.revision == 1
    assert summary.narrative == {"activities": "现场接待群众咨询。"} and summary.unit_figures == {"banners": 3}
    assert db.session.scalar(sa.select(sa.func.count(FigureCorrection.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(UnitSummary.id))) == 1


def test_autosave_stale_revision_conflict(unit_client, world, unit_contact):
    campaign, _booth = world
    token = _csrf(unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True))
    _autosave(unit_client, campaign, {"base_revision": 0, "narrative": {"activities": "手机上写的"}}, token)
    response = _autosave(unit_client, campaign, {"base_revision": 0, "narrative": {"activities": "电脑上写的"}}, token)
    assert response.status_code == 409
    assert response.json["conflict"] and response.json["revision"] == 1 and "刷新" in response.json["message"]
    assert _summary(campaign, unit_contact.unit_id).narrative["activities"] == "手机上写的"


def test_autosave_refuses_bad_figures_with_422(unit_client, world, unit_contact):
    campaign, _booth = world
    response = _autosave(unit_client, campaign, {"base_revision": 0, "narrative": {"activities": "文字"},
                                                 "unit_figures": {"staff_count": "-2"}})
    assert response.status_code == 422 and response.json["field"] == "unit-staff_count"
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary is None or summary.revision == 0


def test_autosave_needs_the_csrf_token(unit_client, world, unit_contact):
    campaign, _booth = world
    response = unit_client.post(
        f"/summaries/{campaign.id}/autosave", data=json.dumps({"base_revision": 0, "narrative": {"results": "x"}}),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert response.status_code == 400
    assert _summary(campaign, unit_contact.unit_id) is None


def test_autosave_takes_a_beacon_form_body(unit_client, world, unit_contact):
    """navigator.sendBeacon cannot set headers: the page's form, token included, goes as form data."""
    campaign, _booth = world
    response = unit_client.submit(f"/summaries/{campaign.id}/autosave", {
        **FORM, "correction:consultations": "4", "reason:consultations": "漏登1人",
    })
    assert response.status_code == 200 and response.json["revision"] == 1
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.narrative["activities"] == FORM["section_activities"]
    assert summary.corrections[0].corrected == 4


def test_autosave_ignores_ill_typed_parts(unit_client, world, unit_contact):
    campaign, _booth = world
    response = _autosave(unit_client, campaign, {
        "base_revision": "not a number", "narrative": {"activities": ["a", "list"], "results": "正常文字"},
        "unit_figures": {"banners": {"nested": 1}}, "corrections": "nope", "leaders_present": 5,
    })
    assert response.status_code == 200
    summary = _summary(campaign, unit_contact.unit_id)
    assert summary.narrative == {"results": "正常文字"} and summary.unit_figures == {}
    bad = unit_client.post(
        f"/summaries/{campaign.id}/autosave", data="[1, 2]",
        headers={"Content-Type": "application/json", "X-CSRFToken": _csrf(
            unit_client.get(f"/summaries/{campaign.id}").get_data(as_text=True))},
    )
    assert bad.status_code == 400


def test_page_queries_are_bounded(unit_client, world, factory, unit_contact, app):
    campaign, booth = world
    unit_client.submit(f"/summaries/{campaign.id}", {**FORM, "action": "save"})

    def count_queries() -> int:
        return page_statements(unit_client, f"/summaries/{campaign.id}")

    few = count_queries()
    for topic in ("社会保险", "医疗保障", "住房保障", "企业开办"):
        for _ in range(5):
            factory.consultation(booth, topic=topic, handling="转办")
        factory.handout(booth, "宣传册", 10)
    summary = _summary(campaign, unit_contact.unit_id)
    workflow.set_correction(summary, unit_contact, "topic:社会保险", 9, "补登")
    workflow.set_correction(summary, unit_contact, "material:宣传册", 60, "补登")
    db.session.commit()
    assert count_queries() == few, "the number of queries does not grow with the data"
