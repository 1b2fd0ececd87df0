"""The unit contact's “我的任务” page and the service behind it."""

from datetime import UTC, datetime

import pytest

from campaign.home.tasks import unit_tasks
from campaign.plan.models import Venue
from campaign.shared.timeutil import LOCAL_TZ, time_left
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.statements import count_statements, statements_sent

DEADLINE = datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)


@pytest.fixture
def zh(app):
    """The wording is translated, so it needs the request's locale: a Chinese-speaking request."""
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        yield


@pytest.fixture
def plan(factory, unit_contact):
    """An issued plan where the contact's unit cooperates in one activity and another unit leads another."""
    own = unit_contact.unit
    lead = factory.unit("江滨区人民政府办公室", short_name="区政府办")
    other = factory.unit("江滨区住房和城乡建设局", short_name="区住建局")
    campaign = factory.campaign(status="issued")
    onsite = factory.group(campaign, "线下实地宣传")
    online = factory.group(campaign, "线上主题宣传活动")
    venue = Venue(campaign_id=campaign.id, name="江滨区市民广场", address="江滨区滨江大道188号", kind="main")
    db.session.add(venue)
    db.session.commit()
    mine = factory.activity(
        onsite,
        units={lead: "lead", own: "cooperating", other: "cooperating"},
        title="举办主会场集中宣传咨询活动",
        venue_id=venue.id,
        requirements="各参加单位于8:30前到位。",
        to_bring="展板2块、宣传资料不少于200份",
    )
    not_mine = factory.activity(online, units={other: "lead"}, title="开展“政策解读进万家”活动", mode="online")
    return dict(campaign=campaign, mine=mine, not_mine=not_mine, lead=lead, other=other)


def test_contact_sees_own_activities_with_role_time_and_venue(unit_client, plan):
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert "举办主会场集中宣传咨询活动" in page
    assert "配合单位" in page
    assert "5月15日上午9时至11时30分" in page
    assert "江滨区市民广场" in page and "江滨区滨江大道188号" in page
    assert "各参加单位于8:30前到位。" in page and "展板2块" in page
    assert "区政府办" in page and "区住建局" in page
    assert f'href="/campaigns/{plan["campaign"].id}/plan"' in page
    assert "2025-05-18 17:30" in page
    assert "政策解读进万家" not in page


def test_lead_unit_is_told_to_arrange_desks(client, factory, plan):
    contact = factory.user("unit", unit=plan["lead"], username="office")
    page = log_in(client, contact).get("/tasks/").get_data(as_text=True)
    assert "牵头单位" in page and "条幅" in page
    assert "政策解读进万家" not in page


def test_draft_campaigns_are_not_shown(unit_client, factory, unit_contact):
    draft = factory.campaign(year=2026, status="draft")
    factory.activity(factory.group(draft), units={unit_contact.unit: "lead"}, title="草稿里的活动")
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert "草稿里的活动" not in page
    assert "目前还没有印发的活动方案" in page


def test_unit_without_activity_sees_a_friendly_message(client, factory, plan):
    idle = factory.user("unit", unit=factory.unit("江滨区档案馆"), username="archive")
    page = log_in(client, idle).get("/tasks/").get_data(as_text=True)
    assert "没有安排贵单位参加具体活动" in page
    assert "举办主会场集中宣传咨询活动" not in page


def test_closed_campaigns_go_to_the_past_section(unit_client, factory, unit_contact):
    old = factory.campaign(year=2024, status="closed")
    factory.activity(factory.group(old), units={unit_contact.unit: "responsible"}, title="去年的活动")
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert "往届活动" in page
    assert page.index("往届活动") < page.index("去年的活动")
    assert "责任单位" in page


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2025, 5, 16, 12, 30, tzinfo=LOCAL_TZ), "还有 2 天 5 小时"),
        (datetime(2025, 5, 17, 17, 30, tzinfo=LOCAL_TZ), "还有 1 天 0 小时"),
        (datetime(2025, 5, 18, 16, 30, tzinfo=LOCAL_TZ), "还有 1 小时 0 分钟"),
        (datetime(2025, 5, 18, 17, 5, tzinfo=LOCAL_TZ), "还有 25 分钟"),
        (datetime(2025, 5, 18, 17, 29, 30, tzinfo=LOCAL_TZ), "还有不到 1 分钟"),
        (datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ), "已过截止时间"),
        (datetime(2025, 5, 19, 8, 0, tzinfo=LOCAL_TZ), "已过截止时间"),
        # Any zone will do: 07:30 UTC is 15:30 in Beijing.
        (datetime(2025, 5, 18, 7, 30, tzinfo=UTC), "还有 2 小时 0 分钟"),
    ],
)
def test_time_left_wording(zh, now, expected):
    assert time_left(DEADLINE, now).text == expected


