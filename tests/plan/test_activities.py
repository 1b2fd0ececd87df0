"""The plan's content: groups, activities and their units, venues, slogans; validation, order, revisions."""

import html
from datetime import datetime

import pytest
import sqlalchemy as sa

from campaign.plan.activities import ActivityFields, delete_group, save_activity
from campaign.plan.models import Activity, ActivityGroup, Campaign, Slogan, Venue
from campaign.plan.venues_and_slogans import split_slogans
from campaign.shared.audit import AuditEvent
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from campaign.web.refusal import Refusal
from tests.conftest import log_in


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.fixture
def plan(factory):
    campaign = factory.campaign()
    return {
        "campaign": campaign,
        "group": factory.group(campaign, "线下实地宣传"),
        "venue": factory.venue(campaign, "江滨区市民广场", is_main=True),
        "lead": factory.unit("江滨区人民政府办公室", short_name="区政府办"),
        "other": factory.unit("江滨区人力资源和社会保障局", short_name="区人社局"),
        "town": factory.unit("临江镇", kind="town"),
    }


def _activity_form(plan, **overrides) -> dict:
    data = {
        "group_id": str(plan["group"].id),
        "title": "举办主会场集中宣传咨询活动",
        "description": "设置政策咨询台，现场解答群众咨询。",
        "mode": "onsite",
        "start_date": "2025-05-15",
        "start_time": "09:00",
        "end_date": "2025-05-15",
        "end_time": "11:30",
        "venue_id": str(plan["venue"].id),
        "new_venue_name": "",
        "new_venue_kind": "branch",
        "lead_units": "区政府办",
        "cooperating_units": "区人社局、临江镇",
        "participating_units": "",
        "responsible_units": "",
        "requirements": "各单位8:30前到位。",
        "to_bring": "展板2块。",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _new_url(plan) -> str:
    return f"/campaigns/{plan['campaign'].id}/groups/{plan['group'].id}/activities/new"


# Activities


def test_organizer_adds_an_activity_with_units_by_role(organizer_client, plan):
    response = organizer_client.submit(_new_url(plan), _activity_form(plan))

    assert response.status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert activity.title == "举办主会场集中宣传咨询活动" and activity.venue_id == plan["venue"].id
    assert activity.starts_at == datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ)
    assert activity.ends_at == datetime(2025, 5, 15, 11, 30, tzinfo=LOCAL_TZ)
    assert [link.unit.name for link in activity.links_in_role("lead")] == ["江滨区人民政府办公室"]
    assert [link.unit.name for link in activity.links_in_role("cooperating")] == ["江滨区人力资源和社会保障局", "临江镇"]
    assert activity.to_bring == "展板2块。"
    page = _text(organizer_client.get(f"/campaigns/{plan['campaign'].id}"))
    assert "5月15日上午9时至11时30分" in page and "区政府办" in page and "区人社局、临江镇" in page


def test_the_form_lists_units_by_kind(organizer_client, plan):
    page = _text(organizer_client.get(_new_url(plan)))

    assert page.index("镇/街道") < page.index("临江镇") < page.index("区政府部门") < page.index("区政府办")
    assert page.count('data-name="临江镇"') == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "08:00"}, "结束时间必须晚于开始时间"),
        ({"end_time": "09:00"}, "结束时间必须晚于开始时间"),
        ({"end_date": "2025-05-14", "all_day": "y"}, "结束日期不能早于开始日期"),
        ({"venue_id": ""}, "现场活动必须选择活动地点"),
        ({"lead_units": None, "cooperating_units": None}, "现场活动请至少填写一个单位"),
        ({"title": ""}, "请填写活动名称"),
        ({"start_time": ""}, "请填写开始时间"),
        ({"start_date": "5月15日"}, "请按“年-月-日”填写日期"),
        ({"lead_units": "区政府办、区发政局"}, "没有名为“区发政局”的单位或统称"),
        ({"start_date": "0001-01-01"}, "活动时间应在2025年前后"),
    ],
)
def test_bad_activities_are_refused_and_nothing_saved(organizer_client, plan, overrides, message):
    response = organizer_client.submit(_new_url(plan), _activity_form(plan, **overrides))

    assert response.status_code == 200
    assert message in _text(response)
    assert _count(Activity) == 0


def test_a_unit_cannot_have_two_roles_and_is_named(organizer_client, plan):
    lead_and_cooperating = _activity_form(plan, cooperating_units="区政府办、临江镇")
    lead_and_responsible = _activity_form(plan, responsible_units="江滨区人民政府办公室")

    first = _text(organizer_client.submit(_new_url(plan), lead_and_cooperating))
    second = _text(organizer_client.submit(_new_url(plan), lead_and_responsible))

    assert "“江滨区人民政府办公室”不能在同一项活动中既是牵头单位又是配合单位" in first
    assert "“江滨区人民政府办公室”不能在同一项活动中既是牵头单位又是责任单位" in second
    assert _count(Activity) == 0


