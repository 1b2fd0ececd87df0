"""The units × years matrix as an XLSX workbook: one row a unit, per campaign its summary's outcome, days late,
consultations, referrals closed in time and score, as the matrix page shows them; then the on-time rate."""

from campaign.documents import xlsx
from campaign.report.history import OUTCOME_WORDS, History, YearRecord

YEAR_COLUMNS = (("总结报送", 10), ("逾期工作日", 10), ("咨询登记", 8), ("转办按期办结", 12), ("得分", 6))


def year_cells(year: YearRecord | None) -> list:
    """A campaign's five cells for one unit; empty where the unit did not take part."""
    if year is None:
        return [None] * len(YEAR_COLUMNS)
    referrals = f"{year.referrals_closed_in_time}/{year.referrals}" if year.referrals else None
    return [OUTCOME_WORDS[year.outcome], year.late_days or None, year.consultations, referrals, year.score]


def history_workbook(matrix: History) -> bytes:
    workbook = xlsx.new_workbook()
    columns = [("单位", 28)]
    for campaign in matrix.campaigns:
        columns += [(f"{campaign.year}年{name}", width + 4) for name, width in YEAR_COLUMNS]
    columns.append(("报送及时率（%）", 10))
    sheet = xlsx.add_sheet(workbook, "各单位历年情况", columns)
    for record in matrix.units:
        cells: list = [record.unit.name]
        for campaign in matrix.campaigns:
            cells += year_cells(record.years.get(campaign.id))
        cells.append(record.on_time_rate)
        sheet.append(xlsx.row(cells))
    return xlsx.to_bytes(workbook)
