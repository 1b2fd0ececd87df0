"""The public card's form: a question, an opinion or only a rating, from anyone, without an account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import Length, Optional

from campaign.booths.models import SATISFACTIONS
from campaign.booths.recording import QUESTION_MAX, clean_uuid
from campaign.shared.phones import clean_phone

PUBLIC_KINDS = ("政策咨询", "意见建议", "投诉", "情况反映")


def _strip(value):
    return (value or "").strip()


def _choices(pairs):
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:  # WTForms before 3.3 knows only (value, label) pairs
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class PublicConsultationForm(FlaskForm):
    kind = RadioField(
        _l("类别"),
        choices=_choices((kind, kind) for kind in PUBLIC_KINDS),
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
        choices=_choices([("", _l("不评价"))] + [(value, value) for value in SATISFACTIONS]),
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
        self.topic.choices = _choices([("", _l("不选择"))] + [(topic, topic) for topic in topics])

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