def test_time_outside_the_period_is_flagged_but_saved(organizer_client, plan):
    response = organizer_client.submit(
        _new_url(plan), _activity_form(plan, start_date="2025-05-22", end_date="2025-05-22"), follow_redirects=True
    )

    page = _text(response)
    assert _count(Activity) == 1
    assert "不在活动期间（5月15日至5月20日）内" in page
    assert 'class="flash flash-warning"' in page and '<span class="badge warn"' in page


def test_online_whole_days_and_a_new_venue_typed_inline(organizer_client, plan):
    organizer_client.submit(_new_url(plan), _activity_form(
        plan, title="群众难题我来答", mode="online", all_day="y", start_time="", end_time="",
        end_date="2025-05-20", venue_id="",
    ))
    organizer_client.submit(_new_url(plan), _activity_form(
        plan, title="临江镇分会场", venue_id="", new_venue_name="临江镇便民服务中心广场", new_venue_kind="branch",
    ))

    online, branch = db.session.scalars(sa.select(Activity).order_by(Activity.id)).all()
    assert online.all_day and online.venue_id is None
    assert online.starts_at == datetime(2025, 5, 15, 0, 0, tzinfo=LOCAL_TZ)
    assert online.ends_at == datetime(2025, 5, 20, 23, 59, tzinfo=LOCAL_TZ)
    assert branch.venue.name == "临江镇便民服务中心广场" and not branch.venue.is_main
    page = _text(organizer_client.get(f"/campaigns/{plan['campaign'].id}"))
    assert "5月15日至5月20日" in page and "临江镇便民服务中心广场（分会场）" in page


def test_editing_changes_roles_and_group(organizer_client, factory, plan):
    other_group = factory.group(plan["campaign"], "线上主题宣传活动")
    already = factory.activity(other_group)
    activity = factory.activity(plan["group"], units={plan["lead"]: "lead", plan["other"]: "cooperating"},
                                venue_id=plan["venue"].id)
    url = f"/campaigns/{plan['campaign'].id}/activities/{activity.id}/edit"
    page = _text(organizer_client.get(url))
    assert 'value="09:00"' in page and 'value="2025-05-15"' in page

    response = organizer_client.submit(url, _activity_form(
        plan, group_id=str(other_group.id), lead_units="区人社局", cooperating_units="区政府办",
    ))

    assert response.status_code == 302
    activity = db.session.get(Activity, activity.id)
    assert activity.group_id == other_group.id and activity.sort_order > already.sort_order
    assert [link.unit_id for link in activity.links_in_role("lead")] == [plan["other"].id]
    assert [link.unit_id for link in activity.links_in_role("cooperating")] == [plan["lead"].id]


def test_a_change_after_issue_dates_the_revision_and_a_draft_change_does_not(organizer_client, factory, plan):
    organizer_client.submit(_new_url(plan), _activity_form(plan))
    assert db.session.get(Campaign, plan["campaign"].id).revised_at is None

    campaign = db.session.get(Campaign, plan["campaign"].id)
    campaign.status = "issued"
    db.session.commit()
    activity = db.session.scalar(sa.select(Activity))
    organizer_client.submit(f"/campaigns/{campaign.id}/activities/{activity.id}/edit",
                            _activity_form(plan, title="举办主会场咨询活动"))

    assert db.session.get(Campaign, campaign.id).revised_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "activity_updated"))
    assert event.campaign_id == campaign.id and event.object_id == activity.id
    assert event.detail["changes"]["title"] == ["举办主会场集中宣传咨询活动", "举办主会场咨询活动"]


def test_activities_move_within_their_group_and_can_be_deleted(organizer_client, factory, plan):
    first, second = factory.activity(plan["group"]), factory.activity(plan["group"])
    base = f"/campaigns/{plan['campaign'].id}/activities"

    organizer_client.submit(f"{base}/{second.id}/move", {"direction": "up"})
    group = db.session.get(ActivityGroup, plan["group"].id)
    assert [a.id for a in group.activities] == [second.id, first.id]

    organizer_client.submit(f"{base}/{second.id}/delete")
    assert [a.id for a in db.session.get(ActivityGroup, plan["group"].id).activities] == [first.id]


# Groups


