"""确认导入: the previewed plan made into a draft campaign in one transaction, through the same services the pages
use (create_campaign, add_group, save_activity, add_slogans, create_unit), so every rule of the plan applies. A
refusal names the preview's field it concerns; the request is then rolled back whole (web/transaction.py)."""

from datetime import datetime, time

from flask_babel import lazy_gettext as _l

from campaign.plan.activities import WEEKDAY_WORDS, ActivityFields, add_group, save_activity
from campaign.plan.importing.draft import NEW_GROUP, NEW_UNIT, DraftActivity, ImportDraft
from campaign.plan.importing.times import read_when
from campaign.plan.models import MODES, UNIT_ROLES, VENUE_KINDS, VENUE_PLAIN, Campaign
from campaign.plan.sections import add_section
from campaign.plan.services import CampaignFields, check_edition_and_year, create_campaign, note_change
from campaign.plan.venues_and_slogans import add_slogans
from campaign.shared.timeutil import local_datetime
from campaign.units.aliases import remember_alias
from campaign.units.groups import save_group
from campaign.units.models import UNIT_KINDS, Unit, UnitGroup
from campaign.units.services import UnitFields, create_unit
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

END_OF_DAY = time(23, 59, 59)
ALL_DAY_END = time(23, 59)
# The campaign form's fields → the preview's.
CAMPAIGN_FIELD_KEYS = {"first_day": "period", "last_day": "period", "deadline_date": "deadline"}
ACTIVITY_FIELD_KEYS = {
    "start_date": "time", "end_date": "time", "end_time": "time", "venue_id": "venue", "new_venue_name": "venue",
    "new_venue_kind": "venue_kind", "lead_units": "lead", "cooperating_units": "cooperating",
    "participating_units": "participating", "responsible_units": "responsible", "group_id": "title",
}


def _refused_at(error: Refusal, key: str) -> Refusal:
    return Refusal(*error.parts, field=key, conflict=error.conflict)


def _number(value: str, key: str, message) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise Refusal(message, field=f"c-{key}") from None


def _day(text: str, year: int, key: str, required: bool = False):
    """A date written in the plan's words, in the campaign's year: (first day, last day or None, clock or None)."""
    if not text.strip():
        if required:
            raise Refusal(_l("请填写日期，如：5月15日至5月20日。"), field=key)
        return None, None, None
    when = read_when(text)
    if when is None:
        raise Refusal(_l("无法读出“%(text)s”中的日期，请按“5月15日”“5月15日上午9时至11时30分”的样子填写。", text=text),
                      field=key)
    first, last = when.days(year)
    return first, last, when


def _campaign(user, draft: ImportDraft) -> Campaign:
    values = draft.values
    year = _number(values["year"], "year", _l("请填写年份。"))
    edition = _number(values["edition"], "edition", _l("请填写届次。"))
    try:
        # Before any date is made in that year (a year past 9999 is no date at all).
        check_edition_and_year(edition, year)
    except Refusal as error:
        raise _refused_at(error, f"c-{error.field}") from None
    first, last, _when = _day(values["period"], year, "c-period", required=True)
    deadline, date_only = None, False
    day, _last, when = _day(values["deadline"], year, "c-deadline")
    if day is not None and when is not None:
        date_only = when.start_time is None
        deadline = local_datetime(day, when.start_time or END_OF_DAY)
    issue_day = _day(values["issue_date"], year, "c-issue_date")[0]
    fields = CampaignFields(
        edition=edition, year=year, title=values["title"], first_day=first, last_day=last or first,
        theme=values["theme"], issuing_office=values["issuing_office"], doc_number=values["doc_number"],
        basis_title=values["basis_title"], basis_number=values["basis_number"], addressees=values["addressees"],
        form_text=values["form_text"], closing_requirements=values["closing_requirements"],
        summary_deadline=deadline, deadline_date_only=date_only, issue_date=issue_day,
        time_style=values["time_style"] or "cn", notice_body=values["notice_body"], opening_text=values["opening_text"],
        notice_title=values["notice_title"],
    )
    try:
        return create_campaign(user, fields)
    except Refusal as error:
        raise _refused_at(error, "c-" + CAMPAIGN_FIELD_KEYS.get(error.field or "title", error.field or "title")) from None


