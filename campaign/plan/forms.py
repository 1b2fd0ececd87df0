"""The plan's forms: campaigns; groups, activities, venues and slogans; and the date and time fields they use.

The forms check what can be checked on one field; the rules across fields and the database live in the
services, which say which field a refusal belongs to.
"""

from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateField, Field, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from campaign.plan.activities import ActivityFields
from campaign.plan.document import drafted_notice_body, drafted_notice_title, drafted_opening
from campaign.plan.models import (
    MODE_ONLINE,
    MODE_ONSITE,
    ROLE_COOPERATING,
    ROLE_LEAD,
    ROLE_PARTICIPATING,
    ROLE_RESPONSIBLE,
    TIME_STYLE_CN,
    TIME_STYLE_COLON,
    VENUE_BRANCH,
    VENUE_MAIN,
    VENUE_PLAIN,
)
from campaign.plan.sections import PLACE_LABELS
from campaign.plan.services import (
    COPY_TO_MAX,
    EDITION_MAX,
    FIRST_YEAR,
    ISSUER_MARK_MAX,
    NOTICE_TITLE_MAX,
    CampaignFields,
    check_doc_number,
)
from campaign.shared.timeutil import local, local_datetime
from campaign.web.forms import choices, optional_id, values_of
from campaign.web.refusal import Refusal


class _ParseErrorInWords(Field):
    """For a date or time input: its parse error is `parse_error`, a sentence in the user's language."""

    parse_error = ""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.parse_error) from None


class LocalDateField(_ParseErrorInWords, DateField):
    parse_error = _l("请按“年-月-日”填写日期，如 2025-05-15。")


class LocalTimeField(_ParseErrorInWords, TimeField):
    parse_error = _l("请按“时:分”填写时间，如 09:00。")


class WholeNumberField(IntegerField):
    # No whole number a form asks for comes near this; beyond it a value would not fit an INTEGER column, and
    # NumberRange's isnan() overflows on it.
    LIMIT = 10**9
    data: Any  # WTForms is untyped; an int or None here

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("请填写整数。")) from None
        if self.data is not None and abs(self.data) >= self.LIMIT:
            self.data = None
            raise ValueError(_l("数字太大。"))


def _doc_number(form, field):
    if field.data and field.data.strip():
        try:
            check_doc_number(field.data, form.year.data if isinstance(form.year.data, int) else None)
        except Refusal as error:
            raise ValidationError(str(error)) from None


def _basis_number(form, field):
    if field.data and field.data.strip():
        try:
            check_doc_number(field.data)
        except Refusal as error:
            raise ValidationError(str(error)) from None


END_OF_DAY = time(23, 59, 59)


def _year_range():
    return NumberRange(FIRST_YEAR, 2100, message=_l("年份应在%(min)s到%(max)s之间。"))


