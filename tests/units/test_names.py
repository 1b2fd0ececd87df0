"""Reading units as plans write them, and how sure a suggested match is (the plan import's suggestions)."""

from campaign.units.aliases import remember_alias
from campaign.units.models import UnitGroup
from campaign.units.names import (
    CONFIDENCE_ABBREVIATION,
    CONFIDENCE_CERTAIN,
    CONFIDENCE_CHARACTERS,
    CONFIDENCE_CORE,
    NameIndex,
    written_names,
)
from campaign.web.extensions import db


def test_matches_say_how_sure_they_are(factory):
    hr = factory.unit("平川区人力资源和社会保障局")
    market = factory.unit("平川区市场监督管理局")
    education = factory.unit("平川区教育局", short_name="区教育局")
    civil = factory.unit("平川区民政局")
    archive = factory.unit("平川区档案馆", kind="institution")
    db.session.add(UnitGroup(name="区政府各部门", unit_kind="bureau"))
    db.session.commit()
    index = NameIndex()
    assert (index.match("区教育局").entry, index.match("区教育局").confidence) == (education, CONFIDENCE_CERTAIN)
    # The list's 区 lends itself: 教育局 in "区发改局、教育局".
    assert index.match("教育局", "区").entry == education
    assert (index.match("区民政局").entry, index.match("区民政局").confidence) == (civil, CONFIDENCE_CORE)
    for written, unit in (("区人社局", hr), ("区市场监管局", market)):
        match = index.match(written)
        assert (match.entry, match.confidence) == (unit, CONFIDENCE_ABBREVIATION), written
    assert index.match("区档案局").entry is None  # 局 is not 馆
    characters = index.match("档案馆")
    assert characters.entry == archive and characters.confidence >= CONFIDENCE_CHARACTERS
    assert index.match("县政府各部门").entry.name == "区政府各部门"
    assert index.match("区残联").entry is None and index.match("区残联").confidence == 0


def test_a_confirmed_alias_is_read_by_every_form_next_time(factory):
    health = factory.unit("平川区卫生和健康委员会", short_name="区卫健委")
    factory.unit("平川区教育局", short_name="区教育局")
    db.session.commit()
    assert NameIndex().read("区卫健局、区教育局").unknown == ["区卫健局"]
    remember_alias(None, "区卫健局", health)
    # A unit's own name is never made an alias of another.
    assert remember_alias(None, "区教育局", health) is None
    db.session.commit()
    named = NameIndex().read("区卫健局、区教育局等")
    assert named.unknown == [] and named.entries[0] == health and named.etc


def test_a_list_is_read_name_by_name_and_each_name_kept_as_written():
    names, etc = written_names("区发改局,教育局 、区人民政府办公室（外事办）；市场监管局、科技局等单位。")
    assert etc
    assert [(each.written, each.name, each.prefix, each.expanded) for each in names] == [
        ("区发改局", "区发改局", "", "区发改局"),
        ("教育局", "教育局", "区", "区教育局"),
        # Full-width brackets as written; matched in their plain forms.
        ("区人民政府办公室（外事办）", "区人民政府办公室(外事办)", "区", "区人民政府办公室(外事办)"),
        # 市场 lends no 市; the 区 before it still serves the names after it.
        ("市场监管局", "市场监管局", "区", "区市场监管局"),
        ("科技局", "科技局", "区", "区科技局"),
    ]
    assert written_names("区发改局、区教育局 等") == written_names("区发改局、区教育局等")
    assert written_names(" 。") == ([], False)


def test_the_form_reads_a_name_with_its_lists_prefix_and_keeps_it_as_written(factory):
    education = factory.unit("平川区教育局", short_name="区教育局")
    town = factory.unit("红旗镇", kind="town")
    db.session.commit()
    named = NameIndex().read("区教育局、红旗镇")
    assert (named.entries, named.written) == ([education, town], ["区教育局", "红旗镇"])
    named = NameIndex().read("区发改局、教育局、红旗镇")
    assert named.unknown == ["区发改局"] and named.written == ["教育局", "红旗镇"]
    # A name the clerk matched on an import stands for that unit, whatever else it could be read as.
    named = NameIndex().read("区学校局", {"区学校局": education})
    assert (named.entries, named.written) == ([education], ["区学校局"])
