"""Year on year: this campaign's figures beside the previous campaign's — units taking part, desks, people received,
materials, satisfaction, referrals closed in time — one sentence each and one table, at the end of 一、基本情况.

The previous campaign is the latest one of an earlier year (not a draft) issued by the same office (the office's
name as the plan gives it; a campaign without one compares with any). Its figures are those it was reported with
(its latest snapshot, what went upward that year), else compiled from its data; referrals closed in time are
counted from the data either way (snapshots made before that count existed do not have it). No previous campaign,
no comparison: nothing is shown, not an empty table.
"""

from typing import TypedDict

import sqlalchemy as sa

from campaign.booths.followup_lists import follow_up_timeliness
from campaign.plan.models import STATUS_DRAFT, Campaign
from campaign.report.models import ReportSnapshot
from campaign.web.extensions import db


class ComparisonRow(TypedDict):
    key: str
    label: str  # 参加单位
    measure: str  # 家
    current: int
    previous: int
    change: int
    # For the numbers check (consistency.py): what the measure counts, the words that name the figure.
    kinds: str
    keywords: list[str]


class Comparison(TypedDict):
    year: int
    previous_id: int
    previous_year: int
    previous_edition: int
    # "上年", or "2023年" when the previous campaign is older than last year.
    than: str
    rows: list[ComparisonRow]
    sentences: list[str]


# key → (label in the table and the sentence, measure word, kinds for the numbers check, naming words)
MEASURES = (
    ("units_taking_part", "参加单位", "家", "units", ["参加单位", "单位"]),
    ("booths", "设立政策咨询台", "个", "count", ["咨询台"]),
    ("people", "接待群众咨询", "人次", "people", ["接待", "群众", "咨询"]),
    ("materials", "发放宣传资料", "份", "copies", ["资料", "发放"]),
    ("satisfaction_rate", "群众满意率", "%", "percent", ["满意率"]),
    ("follow_ups_closed_in_time", "转办事项按期办结", "件", "items count", ["按期办结", "办结"]),
)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    query = sa.select(Campaign).where(Campaign.year < campaign.year, Campaign.status != STATUS_DRAFT)
    if campaign.issuing_office:
        query = query.where(sa.or_(Campaign.issuing_office == campaign.issuing_office, Campaign.issuing_office == ""))
    return db.session.scalar(query.order_by(Campaign.year.desc(), Campaign.id.desc()).limit(1))


def closed_in_time(campaign_id: int) -> int:
    """Referrals closed by their closing deadline, as compile.py counts them."""
    return sum(in_time for _count, in_time in follow_up_timeliness(campaign_id).values())


def _previous_totals(previous: Campaign) -> dict:
    snapshot = db.session.scalar(
        sa.select(ReportSnapshot).where(ReportSnapshot.campaign_id == previous.id)
        .order_by(ReportSnapshot.created_at.desc(), ReportSnapshot.id.desc()).limit(1))
    if snapshot is not None and (snapshot.figures or {}).get("totals"):
        return dict(snapshot.figures["totals"])
    # Imported here: compile.py calls this module (the comparison is part of the figures it compiles).
    from campaign.report.compile import compile_report

    return dict(compile_report(previous, compare=False)["totals"])


def _change_text(row: ComparisonRow, than: str) -> str:
    if row["change"] == 0:
        return f"与{than}持平"
    if row["measure"] == "%":
        return f"比{than}{'提高' if row['change'] > 0 else '下降'}{abs(row['change'])}个百分点"
    return f"比{than}{'增加' if row['change'] > 0 else '减少'}{abs(row['change'])}{row['measure']}"


def sentence(row: ComparisonRow, than: str) -> str:
    """参加单位28家，比上年增加3家。"""
    return f"{row['label']}{row['current']}{row['measure']}，{_change_text(row, than)}。"


def compare(campaign: Campaign, totals: dict) -> Comparison | None:
    """This campaign's totals (as compiled) beside the previous campaign's; None when there is none."""
    previous = previous_campaign(campaign)
    if previous is None:
        return None
    before = _previous_totals(previous)
    if "follow_ups_closed_in_time" not in before:  # a snapshot from before that count: from the data
        before["follow_ups_closed_in_time"] = closed_in_time(previous.id)
    # A previous campaign whose desks were not recorded here (no desk, no consultation) has no figures of the
    # desks to compare with: zeros there would read as growth from nothing.
    desks_recorded = bool(before.get("booths") or before.get("consultations"))
    than = "上年" if previous.year == campaign.year - 1 else f"{previous.year}年"
    rows: list[ComparisonRow] = []
    for key, label, measure, kinds, keywords in MEASURES:
        if key != "units_taking_part" and not desks_recorded:
            continue
        current, earlier = totals.get(key), before.get(key)
        if current is None or earlier is None:  # a rate nobody rated in one of the years
            continue
        rows.append({"key": key, "label": label, "measure": measure, "current": int(current),
                     "previous": int(earlier), "change": int(current) - int(earlier), "kinds": kinds,
                     "keywords": keywords})
    return {
        "year": campaign.year,
        "previous_id": previous.id,
        "previous_year": previous.year,
        "previous_edition": previous.edition,
        "than": than,
        "rows": rows,
        "sentences": [sentence(row, than) for row in rows],
    }


def table_rows(comparison: Comparison) -> list[list[str]]:
    """The table's rows: 项目（单位）, this year, the previous, the change (+3, −2, 0)."""
    def cell(value: int, measure: str) -> str:
        return f"{value}%" if measure == "%" else str(value)

    rows = []
    for row in comparison["rows"]:
        unit = "个百分点" if row["measure"] == "%" else row["measure"]
        change = f"+{row['change']}" if row["change"] > 0 else ("0" if row["change"] == 0 else f"−{-row['change']}")
        label = f"{row['label']}（{'%' if row['measure'] == '%' else row['measure']}）"
        rows.append([label, cell(row["current"], row["measure"]), cell(row["previous"], row["measure"]),
                     f"{change}{unit if row['change'] else ''}"])
    return rows


def table_head(comparison: Comparison) -> tuple[str, ...]:
    return ("项目", f"{comparison['year']}年", f"{comparison['previous_year']}年", "增减")
