"""The photo page reads the report's photo choice without compiling the report: the same photos, in the same order,
as compile_report puts in the report — by default and after the organizer's choice."""

from campaign.report import selection
from campaign.report.compile import compile_report
from campaign.report.photos import photo_selection
from tests.statements import page_statements


def test_the_photo_page_choice_equals_the_reports(app, factory, organizer):
    campaign = factory.campaign(status="issued")
    second = factory.unit("滨海市𠮷安区医保局")
    first = factory.unit("滨海市䶮山区人社局")
    first.sort_order, second.sort_order = 1, 2
    factory.activity(factory.group(campaign), units={second: "lead", first: "cooperating"})
    counted = factory.summary(campaign, second, status="submitted")
    earlier = factory.summary(campaign, first, status="accepted")
    draft_unit = factory.unit("滨海市區教育局")
    draft = factory.summary(campaign, draft_unit, status="draft")  # not counted: its photos are not offered
    photos = [factory.photo(summary) for summary in (counted, counted, counted, earlier, draft)]

    default = photo_selection(campaign)
    assert default == compile_report(campaign)["photos"]
    # Two a unit by default, in the units' order; the draft's photo left out.
    assert [photo["id"] for photo in default] == [photos[3].id, photos[0].id, photos[1].id]

    selection.choose_photos(campaign.id, organizer, [str(photos[2].id), str(photos[3].id)])
    chosen = photo_selection(campaign)
    assert chosen == compile_report(campaign)["photos"]
    assert [photo["id"] for photo in chosen] == [photos[3].id, photos[2].id]  # in the order the page lists them


def test_the_counted_statuses_are_the_counted_states(factory):
    """The photo page filters counted summaries in SQL by status; the report counts them by state."""
    from campaign.summaries.models import STATUSES, UnitSummary
    from campaign.summaries.workflow import COUNTED_STATES, COUNTED_STATUSES, summary_state

    for status in STATUSES:
        for late in (False, True):
            summary = UnitSummary(status=status, late=late)
            assert (summary_state(summary) in COUNTED_STATES) == (status in COUNTED_STATUSES), (status, late)


def _city(factory, n_units: int, town: str = "滨海市"):
    """A campaign whose counted summaries hold two photos each, units in a known order."""
    campaign = factory.campaign(status="issued")
    units = [factory.unit(f"{town}第{n:02d}街道𪚥办") for n in range(n_units)]
    for place, unit in enumerate(units, start=1):
        unit.sort_order = place
    factory.activity(factory.group(campaign), units={unit: "cooperating" for unit in units})
    photos = {}
    for unit in units:
        summary = factory.summary(campaign, unit, status="submitted")
        photos[unit.id] = [factory.photo(summary, caption=f"{unit.name}现场"), factory.photo(summary)]
    return campaign, units, photos


def test_the_photo_page_lists_a_page_of_units_and_saving_a_page_keeps_the_others_choice(
        organizer_client, factory):
    from campaign.report.models import ReportDraft
    from campaign.report.photos import PHOTO_UNITS_PER_PAGE
    from campaign.web.extensions import db

    campaign, units, photos = _city(factory, PHOTO_UNITS_PER_PAGE + 3)
    url = f"/campaigns/{campaign.id}/report/photos"
    first = organizer_client.get(url).get_data(as_text=True)
    assert first.count('type="checkbox" name="photo_id"') == 2 * PHOTO_UNITS_PER_PAGE
    assert units[0].name in first and units[-1].name not in first and "第 1 / 2 页" in first
    second = organizer_client.get(url + "?page=2").get_data(as_text=True)
    assert second.count('type="checkbox" name="photo_id"') == 6 and units[-1].name in second
    assert second.count(" checked") == 6  # the default: both of each unit's photos

    # On page 2, keep only the last unit's first photo: page 1's default choice stays as it was.
    last = photos[units[-1].id][0].id
    response = organizer_client.submit(url + "?page=2", {"photo_id": [str(last)], "action": "choose"})
    assert response.status_code == 302 and response.headers["Location"].endswith("page=2")
    kept = db.session.get(ReportDraft, campaign.id).photo_ids
    page_one = [photo.id for unit in units[:PHOTO_UNITS_PER_PAGE] for photo in photos[unit.id]]
    assert kept == [*page_one, last]

    # A photo of page 1 sent with page 2's form is refused, and nothing changes.
    response = organizer_client.submit(url + "?page=2", {"photo_id": [str(page_one[0])], "action": "choose"})
    assert "不属于已报送的单位总结" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReportDraft, campaign.id).photo_ids == [*page_one, last]

    # Page 1 saved with nothing ticked: page 2's choice stays.
    organizer_client.submit(url, {"action": "choose"})
    db.session.expire_all()
    assert db.session.get(ReportDraft, campaign.id).photo_ids == [last]


def test_the_photo_page_takes_the_same_queries_for_many_units_as_for_few(organizer_client, factory):
    def count_queries(url: str) -> int:
        return page_statements(organizer_client, url, expire=True)

    few, _units, _photos = _city(factory, 2, "滨海市")
    many, _units, _photos = _city(factory, 40, "臨江市")
    assert count_queries(f"/campaigns/{few.id}/report/photos") == count_queries(f"/campaigns/{many.id}/report/photos")
