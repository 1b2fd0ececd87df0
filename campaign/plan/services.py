"""Campaigns: creating, editing, issuing; the one helper every change passes through. Copying to a new year:
copying.py.

Groups and activities: activities.py; venues and slogans: venues_and_slogans.py; the workspace's
checks and the audit page: overview.py. Messages are lazy strings: they are translated when shown, so these
functions also run outside a request.
"""

import re
from dataclasses import dataclass, fields
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.plan.document import drafted_notice_body, drafted_notice_title, drafted_opening
from campaign.plan.models import (
    STATUS_CLOSED,
    STATUS_DRAFT,
    STATUS_ISSUED,
    TIME_STYLE_CN,
    TIME_STYLES,
    Activity,
    Campaign,
)
from campaign.shared.audit import record
from campaign.shared.formatting import cn_number
from campaign.shared.timeutil import local, utcnow
from campaign.web.extensions import db
from campaign.web.refusal import Refusal

FIRST_YEAR = 2007  # the first 5·15 day; its edition number is year - 2006
EDITION_MAX = 99  # cn_number writes 1..99
TITLE_MAX, OFFICE_MAX, NUMBER_MAX = 200, 100, 60
# The drafted 关于印发《…》的通知 of the longest title, and room for the office's own wording.
NOTICE_TITLE_MAX = 250
# The 发文机关标志 is one line across the type area; the 抄送 list a paragraph of the 版记.
ISSUER_MARK_MAX, COPY_TO_MAX = 40, 1000

# 机关代字〔2025〕7号: the full year in 六角括号, no 第, no zero padding (GB/T 9704-2012).
DOC_NUMBER = re.compile(r"^([\u4e00-\u9fa5A-Za-z]{1,20})〔(\d{4})〕([1-9]\d*)号$")
DOC_NUMBER_HINT = _l("文号格式应为：江政办〔2025〕7号（年份用六角括号〔〕，序号不编虚位、不加“第”字）")
_WRONG_BRACKETS = re.compile(r"[\[\]【】［］()（）﹝﹞〈〉<>{}「」『』]")

STATUS_LABELS = {STATUS_DRAFT: _l("草稿"), STATUS_ISSUED: _l("已印发"), STATUS_CLOSED: _l("已结束")}
# Reopening a closed campaign is allowed; an issued plan never becomes a draft again: it has been sent out.
TRANSITIONS = {
    STATUS_DRAFT: {STATUS_ISSUED},
    STATUS_ISSUED: {STATUS_CLOSED},
    STATUS_CLOSED: {STATUS_ISSUED},
}


def note_change(campaign: Campaign, user, action: str, obj, **detail) -> None:
    """Record a change to a campaign or anything in its plan; the caller commits.

    Once the plan is issued the document shows the date of its last revision, so every later change moves it.
    """
    record(user, action, obj, campaign_id=campaign.id, **detail)
    if campaign.status != STATUS_DRAFT:
        campaign.revised_at = utcnow()


