"""Forms for groups, activities, venues and slogans."""

from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.plan.activity_services import ActivityFields
from campaign.plan.forms import LocalDateField, LocalTimeField
from campaign.plan.models import MODE_ONLINE, MODE_ONSITE
from campaign.shared.timeutil import local_datetime


def choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants them; older versions take the pairs as they are."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


NEW_VENUE_KINDS = choices([("branch", _l("分会场")), ("main", _l("主会场"))])
ALL_DAY_END = time(23, 59)


def _id(value) -> int:
    """An id from a form; anything else becomes 0, which no row has, and the service refuses it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _optional_id(value) -> int | None:
    return _id(value) or None


class GroupForm(FlaskForm):
    title = StringField(
        _l("分组名称"),
        validators=[DataRequired(_l("请填写分组名称。")), Length(max=100, message=_l("分组名称不能超过%(max)d个字。"))],
    )


class ActivityForm(FlaskForm):
    group_id = SelectField(_l("所属分组"), validate_choice=False)
    title = StringField(
        _l("活动名称"),
        validators=[DataRequired(_l("请填写活动名称。")), Length(max=200, message=_l("活动名称不能超过%(max)d个字。"))],
    )
    description = TextAreaField(_l("活动内容"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))])
    mode = RadioField(
        _l("活动形式"),
        choices=choices([(MODE_ONSITE, _l("现场")), (MODE_ONLINE, _l("线上"))]),
        default=MODE_ONSITE,
        validators=[InputRequired(_l("请选择活动形式。"))],
        validate_choice=False,
    )
    all_day = BooleanField(_l("按整天计（只写日期，如 5月15日至5月20日）"))
    start_date = LocalDateField(_l("开始日期"), validators=[InputRequired(_l("请填写开始日期。"))])
    start_time = LocalTimeField(_l("开始时间"), validators=[Optional()])
    end_date = LocalDateField(_l("结束日期"), validators=[Optional()])
    end_time = LocalTimeField(_l("结束时间"), validators=[Optional()])
    venue_id = SelectField(_l("活动地点"), validate_choice=False)
    new_venue_name = StringField(
        _l("或新建地点"), validators=[Length(max=100, message=_l("地点名称不能超过%(max)d个字。"))]
    )
    new_venue_kind = SelectField(_l("新地点类型"), choices=NEW_VENUE_KINDS, default="branch", validate_choice=False)
    lead_units = SelectMultipleField(_l("牵头单位"), coerce=_id, validate_choice=False)
    cooperating_units = SelectMultipleField(_l("配合单位"), coerce=_id, validate_choice=False)
    responsible_unit = SelectField(_l("责任单位"), validate_choice=False)
    requirements = TextAreaField(_l("活动要求"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))])
    to_bring = TextAreaField(_l("各单位需携带"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])

    def set_choices(self, groups, venues, units) -> None:
        self.group_id.choices = choices((str(group.id), group.title) for group in groups)
        self.venue_id.choices = choices(
            [("", _l("（请选择）"))] + [(str(venue.id), f"{venue.name}（{venue.kind_label}）") for venue in venues]
        )
        self.responsible_unit.choices = choices([("", _l("（不设）"))] + [(str(unit.id), unit.name) for unit in units])
        # Rendered by the template as checkboxes grouped by kind; the choices only serve WTForms' bookkeeping.
        self.lead_units.choices = self.cooperating_units.choices = choices((unit.id, unit.name) for unit in units)

    def fill(self, activity) -> None:
        """The stored activity in the form's terms: Beijing dates and clock times, units by role."""
        self.group_id.data = str(activity.group_id)
        self.venue_id.data = str(activity.venue_id or "")
        start, end = activity.local_start, activity.local_end
        self.start_date.data, self.end_date.data = start.date(), end.date()
        if not activity.all_day:
            self.start_time.data = time(start.hour, start.minute)
            self.end_time.data = time(end.hour, end.minute)
        self.lead_units.data = [link.unit_id for link in activity.unit_links if link.role == "lead"]
        self.cooperating_units.data = [link.unit_id for link in activity.unit_links if link.role == "cooperating"]
        responsible = [link.unit_id for link in activity.unit_links if link.role == "responsible"]
        self.responsible_unit.data = str(responsible[0]) if responsible else ""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty, so the times are checked here.
        if not self.all_day.data:
            for field, message in ((self.start_time, _l("请填写开始时间。")), (self.end_time, _l("请填写结束时间。"))):
                if field.data is None and not field.errors:
                    field.errors = [*field.errors, message]
                    valid = False
        return valid

    def fields(self) -> ActivityFields:
        start_day: date = self.start_date.data
        end_day: date = self.end_date.data or start_day
        if self.all_day.data:
            starts_at, ends_at = local_datetime(start_day, time(0, 0)), local_datetime(end_day, ALL_DAY_END)
        else:
            starts_at = local_datetime(start_day, self.start_time.data.replace(second=0))
            ends_at = local_datetime(end_day, self.end_time.data.replace(second=0))
        return ActivityFields(
            group_id=_id(self.group_id.data),
            title=self.title.data,
            mode=self.mode.data,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=bool(self.all_day.data),
            description=self.description.data,
            venue_id=_optional_id(self.venue_id.data),
            new_venue_name=self.new_venue_name.data or "",
            new_venue_is_main=self.new_venue_kind.data == "main",
            lead_ids=[i for i in self.lead_units.data or [] if i is not None],
            cooperating_ids=[i for i in self.cooperating_units.data or [] if i is not None],
            responsible_id=_optional_id(self.responsible_unit.data),
            requirements=self.requirements.data,
            to_bring=self.to_bring.data,
        )


class VenueForm(FlaskForm):
    name = StringField(
        _l("地点名称"),
        validators=[DataRequired(_l("请填写地点名称。")), Length(max=100, message=_l("地点名称不能超过%(max)d个字。"))],
    )
    address = StringField(_l("地址"), validators=[Length(max=200, message=_l("地址不能超过%(max)d个字。"))])
    is_main = BooleanField(_l("主会场"))


class SlogansForm(FlaskForm):
    text = TextAreaField(_l("一次粘贴多条，每行一条"), validators=[DataRequired(_l("请粘贴标语，每行一条。"))])


class SloganForm(FlaskForm):
    text = StringField(
        _l("标语"),
        validators=[DataRequired(_l("请填写标语内容。")), Length(max=200, message=_l("每条标语不能超过%(max)d个字。"))],
    )
