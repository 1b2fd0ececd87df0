"""The organizer's report pages without JavaScript: the narrative form with its revision check, redrafting with
confirmation, choosing photos, and the overview."""

import re
from datetime import datetime

import sqlalchemy as sa

from campaign.report.models import ReportDraft, ReportJob
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ, utcnow
from campaign.web.extensions import db
from tests.statements import page_statements


def _campaign(factory):
    unit = factory.unit("区营商局")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={unit: "lead"}, title="开展“营商环境咨询”活动")
    booth = factory.booth(activity, unit)
    for _ in range(4):
        factory.consultation(booth)
    return campaign, activity, unit


def _fields(page: str) -> dict:
    """The narrative form as a browser would send it back: every textarea with its text, the hidden fields."""
    fields = {name: value for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    for name, text in re.findall(r'<textarea[^>]*name="(s_\d+)"[^>]*>\s?(.*?)</textarea>', page, re.S):
        fields[name] = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return fields


def test_the_narrative_form_is_drafted_from_the_figures_and_saves(organizer_client, factory):
    campaign, activity, _unit = _campaign(factory)
    url = f"/campaigns/{campaign.id}/report/narrative"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "现场接待群众咨询4人次" in page
    # The activity's own paragraph has its field, under the heading it has in the document.
    assert "（一）开展“营商环境咨询”活动" in page and "（活动）" not in page
    fields = _fields(page)
    assert fields["revision"] == "0"
    overview = next(name for name, text in fields.items() if "现场接待群众咨询4人次" in text)
    fields[overview] = "我区高度重视，精心组织。\n全区接待群众咨询4人次。"
    response = organizer_client.submit(url, fields)
    assert response.status_code == 302
    draft = db.session.get(ReportDraft, campaign.id)
    assert draft.narrative["overview"] == "我区高度重视，精心组织。\n全区接待群众咨询4人次。"
    assert draft.revision == 1

    # The same form sent again (a double click) changes nothing and writes no new revision.
    organizer_client.submit(url, {**fields, "revision": "1"})
    db.session.refresh(draft)
    assert draft.revision == 1


def test_a_stale_form_does_not_overwrite_newer_text(organizer_client, factory):
    campaign, _activity, _unit = _campaign(factory)
    url = f"/campaigns/{campaign.id}/report/narrative"
    first_tab = _fields(organizer_client.get(url).get_data(as_text=True))
    second_tab = dict(first_tab)
    name = next(iter(k for k in first_tab if k.startswith("s_")))
    first_tab[name] = "第一个窗口的文字。"
    second_tab[name] = "第二个窗口的文字。"
    assert organizer_client.submit(url, first_tab).status_code == 302
    response = organizer_client.submit(url, second_tab)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "已经保存了新的内容" in page
    assert "第二个窗口的文字。" in page  # the user's text is still in the form, to copy
    draft = db.session.get(ReportDraft, campaign.id)
    assert "第一个窗口的文字。" in draft.narrative.values()


def test_redrafting_asks_first_and_replaces_the_text(organizer_client, factory):
    campaign, _activity, _unit = _campaign(factory)
    db.session.add(ReportDraft(campaign_id=campaign.id, narrative={"overview": "手写的文字。"}, revision=3))
    db.session.commit()
    url = f"/campaigns/{campaign.id}/report/redraft"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "您已修改过的文字将被替换" in page
    assert db.session.get(ReportDraft, campaign.id).narrative["overview"] == "手写的文字。"
    assert organizer_client.submit(url).status_code == 302
    draft = db.session.get(ReportDraft, campaign.id)
    db.session.refresh(draft)
    assert "现场接待群众咨询4人次" in draft.narrative["overview"]
    assert draft.revision == 4
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == \
        "report_narrative_redrafted"
    # Confirming twice (a double click) drafts the same text and writes no new revision.
    organizer_client.submit(url)
    db.session.refresh(draft)
    assert draft.revision == 4


def test_a_redraft_without_the_token_changes_nothing(client, organizer, factory):
    from tests.conftest import log_in

    log_in(client, organizer)
    campaign, _activity, _unit = _campaign(factory)
    db.session.add(ReportDraft(campaign_id=campaign.id, narrative={"overview": "手写的文字。"}, revision=1))
    db.session.commit()
    response = client.post(f"/campaigns/{campaign.id}/report/redraft", data={})
    assert response.status_code == 400
    assert db.session.get(ReportDraft, campaign.id).narrative == {"overview": "手写的文字。"}


def test_choosing_photos_and_back_to_the_default(organizer_client, factory):
    campaign, _activity, unit = _campaign(factory)
    summary = factory.summary(campaign, unit, status="submitted", submitted_at=utcnow(), first_submitted_at=utcnow())
    photos = [factory.photo(summary, caption=f"第{n}张") for n in range(3)]
    url = f"/campaigns/{campaign.id}/report/photos"
    page = organizer_client.get(url).get_data(as_text=True)
    assert page.count('type="checkbox" name="photo_id"') == 3
    assert page.count(" checked") == 2  # the default: the first two
    assert f"/photos/{photos[2].id}/thumb.jpg" in page

    response = organizer_client.submit(url, {"photo_id": [str(photos[2].id), str(photos[0].id)], "action": "choose"})
    assert response.status_code == 302
    assert db.session.get(ReportDraft, campaign.id).photo_ids == [photos[0].id, photos[2].id]

    other = factory.summary(factory.campaign(year=2024), unit, status="submitted")
    stranger = factory.photo(other)
    response = organizer_client.submit(url, {"photo_id": [str(stranger.id)], "action": "choose"})
    assert "不属于已报送的单位总结" in response.get_data(as_text=True)
    assert db.session.get(ReportDraft, campaign.id).photo_ids == [photos[0].id, photos[2].id]

    organizer_client.submit(url, {"action": "default"})
    draft = db.session.get(ReportDraft, campaign.id)
    db.session.refresh(draft)
    assert draft.photo_ids is None


def test_the_overview_lists_missing_units_and_compiles_without_js(organizer_client, factory, finished_job):
    campaign, _activity, unit = _campaign(factory)
    silent = factory.unit("临海镇")
    factory.activity(factory.group(campaign), units={silent: "cooperating"})
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert "未报送：" in page and "临海镇" in page and "区营商局" in page
    assert "还没有编制过" in page
    assert f'action="/campaigns/{campaign.id}/report/compile"' in page
    # Without JavaScript the button posts the form and comes back to the page, which shows the job.
    response = organizer_client.submit(f"/campaigns/{campaign.id}/report/compile")
    assert response.status_code == 302 and response.headers["Location"].endswith("/report#job")
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    assert "<progress" in page
    job = db.session.scalar(sa.select(ReportJob).where(ReportJob.campaign_id == campaign.id))
    assert finished_job(f"/campaigns/{campaign.id}/report/jobs/{job.id}")["status"] == "done"


def test_the_overview_takes_a_bounded_number_of_queries(organizer_client, factory):
    def queries(campaign) -> int:
        return page_statements(organizer_client, f"/campaigns/{campaign.id}/report")

    def build(n_units: int):
        units = [factory.unit() for _ in range(n_units)]
        campaign = factory.campaign(status="issued")
        activity = factory.activity(factory.group(campaign), units={unit: "cooperating" for unit in units})
        for unit in units:
            factory.consultation(factory.booth(activity, unit), handling="转办")
            summary = factory.summary(campaign, unit, status="accepted", submitted_at=utcnow(),
                                      first_submitted_at=utcnow())
            factory.photo(summary)
        factory.report_snapshot(campaign)
        return campaign

    assert queries(build(2)) == queries(build(9))


def test_the_pages_render_in_english_too(organizer_client, factory):
    campaign, _activity, unit = _campaign(factory)
    factory.score_rule(campaign, "photos", 10, threshold=2)
    snapshot = factory.report_snapshot(campaign)
    organizer_client.submit("/language", {"lang": "en", "next": "/"})
    base = f"/campaigns/{campaign.id}/report"
    for path in ("", "/narrative", "/redraft", "/photos", "/preview", "/scorecard", f"/snapshots/{snapshot.id}"):
        response = organizer_client.get(base + path)
        assert response.status_code == 200, path
        assert 'lang="en"' in response.get_data(as_text=True)


def test_an_export_without_a_job_is_shown_as_the_last_export(organizer_client, factory):
    """A snapshot from `flask report compile` (or the demo) has no job row: the card names its time instead of
    saying nothing was ever compiled."""
    campaign, _activity, _unit = _campaign(factory)
    factory.report_snapshot(campaign, created_at=datetime(2025, 5, 21, 9, 30, tzinfo=LOCAL_TZ))
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    job_card = page[page.index('id="job"'):page.index('id="snapshots"')]
    assert "还没有编制过" not in job_card
    assert "最近一次导出：2025-05-21 09:30" in job_card and 'href="#snapshots"' in job_card


def test_the_overview_says_what_each_follow_up_and_consultation_figure_counts(organizer_client, factory):
    campaign, activity, unit = _campaign(factory)
    booth = factory.booth(activity, factory.unit("区税务局"), public=True)
    factory.consultation(booth, source="public")
    factory.summary(campaign, unit, status="accepted", submitted_at=utcnow(), first_submitted_at=utcnow())
    page = organizer_client.get(f"/campaigns/{campaign.id}/report").get_data(as_text=True)
    # 5 in all, of which 1 left by a citizen: the live board shows the 4 staff entries.
    assert re.search(r"<b>5</b>接待群众（人次）\s*<small[^>]*>其中：群众扫码留言 1</small>", page)
    # Closed and overdue follow-ups in columns of their own, never as an "a/b" pair.
    assert "<th class=\"num\">转办已办结</th><th class=\"num\">转办逾期</th>" in page
    assert "转办办结/逾期" not in page
    # The states in the summaries overview's colours.
    assert 'class="badge state-accepted"' in page and "css/review.css" in page
