"""The organizer's overview of unit summaries, the review page, return / accept, and the submission window."""

import re

import pytest
import sqlalchemy as sa

from campaign.shared.audit import AuditEvent
from campaign.summaries import window, workflow
from campaign.summaries.review import campaign_overview
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.conftest import log_in
from tests.statements import page_statements
from tests.summaries.helpers import NARRATIVE


def _row_states(page: str) -> dict[int, str]:
    return {int(unit): state for unit, state in re.findall(r'<tr id="unit-(\d+)" data-state="(\w+)"', page)}


def _counts(page: str) -> dict[str, int]:
    return {state: int(n) for state, n in re.findall(r'data-state="(\w+)"><b>(\d+)</b>', page)}


def test_overview_lists_every_unit_of_the_plan_with_its_state_and_counts(organizer_client, district):
    page = organizer_client.get(f"/campaigns/{district['campaign'].id}/summaries").get_data(as_text=True)

    expected = {unit.id: state for state, unit in district["units"].items()}
    assert _row_states(page) == expected
    assert district["outsider"].name not in page
    assert _counts(page) == {state: 1 for state in expected.values()}
    assert "全部单位" in page and "<b>6</b>" in page

    # The late one says how late; the on-time ones do not.
    assert "逾期 1 天 2 小时" in page
    assert page.count("逾期 ") == 1


def test_overview_figures_photos_and_corrections_equal_the_data(organizer_client, district):
    campaign = district["campaign"]
    unit = district["units"]["submitted"]
    overview = campaign_overview(campaign)
    row = next(row for row in overview.rows.items if row.unit.id == unit.id)
    # The unit corrected its consultations from 3 to 5: the overview shows what the unit reports.
    assert row.figures["consultations"] == 5
    assert row.figures["materials"] == 40
    assert (row.photo_count, row.correction_count) == (2, 1)
    others = [row for row in overview.rows.items if row.unit.id != unit.id]
    assert all(row.figures["consultations"] == 0 and row.photo_count == 0 for row in others)

    page = organizer_client.get(f"/campaigns/{campaign.id}/summaries").get_data(as_text=True)
    line = page[page.index(f'id="unit-{unit.id}"') :]
    line = line[: line.index("</tr>")]
    cells = re.findall(r'class="num">(?:<span class="badge warn">)?(\d+)', line)
    # consultations, people (one a consultation, so it follows the correction), materials, photos, corrections
    assert cells == ["5", "5", "40", "2", "1"]


def test_overview_filters_by_state_and_kind(organizer_client, district):
    url = f"/campaigns/{district['campaign'].id}/summaries"
    units = district["units"]

    page = organizer_client.get(f"{url}?state=late").get_data(as_text=True)
    assert _row_states(page) == {units["late"].id: "late"}

    page = organizer_client.get(f"{url}?kind=town").get_data(as_text=True)
    assert _row_states(page) == {units["draft"].id: "draft", units["returned"].id: "returned"}
    # The counts follow the kind chosen, so a count is the length of the list its link opens.
    assert _counts(page) == {"not_started": 0, "draft": 1, "returned": 1, "submitted": 0, "late": 0, "accepted": 0}

    page = organizer_client.get(f"{url}?state=draft&kind=bureau").get_data(as_text=True)
    assert _row_states(page) == {}
    assert "没有符合筛选条件的单位" in page

    # An unknown value shows everything, without an error.
    page = organizer_client.get(f"{url}?state=nonsense&kind=planet")
    assert page.status_code == 200 and len(_row_states(page.get_data(as_text=True))) == 6


