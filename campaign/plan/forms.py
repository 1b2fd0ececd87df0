"""Forms for campaigns, and the date and time fields every plan form uses.

The forms check what can be checked on one field; the rules across fields and the database live in the
services, which say which field a refusal belongs to.
"""

from datetime import time
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.fields import DateField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from campaign.plan.services import EDITION_MAX, FIRST_YEAR, CampaignFields, check_doc_number
from campaign.shared.timeutil import local, local_datetime
from campaign.web.refusal import Refusal


class LocalDateField(DateField):
    """A date input whose parse error is a sentence in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("请按“年-月-日”填写日期，如 2025-05-15。")) from None


class LocalTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("请按“时:分”填写时间，如 09:00。")) from None


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
    deadline_time = LocalTimeField(_l("截止时间（北京时间）"), validators=[Optional()])

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("活动结束日期不能早于开始日期。"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty, so the pair is checked here.
        date_given, time_given = self.deadline_date.data is not None, self.deadline_time.data is not None
        if date_given != time_given and not self.deadline_date.errors and not self.deadline_time.errors:
            missing = self.deadline_time if date_given else self.deadline_date
            missing.errors = [*missing.errors, _l("请同时填写截止的日期和时间。")]
            valid = False
        return valid

    def fill_deadline(self, campaign) -> None:
        """The stored deadline, shown as the Beijing date and clock time the organizer entered."""
        deadline = local(campaign.summary_deadline)
        if deadline is not None:
            self.deadline_date.data = deadline.date()
            self.deadline_time.data = time(deadline.hour, deadline.minute)

    def fields(self) -> CampaignFields:
        deadline = None
        if self.deadline_date.data and self.deadline_time.data:
            deadline = local_datetime(self.deadline_date.data, self.deadline_time.data.replace(second=0))
        return CampaignFields(
            edition=self.edition.data,
            year=self.year.data,
            title=self.title.data,
            theme=self.theme.data,
            first_day=self.first_day.data,
            last_day=self.last_day.data,
            issuing_office=self.issuing_office.data,
            doc_number=self.doc_number.data,
            basis_title=self.basis_title.data,
            basis_number=self.basis_number.data,
            addressees=self.addressees.data,
            form_text=self.form_text.data,
            closing_requirements=self.closing_requirements.data,
            summary_deadline=deadline,
            issue_date=self.issue_date.data,
        )


class CopyForm(FlaskForm):
    year = WholeNumberField(_l("新活动的年份"), validators=[InputRequired(_l("请填写年份。")), _year_range()])
    edition = WholeNumberField(
        _l("新活动的届次"),
        validators=[InputRequired(_l("请填写届次。")), NumberRange(1, EDITION_MAX, _l("届次应在%(min)s到%(max)s之间。"))],
    )
