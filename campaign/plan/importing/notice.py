"""Reading the cover notice (印发通知) above a plan: 关于印发《…》的通知 or 关于开展…的通知, its 文号, the addressees
under it, the body citing the higher-level notice (《…》（…号）), the signing office and date, 此件公开发布; and where
the plan's own title is below it. parser.py reads the plan that follows.

Every pattern is anchored or bounded and has no nested repetition (see parser.py).
"""

import re

from campaign.plan.importing.structure import Found, ParsedPlan, Row
from campaign.plan.importing.text import is_debris
from campaign.plan.importing.times import plain

NOTICE_TITLE = re.compile(r"^关于.{2,120}通知$")
PLAN_TITLE = re.compile(r"^《?[^。，；：:]{4,80}方案》?$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（](\d{4})[〕\]］)）]\d{1,4}号$")
DOC_NUMBER_META = re.compile(r"^(?:发文字号|文号)[:：]\s*(\S{4,40})$")
ADDRESSEES = re.compile(r"^.{2,200}[：:]$")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
PUBLIC_NOTE = re.compile(r"^[（(]此件.{0,12}[）)]$")
ATTACHMENT = re.compile(r"^附\s*件\s*\d{0,2}\s*[:：]?\s*(.{0,80})$")
BASIS = re.compile(r"《([^》]{4,150})》\s*[（(]([^）)]{2,40}?号)[）)]")
BASIS_BARE = re.compile(r"(?:按照|根据)《([^》]{4,150})》")


def _joined_title(rows: list[Row], index: int) -> tuple[str, int]:
    """A title broken over up to three lines (a Word file's centred title): the text and the last row used."""
    text = rows[index][1]
    for extra in range(index + 1, min(index + 3, len(rows))):
        if text.endswith("通知") or len(text) > 120:
            break
        text += rows[extra][1]
        if text.endswith("通知"):
            return text, extra
    return text, index


def notice_start(rows: list[Row]) -> tuple[int | None, Found | None]:
    """Where the notice's title is (the one followed by addressees, not a page's header), and a 文号 given in
    the page's metadata or above the title."""
    candidates = []
    for index, (_number, text, _raw) in enumerate(rows):
        if text.startswith("关于"):
            joined, last = _joined_title(rows, index)
            if NOTICE_TITLE.match(joined):
                candidates.append((index, joined, last))
    # The notice's title is followed by its addressees (各…：). Without them, only a 关于印发… title is taken: any
    # 关于…通知 (a page's list of related notices) is not the notice.
    chosen = next((candidate for candidate in candidates if _addressed(rows, candidate[2])), None)
    if chosen is None:
        chosen = next((candidate for candidate in reversed(candidates) if candidate[1].startswith("关于印发")), None)
    if chosen is None:
        return None, None
    index, joined, last = chosen
    # Merge the title's lines into its first row, so that later steps read it as one.
    number = rows[index][0]
    rows[index: last + 1] = [(number, joined, joined)]
    doc_number = None
    for row_number, text, _raw in rows[max(0, index - 12): index + 3]:
        meta = DOC_NUMBER_META.match(text)
        candidate_number = meta.group(1) if meta else (text if DOC_NUMBER.match(text) else None)
        if candidate_number:
            doc_number = _doc_number(candidate_number, row_number)
    return index, doc_number


def _addressed(rows: list[Row], last: int) -> bool:
    """Whether the addressees (各…：) come next, under the title."""
    following = [text for _n, text, _r in rows[last + 1: last + 12] if not is_debris(text) and not DOC_NUMBER.match(text)]
    return bool(following) and bool(ADDRESSEES.match(following[0])) and following[0].startswith("各")


def _doc_number(text: str, line: int) -> Found:
    """〔2022〕 as GB/T 9704 writes it; other brackets are read, changed and marked for a look."""
    fixed = re.sub(r"[\[［(（](\d{4})[\]］)）]", r"〔\1〕", text)
    return Found(fixed, line, uncertain=fixed != text)


def plan_title_at(rows: list[Row], start: int | None) -> int | None:
    expected = None
    if start is not None:
        inner = re.search(r"《(.+)》", rows[start][1])
        expected = inner.group(1) if inner else None
    first = start + 1 if start is not None else 0
    fallback = None
    for index in range(first, len(rows)):
        text = rows[index][1]
        if is_debris(text) or text.startswith(("关于", "现将", "按照")):
            continue
        if expected and index + 1 < len(rows) and text + rows[index + 1][1] == expected:
            rows[index: index + 2] = [(rows[index][0], expected, expected)]
            return index
        if PLAN_TITLE.match(text):
            if expected is None or text.strip("《》") == expected:
                return index
            fallback = index if fallback is None else fallback
    return fallback


def notice(plan: ParsedPlan, rows: list[Row], start: int, end: int) -> None:
    region = [row for row in rows[start + 1: end] if not is_debris(row[1])]
    if plan["doc_number"].value:
        region = [row for row in region if row[1] != plan["doc_number"].value and not DOC_NUMBER.match(row[1])]
    body_from = 0
    for position, (number, text, _raw) in enumerate(region[:3]):
        if ADDRESSEES.match(text):
            plan["addressees"] = Found(text, number)
            body_from = position + 1
            break
    else:
        plan["addressees"].uncertain = True
    date_at = next((i for i in range(len(region) - 1, body_from - 1, -1) if DATE_LINE.match(plain(region[i][1]))), None)
    body_to = len(region)
    if date_at is not None:
        number, text, _raw = region[date_at]
        plan["issue_date"] = Found(text, number)
        body_to = date_at
        office_at = date_at - 1
        if office_at >= body_from and len(region[office_at][1]) <= 40 and not re.search(r"[。，；]", region[office_at][1]):
            plan["issuing_office"] = Found(region[office_at][1], region[office_at][0])
            body_to = office_at
        for number, text, _raw in region[date_at + 1:]:
            if not PUBLIC_NOTE.match(text):
                plan.unplaced.append(Found(text, number))
    body = plan["notice_body"]
    for number, text, _raw in region[body_from:body_to]:
        if ATTACHMENT.match(text) or PUBLIC_NOTE.match(text):
            continue  # the 附件说明 and 此件公开发布 are drafted from the plan
        body.add(text, number)
    cited = BASIS.search(body.value) or BASIS_BARE.search(body.value)
    if cited:
        plan["basis_title"] = Found(cited.group(1), body.line)
        if cited.re is BASIS:
            plan["basis_number"] = Found(cited.group(2), body.line)
