"""The staff page's forms. The rules of an entry live in recording.clean_consultation; the forms only carry it,
so the plain form, the JSON API and the public card refuse the same things with the same words."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from campaign.booths.models import ASKER_TYPES, HANDLINGS, KINDS, SATISFACTIONS
from campaign.booths.recording import NAME_MAX, QUESTION_MAX


class PinForm(FlaskForm):
    pin = StringField(_l("PIN（6位数字）"))


def _choices(values, labels=None):
    pairs = [(value, value) for value in values] if labels is None else list(zip(values, labels, strict=True))
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:  # WTForms before 3.3 knows only (value, label) pairs
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


class ConsultationForm(FlaskForm):
    # validate_choice=False: recording.clean_consultation gives the Chinese messages, WTForms would not.
    uuid = HiddenField()
    kind = RadioField(_l("类别"), choices=_choices(KINDS), validate_choice=False)
    topic = SelectField(_l("主题"), validate_choice=False)
    question = TextAreaField(_l("问题摘要"), render_kw={"maxlength": QUESTION_MAX, "rows": 2})
    asker_type = RadioField(_l("咨询人"), choices=_choices(ASKER_TYPES), default=ASKER_TYPES[0], validate_choice=False)
    handling = RadioField(_l("办理"), choices=_choices(HANDLINGS), default=HANDLINGS[0], validate_choice=False)
    satisfaction = RadioField(
        _l("满意度"), choices=_choices(("", *SATISFACTIONS), (_l("未评"), *SATISFACTIONS)), default="", validate_choice=False
    )
    person_name = StringField(_l("姓名"), render_kw={"maxlength": NAME_MAX, "autocomplete": "name"})
    person_phone = StringField(
        _l("电话"), render_kw={"inputmode": "tel", "autocomplete": "tel", "type": "tel", "maxlength": 20}
    )
    consent = BooleanField(_l("本人同意留存联系方式，仅用于回复本次咨询"))

    def set_topics(self, topics: list[str]) -> None:
        self.topic.choices = _choices(["", *topics], [_l("请选择"), *topics])

    def entry(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in (
                "kind", "topic", "question", "asker_type", "handling", "person_name", "person_phone", "consent",
                "satisfaction",
            )
        }

    def show_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = list(field.errors or []) + [message]
