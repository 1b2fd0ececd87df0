"""The unit's summary form. Numbers are checked by workflow.save_draft (one rule for the form and autosave);
the form only carries the fields and the CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from campaign.summaries.figures import FIXED_LABELS
from campaign.summaries.models import SECTIONS, UNIT_FIGURES

# Interface labels; the same words in SECTIONS and UNIT_FIGURES are the documents' and stay Chinese.
SECTION_LABELS = {
    "leadership": _l("一、领导重视"),
    "activities": _l("二、开展情况"),
    "results": _l("三、主要成效"),
    "problems": _l("四、存在问题"),
    "next_steps": _l("五、下一步工作"),
}
SECTION_HINTS = {
    "leadership": _l("谁牵头、开了什么会、制定了什么方案。"),
    "activities": _l("做了什么、在哪里、数字（接待人次、发放资料、展板、横幅、解答和转办的问题）。"),
    "results": _l("活动取得的效果。"),
    "problems": _l("例如：企业参与热情不高，公开内容不够丰富，宣传面仍需加大。"),
    "next_steps": _l("下一步打算怎么做。"),
}
UNIT_FIGURE_LABELS = {
    "staff_count": _l("参与工作人员（人次）"),
    "display_boards": _l("展板（块）"),
    "banners": _l("横幅（条）"),
    "interpretations_published": _l("发布政策解读（篇）"),
    "hotline_answered": _l("热线解答问题（个）"),
    "online_posts": _l("网站、新媒体发布信息（条）"),
}
# The groups of the figures table (figures.GROUPS), for the interface.
FIGURE_GROUP_LABELS = {
    "reception": _l("接待咨询"),
    "kind": _l("咨询类别"),
    "topic": _l("咨询主题"),
    "handling": _l("处理方式"),
    "asker": _l("咨询对象"),
    "satisfaction": _l("满意度"),
    "material": _l("宣传资料"),
    "follow_up": _l("转办回访"),
}
# The fixed figures' names on screen; documents use figures.FIXED_LABELS, always Chinese. Topics, kinds and
# materials are the campaign's own words and are shown as they are.
FIGURE_LABELS = {
    "consultations": _l("咨询登记（人次）"),
    "consultations_staff": _l("其中：工作人员登记"),
    "consultations_public": _l("其中：群众扫码留言"),
    "people": _l("接待群众（人次）"),
    "satisfaction_rated": _l("作出评价（人次）"),
    "satisfied": _l("满意、基本满意（人次）"),
    "satisfaction_rate": _l("满意率（%）"),
    "materials": _l("发放宣传资料（份）"),
    "follow_ups": _l("转办、回访（件）"),
    "follow_ups_closed": _l("已办结"),
    "follow_ups_open": _l("未办结"),
    "follow_ups_overdue": _l("其中：已逾期"),
    "follow_ups_replied_in_time": _l("按期答复"),
    "follow_ups_replied_late": _l("超期答复"),
    "follow_ups_called_back": _l("已回访"),
    "call_backs_satisfied": _l("回访满意"),
    "call_backs_fairly_satisfied": _l("回访基本满意"),
    "call_backs_unsatisfied": _l("回访不满意"),
}
assert set(FIGURE_LABELS) == set(FIXED_LABELS)
assert set(SECTION_LABELS) == {key for key, _label in SECTIONS}
assert set(UNIT_FIGURE_LABELS) == {key for key, _label in UNIT_FIGURES}

ACTION_SAVE = "save"
ACTION_DRAFT = "draft"
ACTION_SUBMIT = "submit"
ACTIONS = (ACTION_SAVE, ACTION_DRAFT, ACTION_SUBMIT)


class SummaryForm(FlaskForm):
    base_revision = HiddenField()
    leaders_present = TextAreaField(_l("出席活动的领导"))


for _key, _label in SECTIONS:
    setattr(SummaryForm, f"section_{_key}", TextAreaField(SECTION_LABELS[_key]))
for _key, _label in UNIT_FIGURES:
    setattr(SummaryForm, f"unit_{_key}", StringField(UNIT_FIGURE_LABELS[_key]))


def figure_label(key: str, document_label: str) -> str:
    return str(FIGURE_LABELS[key]) if key in FIGURE_LABELS else document_label


def section_fields(form: SummaryForm) -> list:
    return [(key, form[f"section_{key}"], SECTION_HINTS[key]) for key, _label in SECTIONS]


def unit_figure_fields(form: SummaryForm) -> list:
    return [form[f"unit_{key}"] for key, _label in UNIT_FIGURES]


def fill_form(form: SummaryForm, summary) -> None:
    """The stored summary into a fresh form (GET)."""
    narrative = summary.narrative or {}
    figures = summary.unit_figures or {}
    form.base_revision.data = str(summary.revision)
    form.leaders_present.data = summary.leaders_present or ""
    for key, _label in SECTIONS:
        form[f"section_{key}"].data = narrative.get(key, "")
    for key, _label in UNIT_FIGURES:
        value = figures.get(key)
        form[f"unit_{key}"].data = "" if value is None else str(value)


def base_revision(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fields_from_form(formdata, correction_keys) -> dict:
    """The posted form as workflow.save_draft's `fields`. Corrections come as correction:<key> and reason:<key>
    for the keys the page showed; anything else posted is ignored."""
    fields = {
        "narrative": {key: formdata.get(f"section_{key}", "") for key, _label in SECTIONS
                      if f"section_{key}" in formdata},
        "unit_figures": {key: formdata.get(f"unit_{key}", "") for key, _label in UNIT_FIGURES
                         if f"unit_{key}" in formdata},
        "corrections": {
            key: {"corrected": formdata.get(f"correction:{key}", ""), "reason": formdata.get(f"reason:{key}", "")}
            for key in correction_keys
            if f"correction:{key}" in formdata
        },
    }
    if "leaders_present" in formdata:
        fields["leaders_present"] = formdata.get("leaders_present", "")
    return fields


def fields_from_json(payload) -> dict:
    """An autosave's JSON body as save_draft's `fields`; ill-typed parts are dropped, not trusted."""
    if not isinstance(payload, dict):
        return {}

    def mapping(name, accept) -> dict:
        value = payload.get(name)
        if not isinstance(value, dict):
            return {}
        return {str(key): item for key, item in value.items() if accept(item)}

    def is_number_text(item) -> bool:
        return item is None or (isinstance(item, (str, int)) and not isinstance(item, bool))

    def is_correction(item) -> bool:
        return isinstance(item, dict) and is_number_text(item.get("corrected")) and isinstance(
            item.get("reason", ""), str)

    fields = {
        "narrative": mapping("narrative", lambda item: isinstance(item, str)),
        "unit_figures": mapping("unit_figures", is_number_text),
        "corrections": mapping("corrections", is_correction),
    }
    if isinstance(payload.get("leaders_present"), str):
        fields["leaders_present"] = payload["leaders_present"]
    return fields
