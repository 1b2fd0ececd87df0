"""The organizer's decisions on the numbers check (report/consistency.py finds the mismatches): a number kept as
written, with a reason, or corrected to the data's in the text. Kept on the draft (ReportDraft.number_checks) until
an export takes them along; the export is refused while a mismatch is open, and records the confirmations and
corrections it went out with (ReportSnapshot.number_checks, and the audit log).
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.report.consistency import Mismatch, find_mismatches
from campaign.report.figures import ReportFigures
from campaign.report.models import ReportDraft
from campaign.report.narrative import draft_sections, get_or_create_draft, narrative_for
from campaign.report.written_numbers import Mention, cn_spelled
from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

register_action_labels({
    "report_number_confirmed": _l("确认区级总结中的数字"),
    "report_number_corrected": _l("按数据更正区级总结中的数字"),
})

CONFIRMED = "confirmed"
CORRECTED = "corrected"
REASON_MAX_CHARS = 200


def _decisions(draft: ReportDraft | None) -> list[dict]:
    return list(draft.number_checks or []) if draft is not None else []


def review(campaign_id: int, figures: ReportFigures) -> list[Mismatch]:
    """The mismatches of the text the export would use, each with its confirmation where it has one."""
    draft = db.session.get(ReportDraft, campaign_id)
    drafted = draft_sections(figures)
    mismatches = find_mismatches(figures, narrative_for(draft, figures, drafted), drafted=drafted)
    confirmed = {item["fingerprint"]: item for item in _decisions(draft) if item.get("decision") == CONFIRMED}
    for mismatch in mismatches:
        mismatch.decision = confirmed.get(mismatch.fingerprint)
    return mismatches


def open_mismatches(campaign_id: int, figures: ReportFigures) -> list[Mismatch]:
    return [mismatch for mismatch in review(campaign_id, figures) if not mismatch.confirmed]


def _find(campaign_id: int, figures: ReportFigures, fingerprint: str) -> Mismatch:
    for mismatch in review(campaign_id, figures):
        if mismatch.fingerprint == fingerprint:
            return mismatch
    raise Refusal(_("这处数字已经不在待核对的列表中（文字或数据已有变化）。请看刷新后的列表。"), conflict=True)


def _entry(mismatch: Mismatch, decision: str, user, reason: str = "", replaced_by: str = "") -> dict:
    return {
        "fingerprint": mismatch.fingerprint,
        "decision": decision,
        "section": mismatch.section,
        "sentence": mismatch.sentence,
        "written": mismatch.written,
        "expected": mismatch.expected,
        "label": mismatch.label,
        "reason": reason,
        "replaced_by": replaced_by,
        "by_id": getattr(user, "id", None),
        "by": getattr(user, "display_name", "") or "",
        "at": utcnow().isoformat(),
    }


def confirm(campaign_id: int, user, fingerprint: str, reason: str, figures: ReportFigures) -> bool:
    """Keeps the number as written, for the reason given; False when it was confirmed already."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refusal(_("请写明保留这个数字的理由。"), field="reason")
    if len(reason) > REASON_MAX_CHARS:
        raise Refusal(_("理由不能超过%(n)s个字。", n=REASON_MAX_CHARS), field="reason")
    mismatch = _find(campaign_id, figures, fingerprint)
    if mismatch.confirmed:
        return False
    draft = get_or_create_draft(campaign_id)
    entry = _entry(mismatch, CONFIRMED, user, reason=reason)
    draft.number_checks = [*_decisions(draft), entry]
    record(user, "report_number_confirmed", draft, campaign_id=campaign_id, sentence=mismatch.sentence,
           written=mismatch.written, expected=mismatch.expected, reason=reason)
    db.session.flush()
    return True


def _as_written(mention: Mention, value: int) -> str:
    """The data's number in the style the text used (Chinese numerals stay Chinese), without 余."""
    number = cn_spelled(value) if not mention.number_text[0].isdigit() else str(value)
    return number + mention.written[len(mention.number_text) + (1 if mention.approximate else 0):]


def correct(campaign_id: int, user, fingerprint: str, figures: ReportFigures) -> str:
    """Replaces the number in the text by the data's; the sentence as it now reads."""
    mismatch = _find(campaign_id, figures, fingerprint)
    if mismatch.expected is None:
        raise Refusal(_("数据中没有与这个数字对应的数，无法自动更正：请在“总结文字”中修改，或确认保留并写明理由。"))
    draft = get_or_create_draft(campaign_id)
    texts = narrative_for(draft, figures)
    text = texts[mismatch.section]
    mention = mismatch.mention
    if text[mention.start:mention.end] != mention.written:  # the text moved under us
        raise Refusal(_("文字已有变化，请刷新后再核对。"), conflict=True)
    replacement = _as_written(mention, mismatch.expected)
    new_text = text[:mention.start] + replacement + text[mention.end:]
    draft.narrative = {**(draft.narrative or {}), mismatch.section: new_text}
    draft.revision = (draft.revision or 0) + 1
    draft.updated_at = utcnow()
    draft.number_checks = [*_decisions(draft), _entry(mismatch, CORRECTED, user, replaced_by=replacement)]
    record(user, "report_number_corrected", draft, campaign_id=campaign_id, sentence=mismatch.sentence,
           written=mismatch.written, corrected=replacement)
    db.session.flush()
    start = mention.sentence_start
    return new_text[start:start + len(mismatch.sentence) - len(mention.written) + len(replacement)]


def _unchecked(count: int) -> Refusal:
    return Refusal(_("总结文字中有%(n)s处数字与数据不一致，尚未核对：请在“核对数字”页逐一确认或更正后再导出。",
                     n=count), conflict=True)


def require_checked(campaign_id: int, figures: ReportFigures) -> None:
    """Refuses while a number of the text the export would use disagrees with the data unconfirmed."""
    unchecked = open_mismatches(campaign_id, figures)
    if unchecked:
        raise _unchecked(len(unchecked))


def checks_for_export(campaign_id: int, figures: ReportFigures, narrative: dict[str, str]) -> list[dict]:
    """What the export goes out with: the confirmations of the mismatches its text has, and the corrections made
    since the last export. Refuses while any mismatch is neither confirmed nor corrected. Changes nothing: the
    export takes the corrections off the draft once it is saved (corrections_exported); the confirmations stay,
    for as long as they apply."""
    draft = db.session.get(ReportDraft, campaign_id)
    mismatches = find_mismatches(figures, narrative)
    decisions = _decisions(draft)
    confirmed = {item["fingerprint"]: item for item in decisions if item.get("decision") == CONFIRMED}
    unconfirmed = [mismatch for mismatch in mismatches if mismatch.fingerprint not in confirmed]
    if unconfirmed:
        raise _unchecked(len(unconfirmed))
    applying = [confirmed[mismatch.fingerprint] for mismatch in mismatches]
    return [*applying, *(item for item in decisions if item.get("decision") == CORRECTED)]


def corrections_exported(campaign_id: int) -> None:
    """The corrections went out with an export: the next export records its own. (Written with the snapshot, not
    while the files are made: the job's progress is written meanwhile by a connection of its own.)"""
    draft = db.session.get(ReportDraft, campaign_id)
    if draft is not None and any(item.get("decision") == CORRECTED for item in _decisions(draft)):
        draft.number_checks = [item for item in _decisions(draft) if item.get("decision") != CORRECTED]


def recorded_checks(items: list[dict] | None) -> list[dict]:
    """A snapshot's number checks for its page: each with its moment as a datetime."""
    return [{**item, "at": datetime.fromisoformat(item["at"]) if item.get("at") else None} for item in items or []]
