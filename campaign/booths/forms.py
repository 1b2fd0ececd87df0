"""The booths' forms: the staff page, the organizer's booth pages and board, follow-ups, and the public card.

The rules of an entry live in recording.clean_consultation; the staff and public forms only carry it, so the plain
form, the JSON API and the public card refuse the same things with the same words. The rules across fields and the
database live in the services.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from campaign.booths.followups import NOTE_MAX_CHARS, REPLY_MAX_CHARS
from campaign.booths.models import ASKER_TYPES, HANDLINGS, KINDS, SATISFACTIONS
from campaign.booths.receipts import clean_uuid
from campaign.booths.recording import NAME_MAX, QUESTION_MAX
from campaign.booths.settings import DEADLINE_FIELDS, FOLLOW_UP_DAYS_MAX, FOLLOW_UP_DAYS_MIN
from campaign.plan.forms import WholeNumberField
from campaign.shared.formatting import cn_span
from campaign.shared.phones import clean_phone
from campaign.web.forms import choices, optional_id

# The staff page


class PinForm(FlaskForm):
    pin = StringField(_l("PIN（6位数字）"))



class ConsultationForm(FlaskForm):
    # validate_choice=False: recording.clean_consultation gives the Chinese messages, WTForms would not.
    uuid = HiddenField()
    kind = RadioField(_l("类别"), choices=choices((kind, kind) for kind in KINDS), validate_choice=False)
    # Buttons, not a list: one tap where a list costs two (issue 16.2).
    topic = RadioField(_l("主题"), validate_choice=False, choices=[])
    question = TextAreaField(_l("问题摘要"), render_kw={"maxlength": QUESTION_MAX, "rows": 2})
    asker_type = RadioField(_l("咨询人"), choices=choices((asker, asker) for asker in ASKER_TYPES), default=ASKER_TYPES[0], validate_choice=False)
    handling = RadioField(_l("办理"), choices=choices((handling, handling) for handling in HANDLINGS), default=HANDLINGS[0], validate_choice=False)
    satisfaction = RadioField(
        _l("满意度"), choices=choices([("", _l("未评"))] + [(value, value) for value in SATISFACTIONS]), default="",
        validate_choice=False,
    )
    person_name = StringField(_l("姓名"), render_kw={"maxlength": NAME_MAX, "autocomplete": "name"})
    person_phone = StringField(
        _l("电话"), render_kw={"inputmode": "tel", "autocomplete": "tel", "type": "tel", "maxlength": 20}
    )
    consent = BooleanField(_l("本人同意留存联系方式，仅用于回复本次咨询"))
    # 转办 and 需回访: the unit that answers (campaign/booths/routing.py checks it takes part).
    referral_unit_id = RadioField(_l("转给哪个单位"), validate_choice=False, choices=[])
    # The same choice from the list of every unit taking part, when the suggestions do not have it.
    referral_unit_other = StringField(_l("其他参加单位"))

    def set_topics(self, topics: list[str]) -> None:
        self.topic.choices = choices((topic, topic) for topic in topics)

    def entry(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in (
                "kind", "topic", "question", "asker_type", "handling", "person_name", "person_phone", "consent",
                "satisfaction",
            )
        } | {"referral_unit_id": self.referral_unit_id.data or self.referral_unit_other.data or ""}

    def show_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = list(field.errors or []) + [message]


# The organizer's booth pages


class BoothForm(FlaskForm):
    # The services check the choice (and say so in Chinese), so WTForms' own English "Not a valid choice" is off.
    unit_id = SelectField(
        _l("单位"), coerce=optional_id, validate_choice=False, validators=[InputRequired(_l("请选择单位。"))]
    )
    activity_id = SelectField(_l("现场活动"), coerce=optional_id, validate_choice=False)
    name = StringField(
        _l("咨询台名称（可不填）"), validators=[Length(max=100, message=_l("名称不能超过%(max)d个字。"))]
    )

    def set_choices(self, units, activities) -> None:
        self.unit_id.choices = [("", _l("请选择"))] + [(unit.id, unit.name) for unit in units]
        self.activity_id.choices = [("", _l("不属于某项活动"))] + [
            (activity.id, f"{activity.title}（{cn_span(activity.starts_at, activity.ends_at, activity.all_day)}）")
            for activity in activities
        ]


def deadline_field(label) -> WholeNumberField:
    return WholeNumberField(
        label,
        validators=[
            InputRequired(_l("请填写期限。")),
            NumberRange(FOLLOW_UP_DAYS_MIN, FOLLOW_UP_DAYS_MAX, _l("期限应在%(min)s到%(max)s个工作日之间。")),
        ],
    )


class SettingsForm(FlaskForm):
    topics = TextAreaField(_l("咨询主题（每行一项）"), validators=[Length(max=4000, message=_l("内容太长。"))])
    materials = TextAreaField(_l("宣传资料（每行一项）"), validators=[Length(max=4000, message=_l("内容太长。"))])
    referral_reply_days = deadline_field(_l("转办：答复期限（工作日）"))
    referral_close_days = deadline_field(_l("转办：办结期限（工作日）"))
    call_back_reply_days = deadline_field(_l("需回访：答复期限（工作日）"))
    call_back_close_days = deadline_field(_l("需回访：办结期限（工作日）"))

    def deadline_days(self) -> dict:
        return {name: getattr(self, name).data for name, _kind, _step in DEADLINE_FIELDS}


class CorrectionForm(ConsultationForm):
    """The organizer's correction of a consultation: the phone's fields, with name and phone shown masked."""

    clear_contact = BooleanField(_l("删除已留存的姓名和电话"))


class FullExportForm(FlaskForm):
    confirm = BooleanField(_l("导出完整姓名和电话（将记录在审计日志中）"))


# Follow-ups


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        _l("答复内容"),
        validators=[Length(max=REPLY_MAX_CHARS, message=_l("答复不能超过%(max)d字。"))],
    )


class CallBackForm(FlaskForm):
    # The service checks the choices and says so in Chinese.
    reached = RadioField(
        _l("是否联系上"), choices=choices([("1", _l("联系上了")), ("0", _l("没有联系上"))]), validate_choice=False,
    )
    satisfaction = RadioField(
        _l("群众满意度"), choices=choices((value, value) for value in SATISFACTIONS), validate_choice=False,
    )
    note = TextAreaField(
        _l("回访记录"), validators=[Length(max=NOTE_MAX_CHARS, message=_l("回访记录不能超过%(max)d字。"))],
    )

    def reached_value(self) -> bool | None:
        return {"1": True, "0": False}.get(self.reached.data or "")


class DueForm(FlaskForm):
    due_date = DateField(_l("答复期限"), validators=[Optional()])
    close_due_date = DateField(_l("办结期限"), validators=[Optional()])


class ReassignForm(FlaskForm):
    unit_id = SelectField(_l("改由哪个单位办理"), coerce=optional_id, validate_choice=False)


class RoutesForm(FlaskForm):
    """Only the CSRF token: the routes come as one multi-select per topic (route_0, route_1 …), see the view."""


# The public card

PUBLIC_KINDS = ("政策咨询", "意见建议", "投诉", "情况反映")


def _strip(value):
    return (value or "").strip()



class PublicConsultationForm(FlaskForm):
    kind = RadioField(
        _l("类别"),
        choices=choices((kind, kind) for kind in PUBLIC_KINDS),
        default=PUBLIC_KINDS[0],
        validate_choice=False,
    )
    topic = SelectField(_l("涉及领域（可不选）"), choices=[], validate_choice=False)
    question = TextAreaField(
        _l("您的问题或意见"),
        validators=[Length(max=QUESTION_MAX, message=_l("请不要超过 500 字。"))],
        filters=[_strip],
    )
    satisfaction = RadioField(
        _l("您对本次咨询服务的评价（可不选）"),
        choices=choices([("", _l("不评价"))] + [(value, value) for value in SATISFACTIONS]),
        default="",
        validate_choice=False,
    )
    person_name = StringField(_l("姓名（可不填）"), validators=[Optional(), Length(max=50)], filters=[_strip])
    person_phone = TelField(_l("联系电话（可不填）"), filters=[_strip])
    consent = BooleanField(_l("我同意留下姓名和电话，仅用于工作人员就此问题联系我。"))
    # The honeypot: hidden from people by the stylesheet; a bot that fills every box gives itself away.
    website = StringField(_l("请勿填写"))
    client_uuid = HiddenField()

    def set_topics(self, topics) -> None:
        self.topic_values = set(topics)
        self.topic.choices = choices([("", _l("不选择"))] + [(topic, topic) for topic in topics])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if clean_uuid(self.client_uuid.data) is None:
            self.form_errors.append(_l("页面已过期，请刷新后重新填写。"))
            ok = False
        if self.kind.data not in PUBLIC_KINDS:
            self.kind.errors = [*self.kind.errors, _l("请选择类别。")]
            ok = False
        if self.topic.data and self.topic.data not in self.topic_values:
            self.topic.errors = [*self.topic.errors, _l("请从列表中选择领域。")]
            ok = False
        if self.satisfaction.data and self.satisfaction.data not in SATISFACTIONS:
            self.satisfaction.errors = [*self.satisfaction.errors, _l("请选择满意度。")]
            ok = False
        if not self.question.data and not self.satisfaction.data:
            self.question.errors = [*self.question.errors, _l("请写下您的问题或意见，或者只选择满意度评价。")]
            ok = False
        # The staff form's rule: a mainland mobile or a landline.
        if self.person_phone.data and clean_phone(self.person_phone.data) is None:
            self.person_phone.errors = [
                *self.person_phone.errors, _l("请填写正确的手机号（11 位）或带区号的固定电话。")
            ]
            ok = False
        if (self.person_name.data or self.person_phone.data) and not self.consent.data:
            self.consent.errors = [*self.consent.errors, _l("留下姓名或电话，需要勾选同意。")]
            ok = False
        return ok

    @property
    def rating_only(self) -> bool:
        return not self.question.data