class CampaignForm(FlaskForm):
    edition = WholeNumberField(
        _l("届次"),
        validators=[InputRequired(_l("请填写届次。")), NumberRange(1, EDITION_MAX, _l("届次应在%(min)s到%(max)s之间。"))],
    )
    year = WholeNumberField(_l("年份"), validators=[InputRequired(_l("请填写年份。")), _year_range()])
    title = StringField(
        _l("方案标题"),
        validators=[DataRequired(_l("请填写方案标题。")), Length(max=200, message=_l("标题不能超过%(max)d个字。"))],
    )
    theme = TextAreaField(_l("活动主题"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])
    first_day = LocalDateField(_l("活动开始日期"), validators=[InputRequired(_l("请填写开始日期。"))])
    last_day = LocalDateField(_l("活动结束日期"), validators=[InputRequired(_l("请填写结束日期。"))])
    issuing_office = StringField(
        _l("发文机关"), validators=[Length(max=100, message=_l("发文机关不能超过%(max)d个字。"))]
    )
    doc_number = StringField(_l("文号"), validators=[Length(max=60, message=_l("文号太长。")), _doc_number])
    issue_date = LocalDateField(_l("成文日期"), validators=[Optional()])
    basis_title = StringField(
        _l("上级通知标题"), validators=[Length(max=200, message=_l("标题不能超过%(max)d个字。"))]
    )
    basis_number = StringField(
        _l("上级通知文号"), validators=[Length(max=60, message=_l("文号太长。")), _basis_number]
    )
    addressees = TextAreaField(_l("主送单位"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])
    form_text = TextAreaField(_l("活动形式"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))])
    closing_requirements = TextAreaField(
        _l("活动要求"), validators=[Length(max=10000, message=_l("不能超过%(max)d个字。"))]
    )
    deadline_date = LocalDateField(_l("总结报送截止日期"), validators=[Optional()])
    deadline_time = LocalTimeField(_l("截止时间（北京时间，可不填）"), validators=[Optional()])
    time_style = RadioField(
        _l("时间的写法"),
        choices=choices([(TIME_STYLE_CN, _l("9时30分（公文常用）")), (TIME_STYLE_COLON, _l("9:30"))]),
        default=TIME_STYLE_CN,
        validate_choice=False,
    )
    notice_title = StringField(
        _l("通知标题"), validators=[Length(max=NOTICE_TITLE_MAX, message=_l("不能超过%(max)d个字。"))]
    )
    notice_body = TextAreaField(_l("通知正文"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))])
    opening_text = TextAreaField(
        _l("方案开头段"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))]
    )
    # 版头 and 版记 (GB/T 9704-2012), in a fieldset of their own on the form.
    masthead_shown = BooleanField(_l("显示版头（红色发文机关标志和红色分隔线）"))
    issuer_mark = StringField(
        _l("发文机关标志"), validators=[Length(max=ISSUER_MARK_MAX, message=_l("不能超过%(max)d个字。"))]
    )
    copy_to = TextAreaField(_l("抄送"), validators=[Length(max=COPY_TO_MAX, message=_l("不能超过%(max)d个字。"))])
    printed_by = StringField(_l("印发机关"), validators=[Length(max=100, message=_l("不能超过%(max)d个字。"))])
    printed_on = LocalDateField(_l("印发日期"), validators=[Optional()])

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("活动结束日期不能早于开始日期。"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty, so the pair is checked here. A date alone is
        # how plans write it ("5月18日前"); a time alone says nothing.
        if self.deadline_time.data is not None and self.deadline_date.data is None and not self.deadline_date.errors:
            self.deadline_date.errors = [*self.deadline_date.errors, _l("请填写截止日期。")]
            valid = False
        return valid

    def fill(self, campaign) -> None:
        """The stored campaign in the form's terms: the deadline as the Beijing date (and clock time) the organizer
        entered; the notice's body and the opening paragraph as drafted when the office has not written its own."""
        deadline = local(campaign.summary_deadline)
        if deadline is not None:
            self.deadline_date.data = deadline.date()
            if not campaign.deadline_date_only:
                self.deadline_time.data = time(deadline.hour, deadline.minute)
        self.notice_title.data = campaign.notice_title or drafted_notice_title(campaign)
        self.notice_body.data = campaign.notice_body or drafted_notice_body(campaign)
        self.opening_text.data = campaign.opening_text or drafted_opening(campaign)

    def fields(self) -> CampaignFields:
        deadline, date_only = None, False
        if self.deadline_date.data and self.deadline_time.data:
            deadline = local_datetime(self.deadline_date.data, self.deadline_time.data.replace(second=0))
        elif self.deadline_date.data:
            # "5月18日前" means until that day ends.
            deadline, date_only = local_datetime(self.deadline_date.data, END_OF_DAY), True
        return values_of(self, CampaignFields, summary_deadline=deadline, deadline_date_only=date_only)


class CopyForm(FlaskForm):
    year = WholeNumberField(_l("新活动的年份"), validators=[InputRequired(_l("请填写年份。")), _year_range()])
    edition = WholeNumberField(
        _l("新活动的届次"),
        validators=[InputRequired(_l("请填写届次。")), NumberRange(1, EDITION_MAX, _l("届次应在%(min)s到%(max)s之间。"))],
    )


# Groups, activities, venues and slogans

VENUE_KIND_CHOICES = choices(
    [(VENUE_BRANCH, _l("分会场")), (VENUE_MAIN, _l("主会场")), (VENUE_PLAIN, _l("普通地点（不标会场）"))]
)
ROLE_HINT = _l("按方案中的顺序填写，用顿号隔开，可写统称（如各镇街），末尾可加“等”。")
ALL_DAY_END = time(23, 59)


def _id(value) -> int:
    """An id from a form; anything else (not a number, or past the INTEGER columns) becomes 0, which no row has,
    and the service refuses it."""
    return optional_id(value) or 0


def _chosen_id(value) -> int | None:
    """None when nothing was chosen; a chosen value that is no id becomes 0, so that the service refuses it
    rather than the form dropping it."""
    return None if value in (None, "") else _id(value)


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
    new_venue_kind = SelectField(_l("新地点类型"), choices=VENUE_KIND_CHOICES, default=VENUE_BRANCH, validate_choice=False)
    lead_units = TextAreaField(_l("牵头单位"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])
    cooperating_units = TextAreaField(_l("配合单位"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])
    participating_units = TextAreaField(
        _l("参加单位"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))]
    )
    responsible_units = TextAreaField(_l("责任单位"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])
    requirements = TextAreaField(_l("活动要求"), validators=[Length(max=5000, message=_l("不能超过%(max)d个字。"))])
    to_bring = TextAreaField(_l("各单位需携带"), validators=[Length(max=2000, message=_l("不能超过%(max)d个字。"))])

    ROLE_FIELDS = {
        ROLE_LEAD: "lead_units",
        ROLE_COOPERATING: "cooperating_units",
        ROLE_PARTICIPATING: "participating_units",
        ROLE_RESPONSIBLE: "responsible_units",
    }

    def set_choices(self, groups, venues) -> None:
        self.group_id.choices = choices((str(group.id), group.title) for group in groups)
        self.venue_id.choices = choices([("", _l("（请选择）"))] + [(str(venue.id), venue.printed_name) for venue in venues])

    def fill(self, activity) -> None:
        """The stored activity in the form's terms: Beijing dates and clock times, units by role."""
        self.group_id.data = str(activity.group_id)
        self.venue_id.data = str(activity.venue_id or "")
        start, end = activity.local_start, activity.local_end
        self.start_date.data = start.date()
        self.end_date.data = end.date() if end is not None and end.date() != start.date() else None
        if not activity.all_day:
            self.start_time.data = time(start.hour, start.minute)
            if end is not None:
                self.end_time.data = time(end.hour, end.minute)
        for role, name in self.ROLE_FIELDS.items():
            getattr(self, name).data = activity.role_text(role)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty, so the times are checked here.
        # A start without an end is how plans often write it (5月15日上午9时); an end date needs its clock time.
        if not self.all_day.data:
            if self.start_time.data is None and not self.start_time.errors:
                self.start_time.errors = [*self.start_time.errors, _l("请填写开始时间，或勾选“按整天计”。")]
                valid = False
            if self.end_date.data is not None and self.end_time.data is None and not self.end_time.errors:
                self.end_time.errors = [*self.end_time.errors, _l("请填写结束时间，或清空结束日期。")]
                valid = False
        return valid

    def fields(self) -> ActivityFields:
        start_day: date = self.start_date.data
        end_day: date = self.end_date.data or start_day
        ends_at = None
        if self.all_day.data:
            starts_at, ends_at = local_datetime(start_day, time(0, 0)), local_datetime(end_day, ALL_DAY_END)
        else:
            starts_at = local_datetime(start_day, self.start_time.data.replace(second=0))
            if self.end_time.data is not None:
                ends_at = local_datetime(end_day, self.end_time.data.replace(second=0))
        return ActivityFields(
            group_id=_id(self.group_id.data),
            title=self.title.data,
            mode=self.mode.data,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=bool(self.all_day.data),
            description=self.description.data,
            venue_id=_chosen_id(self.venue_id.data),
            new_venue_name=self.new_venue_name.data or "",
            new_venue_kind=self.new_venue_kind.data or "",
            role_texts={role: getattr(self, name).data or "" for role, name in self.ROLE_FIELDS.items()},
            requirements=self.requirements.data,
            to_bring=self.to_bring.data,
        )


