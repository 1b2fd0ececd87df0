"""Forms of the report pages; what a rule may hold is checked again by the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from campaign.plan.forms import WholeNumberField
from campaign.report.narrative import SECTION_MAX_CHARS
from campaign.report.number_checks import REASON_MAX_CHARS
from campaign.report.scorecard import LABEL_MAX, MAX_POINTS, RULE_KINDS
from campaign.report.scoring import MAX_ADJUSTMENT, REASON_MAX


class ScoreRuleForm(FlaskForm):
    kind = SelectField(_l("评分项目"), validate_choice=False, validators=[InputRequired(_l("请选择评分项目。"))])
    label = StringField(
        _l("名称（印在评分表上）"),
        validators=[InputRequired(_l("请填写评分规则的名称。")), Length(max=LABEL_MAX, message=_l("名称太长。"))],
    )
    points = WholeNumberField(
        _l("分值"),
        validators=[InputRequired(_l("请填写分值。")), NumberRange(0, MAX_POINTS, _l("分值应在%(min)s到%(max)s之间。"))],
    )
    threshold = WholeNumberField(_l("标准（张、人次或%）"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind, name) for kind, (name, *_rest) in RULE_KINDS.items()]


class ScoringForm(FlaskForm):
    late_points_per_day = WholeNumberField(
        _l("逾期报送每个工作日扣分（0：逾期不得“按时报送”分）"),
        validators=[InputRequired(_l("请填写逾期扣分。")), NumberRange(0, MAX_POINTS, _l("扣分应在%(min)s到%(max)s之间。"))],
    )
    min_consultations = WholeNumberField(
        _l("咨询台登记少于N人次的单位不参与排名（0：不限）"),
        validators=[InputRequired(_l("请填写人次。")), NumberRange(0, 100000, _l("人次应在%(min)s到%(max)s之间。"))],
    )
    require_booth = BooleanField(_l("没有咨询台的单位不参与排名"))


class AdjustmentForm(FlaskForm):
    unit_id = SelectField(_l("单位"), coerce=int, validate_choice=False, validators=[InputRequired(_l("请选择单位。"))])
    points = WholeNumberField(
        _l("调整分值（加分填正数，扣分填负数，0为撤销调整）"),
        validators=[InputRequired(_l("请填写调整分值。")),
                    NumberRange(-MAX_ADJUSTMENT, MAX_ADJUSTMENT, _l("调整分值应在%(min)s到%(max)s之间。"))],
    )
    reason = StringField(_l("调整原因"), validators=[
        InputRequired(_l("请填写调整原因。")), Length(max=REASON_MAX, message=_l("调整原因不能超过%(max)d个字。"))])


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token: buttons that start or confirm something."""


def narrative_form(keys_and_labels: list[tuple[str, str]], data: dict[str, str], revision: int, formdata=None):
    """A form with one textarea per section (names "s-<n>"; the section keys ride in `keys`)."""

    class NarrativeForm(FlaskForm):
        revision = HiddenField()

    fields = []
    for index, (key, label) in enumerate(keys_and_labels):
        name = f"s_{index}"
        setattr(NarrativeForm, name, TextAreaField(label, validators=[
            Length(max=SECTION_MAX_CHARS, message=_l("每一部分不能超过%(max)d个字。"))]))
        fields.append((name, key))
    form = NarrativeForm(formdata=formdata, data={"revision": str(revision),
                                                  **{name: data.get(key, "") for name, key in fields}})
    form.section_fields = [(getattr(form, name), key) for name, key in fields]
    return form


class NumberCheckForm(FlaskForm):
    """One mismatch of the numbers check: keep the number as written (with a reason) or correct it."""

    fingerprint = HiddenField(validators=[InputRequired()])
    action = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("保留的理由"), validators=[Length(max=REASON_MAX_CHARS, message=_l("理由太长。"))])
