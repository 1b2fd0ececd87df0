"""The district report as a document: a plain tree built from the compiled figures and the narrative, walked by the
HTML/PDF template and by the Word writer alike, so the two files say the same thing. Chinese, never translated."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from campaign.documents.charts import Chart
from campaign.plan.document import title_lines
from campaign.report import year_on_year
from campaign.report.figures import FigureCell, LateUnit, ReportFigures
from campaign.report.narrative import SECTIONS, activity_key
from campaign.shared.formatting import cn_date, cn_number
from campaign.shared.timeutil import local
from campaign.summaries.models import UNIT_FIGURES

NUMBERED = [f"{cn_number(n)}、" for n in range(1, 11)]
UNIT_TABLE_HEAD = ("序号", "单位", "总结", "咨询（人次）", "资料（份）", "满意率", "转办办结/逾期", "照片")
CORRECTION_NOTE = "注：合计为各咨询台登记数之和；单位对登记数作了更正的，表中为更正后的数字，括号内为登记数。"


@dataclass
class Subsection:
    heading: str  # "（一）开展“群众难题我来答”活动"
    paragraphs: list[str]


@dataclass
class InlineTable:
    """A table in the body of the report, after its section's paragraphs (the year-on-year comparison)."""

    title: str
    head: tuple[str, ...]
    rows: list[list[str]]


@dataclass
class Section:
    heading: str  # "一、基本情况"
    paragraphs: list[str]
    subsections: list[Subsection] = field(default_factory=list)
    tables: list[InlineTable] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    note: str = ""  # the recorded value beside a corrected one
    numeric: bool = False


@dataclass
class PhotoItem:
    id: int
    caption: str
    display_path: str
    width: int
    height: int


@dataclass
class ReportDocument:
    title: str
    intro: list[str]
    sections: list[Section]
    signature: str
    date_text: str
    unit_head: tuple
    unit_rows: list[list[Cell]]
    unit_total: list[Cell]
    correction_note: str
    missing: list[str]
    late: list[str]
    unit_figures: list[tuple[str, int]]
    charts: list[Chart]
    photos: list[PhotoItem]
    score_head: list[str]
    score_rules: list[str]
    score_rows: list[list[str]]
    filename_stem: str

    @property
    def title_lines(self) -> list[str]:
        return title_lines(self.title)

    @property
    def attachments(self) -> list[str]:
        names = ["各单位活动开展情况统计表", "活动数据图表"]
        if self.photos:
            names.append("活动照片")
        if self.score_rows:
            names.append("各单位绩效考核评分表")
        return names

    def attachment_number(self, name: str) -> int:
        return self.attachments.index(name) + 1


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _value_cell(entry: FigureCell, percent: bool = False) -> Cell:
    value = entry.get("value")
    text = "—" if value is None else f"{value}{'%' if percent else ''}"
    note = ""
    if entry.get("corrected"):
        recorded = entry.get("recorded")
        note = f"（{'—' if recorded is None else recorded}{'%' if percent and recorded is not None else ''}）"
    return Cell(text, note, numeric=True)


def _late_text(unit: LateUnit) -> str:
    when = unit.get("submitted_at")
    if not when:
        return unit["name"]
    moment = local(datetime.fromisoformat(when))
    return f"{unit['name']}（{moment.month}月{moment.day}日{moment:%H:%M}报送）"


def charts_for(figures: ReportFigures) -> list[Chart]:
    units = sorted(
        ((row["label"], row["figures"]["consultations"]["recorded"] or 0) for row in figures["units"]),
        key=lambda item: -item[1],
    )
    return [
        Chart("各主题咨询量", [(name, count) for name, count in figures["by_topic"]], unit="人次", key="topics"),
        Chart("各单位咨询量", [item for item in units if item[1]], unit="人次", key="units"),
        Chart("各时段咨询量（时）", [(f"{hour}时", count) for hour, count in figures["by_hour"]], kind="columns",
              key="hours"),
    ]


def activity_heading(number: int, title: str) -> str:
    """The heading of an activity's paragraph under 二、活动开展情况: （一）开展“…”活动."""
    return f"（{cn_number(number)}）{title}"


