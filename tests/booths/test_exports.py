"""Large exports made on the task queue: streamed (openpyxl write-only), split over sheets past the row limit, and
every row equal to the records it was written from; the cards PDF of every booth in the background."""

from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.booths import records
from campaign.booths.export import write_workbook
from campaign.booths.privacy import mask_name, mask_phone
from campaign.jobs.models import FileJob
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db


def _campaign_with_entries(factory, count: int):
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    booth = factory.booth(activity, unit)
    for number in range(count):
        consultation = factory.consultation(booth, topic="社会保险", question=f"问题{number}",
                                            person_name=f"张{number}", person_phone=f"1381234{number:04d}",
                                            consent=True)
        # The last microsecond of a second: Excel's fraction of a day would round it up to the next second.
        consultation.recorded_at = consultation.recorded_at.replace(microsecond=999_999)
    withdrawn = factory.consultation(booth, question="撤回的")
    withdrawn.withdrawn_at = withdrawn.recorded_at
    for number in range(3):
        factory.handout(booth, quantity=number + 1)
    db.session.commit()
    return campaign


def _register_rows(body: bytes) -> tuple[list[str], list[tuple]]:
    workbook = load_workbook(BytesIO(body), read_only=True)
    sheets = [name for name in workbook.sheetnames if name.startswith("咨询登记")]
    rows: list[tuple] = []
    for name in sheets:
        values = list(workbook[name].iter_rows(values_only=True))
        assert values[0][0] == "时间"  # each part has the header
        rows.extend(values[1:])
    return sheets, rows


def _expected(campaign_id: int) -> list[tuple]:
    expected = []
    for (recorded_at, _booth, _unit, _short, _activity, kind, topic, question, asker, handling, name, phone,
         satisfaction, _source, _uuid) in records.consultation_rows(campaign_id):
        expected.append((recorded_at.astimezone(LOCAL_TZ).replace(tzinfo=None, microsecond=0), kind, topic, question,
                         asker, handling, mask_name(name) or None, mask_phone(phone) or None, satisfaction or None))
    return expected


def _written(rows: list[tuple]) -> list[tuple]:
    # The cell itself holds the recorded second (read back exactly, not rounded up to the next one).
    return [(row[0], row[4], row[5], row[6], row[7], row[8], row[9], row[10], row[11])
            for row in rows]


def test_the_streamed_register_split_by_sheet_has_every_record_once_in_order(app, organizer_client, factory,
                                                                            finished_export):
    campaign = _campaign_with_entries(factory, 23)
    app.config["XLSX_MAX_ROWS_PER_SHEET"] = 10
    state, body = finished_export(organizer_client, f"/campaigns/{campaign.id}/exports", {"what": "register"})
    assert state["kind"] == "register_xlsx" and state["progress"] == 100
    sheets, rows = _register_rows(body)
    # 23 counted records, 10 a sheet: three sheets, none past the limit, the withdrawn entry left out.
    assert sheets == ["咨询登记", "咨询登记（2）", "咨询登记（3）"]
    assert _written(rows) == _expected(campaign.id)
    assert len(rows) == 23 and "撤回的" not in repr(rows)
    # The register alone: no handouts, no summary.
    assert load_workbook(BytesIO(body), read_only=True).sheetnames == sheets


def test_the_board_workbook_written_in_memory_equals_the_records_too(app, factory):
    campaign = _campaign_with_entries(factory, 7)
    buffer = BytesIO()
    steps = []
    write_workbook(campaign, buffer, max_rows=3, progress=lambda percent, step: steps.append(step))
    sheets, rows = _register_rows(buffer.getvalue())
    assert sheets == ["咨询登记", "咨询登记（2）", "咨询登记（3）"]
    assert _written(rows) == _expected(campaign.id)
    names = load_workbook(BytesIO(buffer.getvalue()), read_only=True).sheetnames
    assert names[-1] == "汇总" and "资料发放" in names
    assert steps[-1] == "saving"


def test_the_export_list_shows_the_jobs_and_refreshes_while_one_runs(organizer_client, factory):
    campaign = _campaign_with_entries(factory, 1)
    # No consumer runs in this test: the job stays queued, and the page says so and refreshes itself.
    response = organizer_client.submit(f"/campaigns/{campaign.id}/exports", {"what": "board"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/campaigns/{campaign.id}/exports")
    page = organizer_client.get(f"/campaigns/{campaign.id}/exports").get_data(as_text=True)
    assert "咨询登记和资料发放（Excel）" in page and 'http-equiv="refresh"' in page and "排队" in page
    job = db.session.scalar(sa.select(FileJob))
    assert (job.kind, job.status, job.params) == ("board_xlsx", "queued", {"full": False})
    assert organizer_client.get(f"/campaigns/{campaign.id}/exports/{job.id}/file").status_code == 404
    # Another campaign's job is not found.
    other = factory.campaign(year=2024)
    assert organizer_client.get(f"/campaigns/{other.id}/exports/{job.id}").status_code == 404
