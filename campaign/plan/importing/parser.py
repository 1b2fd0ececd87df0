"""Reading a notice and its plan, as offices publish them (../shared/domain.md, "Structure of a plan"), into a
ParsedPlan: the cover notice (notice.py), the plan's title and opening paragraph, its sections 一、… with groups （一）
and activities 1./1、 and their labelled lines, the summary deadline, and the 附件 of slogans.

Every pattern is anchored or bounded and has no nested repetition; the text's size is bounded (text.py), so a
parse takes time in proportion to the text.
"""

import re

from campaign.plan.importing.notice import ATTACHMENT, DATE_LINE, notice, notice_start, plan_title_at
from campaign.plan.importing.structure import (
    Found,
    ParsedActivity,
    ParsedGroup,
    ParsedPlan,
    ParsedSection,
    Row,
)
from campaign.plan.importing.text import clean_line, is_debris, phrases_kept, raw_line, source_lines
from campaign.plan.importing.times import cn_small_number, plain, read_when
from campaign.plan.models import (
    MODE_ONLINE,
    MODE_ONSITE,
    ROLE_COOPERATING,
    ROLE_LEAD,
    ROLE_PARTICIPATING,
    ROLE_RESPONSIBLE,
    VENUE_BRANCH,
    VENUE_MAIN,
    VENUE_PLAIN,
)

H1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+)$")
H2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.+)$")
ITEM = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.+)$")
HEAD_BREAK = re.compile(r"[。：:；]")
LABEL = re.compile(
    r"(活动时间|活动地点|牵头单位|配合单位|参加单位|参与单位|责任单位|协办单位|活动要求|工作要求)\s*[:：]"
)
LEADING_LABEL = re.compile(r"^(时间|地点)\s*[:：]")
LABEL_KEYS = {
    "活动时间": "time", "时间": "time", "活动地点": "venue", "地点": "venue",
    "牵头单位": ROLE_LEAD, "配合单位": ROLE_COOPERATING, "协办单位": ROLE_COOPERATING,
    "参加单位": ROLE_PARTICIPATING, "参与单位": ROLE_PARTICIPATING, "责任单位": ROLE_RESPONSIBLE,
    "活动要求": "requirements", "工作要求": "requirements",
}
SECTION_WORDS = (
    ("内容", "content"), ("主题", "theme"), ("形式", "form"), ("方式", "form"), ("时间", "period"),
    ("安排", "content"), ("要求", "closing"), ("保障", "closing"),
)
# The place (PlanSection.place) a section of the plan's own takes after a standard section of each kind.
SECTION_PLACES_OF = {"theme": "theme", "form": "form", "period": "period", "content": "content",
                     "closing": "requirements"}
HEADINGS = ("活动主题", "活动形式", "活动时间", "活动内容", "活动要求", "活动安排", "工作要求")
DEADLINE = re.compile(
    r"((?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[（(](?:星期|周)[一二三四五六日天][）)])?"
    r"(?:(?:上午|下午|中午|晚上)?\d{1,2}(?::\d{2}|时(?:\d{1,2}分|半)?))?)(?:之前|以前|前)"
)
ONLINE_WORDS = re.compile(r"线上|网上|网络|新媒体|网站|政务号|公众号|热线|直播")
EDITION = re.compile(r"第([一二三四五六七八九十\d]{1,4})届")
YEAR = re.compile(r"(\d{4})年|〔(\d{4})〕")


def parse_plan(text: str) -> ParsedPlan:
    lines, traditional = source_lines(text)
    plan = ParsedPlan(traditional=traditional, lines=lines)
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        cleaned = clean_line(line)
        if cleaned:
            rows.append((number, cleaned, raw_line(line)))
    start, doc_number = notice_start(rows)
    if doc_number is not None:
        plan["doc_number"] = doc_number
    if start is not None:
        plan["notice_title"] = Found(rows[start][1], rows[start][0])
    title_at = plan_title_at(rows, start)
    if start is not None:
        notice(plan, rows, start, title_at if title_at is not None else len(rows))
    if title_at is None:
        if start is not None:
            inner = re.search(r"《(.+)》", rows[start][1])
            if inner:
                plan["title"] = Found(inner.group(1), rows[start][0], uncertain=True)
        return _finish(plan)
    number, title_text, _raw = rows[title_at]
    plan["title"] = Found(title_text.strip("《》"), number)
    _plan_body(plan, rows, title_at + 1)
    return _finish(plan)


