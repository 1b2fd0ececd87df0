from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from campaign.shared.phones import normalize_phone, valid_phone
from campaign.shared.workdays import DAY_KINDS
from campaign.units.models import UNIT_KINDS
from campaign.units.services import (
    CONTACT_MAX,
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    SHORT_NAME_MAX,
    UnitFields,
    clean_text,
)
from campaign.web.forms import choices, optional_id, values_of

KIND_CHOICES = choices(UNIT_KINDS.items())


def _phone(form, field):
    if field.data and not valid_phone(field.data):
        raise ValidationError(_l("请填写手机号（如 13800001111）或座机号（如 0571-88886666，可加分机号）。"))


class UnitForm(FlaskForm):
    name = StringField(
        _l("单位名称"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("请输入单位名称。")),
            Length(max=NAME_MAX, message=_l("单位名称不能超过%(max)d个字。")),
        ],
    )
    short_name = StringField(
        _l("简称"), filters=[clean_text], validators=[Length(max=SHORT_NAME_MAX, message=_l("简称不能超过%(max)d个字。"))]
    )
    # The labels are document words and stay Chinese in every language.
    kind = SelectField(_l("类型"), choices=KIND_CHOICES, default="bureau")
    contact_person = StringField(
        _l("联系人"), filters=[clean_text], validators=[Length(max=CONTACT_MAX, message=_l("联系人不能超过%(max)d个字。"))]
    )
    contact_phone = StringField(
        _l("联系电话"),
        filters=[normalize_phone],
        validators=[Length(max=PHONE_MAX, message=_l("电话号码太长。")), _phone],
    )

    contact_email = StringField(
        _l("电子邮箱"),
        filters=[clean_text],
        validators=[Length(max=EMAIL_MAX, message=_l("电子邮箱太长。"))],
    )

    def fields(self) -> UnitFields:
        return values_of(self, UnitFields)


class ImportForm(FlaskForm):
    text = TextAreaField(_l("粘贴单位列表"))
    file = FileField(_l("或上传文件（.xlsx 或 .csv）"))
    # The checked rows, carried from the preview to the confirmation so a file need not be uploaded twice.
    rows = TextAreaField(_l("待导入的单位"))


class UnitGroupForm(FlaskForm):
    name = StringField(
        _l("统称"),
        validators=[DataRequired(_l("请填写统称，如：各镇街。")), Length(max=50, message=_l("统称不能超过%(max)d个字。"))],
    )
    unit_kind = SelectField(
        _l("包括"), choices=choices([("", _l("下面勾选的单位"))] + [(k, _l("全部%(kind)s", kind=v)) for k, v in UNIT_KINDS.items()]),
        validate_choice=False,
    )
    # Rendered as checkboxes by the template; any id that is no unit is refused by the service.
    unit_ids = SelectMultipleField(_l("单位"), coerce=lambda value: optional_id(value) or 0, validate_choice=False)


class OfficeDayForm(FlaskForm):
    """A day the office says is off or worked (the service checks the date, the kind and the note)."""

    day = StringField(_l("日期"), filters=[clean_text])
    kind = SelectField(_l("这一天"), choices=choices([(k, v) for k, v in DAY_KINDS.items()]), validate_choice=False)
    note = StringField(_l("说明"), filters=[clean_text])


class HolidayNoticeForm(FlaskForm):
    """The State Council's holiday notice for a year, pasted; read and shown before anything is saved."""

    year = StringField(_l("年份"), filters=[clean_text])
    text = TextAreaField(_l("国务院办公厅放假通知的正文"))