def test_overview_reads_a_bounded_number_of_queries(organizer_client, district, factory):
    url = f"/campaigns/{district['campaign'].id}/summaries"
    organizer_client.get(url)  # warm up: the login session, first-use queries
    few = page_statements(organizer_client, url)

    campaign, activity = district["campaign"], district["activity"]
    for n in range(12):
        unit = factory.unit(f"江滨区测试单位{n}")
        db.session.add(type(activity.unit_links[0])(activity_id=activity.id, unit_id=unit.id, role="cooperating"))
        db.session.commit()
        summary = factory.summary(campaign, unit, narrative=NARRATIVE)
        factory.photo(summary)
        booth = factory.booth(activity, unit)
        factory.consultation(booth)
        factory.handout(booth)
    many = page_statements(organizer_client, url)
    assert many == few


def test_overview_pages_a_city_of_units_and_keeps_the_filter_in_its_links(organizer_client, district, factory):
    """Past a page of units the table is paginated; the counts above it still count every unit, and a page's
    figures are those of its own units."""
    campaign, activity = district["campaign"], district["activity"]
    link = type(activity.unit_links[0])
    added = []
    for n in range(52):
        unit = factory.unit(f"滨海市𠮷测试单位{n:02d}")
        db.session.add(link(activity_id=activity.id, unit_id=unit.id, role="participating"))
        added.append(unit)
    db.session.commit()
    last = added[-1]
    booth = factory.booth(activity, last)
    for _ in range(3):
        factory.consultation(booth)
    db.session.commit()
    url = f"/campaigns/{campaign.id}/summaries"

    first = organizer_client.get(url).get_data(as_text=True)
    assert len(_row_states(first)) == 50
    assert _counts(first)["not_started"] == 53  # the district's own not-started unit and the 52 added
    assert "第 1 / 2 页，共 58 条" in first and 'rel="next"' in first

    second = organizer_client.get(f"{url}?page=2").get_data(as_text=True)
    assert set(_row_states(second)) <= {unit.id for unit in added}
    assert len(_row_states(second)) == 8 and last.id in _row_states(second)
    row = re.search(rf'<tr id="unit-{last.id}".*?</tr>', second, re.S).group(0)
    assert '<td data-label="咨询（人次）" class="num">3</td>' in row

    # Filtered to the units not started: 53 of them, the page links keep the filter; a page past the end shows
    # the last one rather than an empty table.
    filtered = organizer_client.get(f"{url}?state=not_started").get_data(as_text=True)
    assert set(_row_states(filtered).values()) == {"not_started"}
    assert "state=not_started" in re.search(r'<a[^>]*rel="next"[^>]*>', filtered).group(0)
    past = organizer_client.get(f"{url}?state=not_started&page=9").get_data(as_text=True)
    assert len(_row_states(past)) == 3 and "第 2 / 2 页，共 53 条" in past


def test_return_requires_a_note_and_changes_nothing_without_one(organizer_client, district):
    summary = district["summaries"]["submitted"]
    before = summary.revision

    response = organizer_client.submit(f"/summaries/{summary.id}/return", {"note": "   "})
    assert response.status_code == 422
    assert "请写明退回意见" in response.get_data(as_text=True)
    db.session.refresh(summary)
    assert (summary.status, summary.revision, summary.review_note) == ("submitted", before, "")

    response = organizer_client.submit(f"/summaries/{summary.id}/return", {"note": "请补充现场照片和群众满意率。"})
    assert response.status_code == 302
    db.session.refresh(summary)
    assert summary.status == "returned" and summary.review_note == "请补充现场照片和群众满意率。"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "summary_returned"))
    assert event.object_id == summary.id and event.detail["note"] == "请补充现场照片和群众满意率。"

    # Returning it again (a double click) is refused and changes nothing.
    page = organizer_client.submit(f"/summaries/{summary.id}/return", {"note": "又一次"}, follow_redirects=True)
    assert "只有已报送、待审核的总结可以退回" in page.get_data(as_text=True)
    db.session.refresh(summary)
    assert summary.review_note == "请补充现场照片和群众满意率。"


