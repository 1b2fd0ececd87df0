"""The plan document: the cover notice (通知) and the plan (方案) with its slogan attachment, built from the data.

`plan_document(campaign)` gives a plain tree of texts that the HTML/PDF template and the DOCX writer both walk, so
the two files say the same thing. Document text is Chinese and not translated.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from campaign.documents import docx as wd
from campaign.plan.models import (
    MODE_ONSITE,
    STANDARD_SECTIONS,
    UNIT_ROLE_LABELS,
    UNIT_ROLES,
    Activity,
    Campaign,
    PlanSection,
)
from campaign.shared.formatting import cn_clock, cn_date, cn_month_day, cn_number, cn_span
from campaign.shared.timeutil import LOCAL_TZ, local, utcnow

PUBLIC_NOTE = "（此件公开发布）"
# A closing requirement may open with its own short heading ("加强组织领导。"), set in 楷体 like a level-two heading.
# A 2号 title line holds 20 characters on the 156 mm type area; a little less, as bold Latin digits run wider than
# the half a character counted for them.
TITLE_LINE_EM = 19.5
NO_BREAK_BEFORE = "”》）、，。；：！？·"
NO_BREAK_AFTER = "“《（·"
RUN_IN_HEADING = re.compile(r"^([^，。；：]{2,12}。)(.*)$", re.S)
ALREADY_NUMBERED = re.compile(r"^\s*(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")


def title_lines(text: str, per_line: float = TITLE_LINE_EM) -> list[str]:
    """A long title broken into two balanced lines at a natural place, as a drafter would break it by hand.

    Left to the renderer, 江滨区第十九届“5·15政务公开日”活动方案 ends with 案 alone on the second line.
    """
    # Latin letters, digits and the middle dot of 5·15 are about half as wide as a Chinese character.
    widths = [0.5 if ord(char) < 0x2000 else 1.0 for char in text]
    total = sum(widths)
    if total <= per_line or total > 2 * per_line:
        return [text]
    best, best_score = None, None
    for cut in range(1, len(text)):
        before, after = text[cut - 1], text[cut]
        if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER or (before.isascii() and after.isascii()):
            continue
        first = sum(widths[:cut])
        if first > per_line or total - first > per_line:
            continue
        # Between a quoted or titled phrase and the words around it is where a reader expects the break.
        natural = after in "“《" or before in "”》"
        score = abs(2 * first - total) - (6 if natural else 0)
        if best_score is None or score < best_score:
            best, best_score = cut, score
    return [text] if best is None else [text[:best], text[best:]]


@dataclass
class Paragraph:
    text: str
    lead: str = ""  # a run-in heading before the text, e.g. "（一）加强组织领导。"


@dataclass
class Line:
    label: str
    text: str


@dataclass
class ActivityItem:
    number: str  # "1."
    title: str
    description: str
    lines: list[Line]


@dataclass
class GroupItem:
    number: str  # "（一）"
    title: str
    activities: list[ActivityItem]


@dataclass
class Section:
    number: str  # "一、"
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    groups: list[GroupItem] = field(default_factory=list)


@dataclass
class Colophon:
    """The 版记 at the foot of the last page: 抄送 (optional) and 印发机关和印发日期, between rules."""

    copy_to: str  # "区委办公室，区人大常委会办公室。" (without "抄送：")
    printed_by: str
    printed_date: str  # "2025年5月8日印发"


# The 发文机关标志 is one line across the 156 mm type area: the largest size (pt) at which it fits, by its length.
ISSUER_MARK_SIZES = ((12, 36), (13, 32), (14, 30), (16, 26), (18, 23), (20, 21), (24, 17))
ISSUER_MARK_SMALLEST = 14


def issuer_mark_size(mark: str) -> int:
    length = sum(0.5 if ord(char) < 0x2000 else 1.0 for char in mark)
    return next((size for most, size in ISSUER_MARK_SIZES if length <= most), ISSUER_MARK_SMALLEST)


@dataclass
class PlanDocument:
    doc_number: str
    notice_title: str
    addressees: str
    notice_body: list[str]
    # The plan's opening paragraph(s), before 一、活动主题.
    opening: list[str]
    signature: str
    date_text: str
    revision_note: str
    public_note: str
    plan_title: str
    sections: list[Section]
    # The 附件说明 under the plan's body (GB/T 9704-2012 §7.3.4); empty without slogans.
    attachment_note: str
    attachment_label: str
    attachment_title: str
    slogans: list[str]
    is_draft: bool
    issuer_mark: str = ""  # the 版头's 发文机关标志; empty: no 版头
    colophon: Colophon | None = None  # the 版记; None: none

    @property
    def issuer_mark_size(self) -> int:
        return issuer_mark_size(self.issuer_mark)

    @property
    def notice_title_lines(self) -> list[str]:
        return title_lines(self.notice_title)

    @property
    def plan_title_lines(self) -> list[str]:
        return title_lines(self.plan_title)

    @property
    def attachment_title_lines(self) -> list[str]:
        return title_lines(self.attachment_title)

    @property
    def filename_stem(self) -> str:
        # Characters Windows and macOS refuse in a file name.
        return re.sub(r'[\\/:*?"<>|\r\n]+', "", self.plan_title).strip() or "活动方案"


def plan_document(campaign: Campaign, today: date | None = None) -> PlanDocument:
    today = today or utcnow().astimezone(LOCAL_TZ).date()
    standard: dict[str, dict] = {
        "theme": {"paragraphs": _paragraphs(campaign.theme)},
        "form": {"paragraphs": _paragraphs(campaign.form_text)},
        "period": {"paragraphs": [Paragraph(_period(campaign.first_day, campaign.last_day))]},
        "content": {"groups": _groups(campaign)},
        "requirements": {"paragraphs": _requirements(campaign)},
    }
    sections = [
        Section(number, STANDARD_SECTIONS[item], **standard[item]) if isinstance(item, str)
        else Section(number, item.title, _paragraphs(item.text))
        for number, item in numbered_sections(campaign.sections)
    ]
    return PlanDocument(
        doc_number=campaign.doc_number,
        notice_title=campaign.notice_title or drafted_notice_title(campaign),
        addressees=campaign.addressees,
        notice_body=_lines(campaign.notice_body) or [drafted_notice_body(campaign)],
        opening=_lines(campaign.opening_text) or [drafted_opening(campaign)],
        signature=campaign.issuing_office,
        date_text=cn_date(campaign.issue_date or today),
        revision_note=f"（{cn_date(campaign.revised_at)}修订）" if campaign.revised_at else "",
        public_note=PUBLIC_NOTE,
        plan_title=campaign.title,
        sections=sections,
        attachment_note=f"附件：{_attachment_title(campaign)}" if campaign.slogans else "",
        attachment_label="附件",
        attachment_title=_attachment_title(campaign),
        slogans=[slogan.text for slogan in campaign.slogans],
        is_draft=campaign.is_draft,
        issuer_mark=campaign.issuer_mark if campaign.masthead_shown else "",
        colophon=_colophon(campaign, today),
    )


def numbered_sections(own: list[PlanSection]) -> list[tuple[str, str | PlanSection]]:
    """Every section of the plan in the document's order with its number (一、二、…): a standard one by its key in
    STANDARD_SECTIONS, one of the plan's own as itself, after the standard section its place names ("start": before
    them all)."""
    after: dict[str, list[PlanSection]] = {}
    for section in own:
        after.setdefault(section.place, []).append(section)
    ordered: list[str | PlanSection] = [*after.get("start", [])]
    for key in STANDARD_SECTIONS:
        ordered += [key, *after.get(key, [])]
    return [(f"{cn_number(number)}、", item) for number, item in enumerate(ordered, start=1)]


def _colophon(campaign: Campaign, today: date) -> Colophon | None:
    if not (campaign.printed_by or campaign.copy_to):
        return None
    copy_to = re.sub(r"^抄\s*送\s*[:：]\s*", "", campaign.copy_to.strip())
    # The last addressee of 抄送 ends with a full stop (GB/T 9704-2012 §8.2).
    if copy_to and copy_to[-1] not in "。.":
        copy_to += "。"
    printed_on = campaign.printed_on or campaign.issue_date or today
    return Colophon(copy_to, campaign.printed_by, f"{cn_date(printed_on)}印发")


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in (text or "").splitlines() if line.strip()]


def _period(first: date, last: date) -> str:
    if first == last:
        return cn_date(first)
    if first.year != last.year:
        return f"{cn_date(first)}至{cn_date(last)}"
    return f"{cn_date(first)}至{cn_month_day(last)}"


def _attachment_title(campaign: Campaign) -> str:
    return f"第{cn_number(campaign.edition)}届“5·15政务公开日”活动宣传标语"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def drafted_notice_title(campaign) -> str:
    """关于印发《方案》的通知, the cover notice's usual title; the office may write its own (Campaign.notice_title:
    关于开展…活动的通知)."""
    return f"关于印发《{campaign.title}》的通知"


def drafted_notice_body(campaign) -> str:
    """The cover notice's body as offices word it, from the fields; `campaign` is a Campaign or CampaignFields.
    The office may rewrite it (Campaign.notice_body)."""
    issue = f"现将《{campaign.title}》印发给你们，请结合实际，认真组织实施。"
    if campaign.basis_title:
        number = f"（{campaign.basis_number}）" if campaign.basis_number else ""
        return f"按照《{campaign.basis_title.strip('《》')}》{number}精神，{issue}"
    return f"为深入推进政务公开，扎实开展第{cn_number(campaign.edition)}届“5·15政务公开日”活动，{issue}"


def drafted_opening(campaign) -> str:
    """The plan's opening paragraph, drafted from the fields (Campaign.opening_text when the office wrote its own)."""
    first_day = campaign.first_day
    day = "今年5月15日" if (first_day.month, first_day.day) <= (5, 15) else f"今年{cn_month_day(first_day)}"
    return (
        f"{day}是第{cn_number(campaign.edition)}届“5·15政务公开日”。为深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "进一步推进政务公开，回应群众和企业关切，结合工作实际，特制定本活动方案如下："
    )


