"""The district report's text, drafted in the offices' style from the compiled figures, and the organizer's edits.

The draft is a starting point: the organizer edits every section in the browser (ReportDraft.narrative, a plain
form with a revision check). Sections follow domain.md: an opening, 一、基本情况 (with 领导重视), 二、活动开展情况
with a paragraph per activity, 三、主要成效, 四、存在问题, 五、下一步工作. Document text is Chinese.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.report.figures import ActivityEntry, ReportFigures
from campaign.report.models import ReportDraft
from campaign.shared.audit import record, register_action_labels
from campaign.shared.formatting import cn_number
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


def activity_key(activity_id: int) -> str:
    return f"activity:{activity_id}"


def section_keys(figures: ReportFigures) -> list[str]:
    """Every key of the narrative for these figures, in document order."""
    keys = []
    for key, _heading in SECTIONS:
        keys.append(key)
        if key == "activities":
            keys.extend(activity_key(activity["id"]) for activity in figures["activities"])
    return keys


def _names(names: list[str], limit: int = 6) -> str:
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单位"


def _join(parts: list[str]) -> str:
    return "，".join(part for part in parts if part)


def _intro(figures: ReportFigures) -> str:
    campaign = figures["campaign"]
    return (
        f"为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步推进政务公开工作，"
        f"{campaign['period_text']}，我区组织开展了第{cn_number(campaign['edition'])}届“5·15政务公开日”活动。"
        f"现将活动开展情况报告如下："
    )


def _overview(figures: ReportFigures) -> str:
    campaign, totals = figures["campaign"], figures["totals"]
    office = campaign["issuing_office"] or "区政府办公室"
    leadership = (
        f"{office}高度重视此次活动，及时印发《{campaign['title']}》，明确活动主题、形式、时间和责任分工，"
        f"各镇街、各部门按照方案要求认真组织实施，确保活动有序开展。"
    )
    venues = ""
    if totals["venues"]:
        venues = f"设主会场{totals['venues_main']}个、分会场{totals['venues_branch']}个" if totals["venues_main"] \
            else f"设活动场地{totals['venues']}个"
    parts = [
        f"本次活动共有{totals['units_taking_part']}个单位参与",
        f"开展线上、线下活动{totals['activities']}项" if totals["activities"] else "",
        venues,
        f"设置政策咨询台{totals['booths']}个" if totals["booths"] else "",
        f"现场接待群众咨询{totals['people']}人次" if totals["people"] else "",
        f"发放宣传资料{totals['materials']}份" if totals["materials"] else "",
    ]
    unit_figures = {item["key"]: item["total"] for item in figures["unit_figures"]}
    if unit_figures.get("display_boards"):
        parts.append(f"摆放展板{unit_figures['display_boards']}块")
    if unit_figures.get("banners"):
        parts.append(f"悬挂横幅{unit_figures['banners']}条")
    if totals["satisfaction_rate"] is not None:
        parts.append(f"群众满意率{totals['satisfaction_rate']}%")
    figures_text = _join(parts) + "。"
    reported = f"截至目前，共收到{totals['units_reported']}个单位报送的活动总结。"
    return f"{leadership}\n{figures_text}{reported}"


def _activities_intro(figures: ReportFigures) -> str:
    totals = figures["totals"]
    if not totals["activities"]:
        return "各单位结合自身职能，采取线上线下相结合的方式开展活动。"
    return (
        f"活动采取线上线下相结合的方式进行，共开展线上活动{totals['activities_online']}项、"
        f"线下活动{totals['activities_onsite']}项。"
    )


def activity_paragraph(activity: ActivityEntry) -> str:
    units = []
    if activity["lead"]:
        units.append(f"由{_names(activity['lead'])}牵头")
    others = activity["cooperating"] + activity.get("participating", []) + activity["responsible"]
    if others:
        units.append(f"{_names(others)}参加")
    kind = f"（{activity['venue_kind']}）" if activity["venue_kind"] else ""
    where = f"在{activity['venue']}{kind}" if activity["venue"] else ""
    opening = _join([f"{activity['time_text']}{where}", *units])
    if activity["mode"] == "onsite":
        results = _join([
            f"现场设置政策咨询台{activity['booths']}个" if activity["booths"] else "",
            f"接待群众咨询{activity['consultations']}人次" if activity["consultations"] else "",
            f"发放宣传资料{activity['materials']}份" if activity["materials"] else "",
        ])
        closing = "工作人员面对面解答群众关心的政策问题，对现场不能解答的问题登记转办并限期回复。"
    else:
        results = ""
        closing = "各单位通过政府网站、政务新媒体等渠道发布政策解读，回应群众关切。"
    return f"{opening}。" + (f"{results}。" if results else "") + closing


def _results(figures: ReportFigures) -> str:
    totals = figures["totals"]
    parts = []
    if totals["people"]:
        parts.append(f"活动期间共解答群众咨询{totals['people']}人次")
    handling = dict((name, count) for name, count in figures["by_handling"])
    if handling.get("当场解答"):
        parts.append(f"其中当场解答{handling['当场解答']}人次")
    if totals["follow_ups"]:
        referrals = f"登记转办、回访事项{totals['follow_ups']}件，已办结{totals['follow_ups_closed']}件"
        # Snapshots compiled before the referral states were counted have no such keys.
        in_time, late = totals.get("follow_ups_replied_in_time", 0), totals.get("follow_ups_replied_late", 0)
        if in_time or late:
            referrals += f"，按期答复{in_time}件" + (f"、超期答复{late}件" if late else "")
        called_back = totals.get("follow_ups_called_back", 0)
        if called_back:
            pleased = totals.get("call_backs_satisfied", 0) + totals.get("call_backs_fairly_satisfied", 0)
            referrals += f"，回访群众{called_back}人次，其中满意和基本满意{pleased}人次"
        parts.append(referrals)
    topics = [name for name, count in figures["by_topic"][:3] if count]
    focus = f"群众咨询主要集中在{'、'.join(topics)}等方面，" if topics else ""
    rate = f"群众满意率达到{totals['satisfaction_rate']}%，" if totals["satisfaction_rate"] is not None else ""
    first = (_join(parts) + "。") if parts else ""
    return (
        f"一是提升了政务公开的社会知晓度。{first}{focus}"
        f"通过面对面交流，群众对政务公开工作有了更直观的了解。\n"
        f"二是拉近了政府与群众的距离。{rate}活动增进了群众对政府工作的理解和支持。\n"
        f"三是推动了政策落地见效。各单位将群众反映集中的问题梳理汇总，作为改进工作的重要参考。"
    )


def _problems(figures: ReportFigures) -> str:
    totals = figures["totals"]
    lines = ["一是宣传面仍需拓展，部分群众和企业对活动知晓度不高，参与热情有待提升。",
             "二是公开内容还不够丰富，政策解读的针对性和通俗性有待加强。"]
    late, missing = totals["units_late"], totals["units_missing"]
    if late or missing:
        parts = []
        if late:
            parts.append(f"{late}个单位逾期报送活动总结")
        if missing:
            parts.append(f"{missing}个单位未报送活动总结")
        lines.append(f"三是个别单位工作不够扎实，{'，'.join(parts)}。")
    if totals["follow_ups_overdue"]:
        lines.append(f"{'四' if len(lines) == 3 else '三'}是转办事项办理仍需提速，尚有{totals['follow_ups_overdue']}件"
                     f"转办、回访事项超过办理期限。")
    return "\n".join(lines)


def _next_steps(_figures: ReportFigures) -> str:
    return (
        "一是持续深化政务公开，围绕群众关注的热点问题，及时发布政策文件和解读信息。\n"
        "二是做好转办事项的跟踪督办，确保群众反映的问题件件有回音、事事有着落。\n"
        "三是总结活动经验，将政务公开日活动与日常政务公开工作相结合，推动政务公开常态化、制度化。"
    )


def draft_sections(figures: ReportFigures) -> dict[str, str]:
    """Every section drafted from the figures."""
    sections = {
        "intro": _intro(figures),
        "overview": _overview(figures),
        "activities": _activities_intro(figures),
        "results": _results(figures),
        "problems": _problems(figures),
        "next_steps": _next_steps(figures),
    }
    for activity in figures["activities"]:
        sections[activity_key(activity["id"])] = activity_paragraph(activity)
    return sections


def narrative_for(draft: ReportDraft | None, figures: ReportFigures) -> dict[str, str]:
    """The text the documents use: the organizer's, with any section still empty drafted from the figures."""
    drafted = draft_sections(figures)
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