class VenueForm(FlaskForm):
    name = StringField(
        _l("地点名称"),
        validators=[DataRequired(_l("请填写地点名称。")), Length(max=100, message=_l("地点名称不能超过%(max)d个字。"))],
    )
    address = StringField(_l("地址"), validators=[Length(max=200, message=_l("地址不能超过%(max)d个字。"))])
    kind = RadioField(_l("类型"), choices=VENUE_KIND_CHOICES, default=VENUE_BRANCH, validate_choice=False)


class SlogansForm(FlaskForm):
    text = TextAreaField(_l("一次粘贴多条，每行一条"), validators=[DataRequired(_l("请粘贴标语，每行一条。"))])


class SloganForm(FlaskForm):
    text = StringField(
        _l("标语"),
        validators=[DataRequired(_l("请填写标语内容。")), Length(max=200, message=_l("每条标语不能超过%(max)d个字。"))],
    )


class SectionForm(FlaskForm):
    """A section of the plan's own (plan/sections.py checks it; the form only carries it)."""

    title = StringField(_l("章节标题"))
    text = TextAreaField(_l("内容"))
    place = SelectField(_l("位置"), choices=choices(PLACE_LABELS.items()), default="requirements", validate_choice=False)


class PlanImportForm(FlaskForm):
    """The first step of 从方案文件导入: the plan's text or its Word file, and the year it is for."""

    text = TextAreaField(_l("粘贴通知和方案的文字"))
    file = FileField(_l("或上传方案的 Word 文件（.docx）"))
    year = WholeNumberField(_l("导入为哪一年的活动"), validators=[InputRequired(_l("请填写年份。")), _year_range()])
