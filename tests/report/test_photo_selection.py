"""The photo page reads the report's photo choice without compiling the report: the same photos, in the same order,
as compile_report puts in the report — by default and after the organizer's choice."""

from campaign.report import selection
from campaign.report.compile import compile_report, photo_selection


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