def _entries(user, draft: ImportDraft) -> dict[str, Unit | UnitGroup]:
    """Each written name's unit or group: new ones made, and a name the clerk matched by hand remembered."""
    entries: dict[str, Unit | UnitGroup] = {}
    for position, choice in enumerate(draft.units):
        kind, _, value = choice.choice.partition(":")
        key = f"u-{position}-choice"
        try:
            if kind in (NEW_UNIT, NEW_GROUP):
                if value not in UNIT_KINDS:
                    raise Refusal(_l("请选择单位类型。"), field=key)
                if kind == NEW_UNIT:
                    entries[choice.name] = create_unit(user, UnitFields(name=choice.name, kind=value))
                else:
                    entries[choice.name] = save_group(user, choice.name, value, [])
                continue
            entry: Unit | UnitGroup | None = None
            if kind == "unit" and value.isascii() and value.isdigit() and len(value) <= 9:
                entry = db.session.get(Unit, int(value))
            elif kind == "group" and value.isascii() and value.isdigit() and len(value) <= 9:
                entry = db.session.get(UnitGroup, int(value))
        except Refusal as error:
            raise _refused_at(error, key) from None
        if entry is None:
            raise Refusal(_l("“%(name)s”对应的单位不存在，请重新选择。", name=choice.name), field=key)
        if isinstance(entry, Unit):
            remember_alias(user, choice.name, entry)
        entries[choice.name] = entry
    return entries


def _activity_fields(activity: DraftActivity, group_id: int, year: int, position: int,
                     entries: dict[str, Unit | UnitGroup]) -> tuple[ActivityFields, list[str]]:
    values = activity.values
    key = f"a-{position}-"
    first, last, when = _day(values["time"], year, key + "time", required=True)
    assert first is not None and when is not None
    notes = []
    if when.weekday is not None and when.weekday != first.weekday():
        notes.append(str(_l("“%(title)s”：原文写%(day)s是%(written)s，%(year)s年的这一天是%(weekday)s，请核对。",
                           title=values["title"], day=f"{first.month}月{first.day}日", year=first.year,
                           written=WEEKDAY_WORDS[when.weekday], weekday=WEEKDAY_WORDS[first.weekday()])))
    ends_at: datetime | None
    if when.start_time is None:
        starts_at, ends_at, all_day = local_datetime(first, time(0, 0)), local_datetime(last or first, ALL_DAY_END), True
    else:
        all_day = False
        starts_at = local_datetime(first, when.start_time)
        ends_at = local_datetime(last or first, when.end_time) if when.end_time is not None else None
    mode = values["mode"] if values["mode"] in MODES else ""
    fields = ActivityFields(
        group_id=group_id, title=values["title"], mode=mode, starts_at=starts_at, ends_at=ends_at, all_day=all_day,
        description=values["description"], new_venue_name=values["venue"],
        new_venue_kind=values["venue_kind"] if values["venue_kind"] in VENUE_KINDS else VENUE_PLAIN,
        # Each list as the source wrote it (the plan prints it so); each name stands for what the clerk matched.
        role_texts={role: values[role] for role in UNIT_ROLES}, matched=entries,
        requirements=values["requirements"],
    )
    return fields, notes


def import_plan(user, draft: ImportDraft, into: Campaign | None = None) -> tuple[Campaign, list[str]]:
    """The draft campaign with its groups, activities, venues, slogans, new units and remembered names; and what
    the clerk is asked to check (weekend dates, weekdays that moved with the year, dates outside the period).
    `into`: an existing draft that takes the plan's groups, activities and slogans after its own; its own
    fields (title, notice, period …) stay as they are."""
    if into is not None and not into.is_draft:
        raise Refusal(_l("方案已印发，不能再导入；如需调整，请逐项修改。"))  # the view says so before
    campaign = into if into is not None else _campaign(user, draft)
    entries = _entries(user, draft)
    group_ids = []
    for position, (title, _read) in enumerate(draft.groups):
        try:
            group_ids.append(add_group(user, campaign, title).id)
        except Refusal as error:
            raise _refused_at(error, f"g-{position}") from None
    warnings: list[str] = []
    for position, activity in enumerate(draft.activities):
        if not group_ids:
            raise Refusal(_l("方案中没有读到活动分组。"), field="g-0")
        fields, notes = _activity_fields(activity, group_ids[activity.group], campaign.year, position, entries)
        try:
            _saved, time_notes = save_activity(user, campaign, fields)
        except Refusal as error:
            key = ACTIVITY_FIELD_KEYS.get(error.field or "title", error.field or "title")
            raise _refused_at(error, f"a-{position}-{key}") from None
        warnings += notes + [f"“{fields.title}”：{note}" for note in time_notes]
    if draft.slogans.strip():
        try:
            add_slogans(user, campaign, draft.slogans)
        except Refusal as error:
            raise _refused_at(error, "slogans") from None
    for position, section in enumerate(draft.sections):
        if not (section.title.strip() or section.text.strip()):
            continue  # emptied on the preview: not wanted
        try:
            add_section(user, campaign, section.title, section.text, section.place)
        except Refusal as error:
            raise _refused_at(error, f"s-{position}-{error.field or 'title'}") from None
    note_change(campaign, user, "plan_imported", campaign, activities=len(draft.activities),
                units_created=sum(1 for unit in draft.units if unit.choice.startswith(NEW_UNIT + ":")))
    db.session.flush()
    return campaign, warnings


