"""What the organizer's workspace shows: the whole plan in a fixed number of queries, its warnings, the audit log."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from campaign.plan.activities import time_warnings
from campaign.plan.models import (
    MODE_ONSITE,
    Activity,
    ActivityGroup,
    ActivityUnit,
    Campaign,
)
from campaign.plan.participants import participant_ids
from campaign.plan.services import STATUS_LABELS
from campaign.shared.audit import AuditEvent, action_label, newest_events, register_action_labels
from campaign.web.extensions import db

AUDIT_PAGE_SIZE = 300

register_action_labels({
    "campaign_created": _l("新建活动"),
    "campaign_updated": _l("修改活动信息"),
    "campaign_copied": _l("由往年活动复制"),
    "plan_imported": _l("从方案文件导入"),
    "campaign_issued": _l("印发方案"),
    "campaign_closed": _l("结束活动"),
    "campaign_reopened": _l("重新开启活动"),
    "group_created": _l("新增分组"),
    "group_updated": _l("修改分组"),
    "group_deleted": _l("删除分组"),
    "group_moved": _l("调整分组顺序"),
    "activity_created": _l("新增活动内容"),
    "activity_updated": _l("修改活动内容"),
    "activity_deleted": _l("删除活动内容"),
    "activity_moved": _l("调整活动顺序"),
    "venue_created": _l("新增地点"),
    "venue_updated": _l("修改地点"),
    "venue_deleted": _l("删除地点"),
    "slogans_added": _l("新增标语"),
    "slogan_updated": _l("修改标语"),
    "slogan_deleted": _l("删除标语"),
    "slogan_moved": _l("调整标语顺序"),
    "section_added": _l("新增章节"),
    "section_updated": _l("修改章节"),
    "section_deleted": _l("删除章节"),
    "section_moved": _l("调整章节顺序"),
})

FIELD_LABELS = {
    "edition": _l("届次"),
    "year": _l("年份"),
    "title": _l("标题"),
    "theme": _l("活动主题"),
    "first_day": _l("开始日期"),
    "last_day": _l("结束日期"),
    "issuing_office": _l("发文机关"),
    "doc_number": _l("文号"),
    "basis_title": _l("上级通知标题"),
    "basis_number": _l("上级通知文号"),
    "addressees": _l("主送单位"),
    "form_text": _l("活动形式"),
    "closing_requirements": _l("活动要求"),
    "summary_deadline": _l("总结报送截止时间"),
    "issue_date": _l("成文日期"),
    "status": _l("状态"),
    "description": _l("活动内容"),
    "mode": _l("形式"),
    "starts_at": _l("开始时间"),
    "ends_at": _l("结束时间"),
    "all_day": _l("全天"),
    "venue_id": _l("地点"),
    "requirements": _l("活动要求"),
    "to_bring": _l("需携带"),
    "group_id": _l("所属分组"),
    "units": _l("参与单位"),
    "name": _l("名称"),
    "address": _l("地址"),
    "is_main": _l("主会场"),
    "kind": _l("地点类型"),
    "deadline_date_only": _l("截止只写日期"),
    "time_style": _l("时间的写法"),
    "notice_title": _l("通知标题"),
    "notice_body": _l("通知正文"),
    "opening_text": _l("方案开头段"),
    "text": _l("标语"),
    "texts": _l("标语"),
    "activities": _l("一并删除的活动"),
    "start": _l("开始时间"),
    "source_year": _l("复制自"),
    "direction": _l("方向"),
}
HIDDEN_DETAILS = {"source_id"}
# Codes stored in the log, in the words of the page.
VALUE_LABELS = {
    "online": _l("线上"),
    "onsite": _l("现场"),
    "up": _l("上移"),
    "down": _l("下移"),
    "main": _l("主会场"),
    "branch": _l("分会场"),
    "plain": _l("普通地点"),
    "cn": _l("9时30分"),
    "colon": _l("9:30"),
    **STATUS_LABELS,
}


def load_plan(campaign_id: int) -> Campaign:
    """The campaign with its groups, activities, units, venues, slogans and own sections, in a handful of queries."""
    return db.session.execute(
        sa.select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(
            selectinload(Campaign.groups)
            .selectinload(ActivityGroup.activities)
            .options(
                joinedload(Activity.venue),
                selectinload(Activity.unit_links).options(
                    joinedload(ActivityUnit.unit), joinedload(ActivityUnit.group)
                ),
            ),
            selectinload(Campaign.venues),
            selectinload(Campaign.slogans),
            selectinload(Campaign.sections),
        )
    ).scalar_one()


@dataclass
class PlanCheck:
    """Counts and warnings: what may be wrong in the plan, without stopping the organizer from saving it."""

    activities: int = 0
    units: int = 0
    onsite: int = 0
    by_activity: dict[int, list] = field(default_factory=dict)
    general: list = field(default_factory=list)
    long_slogans: int = 0
    venue_use: dict[int, int] = field(default_factory=dict)

    @property
    def warning_count(self) -> int:
        return sum(len(messages) for messages in self.by_activity.values()) + len(self.general)


def check_plan(campaign: Campaign) -> PlanCheck:
    check = PlanCheck()
    for group in campaign.groups:
        if not group.activities:
            check.general.append(_l("分组“%(title)s”中还没有活动。", title=group.title))
        for activity in group.activities:
            check.activities += 1
            messages = time_warnings(campaign, activity)
            if activity.mode == MODE_ONSITE:
                check.onsite += 1
                if activity.venue is None:
                    messages.append(_l("现场活动还没有活动地点。"))
                else:
                    check.venue_use[activity.venue.id] = check.venue_use.get(activity.venue.id, 0) + 1
                if not activity.unit_links:
                    messages.append(_l("现场活动还没有填写单位。"))
            if messages:
                check.by_activity[activity.id] = messages
    # Units named through a group (各镇街) count as the units they stand for.
    check.units = len(participant_ids(campaign.id))
    check.long_slogans = sum(1 for slogan in campaign.slogans if slogan.too_long_for_banner)
    if check.long_slogans:
        check.general.append(_l("有%(n)s条标语较长，不宜用于条幅。", n=check.long_slogans))
    if not campaign.doc_number:
        check.general.append(_l("还没有填写文号；不编文号也可以印发，印发时会再确认。"))
    if campaign.summary_deadline is None:
        check.general.append(_l("还没有设置总结报送截止时间。"))
    return check


def venue_usage(campaign_id: int) -> dict[int, list[str]]:
    """{venue id: titles of the activities held there}."""
    rows = db.session.execute(
        sa.select(Activity.venue_id, Activity.title)
        .where(Activity.campaign_id == campaign_id, Activity.venue_id.is_not(None))
        .order_by(Activity.sort_order, Activity.id)
    )
    usage: dict[int, list[str]] = {}
    for venue_id, title in rows:
        if venue_id is not None:  # as the query has it
            usage.setdefault(venue_id, []).append(title)
    return usage


@dataclass
class AuditLine:
    event: AuditEvent
    action: str
    details: list[tuple[str, str]]


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("是") if value else _l("否"))
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, str) and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def audit_lines(campaign_id: int) -> list[AuditLine]:
    events = newest_events(AuditEvent.campaign_id == campaign_id, limit=AUDIT_PAGE_SIZE)
    lines = []
    for event in events:
        details = []
        for key, value in (event.detail or {}).items():
            if key == "changes" and isinstance(value, dict):
                for name, change in value.items():
                    label = str(FIELD_LABELS.get(name, name))
                    if isinstance(change, list) and len(change) == 2:
                        details.append((label, f"{_text(change[0])} → {_text(change[1])}"))
                    else:
                        details.append((label, _text(change)))
            elif key not in HIDDEN_DETAILS:
                details.append((str(FIELD_LABELS.get(key, key)), _text(value)))
        lines.append(AuditLine(event, action_label(event.action), details))
    return lines
