"""The district report's text: its sections, the draft (composed by report/prose/), and the organizer's edits.

The draft is a starting point: the organizer edits every section in the browser (ReportDraft.narrative, a plain
form with a revision check). Sections follow domain.md: an opening, 一、基本情况 (with 领导重视), 二、活动开展情况
with a paragraph per activity, 三、主要成效, 四、存在问题, 五、下一步工作. Document text is Chinese.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.report.figures import ReportFigures
from campaign.report.models import ReportDraft
from campaign.report.prose import activity_key, compose
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

# key → heading in the document; "activity:<id>" keys sit inside "activities".
SECTIONS = (
    ("intro", ""),
    ("overview", "基本情况"),
    ("activities", "活动开展情况"),
    ("results", "主要成效"),
    ("problems", "存在问题"),
    ("next_steps", "下一步工作"),
)
SECTION_LABELS = {
    "intro": _l("开头"),
    "overview": _l("一、基本情况"),
    "activities": _l("二、活动开展情况"),
    "results": _l("三、主要成效"),
    "problems": _l("四、存在问题"),
    "next_steps": _l("五、下一步工作"),
}
SECTION_MAX_CHARS = 8000

register_action_labels({
    "report_narrative_saved": _l("保存区级总结文字"),
    "report_narrative_redrafted": _l("重新起草区级总结"),
})


def section_keys(figures: ReportFigures) -> list[str]:
    """Every key of the narrative for these figures, in document order."""
    keys = []
    for key, _heading in SECTIONS:
        keys.append(key)
        if key == "activities":
            keys.extend(activity_key(activity["id"]) for activity in figures["activities"])
    return keys


def draft_sections(figures: ReportFigures) -> dict[str, str]:
    """Every section drafted from the figures and the units' own words (report/prose/)."""
    return compose(figures).sections


def narrative_for(draft: ReportDraft | None, figures: ReportFigures,
                  drafted: dict[str, str] | None = None) -> dict[str, str]:
    """The text the documents use: the organizer's, with any section still empty drafted from the figures
    (`drafted`, when the caller has drafted them already)."""
    drafted = draft_sections(figures) if drafted is None else drafted
    saved = dict(draft.narrative or {}) if draft is not None else {}
    return {key: (saved.get(key) or "").strip() or drafted.get(key, "") for key in section_keys(figures)}


# The organizer's edits


def get_or_create_draft(campaign_id: int) -> ReportDraft:
    draft = db.session.get(ReportDraft, campaign_id)
    if draft is None:
        draft = ReportDraft(campaign_id=campaign_id, narrative={}, photo_ids=None, include_scorecard=False, revision=0)
        db.session.add(draft)  # written with the caller's next flush (its key is the campaign's)
    return draft


def forget_if_new(draft: ReportDraft) -> None:
    """Nothing to write: a draft made just now by get_or_create_draft is not stored either. Only that draft is
    let go; whatever else the caller's transaction holds stays."""
    if draft in db.session.new:
        db.session.expunge(draft)


def _clean(text) -> str:
    lines = [" ".join(line.split()) for line in str(text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def save_narrative(campaign_id: int, user, texts: dict, base_revision: int | None, allowed_keys) -> bool:
    """Stores the sections given; True if anything changed. The same text twice changes nothing (no new
    revision); a stale `base_revision` with different text is refused, so two tabs cannot overwrite each other."""
    draft = get_or_create_draft(campaign_id)
    cleaned = {}
    for key in allowed_keys:
        if key not in texts:
            continue
        value = _clean(texts[key])
        if len(value) > SECTION_MAX_CHARS:
            raise Refusal(_("每一部分不能超过%(n)s个字。", n=SECTION_MAX_CHARS))
        cleaned[key] = value
    current = dict(draft.narrative or {})
    changed = {key: value for key, value in cleaned.items() if (current.get(key) or "") != value}
    if not changed:
        forget_if_new(draft)
        return False
    if base_revision is not None and base_revision != draft.revision:
        forget_if_new(draft)
        raise Refusal(
            _("别人（或另一个窗口）已经保存了新的内容。您的修改未保存：请复制您的修改，刷新页面后再粘贴保存。"),
            conflict=True,
        )
    current.update(changed)
    draft.narrative = current
    draft.revision += 1
    draft.updated_at = utcnow()
    record(user, "report_narrative_saved", draft, campaign_id=campaign_id, sections=sorted(changed))
    db.session.flush()
    return True


def redraft(campaign_id: int, user, figures: ReportFigures) -> bool:
    """Replaces every section with a fresh draft from today's figures (the page asks for confirmation first);
    False when the text already is that draft, so a resent confirmation changes nothing."""
    draft = get_or_create_draft(campaign_id)
    drafted = draft_sections(figures)
    if (draft.narrative or {}) == drafted:
        forget_if_new(draft)
        return False
    draft.narrative = drafted
    draft.revision += 1
    draft.updated_at = utcnow()
    record(user, "report_narrative_redrafted", draft, campaign_id=campaign_id)
    db.session.flush()
    return True