def _groups(campaign: Campaign) -> list[GroupItem]:
    groups = []
    for g_index, group in enumerate(campaign.groups, start=1):
        activities = [
            _activity(a_index, activity, campaign.time_style)
            for a_index, activity in enumerate(group.activities, start=1)
        ]
        groups.append(GroupItem(f"（{cn_number(g_index)}）", group.title, activities))
    return groups


def _activity(index: int, activity: Activity, time_style: str) -> ActivityItem:
    lines = [Line("活动时间", cn_span(activity.starts_at, activity.ends_at, activity.all_day, time_style))]
    if activity.mode == MODE_ONSITE and activity.venue is not None:
        lines.append(Line("活动地点", activity.venue.printed_name))
    # Each role as the office wrote it: its order, its groups (各镇街), its trailing 等.
    for role in UNIT_ROLES:
        if activity.links_in_role(role):
            lines.append(Line(UNIT_ROLE_LABELS[role], activity.role_text(role)))
    if activity.requirements.strip():
        lines.append(Line("活动要求", " ".join(activity.requirements.split())))
    return ActivityItem(f"{index}.", activity.title, activity.description.strip(), lines)


def _requirements(campaign: Campaign) -> list[Paragraph]:
    lines = [line.strip() for line in (campaign.closing_requirements or "").splitlines() if line.strip()]
    numbered = len(lines) > 1 and not any(ALREADY_NUMBERED.match(line) for line in lines)
    paragraphs = []
    for index, line in enumerate(lines, start=1):
        match = RUN_IN_HEADING.match(line) if numbered else None
        if match:
            paragraphs.append(Paragraph(match.group(2), lead=f"（{cn_number(index)}）{match.group(1)}"))
        elif numbered:
            paragraphs.append(Paragraph(f"（{cn_number(index)}）{line}"))
        else:
            paragraphs.append(Paragraph(line))
    deadline = local(campaign.summary_deadline)
    if deadline is not None:
        day = f"{deadline.month}月{deadline.day}日"
        # Plans often state the deadline in their own words already; saying it twice would invite doubt.
        if not any(day in line and "总结" in line for line in lines):
            paragraphs.append(Paragraph(f"请各单位于{deadline_text(campaign)}前报送活动总结报告（包含图片、视频等）。"))
    return paragraphs