def normalize_doc_number(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def check_doc_number(text, year: int | None = None, field: str = "doc_number") -> str:
    """The number cleaned of spaces, or Refusal saying what is wrong and how it should be written."""
    number = normalize_doc_number(text)
    match = DOC_NUMBER.fullmatch(number)
    if match is None:
        if "第" in number:
            reason = _l("文号的序号前不加“第”字。")
        elif _WRONG_BRACKETS.search(number):
            reason = _l("年份应使用六角括号〔〕，不能用方括号或圆括号。")
        elif re.search(r"〕0\d*号$", number):
            reason = _l("序号不编虚位，如“7号”不写作“07号”。")
        elif re.search(r"〔\d{2}〕", number):
            reason = _l("年份应写全四位数字。")
        elif not number.endswith("号"):
            reason = _l("文号应以“号”字结尾。")
        else:
            reason = _l("文号格式不正确。")
        raise Refusal(reason, DOC_NUMBER_HINT, field=field)
    if year is not None and int(match.group(2)) != year:
        raise Refusal(
            _l("文号中的年份（%(number_year)s）与活动年份（%(year)s）不一致。", number_year=match.group(2), year=year),
            field=field,
        )
    return number


@dataclass
class CampaignFields:
    edition: int
    year: int
    title: str
    first_day: date
    last_day: date
    theme: str = ""
    issuing_office: str = ""
    doc_number: str = ""
    basis_title: str = ""
    basis_number: str = ""
    addressees: str = ""
    form_text: str = ""
    closing_requirements: str = ""
    summary_deadline: datetime | None = None
    deadline_date_only: bool = False
    issue_date: date | None = None
    time_style: str = TIME_STYLE_CN
    notice_title: str = ""
    notice_body: str = ""
    opening_text: str = ""
    # 版头 and 版记
    masthead_shown: bool = False
    issuer_mark: str = ""
    copy_to: str = ""
    printed_by: str = ""
    printed_on: date | None = None


def one_line(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def text_block(value) -> str:
    """A textarea: lines kept, trailing spaces and blank lines at the ends dropped."""
    lines = [line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def check_campaign_fields(values: CampaignFields, current: Campaign | None = None) -> CampaignFields:
    """The fields cleaned and checked; `current` is the campaign being edited."""
    exclude_id = current.id if current is not None else None
    values = CampaignFields(**{f.name: getattr(values, f.name) for f in fields(CampaignFields)})
    for name in ("title", "issuing_office", "basis_title", "notice_title"):
        setattr(values, name, one_line(getattr(values, name)))
    for name in ("theme", "addressees", "form_text", "closing_requirements", "notice_body", "opening_text"):
        setattr(values, name, text_block(getattr(values, name)))
    check_edition_and_year(values.edition, values.year, exclude_id)
    if not values.title:
        raise Refusal(_l("请填写方案标题。"), field="title")
    if len(values.title) > TITLE_MAX or len(values.basis_title) > TITLE_MAX:
        raise Refusal(_l("标题不能超过%(n)s个字。", n=TITLE_MAX), field="title")
    if len(values.notice_title) > NOTICE_TITLE_MAX:
        raise Refusal(_l("标题不能超过%(n)s个字。", n=NOTICE_TITLE_MAX), field="notice_title")
    if len(values.issuing_office) > OFFICE_MAX:
        raise Refusal(_l("发文机关不能超过%(n)s个字。", n=OFFICE_MAX), field="issuing_office")
    if values.first_day is None or values.last_day is None:
        raise Refusal(_l("请填写活动的开始和结束日期。"), field="first_day")
    if values.last_day < values.first_day:
        raise Refusal(_l("活动结束日期不能早于开始日期。"), field="last_day")
    if values.first_day.year != values.year:
        raise Refusal(_l("活动开始日期应在%(year)s年内。", year=values.year), field="first_day")
    check_masthead_and_colophon(values)
    values.doc_number = normalize_doc_number(values.doc_number)
    if values.doc_number:
        values.doc_number = check_doc_number(values.doc_number, values.year)
    values.basis_number = normalize_doc_number(values.basis_number)
    if values.basis_number:
        values.basis_number = check_doc_number(values.basis_number, field="basis_number")
    deadline = values.summary_deadline
    if deadline is not None:
        if deadline.tzinfo is None:
            raise Refusal(_l("截止时间缺少时区。"), field="deadline_date")
        if local(deadline).date() < values.first_day:
            raise Refusal(_l("总结报送截止时间不能早于活动开始日期。"), field="deadline_date")
    values.deadline_date_only = bool(values.deadline_date_only and deadline is not None)
    if values.time_style not in TIME_STYLES:
        raise Refusal(_l("请选择时间的写法。"), field="time_style")
    # A text left as drafted — from these fields, or from the stored ones the form was showing — is stored empty,
    # so that it keeps following the fields it is drafted from.
    drafted_texts = (("notice_title", drafted_notice_title), ("notice_body", drafted_notice_body),
                     ("opening_text", drafted_opening))
    for name, draft in drafted_texts:
        drafts = {draft(values)} | ({draft(current)} if current is not None else set())
        if getattr(values, name) in drafts:
            setattr(values, name, "")
    return values


def check_masthead_and_colophon(values: CampaignFields) -> None:
    """The 版头's 发文机关标志 and the 版记's texts: one line each, within what fits, the mark there when asked for."""
    values.masthead_shown = bool(values.masthead_shown)
    for name in ("issuer_mark", "copy_to", "printed_by"):
        setattr(values, name, one_line(getattr(values, name)))
    if values.masthead_shown and not values.issuer_mark:
        raise Refusal(_l("显示版头时请填写发文机关标志，如“江滨区人民政府办公室文件”。"), field="issuer_mark")
    if len(values.issuer_mark) > ISSUER_MARK_MAX:
        raise Refusal(_l("发文机关标志不能超过%(n)s个字。", n=ISSUER_MARK_MAX), field="issuer_mark")
    if len(values.printed_by) > OFFICE_MAX:
        raise Refusal(_l("印发机关不能超过%(n)s个字。", n=OFFICE_MAX), field="printed_by")
    if len(values.copy_to) > COPY_TO_MAX:
        raise Refusal(_l("抄送不能超过%(n)s个字。", n=COPY_TO_MAX), field="copy_to")


def check_edition_and_year(edition, year, exclude_id: int | None = None) -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= 2100:
        raise Refusal(_l("年份应在%(first)s到2100之间。", first=FIRST_YEAR), field="year")
    if not isinstance(edition, int) or not 1 <= edition <= EDITION_MAX:
        raise Refusal(_l("届次应在1到%(n)s之间。", n=EDITION_MAX), field="edition")
    query = sa.select(Campaign.year).where(Campaign.edition == edition)
    if exclude_id is not None:
        query = query.where(Campaign.id != exclude_id)
    taken = db.session.scalar(query.limit(1))
    if taken is not None:
        raise Refusal(
            _l("第%(edition)s届已有活动（%(year)s年），请检查届次。", edition=cn_number(edition), year=taken),
            field="edition",
        )


def suggested_title(edition: int, district: str = "") -> str:
    return f"{district or 'XX区'}第{cn_number(edition)}届“5·15政务公开日”活动方案"


def new_campaign_defaults(today: date) -> dict:
    """What a new campaign's form starts with: this year's edition, and the district's texts from last time."""
    latest = db.session.scalar(sa.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1))
    year, edition = today.year, today.year - 2006
    if latest is not None:
        year = max(year, latest.year + 1)
        edition = latest.edition + year - latest.year
    district = ""
    defaults = dict(year=year, edition=edition, first_day=date(year, 5, 15), last_day=date(year, 5, 20))
    if latest is not None:
        match = re.match(r"^(.+?)第[一二三四五六七八九十\d]+届", latest.title)
        district = match.group(1) if match else ""
        defaults.update(issuing_office=latest.issuing_office, addressees=latest.addressees)
    defaults["title"] = suggested_title(edition, district)
    return defaults


def create_campaign(user, values: CampaignFields) -> Campaign:
    values = check_campaign_fields(values)
    campaign = Campaign(**vars(values), status=STATUS_DRAFT)
    db.session.add(campaign)
    db.session.flush()
    note_change(campaign, user, "campaign_created", campaign, title=campaign.title)
    db.session.flush()
    return campaign


def jsonable(value):
    if isinstance(value, datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def apply_changes(obj, new_values: dict) -> dict:
    """Set the attributes that differ; {name: [old, new]} for the audit log."""
    changes = {}
    for name, value in new_values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [jsonable(old), jsonable(value)]
            setattr(obj, name, value)
    return changes


def change_and_note(campaign: Campaign, user, action: str, obj, new_values: dict) -> dict:
    """Set what differs, and if anything did, record it (see note_change) and flush; {name: [old, new]}."""
    changes = apply_changes(obj, new_values)
    if changes:
        note_change(campaign, user, action, obj, changes=changes)
        db.session.flush()
    return changes


def update_campaign(user, campaign: Campaign, values: CampaignFields) -> dict:
    values = check_campaign_fields(values, current=campaign)
    if campaign.status != STATUS_DRAFT and campaign.doc_number and not values.doc_number:
        raise Refusal(_l("方案已带文号印发，文号不能删除。"), field="doc_number")
    return change_and_note(campaign, user, "campaign_updated", campaign, vars(values))


def set_status(user, campaign: Campaign, status: str, without_number: bool = False) -> None:
    """Move the campaign on. Issuing without a 文号 is allowed — many published notices carry none — but only when
    the organizer has said so (`without_number`), so that a forgotten number is not issued unnoticed."""
    if status not in TRANSITIONS:
        raise Refusal(_l("未知的状态。"))
    if status == campaign.status:
        raise Refusal(_l("活动已经是“%(status)s”状态。", status=STATUS_LABELS[status]))
    if status not in TRANSITIONS[campaign.status]:
        if status == STATUS_DRAFT:
            raise Refusal(_l("已印发的方案不能退回草稿。如需调整，可直接修改，修改会记入修订记录。"))
        raise Refusal(
            _l("不能从“%(old)s”改为“%(new)s”。", old=STATUS_LABELS[campaign.status], new=STATUS_LABELS[status])
        )
    if status == STATUS_ISSUED and campaign.status == STATUS_DRAFT:
        if not campaign.doc_number and not without_number:
            raise Refusal(_l("方案还没有文号。如需文号，请先在“编辑”中填写；不编文号印发请确认。"))
        has_activity = db.session.scalar(sa.select(Activity.id).where(Activity.campaign_id == campaign.id).limit(1))
        if has_activity is None:
            raise Refusal(_l("方案中还没有活动，不能印发。"))
        campaign.issued_at = utcnow()
    action = {STATUS_ISSUED: "campaign_issued", STATUS_CLOSED: "campaign_closed"}[status]
    if campaign.status == STATUS_CLOSED:
        action = "campaign_reopened"
    # A change of status is not a revision of the plan's text, so it leaves revised_at alone.
    record(user, action, campaign, campaign_id=campaign.id, changes={"status": [campaign.status, status]})
    campaign.status = status
    db.session.flush()


def campaign_list() -> list[Campaign]:
    return list(db.session.scalars(sa.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())))