def test_accept_and_undo(organizer_client, district):
    summary = district["summaries"]["late"]
    response = organizer_client.submit(f"/summaries/{summary.id}/accept")
    assert response.status_code == 302
    db.session.refresh(summary)
    assert summary.status == "accepted" and summary.accepted_at is not None and summary.late

    page = organizer_client.submit(f"/summaries/{summary.id}/accept", follow_redirects=True).get_data(as_text=True)
    assert "只有已报送、待审核的总结可以采纳" in page

    organizer_client.submit(f"/summaries/{summary.id}/reopen")
    db.session.refresh(summary)
    assert summary.status == "submitted"
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == summary.id, AuditEvent.object_type == "UnitSummary")
    ).all()
    assert actions == ["summary_accepted", "summary_reopened"]


def test_a_draft_cannot_be_accepted_or_returned(organizer_client, district):
    summary = district["summaries"]["draft"]
    organizer_client.submit(f"/summaries/{summary.id}/accept")
    organizer_client.submit(f"/summaries/{summary.id}/return", {"note": "请修改"})
    db.session.refresh(summary)
    assert summary.status == "draft"


def test_closed_window_refuses_submissions_until_reopened(organizer_client, district, factory):
    campaign = district["campaign"]
    url = f"/campaigns/{campaign.id}/summaries"
    contact = factory.user("unit", unit=district["units"]["draft"])
    summary = district["summaries"]["draft"]

    response = organizer_client.submit(f"{url}/window", {"action": "close"})
    assert response.status_code == 302
    assert window.window_closed(campaign)
    page = organizer_client.get(url).get_data(as_text=True)
    assert "已停止接收" in page and "重新开放报送" in page

    with pytest.raises(Refusal, match="关闭"):
        workflow.submit(summary, contact)
    db.session.refresh(summary)
    assert summary.status == "draft"

    # Closing twice changes nothing and says so.
    page = organizer_client.submit(f"{url}/window", {"action": "close"}, follow_redirects=True).get_data(as_text=True)
    assert "总结报送已经是关闭的" in page
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "summary_window_closed")
    ) == 1

    organizer_client.submit(f"{url}/window", {"action": "reopen"})
    assert not window.window_closed(campaign)
    workflow.submit(summary, contact)
    db.session.refresh(summary)
    assert summary.status == "submitted"

    page = organizer_client.submit(f"{url}/window", {"action": "explode"}, follow_redirects=True)
    assert page.status_code == 200 and "请选择关闭或重新开放总结报送" in page.get_data(as_text=True)


def test_review_page_shows_both_values_of_a_correction_the_text_photos_and_history(organizer_client, organizer,
                                                                                    district):
    summary = district["summaries"]["submitted"]
    page = organizer_client.get(f"/summaries/{summary.id}/review").get_data(as_text=True)

    start = page.index('<tr class="corrected" data-key="consultations"')
    row = page[start : page.index("</tr>", start)]
    assert re.search(r'class="num">3</td>', row)
    assert '<span class="corrected-value">5</span>' in row and "两位群众的咨询未及时登记" in row
    assert "单位更正 1 项" in page

    assert "5月15日在区政务服务中心广场设立政策咨询台。" in page
    assert "（未填写）" in page  # the sections left empty say so
    for photo in summary.photos:
        assert f'src="/photos/{photo.id}/thumb.jpg"' in page
    assert "咨询台现场" in page and "发放宣传资料" in page
    assert "退回修改" in page and "采纳" in page

    workflow.accept(summary, organizer)
    db.session.commit()
    page = organizer_client.get(f"/summaries/{summary.id}/review").get_data(as_text=True)
    assert "采纳活动总结" in page  # the history
    assert "退回修改" not in page and "撤销采纳" in page


def test_review_of_a_missing_summary_is_404(organizer_client, district):
    page = organizer_client.get("/summaries/999999/review")
    assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    assert organizer_client.submit("/summaries/999999/accept").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "summary_accepted")) == 0