def test_groups_are_added_renamed_and_reordered(organizer_client, plan):
    campaign_id = plan["campaign"].id
    organizer_client.submit(f"/campaigns/{campaign_id}/groups/new", {"title": "线上主题宣传活动"})
    new = db.session.scalar(sa.select(ActivityGroup).where(ActivityGroup.title == "线上主题宣传活动"))

    organizer_client.submit(f"/campaigns/{campaign_id}/groups/{new.id}/move", {"direction": "up"})
    organizer_client.submit(f"/campaigns/{campaign_id}/groups/{new.id}/edit", {"title": "线上宣传"})

    campaign = db.session.get(Campaign, campaign_id)
    assert [g.title for g in campaign.groups] == ["线上宣传", "线下实地宣传"]
    page = _text(organizer_client.get(f"/campaigns/{campaign_id}"))
    assert page.index("（一）线上宣传") < page.index("（二）线下实地宣传")


def test_a_group_with_activities_is_deleted_only_when_confirmed(organizer_client, factory, plan, organizer):
    factory.activity(plan["group"], title="要删除的活动")
    url = f"/campaigns/{plan['campaign'].id}/groups/{plan['group'].id}/delete"

    with pytest.raises(Refusal, match="还有1项活动"):
        delete_group(organizer, db.session.get(ActivityGroup, plan["group"].id))
    organizer_client.submit(url)
    assert _count(ActivityGroup) == 1 and _count(Activity) == 1
    assert "要删除的活动" in _text(organizer_client.get(url))

    organizer_client.submit(url, {"confirm": "yes"})
    assert _count(ActivityGroup) == 0 and _count(Activity) == 0


# Venues


def test_a_venue_in_use_cannot_be_deleted(organizer_client, factory, plan):
    factory.activity(plan["group"], title="主会场集中宣传", venue_id=plan["venue"].id)
    spare = factory.venue(plan["campaign"], "备用会场")
    base = f"/campaigns/{plan['campaign'].id}/venues"

    refused = _text(organizer_client.submit(f"{base}/{plan['venue'].id}/delete", follow_redirects=True))
    organizer_client.submit(f"{base}/{spare.id}/delete")

    assert "地点“江滨区市民广场”正用于活动“主会场集中宣传”" in refused
    assert [v.name for v in db.session.scalars(sa.select(Venue))] == ["江滨区市民广场"]


def test_venues_are_added_and_edited_with_unique_names(organizer_client, plan):
    base = f"/campaigns/{plan['campaign'].id}/venues"
    organizer_client.submit(base, {"name": "白沙镇文化礼堂", "address": "白沙镇文化路8号"})
    duplicate = _text(organizer_client.submit(base, {"name": "江滨区市民广场"}))
    venue = db.session.scalar(sa.select(Venue).where(Venue.name == "白沙镇文化礼堂"))
    organizer_client.submit(f"{base}/{venue.id}/edit", {"name": "白沙镇文化礼堂", "address": "", "kind": "main"})

    assert "已有名为“江滨区市民广场”的地点" in duplicate
    assert _count(Venue) == 2 and db.session.get(Venue, venue.id).is_main


# Slogans


def test_pasted_slogans_lose_their_numbering_and_long_ones_are_flagged(organizer_client, plan):
    pasted = "1. 公开是常态　不公开是例外\n\n2、推进政务公开　优化营商环境\n（3）5·15政务公开日，政府信息公开条例进万家，惠民利企政策送到群众身边\n"

    response = organizer_client.submit(f"/campaigns/{plan['campaign'].id}/slogans", {"text": pasted},
                                       follow_redirects=True)

    texts = [s.text for s in db.session.scalars(sa.select(Slogan).order_by(Slogan.sort_order))]
    assert texts == ["公开是常态　不公开是例外", "推进政务公开　优化营商环境",
                     "5·15政务公开日，政府信息公开条例进万家，惠民利企政策送到群众身边"]
    page = _text(response)
    assert page.count('<span class="badge warn">较长，不宜用于条幅</span>') == 1
    assert "已添加3条标语" in page


@pytest.mark.parametrize(
    ("line", "text"),
    [("1.公开", "公开"), ("12、公开", "公开"), ("(3) 公开", "公开"), ("① 公开", "公开"), ("三、公开", "公开"),
     ("5.15政务公开日", "5.15政务公开日"), ("2025年公开", "2025年公开")],
)
def test_numbering_is_stripped_but_not_numbers_in_the_text(line, text):
    assert split_slogans(line) == [text]


def test_slogans_are_reordered_edited_and_deleted(organizer_client, factory, plan):
    first = factory.slogan(plan["campaign"], "一")
    second = factory.slogan(plan["campaign"], "二")
    base = f"/campaigns/{plan['campaign'].id}/slogans"

    organizer_client.submit(f"{base}/{second.id}/move", {"direction": "up"})
    organizer_client.submit(f"{base}/{first.id}/edit", {"text": "公开是常态"})
    organizer_client.submit(f"{base}/{second.id}/delete")

    campaign = db.session.get(Campaign, plan["campaign"].id)
    assert [s.text for s in campaign.slogans] == ["公开是常态"]


