"""Unit groups (统称) and reading units as plans write them (issue 13)."""

import html

import pytest
import sqlalchemy as sa

from campaign.plan.models import Activity, ActivityUnit
from campaign.plan.participants import participant_ids, takes_part, units_in_activities
from campaign.shared.audit import AuditEvent
from campaign.units.groups import members, save_group
from campaign.units.models import UnitGroup
from campaign.units.names import NameIndex
from campaign.web.extensions import db


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def district(factory):
    return {
        "gov": factory.unit("桥西区人民政府办公室", short_name="区政府办"),
        "ndrc": factory.unit("桥西区发展和改革局", short_name="区发改局"),
        "edu": factory.unit("桥西区教育局", short_name="区教育局"),
        "sci": factory.unit("桥西区科学技术局", short_name="区科技局"),
        "east": factory.unit("东风街道", kind="town"),
        "rare": factory.unit("𪚥家镇", kind="town"),
        "closed": factory.unit("旧城镇", kind="town", active=False),
    }


def test_lists_are_read_as_plans_write_them(app, district):
    towns = save_group(None, "各镇街", "town", [])
    index = NameIndex()

    web_copy = index.read(" 区发改局,区教育局， 各镇街、区科技局等。")
    assert web_copy.entries == [district["ndrc"], district["edu"], towns, district["sci"]]
    assert web_copy.etc and not web_copy.unknown
    # A leading 区 serves the whole list; full names and a rare character outside the BMP read as well.
    shared = index.read("区发改局、教育局、科技局等单位")
    assert shared.entries == [district["ndrc"], district["edu"], district["sci"]] and shared.etc
    assert index.read("桥西区人民政府办公室；𪚥家镇").entries == [district["gov"], district["rare"]]
    assert index.read("区发改局、区发政局").unknown == ["区发政局"]
    assert index.read("").entries == [] and not index.read("").etc


def test_a_group_stands_for_its_active_members_and_is_never_a_participant(app, factory, district):
    towns = save_group(None, "各镇街", "town", [])
    chosen = save_group(None, "有关部门", None, [district["edu"].id, district["sci"].id])
    assert members(towns) == [district["east"], district["rare"]]
    assert members(chosen) == [district["edu"], district["sci"]]

    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={district["edu"]: "lead"})
    db.session.add_all([
        ActivityUnit(activity_id=activity.id, group_id=towns.id, role="responsible", position=2),
        # 区教育局 is named itself as lead and is in 有关部门 too: its own naming decides its role.
        ActivityUnit(activity_id=activity.id, group_id=chosen.id, role="participating", position=3),
    ])
    db.session.commit()

    named = {(n.unit_id, n.role) for n in units_in_activities(Activity.campaign_id == campaign.id)}
    assert named == {
        (district["edu"].id, "lead"), (district["sci"].id, "participating"),
        (district["east"].id, "responsible"), (district["rare"].id, "responsible"),
    }
    assert participant_ids(campaign.id) == {district[k].id for k in ("edu", "sci", "east", "rare")}
    assert takes_part(campaign.id, district["rare"].id) and not takes_part(campaign.id, district["closed"].id)
    assert activity.role_text("responsible") == "各镇街"


def test_organizer_keeps_groups_on_their_page(organizer_client, district):
    response = organizer_client.submit("/units/groups/new", {"name": "各 镇 街", "unit_kind": "town"})
    assert response.status_code == 302
    group = db.session.scalar(sa.select(UnitGroup))
    assert group.name == "各镇街"
    page = _text(organizer_client.get("/units/groups/"))
    assert "各镇街" in page and "东风街道、𪚥家镇" in page and "旧城镇" not in page

    edited = organizer_client.submit(
        f"/units/groups/{group.id}/edit",
        {"name": "有关街镇", "unit_kind": "", "unit_ids": [str(district["east"].id)]},
    )
    assert edited.status_code == 302
    assert [unit.name for unit in db.session.get(UnitGroup, group.id).chosen] == ["东风街道"]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"unit_group_created", "unit_group_updated"} <= actions


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "", "unit_kind": "town"}, "请填写统称"),
    ({"name": "区发改局", "unit_kind": "town"}, "已是一个单位的名称"),
    ({"name": "有关部门", "unit_kind": ""}, "请选择单位类型，或勾选"),
    ({"name": "有关部门", "unit_kind": "planet"}, "请选择单位类型"),
    ({"name": "有关部门", "unit_kind": "", "unit_ids": ["999999"]}, "所选单位不存在"),
    ({"name": "有关部门", "unit_kind": "", "unit_ids": ["9223372036854775808"]}, "所选单位不存在"),
    ({"name": "各镇街", "unit_kind": "town"}, "已有名为“各镇街”的统称"),
])
def test_bad_groups_are_refused_in_words_and_nothing_saved(organizer_client, district, form, message):
    save_group(None, "各镇街", "town", [])
    db.session.commit()
    response = organizer_client.submit("/units/groups/new", form)

    assert response.status_code == 200 and message in _text(response)
    assert db.session.scalar(sa.select(sa.func.count(UnitGroup.id))) == 1


def test_a_group_a_plan_uses_cannot_be_deleted(organizer_client, factory, district):
    towns = save_group(None, "各镇街", "town", [])
    activity = factory.activity(factory.group(factory.campaign()))
    db.session.add(ActivityUnit(activity_id=activity.id, group_id=towns.id, role="responsible", position=1))
    unused = save_group(None, "有关部门", "bureau", [])
    db.session.commit()

    page = _text(organizer_client.submit(f"/units/groups/{towns.id}/delete", follow_redirects=True))
    assert "活动方案中用到了“各镇街”，不能删除" in page
    organizer_client.submit(f"/units/groups/{unused.id}/delete")
    assert set(db.session.scalars(sa.select(UnitGroup.name))) == {"各镇街"}


def test_the_activity_form_takes_groups_and_refuses_a_unit_in_two_roles_through_a_group(organizer_client, factory,
                                                                                         district):
    save_group(None, "各镇街", "town", [])
    db.session.commit()
    campaign = factory.campaign()
    group = factory.group(campaign)
    venue = factory.venue(campaign, "各镇街自行选择", kind="plain")
    url = f"/campaigns/{campaign.id}/groups/{group.id}/activities/new"
    form = {
        "group_id": str(group.id), "title": "开展分会场宣传活动", "mode": "onsite", "start_date": "2025-05-15",
        "start_time": "09:00", "venue_id": str(venue.id), "new_venue_kind": "plain",
        "lead_units": "区政府办", "responsible_units": "各镇街、各镇街", "participating_units": "区政府办",
    }
    refused = _text(organizer_client.submit(url, form))
    assert "既是牵头单位又是参加单位" in refused
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0

    form["participating_units"] = ""
    assert organizer_client.submit(url, form).status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert activity.ends_at is None
    assert [link.label for link in activity.unit_links] == ["区政府办", "各镇街"]