def test_unit_contacts_cannot_use_the_review_pages(client, district, factory):
    contact = factory.user("unit", unit=district["units"]["submitted"])
    log_in(client, contact)
    summary = district["summaries"]["submitted"]
    assert client.get(f"/campaigns/{district['campaign'].id}/summaries").status_code == 403
    assert client.get(f"/summaries/{summary.id}/review").status_code == 403
    assert client.submit(f"/summaries/{summary.id}/accept").status_code == 403
    db.session.refresh(summary)
    assert summary.status == "submitted"


def test_the_campaign_menu_links_to_the_summaries(organizer_client, district):
    page = organizer_client.get(f"/campaigns/{district['campaign'].id}").get_data(as_text=True)
    assert f'href="/campaigns/{district["campaign"].id}/summaries"' in page and "单位总结" in page


def test_overview_of_a_campaign_without_units(organizer_client, factory):
    campaign = factory.campaign()
    page = organizer_client.get(f"/campaigns/{campaign.id}/summaries").get_data(as_text=True)
    assert "方案中还没有参加单位" in page


def test_the_history_names_who_did_each_step(organizer_client, organizer, district, factory):
    summary = district["summaries"]["draft"]
    contact = factory.user("unit", unit=district["units"]["draft"], username="linjiang_contact")
    contact.display_name = "临江镇 李喆"
    organizer.display_name = "区政务公开办 张敏"
    db.session.commit()
    workflow.submit(summary, contact)
    workflow.accept(summary, organizer)
    db.session.commit()
    page = organizer_client.get(f"/summaries/{summary.id}/review").get_data(as_text=True)
    history = page[page.index("<table class=\"audit-table\">"):]
    assert re.search(r"临江镇 李喆</td>\s*<td[^>]*>报送活动总结", history)
    assert re.search(r"区政务公开办 张敏</td>\s*<td[^>]*>采纳活动总结", history)


def test_an_accepted_summarys_recorded_figures_are_fixed_and_a_later_entry_shows_beside_them(
        organizer_client, organizer, district):
    """Issue 16.6: an entry that arrives (or is corrected) after acceptance never moves the accepted figures."""
    import uuid

    from campaign.booths.models import Booth
    from campaign.booths.recording import record_consultation
    from campaign.summaries.figures import effective_figures, figure_rows, recorded_figures

    summary = district["summaries"]["submitted"]
    booth = db.session.scalar(sa.select(Booth).where(Booth.unit_id == summary.unit_id))
    live_before = recorded_figures(summary.campaign_id, summary.unit_id)
    workflow.accept(summary, organizer)
    db.session.commit()
    assert summary.accepted_figures == live_before
    record_consultation(booth, {"kind": "政策咨询", "topic": "社会保险", "satisfaction": "满意"}, str(uuid.uuid4()))
    live = recorded_figures(summary.campaign_id, summary.unit_id)
    assert live["consultations"] == live_before["consultations"] + 1
    assert effective_figures(summary, live)["kind:政策咨询"] == live_before["kind:政策咨询"]
    assert effective_figures(summary, live)["satisfaction_rated"] == live_before["satisfaction_rated"]
    row = next(row for row in figure_rows(summary, live) if row.key == "consultations")
    assert (row.recorded, row.live) == (live_before["consultations"], live["consultations"])
    page = organizer_client.get(f"/summaries/{summary.id}/review").get_data(as_text=True)
    assert f'data-live="{live["consultations"]}"' in page and "采纳后登记数变为" in page
    overview = campaign_overview(summary.campaign)
    assert next(r for r in overview.rows.items if r.unit.id == summary.unit_id).figures["kind:政策咨询"] == \
        live_before["kind:政策咨询"]
    # Taking the acceptance back returns the summary to the live figures.
    workflow.reopen(summary, organizer)
    db.session.commit()
    assert summary.accepted_figures is None
    assert effective_figures(summary, live)["kind:政策咨询"] == live["kind:政策咨询"]