def deadline_text(campaign: Campaign) -> str:
    """5月18日 for a date-only deadline (the end of that day), 5月18日下午5时30分 with its clock time."""
    deadline = local(campaign.summary_deadline)
    if deadline is None:
        return ""
    day = f"{deadline.month}月{deadline.day}日"
    return day if campaign.deadline_date_only else day + cn_clock(deadline, campaign.time_style)


def plan_docx(plan: PlanDocument) -> bytes:
    doc = wd.new_document()
    doc.core_properties.title = plan.notice_title
    doc.core_properties.language = "zh-CN"

    if plan.issuer_mark:
        wd.add_masthead(doc, plan.issuer_mark, plan.issuer_mark_size, plan.doc_number)
    elif plan.doc_number:
        wd.add_paragraph(doc, plan.doc_number, align="center", indent=False)
        wd.add_blank_line(doc)
    wd.add_title(doc, plan.notice_title_lines)
    wd.add_blank_line(doc)
    if plan.addressees:
        wd.add_paragraph(doc, plan.addressees, indent=False)
    for text in plan.notice_body:
        wd.add_paragraph(doc, text)
    wd.add_blank_line(doc)
    wd.add_blank_line(doc)
    for text in (plan.signature, plan.date_text, plan.revision_note):
        if text:
            wd.add_paragraph(doc, text, align="right", indent=False, right_indent_chars=2)
    wd.add_paragraph(doc, plan.public_note)

    wd.add_title(doc, plan.plan_title_lines, new_page=True)
    wd.add_blank_line(doc)
    for text in plan.opening:
        wd.add_paragraph(doc, text)
    for section in plan.sections:
        wd.add_heading_level(doc, 1, f"{section.number}{section.title}")
        _docx_paragraphs(doc, section.paragraphs)
        for group in section.groups:
            wd.add_heading_level(doc, 2, f"{group.number}{group.title}")
            for activity in group.activities:
                wd.add_heading_level(doc, 3, f"{activity.number}{activity.title}")
                if activity.description:
                    wd.add_paragraph(doc, activity.description)
                for line in activity.lines:
                    wd.add_paragraph(doc, f"{line.label}：{line.text}")
    if plan.attachment_note:
        wd.add_blank_line(doc)
        wd.add_paragraph(doc, plan.attachment_note)

    wd.add_paragraph(doc, plan.attachment_label, indent=False, east_asia=wd.HEITI, new_page=True)
    wd.add_blank_line(doc)
    wd.add_title(doc, plan.attachment_title_lines)
    wd.add_blank_line(doc)
    for number, slogan in enumerate(plan.slogans, start=1):
        wd.add_paragraph(doc, f"{number}. {slogan}")
    if plan.colophon:
        wd.add_colophon(doc, plan.colophon.copy_to, plan.colophon.printed_by, plan.colophon.printed_date)
    return wd.to_bytes(doc)


def _docx_paragraphs(doc, paragraphs: list[Paragraph]) -> None:
    for paragraph in paragraphs:
        p = wd.add_paragraph(doc)
        if paragraph.lead:
            wd.add_run(p, paragraph.lead, east_asia=wd.KAITI)
        wd.add_run(p, paragraph.text)