def test_time_left_reads_a_naive_now_as_beijing_time(zh):
    assert time_left(DEADLINE, datetime(2025, 5, 18, 16, 30)).text == "还有 1 小时 0 分钟"
    assert time_left(None, datetime(2025, 5, 18, 16, 30)) is None


def test_service_uses_the_given_now(zh, plan, unit_contact):
    before = unit_tasks(unit_contact.unit_id, now=datetime(2025, 5, 17, 12, 30, tzinfo=LOCAL_TZ))
    (entry,) = before.current
    assert entry.deadline.text == "还有 1 天 5 小时" and not entry.deadline.urgent
    assert [task.activity.title for task in entry.tasks] == ["举办主会场集中宣传咨询活动"]
    assert entry.tasks[0].role == "cooperating"
    assert entry.tasks[0].other_leads == ["区政府办"]
    assert entry.tasks[0].other_participants == ["区住建局"]
    after = unit_tasks(unit_contact.unit_id, now=datetime(2025, 5, 18, 18, 0, tzinfo=LOCAL_TZ))
    assert after.current[0].deadline.passed


def test_query_count_does_not_grow_with_the_plan(app, factory, plan, unit_contact):
    def read_tasks() -> None:
        for entry in unit_tasks(unit_contact.unit_id).current:
            for task in entry.tasks:
                activity = task.activity
                _ = (activity.group.title, activity.venue, list(task.other_participants))

    def queries() -> int:
        return count_statements(read_tasks, expire=True)

    small = queries()
    group = plan["mine"].group
    for n in range(6):
        factory.activity(group, units={unit_contact.unit: "cooperating", factory.unit(f"加的单位{n}"): "lead"})
    assert queries() == small


def test_organizer_is_forbidden(organizer_client):
    response = organizer_client.get("/tasks/")
    assert response.status_code == 403
    assert "您没有权限访问此页面" in response.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/tasks/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# The summary's state on the card, given by the summaries module (plan may not import it)


NOTE = "请补充5月15日主会场咨询台的现场照片（至少2张），并在“主要成效”部分写明群众满意度。" * 2


def test_returned_summary_shows_its_state_and_the_start_of_the_note(unit_client, factory, plan, unit_contact):
    factory.summary(plan["campaign"], unit_contact.unit, status="returned", review_note=NOTE,
                    returned_at=datetime(2025, 5, 19, 9, 0, tzinfo=LOCAL_TZ))
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert 'data-summary-state="returned"' in page and "已退回" in page
    assert "区政务公开办退回意见" in page
    assert NOTE[:40] in page and NOTE not in page  # the start only: the whole note is on the summary page
    assert "修改后重新报送" in page and "填写活动总结" not in page


def test_draft_shows_as_draft_and_not_started_as_not_started(unit_client, factory, plan, unit_contact):
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert 'data-summary-state="not_started"' in page and "未开始" in page and "填写活动总结" in page

    factory.summary(plan["campaign"], unit_contact.unit, status="draft", review_note="旧的退回意见")
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert 'data-summary-state="draft"' in page and "草稿" in page and "填写活动总结" in page
    assert "区政务公开办退回意见" not in page and "旧的退回意见" not in page


@pytest.mark.parametrize(("status", "late", "label"), [
    ("submitted", False, "已报送"), ("submitted", True, "逾期报送"), ("accepted", False, "已采纳"),
])
def test_a_summary_sent_in_is_viewed_and_no_longer_counts_down(unit_client, factory, plan, unit_contact,
                                                               status, late, label):
    factory.summary(plan["campaign"], unit_contact.unit, status=status, late=late)
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert label in page and "查看活动总结" in page and "填写活动总结" not in page
    assert "已过截止时间" not in page and "还有" not in page


def test_another_units_summary_is_not_shown(unit_client, factory, plan):
    factory.summary(plan["campaign"], plan["other"], status="returned", review_note="别的单位的意见")
    page = unit_client.get("/tasks/").get_data(as_text=True)
    assert 'data-summary-state="not_started"' in page and "别的单位的意见" not in page


def test_the_page_asks_the_same_number_of_queries_for_one_campaign_or_four(app, unit_client, factory, plan,
                                                                          unit_contact):
    """The summary states come with the task list (one query for all campaigns), not one query per campaign."""

    def page_queries() -> tuple[int, str]:
        with statements_sent() as sent:
            page = unit_client.get("/tasks/").get_data(as_text=True)
        return len(sent), page

    one, _ = page_queries()
    for year in (2022, 2023, 2024):
        campaign = factory.campaign(year=year, status="closed")
        factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})
        factory.summary(campaign, unit_contact.unit, status="accepted")
    four, page = page_queries()
    assert page.count('data-summary-state="accepted"') == 3
    assert four == one
