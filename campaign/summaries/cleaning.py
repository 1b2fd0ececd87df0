"""The one rule for what a unit may put in its summary: text lengths, whole numbers typed by people, corrections.

Used by workflow.save_draft for the form and autosave alike; a refusal is a Refusal naming the field.
"""

import unicodedata

from flask_babel import gettext as _

from campaign.summaries.figures import correctable, figure_label
from campaign.summaries.models import SECTIONS, UNIT_FIGURES
from campaign.web.refusal import Refusal

SECTION_MAX_CHARS = 6000
LEADERS_MAX_CHARS = 500
NOTE_MAX_CHARS = 2000
REASON_MAX_CHARS = 300
# No unit hands out a million leaflets or puts up a million boards; a bigger number is a typo.
FIGURE_MAX = 1_000_000


def clean_text(value, limit: int, label: str, field: str) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise Refusal(_("“%(label)s”不能超过 %(n)s 字。", label=label, n=limit), field=field)
    return text


def parse_whole_number(value, label: str, field: str) -> int | None:
    """A count typed by a person: blank is None; full-width digits and thousands separators are accepted."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Refusal(_("“%(label)s”请填写整数。", label=label), field=field)
    if isinstance(value, int):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace("，", "")
        if not text:
            return None
        if not text.isdigit() or not text.isascii():
            raise Refusal(_("“%(label)s”请填写不小于 0 的整数。", label=label), field=field)
        # Past the largest figure by its length alone: Python refuses to read a number of thousands of digits.
        number = int(text) if len(text.lstrip("0")) <= len(str(FIGURE_MAX)) else FIGURE_MAX + 1
    if number < 0:
        raise Refusal(_("“%(label)s”请填写不小于 0 的整数。", label=label), field=field)
    if number > FIGURE_MAX:
        raise Refusal(
            _("“%(label)s”不能超过 %(n)s，请检查是否多输了数字。", label=label, n=f"{FIGURE_MAX:,}"), field=field
        )
    return number


def clean_narrative(values: dict, current: dict) -> dict:
    narrative = {key: current.get(key, "") for key, _label in SECTIONS}
    for key, label in SECTIONS:
        if key in values:
            narrative[key] = clean_text(values[key], SECTION_MAX_CHARS, label, f"section-{key}")
    return {key: text for key, text in narrative.items() if text}


def clean_unit_figures(values: dict, current: dict) -> dict:
    figures = {key: current[key] for key, _label in UNIT_FIGURES if current.get(key) is not None}
    for key, label in UNIT_FIGURES:
        if key in values:
            number = parse_whole_number(values[key], label, f"unit-{key}")
            if number is None:
                figures.pop(key, None)
            else:
                figures[key] = number
    return figures


def clean_corrections(values: dict) -> dict[str, tuple[int | None, str]]:
    """key → (corrected or None to clear, reason)."""
    cleaned = {}
    for key, entry in values.items():
        key = str(key)
        if not correctable(key) or len(key) > 80:
            raise Refusal(_("“%(label)s”不能更正。", label=figure_label(key)))
        entry = entry if isinstance(entry, dict) else {"corrected": entry}
        label = figure_label(key)
        corrected = parse_whole_number(entry.get("corrected"), label, f"correction-{key}")
        reason = clean_text(entry.get("reason"), REASON_MAX_CHARS, _("更正原因"), f"reason-{key}")
        cleaned[key] = (corrected, reason)
    return cleaned