def test_moving_the_first_group_up_or_a_bad_direction_changes_nothing(organizer_client, factory, plan):
    first, second = factory.slogan(plan["campaign"], "一"), factory.slogan(plan["campaign"], "二")
    base = f"/campaigns/{plan['campaign'].id}/slogans"

    organizer_client.submit(f"{base}/{first.id}/move", {"direction": "up"})
    refused = _text(organizer_client.submit(f"{base}/{first.id}/move", {"direction": "sideways"},
                                            follow_redirects=True))

    assert [s.id for s in db.session.get(Campaign, plan["campaign"].id).slogans] == [first.id, second.id]
    assert "移动方向无效" in refused


# Access


def test_unit_contacts_get_403_and_objects_of_another_campaign_404(client, factory, unit_contact, organizer, plan):
    other = factory.campaign(2026)
    campaign_id = plan["campaign"].id
    log_in(client, unit_contact)
    for url in (_new_url(plan), f"/campaigns/{campaign_id}/venues", f"/campaigns/{campaign_id}/slogans",
                f"/campaigns/{campaign_id}/groups/new"):
        assert client.get(url).status_code == 403
    assert client.submit(f"/campaigns/{campaign_id}/slogans", {"text": "标语"}).status_code == 403
    assert _count(Slogan) == 0

    client.submit("/auth/logout")
    log_in(client, organizer)
    assert client.get(f"/campaigns/{other.id}/groups/{plan['group'].id}/activities/new").status_code == 404
    assert client.submit(f"/campaigns/{other.id}/venues/{plan['venue'].id}/delete").status_code == 404


@pytest.mark.parametrize(("field", "message"), [
    ("group_id", "请选择活动所属的分组"), ("venue_id", "活动地点"), ("lead_units", "没有名为"),
])
@pytest.mark.parametrize("number", ["9223372036854775808", "2147483648", "-9223372036854775809"])
def test_an_id_beyond_the_integer_columns_is_refused_in_words(organizer_client, plan, field, message, number):
    """An id no row can have: refused with the field's message, nothing saved (an attack found the group's
    overflowing SQLite's integer: a 500; an optional unit's was silently dropped)."""
    response = organizer_client.submit(_new_url(plan), _activity_form(plan, **{field: number}))

    assert response.status_code == 200
    assert message in _text(response)
    assert _count(Activity) == 0


def test_a_written_name_longer_than_a_unit_name_is_refused_and_nothing_saved(app, plan, organizer):
    """A name the clerk matched by hand on an import (matched) is kept as written, up to a unit name's length."""
    long_name = "区" + "很" * 120 + "局"
    fields = ActivityFields(
        group_id=plan["group"].id, title="举办主会场集中宣传咨询活动", mode="online",
        starts_at=datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ), ends_at=None,
        role_texts={"lead": f"区政府办、{long_name}"}, matched={long_name: plan["other"]},
    )
    with pytest.raises(Refusal, match="太长") as refused:
        save_activity(organizer, plan["campaign"], fields)
    assert refused.value.field == "lead_units"
    db.session.rollback()
    assert _count(Activity) == 0
    fields.role_texts = {"lead": "区政府办、区人力社保局"}
    fields.matched = {"区人力社保局": plan["other"]}
    activity, _warnings = save_activity(organizer, plan["campaign"], fields)
    assert activity.role_text("lead") == "区政府办、区人力社保局"


def test_a_day_off_is_flagged_as_the_offices_calendar_has_it(app, factory):
    """2025: 1 May (a Thursday) is 劳动节, Sunday 27 April is worked in its place (调休), 17 May is a plain Saturday.
    The office's own table, where it says otherwise, wins (shared/workdays.py)."""
    from campaign.plan.activities import day_off_warning
    from campaign.shared.workdays import HOLIDAY, OfficeDay

    def warning(day: int, month: int = 5):
        return day_off_warning(datetime(2025, month, day, 9, 0, tzinfo=LOCAL_TZ), None)

    assert str(warning(1)) == "活动日期5月1日是节假日，请确认。"
    assert warning(27, month=4) is None  # a Sunday worked in lieu
    assert str(warning(17)) == "活动日期5月17日是星期六，请确认。"
    assert warning(15) is None
    db.session.add(OfficeDay(day=datetime(2025, 5, 15).date(), kind=HOLIDAY, note="本区活动调整"))
    db.session.flush()
    assert str(warning(15)) == "活动日期5月15日是节假日，请确认。"