def _split_heading(text: str) -> tuple[str, str]:
    """(heading, text run into it): 活动主题。坚持依法行政 → (活动主题, 坚持依法行政)."""
    for word in HEADINGS:
        if text.startswith(word):
            return word, text[len(word):].lstrip("。：:；，, ")
    match = HEAD_BREAK.search(text)
    if match and match.start() <= 30:
        return text[: match.start()], text[match.end():].strip()
    return text, ""


def _section_kind(heading: str) -> str:
    return next((kind for word, kind in SECTION_WORDS if word in heading), "other")


def _plan_body(plan: ParsedPlan, rows: list[Row], first: int) -> None:
    attachment_at = _attachment_at(rows, first)
    kind = "opening"
    targets = {"opening": "opening_text", "theme": "theme", "form": "form_text", "period": "period",
               "closing": "closing_requirements"}
    group: ParsedGroup | None = None
    activity: ParsedActivity | None = None
    last_standard: str | None = None
    end = attachment_at if attachment_at is not None else len(rows)
    for number, text, raw in rows[first:end]:
        if is_debris(text):
            if kind == "closing":
                break  # the page's footer: the document has ended
            continue
        if ATTACHMENT.match(text) and len(text) < 60:
            continue  # the 附件说明 under the body; printed from the slogans
        heading = H1.match(text)
        if heading:
            title, rest = _split_heading(heading.group(2))
            kind = _section_kind(title)
            group, activity = None, None
            if kind == "other":
                # A section of the plan's own, after the standard one read last (before them all if none yet).
                plan.sections.append(ParsedSection(Found(title.rstrip("。：:"), number), last_standard or "start"))
            else:
                last_standard = SECTION_PLACES_OF[kind]
            text = rest
            if not text:
                continue
        if kind == "other":
            plan.sections[-1].text.add(text, number)
        elif kind == "content":
            group, activity = _content_line(plan, group, activity, number, text)
        elif kind == "theme" and text == clean_line(raw):
            plan["theme"].add(phrases_kept(raw), number)  # 公开惠民生　服务暖人心: its halves kept apart
        elif kind in targets:
            plan[targets[kind]].add(text, number)
        else:
            plan.unplaced.append(Found(text, number))
    for group_read in plan.groups:
        if not group_read.activities and group_read.intro.value:
            plan.unplaced.append(group_read.intro)
    if attachment_at is not None:
        _attachment(plan, rows, attachment_at)


def _content_line(plan: ParsedPlan, group, activity, number: int, text: str):
    """One line of 四、活动内容: a group, an activity, a labelled line or more of the activity's text."""
    heading = H2.match(text)
    if heading:
        title, rest = _split_heading(heading.group(2))
        group = ParsedGroup(Found(title.rstrip("。"), number))
        if rest:
            group.intro = Found(rest, number)
        plan.groups.append(group)
        return group, None
    item = ITEM.match(text)
    if item:
        if group is None:
            group = ParsedGroup(Found("活动内容", number, uncertain=True))
            plan.groups.append(group)
        activity = ParsedActivity(line=number)
        body = item.group(2)
        if LABEL.match(body):  # 1.活动时间：… — a numbered line of an activity, not a new one
            activity = group.activities[-1] if group.activities else activity
        else:
            cut = re.search(r"[。：:]", body)
            title, rest = (body[: cut.start()], body[cut.end():].strip()) if cut and cut.start() >= 4 else (body, "")
            activity["title"].value, activity["title"].line = title.rstrip("。"), number
            activity["title"].uncertain = len(title) > 60
            if rest:
                _activity_text(activity, number, rest)
            group.activities.append(activity)
            return group, activity
        body = text = item.group(2)
    if activity is None:
        if group is None:
            group = ParsedGroup(Found("活动内容", number, uncertain=True))
            plan.groups.append(group)
        # A group without numbered activities: the group is its own activity.
        activity = ParsedActivity(line=number)
        activity["title"] = Found(group.title.value, group.title.line, uncertain=True)
        if group.intro.value:
            activity["description"] = group.intro
            group.intro = Found()
        group.activities.append(activity)
    _activity_text(activity, number, text)
    return group, activity


