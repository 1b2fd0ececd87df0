"""Forms of the organizer's booth pages; the rules across fields and the database live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from campaign.booths.services import FOLLOW_UP_DAYS_MAX, FOLLOW_UP_DAYS_MIN
from campaign.booths.staff_forms import ConsultationForm
from campaign.plan.forms import WholeNumberField
from campaign.shared.formatting import cn_span


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # An id beyond the INTEGER columns names nothing, and would overflow the query that looks it up.
    return number if abs(number) < 2**31 else None


class BoothForm(FlaskForm):
    # The services check the choice (and say so in Chinese), so WTForms' own English "Not a valid choice" is off.
    unit_id = SelectField(
        _l("单位"), coerce=_optional_int, validate_choice=False, validators=[InputRequired(_l("请选择单位。"))]
    )
    activity_id = SelectField(_l("现场活动"), coerce=_optional_int, validate_choice=False)
    name = StringField(
        _l("咨询台名称（可不填）"), validators=[Length(max=100, message=_l("名称不能超过%(max)d个字。"))]
    )

    def set_choices(self, units, activities) -> None:
        self.unit_id.choices = [("", _l("请选择"))] + [(unit.id, unit.name) for unit in units]
        self.activity_id.choices = [("", _l("不属于某项活动"))] + [
            (activity.id, f"{activity.title}（{cn_span(activity.starts_at, activity.ends_at, activity.all_day)}）")
            for activity in activities
        ]


class SettingsForm(FlaskForm):
    topics = TextAreaField(_l("咨询主题（每行一项）"), validators=[Length(max=4000, message=_l("内容太长。"))])
    materials = TextAreaField(_l("宣传资料（每行一项）"), validators=[Length(max=4000, message=_l("内容太长。"))])
    follow_up_days = WholeNumberField(
        _l("转办/回访期限（天）"),
        validators=[
            InputRequired(_l("请填写回访期限。")),
            NumberRange(FOLLOW_UP_DAYS_MIN, FOLLOW_UP_DAYS_MAX, _l("回访期限应在%(min)s到%(max)s天之间。")),
        ],
    )


class CorrectionForm(ConsultationForm):
    """The organizer's correction of a consultation: the phone's fields, with name and phone shown masked."""

    clear_contact = BooleanField(_l("删除已留存的姓名和电话"))