def report_document(figures: ReportFigures, narrative: dict[str, str], today=None) -> ReportDocument:
    campaign = figures["campaign"]
    office = campaign["issuing_office"] or ""
    title = f"{office}关于第{cn_number(campaign['edition'])}届“5·15政务公开日”活动开展情况的报告"

    sections = []
    for index, (key, heading) in enumerate(SECTIONS[1:]):
        section = Section(f"{NUMBERED[index]}{heading}", _paragraphs(narrative.get(key, "")))
        comparison = figures.get("year_on_year")
        if key == "overview" and comparison and comparison["rows"]:
            # Generated from the figures, not part of the editable narrative: it cannot drift from the data.
            section.paragraphs.append(f"与{comparison['than']}相比：" + "".join(comparison["sentences"]))
            section.tables.append(InlineTable(
                f"表1　{comparison['year']}年与{comparison['previous_year']}年活动情况对比",
                year_on_year.table_head(comparison), year_on_year.table_rows(comparison)))
        if key == "activities":
            for number, activity in enumerate(figures["activities"], start=1):
                section.subsections.append(Subsection(
                    activity_heading(number, activity["title"]),
                    _paragraphs(narrative.get(activity_key(activity["id"]), "")),
                ))
        sections.append(section)

    rows = []
    for number, unit in enumerate((u for u in figures["units"] if u["taking_part"] or u["counted"]), start=1):
        f = unit["figures"]
        closed, overdue = f["follow_ups_closed"], f["follow_ups_overdue"]
        follow_cell = Cell(f"{closed['value'] or 0}/{overdue['value'] or 0}", numeric=True)
        if closed.get("corrected") or overdue.get("corrected"):
            follow_cell.note = f"（{closed['recorded'] or 0}/{overdue['recorded'] or 0}）"
        rows.append([
            Cell(str(number), numeric=True),
            Cell(unit["name"]),
            Cell(unit["state_text"]),
            _value_cell(f["consultations"]),
            _value_cell(f["materials"]),
            _value_cell(f["satisfaction_rate"], percent=True),
            follow_cell,
            Cell(str(unit["photos"]), numeric=True),
        ])
    totals = figures["totals"]
    rate = totals["satisfaction_rate"]
    total_row = [
        Cell(""), Cell("合计"), Cell(f"{totals['units_reported']}/{totals['units_taking_part']}"),
        Cell(str(totals["consultations"]), numeric=True), Cell(str(totals["materials"]), numeric=True),
        Cell("—" if rate is None else f"{rate}%", numeric=True),
        Cell(f"{totals['follow_ups_closed']}/{totals['follow_ups_overdue']}", numeric=True),
        Cell(str(totals["photos"]), numeric=True),
    ]

    scorecard = figures.get("scorecard") or {"rules": [], "rows": []}
    score_rows, score_head, score_rules = [], [], []
    if figures.get("include_scorecard") and scorecard["rules"]:
        score_head = ["名次", "单位", *[f"{cn_number(n)}" for n in range(1, len(scorecard["rules"]) + 1)], "总分"]
        score_rules = [f"{cn_number(n)}、{rule['label']}（{rule['points']}分）"
                       for n, rule in enumerate(scorecard["rules"], start=1)]
        score_rows = [[str(row["rank"]) if row.get("rank") is not None else "—", row["name"],
                       *[str(p) for p in row["points"]], str(row["total"])]
                      for row in scorecard["rows"]]

    labels = dict(UNIT_FIGURES)
    compiled = datetime.fromisoformat(figures["compiled_at"])
    return ReportDocument(
        title=title,
        intro=_paragraphs(narrative.get("intro", "")),
        sections=sections,
        signature=office,
        date_text=cn_date(today or local(compiled).date()),
        unit_head=UNIT_TABLE_HEAD,
        unit_rows=rows,
        unit_total=total_row,
        correction_note=CORRECTION_NOTE,
        missing=[f"{unit['name']}（{unit['state_text']}）" for unit in figures["missing"]],
        late=[_late_text(unit) for unit in figures["late"]],
        unit_figures=[(labels.get(item["key"], item["label"]), item["total"]) for item in figures["unit_figures"]
                      if item["total"]],
        charts=charts_for(figures),
        photos=[PhotoItem(p["id"], f"{p['unit']}：{p['caption']}" if p["caption"] else p["unit"], p["display_path"],
                          p["width"], p["height"]) for p in figures["photos"]],
        score_head=score_head,
        score_rules=score_rules,
        score_rows=score_rows,
        filename_stem=re.sub(r'[\\/:*?"<>|\r\n]+', "", f"第{cn_number(campaign['edition'])}届政务公开日活动开展情况报告"),
    )