def _activity_text(activity: ParsedActivity, number: int, text: str) -> None:
    """A line of an activity: 活动时间：… 活动地点：… (several may share a line), or more of its text."""
    leading = LEADING_LABEL.match(text)
    labels = list(LABEL.finditer(text))
    if leading and not labels:
        labels = [leading]
    if not labels:
        activity[activity.last_label].add(text, number)
        return
    before = text[: labels[0].start()].strip()
    if before:
        activity[activity.last_label].add(before, number)
    for position, label in enumerate(labels):
        value_end = labels[position + 1].start() if position + 1 < len(labels) else len(text)
        value = text[label.end(): value_end].strip().rstrip("；;")
        key = LABEL_KEYS[label.group(1)]
        separator = "、" if key not in ("requirements", "description", "time", "venue") else "\n"
        activity[key].add(value, number, separator)
        activity.last_label = "requirements" if key == "requirements" else "description"


def _attachment_at(rows: list[Row], first: int) -> int | None:
    """The attachment of slogans: the last 附件 line after the plan's body with slogans after it."""
    for index in range(len(rows) - 1, first - 1, -1):
        match = ATTACHMENT.match(rows[index][1])
        if match is None:
            continue
        rest = match.group(1)
        following = [row for row in rows[index + 1: index + 4] if not is_debris(row[1])]
        if ("标语" in rest or not rest) and following:
            return index
    return None


def _attachment(plan: ParsedPlan, rows: list[Row], at: int) -> None:
    from campaign.plan.venues_and_slogans import split_slogans

    rest = ATTACHMENT.match(rows[at][1])
    after = rows[at + 1:]
    if rest is not None and not rest.group(1) and after and "标语" in after[0][1]:
        after = after[1:]  # the attachment's title, drafted from the edition
    for number, text, raw in after:
        if is_debris(text) or re.search(r"印发$|^抄送", text) or DATE_LINE.match(plain(text)):
            break
        slogan = split_slogans(raw)
        if slogan:
            plan.slogans.append(Found(slogan[0], number, uncertain=len(slogan[0]) > 60))


def _finish(plan: ParsedPlan) -> ParsedPlan:
    """What the plan's parts imply: edition, year, the activities' modes and venue kinds, the deadline."""
    title = plan["title"]
    edition = EDITION.search(title.value)
    if edition and cn_small_number(edition.group(1)):
        plan.text_edition = cn_small_number(edition.group(1))
        plan["edition"] = Found(str(plan.text_edition), title.line)
    else:
        plan["edition"].uncertain = True
    for key in ("period", "issue_date", "basis_number", "doc_number", "title"):
        found = YEAR.search(plain(plan[key].value))
        if found:
            plan.text_year = int(found.group(1) or found.group(2))
            plan["year"] = Found(str(plan.text_year), plan[key].line)
            break
    else:
        plan["year"].uncertain = True
    period = plan["period"]
    if period.value and read_when(period.value) is None:
        period.uncertain = True
    for number_text in plan["closing_requirements"].value.split("\n"):
        if "总结" in number_text or "报送" in number_text:
            deadline = DEADLINE.search(plain(number_text))
            if deadline:
                plan["deadline"] = Found(deadline.group(1), plan["closing_requirements"].line)
                break
    colon = False
    for group in plan.groups:
        for activity in group.activities:
            _finish_activity(group, activity)
            colon = colon or ":" in plain(activity["time"].value)
    plan["time_style"] = Found("colon" if colon else "cn")
    # A copy without its cover notice: the notice's parts are for the clerk to fill in.
    for key in ("addressees", "issuing_office"):
        if not plan[key].value:
            plan[key].uncertain = True
    return plan


def _finish_activity(group: ParsedGroup, activity: ParsedActivity) -> None:
    venue, when = activity["venue"], activity["time"]
    if not when.value or (when_read := read_when(when.value)) is None or when_read.partial:
        when.uncertain = True
    kind = VENUE_PLAIN
    if "主会场" in venue.value:
        kind = VENUE_MAIN
    elif "分会场" in venue.value:
        kind = VENUE_BRANCH
    venue.value = re.sub(r"[（(](主|分)会场[）)]", "", venue.value).strip().rstrip("。")
    activity["venue_kind"] = Found(kind, venue.line)
    online_words = ONLINE_WORDS.search(group.title.value + activity["title"].value)
    mode = MODE_ONSITE if venue.value else MODE_ONLINE
    activity["mode"] = Found(mode, activity.line, uncertain=not venue.value and not online_words)
    for key in (ROLE_LEAD, ROLE_COOPERATING, ROLE_PARTICIPATING, ROLE_RESPONSIBLE):
        activity[key].value = activity[key].value.rstrip("。.")
    activity["description"].value = activity["description"].value.strip()
