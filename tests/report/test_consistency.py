"""The numbers check before an export (report/consistency.py): every number of the (hand-edited) text recomputed
from the data; a wrong one caught, listed, confirmed or corrected; the export refused until then, and recording
what it went out with."""

import pytest
import sqlalchemy as sa

from campaign.booths.models import Booth
from campaign.report.compile import compile_report
from campaign.report.consistency import find_mismatches
from campaign.report.jobs import run_job, start_job
from campaign.report.models import ReportDraft, ReportJob, ReportSnapshot
from campaign.report.narrative import draft_sections, narrative_for, save_narrative
from campaign.report.written_numbers import cn_spelled, cn_value, mentions
from campaign.shared.audit import AuditEvent
from campaign.shared.formatting import cn_number
from campaign.web.extensions import db
from campaign.web.refusal import Refusal


def _campaign(factory):
    """Three units at one desk day: 9 consultations, 60 leaflets, two of them referred."""
    lead, second, third = factory.unit("区政府办"), factory.unit("区人社局"), factory.unit("区医保局")
    campaign = factory.campaign(status="issued")
    activity = factory.activity(factory.group(campaign), units={lead: "lead", second: "participating",
                                                                third: "participating"})
    for unit, count in ((lead, 4), (second, 3), (third, 2)):
        booth = factory.booth(activity, unit)
        for n in range(count):
            factory.consultation(booth, handling="转办" if n == 0 and unit is not lead else "当场解答",
                                 satisfaction="满意" if n else "基本满意")
        factory.handout(booth, "宣传单", 20)
    return campaign


def _edit(campaign, organizer, section: str, old: str, new: str) -> None:
    figures = compile_report(campaign)
    text = narrative_for(db.session.get(ReportDraft, campaign.id), figures)[section]
    assert old in text, text
    save_narrative(campaign.id, organizer, {section: text.replace(old, new)}, None, [section])
    db.session.commit()


def test_numbers_are_read_with_their_measure_words_and_what_is_not_a_figure_is_left_alone():
    text = ("按照《关于开展第十九届“5·15政务公开日”活动的通知》（江政办〔2025〕7号）要求，2025年5月15日上午9时，"
            "一是发放“十条禁令”“八个凡是”、营商宣传册各800份，二是接待群众咨询三十三人次，其中政策咨询11人次、"
            "办事咨询7人次；20家单位设立政策咨询台，群众满意率98%，发放宣传资料2,300余份，5·15当天一次性解答。")
    found = [(m.written, m.value, m.kind) for m in mentions("overview", text)]
    assert found == [("800份", 800, "copies"), ("三十三人次", 33, "people"), ("11人次", 11, "people"),
                     ("7人次", 7, "people"), ("20家单位", 20, "units"), ("98%", 98, "percent"),
                     ("2,300余份", 2300, "copies")]
    by_number = {m.written: m for m in mentions("overview", text)}
    assert "政策咨询" in by_number["11人次"].before and "办事咨询" in by_number["7人次"].before
    assert by_number["2,300余份"].approximate


@pytest.mark.parametrize("value", [0, 1, 2, 9, 10, 11, 19, 20, 33, 100, 105, 110, 999, 1000, 1001, 2300, 10000,
                                   10086, 123456])
def test_chinese_numerals_as_the_documents_write_them_read_back(value):
    spelled = cn_spelled(value)
    assert cn_value(spelled) == value
    if 0 < value < 100:
        assert spelled == cn_number(value)
    assert {1: "一", 10: "十", 100: "一百", 105: "一百零五", 110: "一百一十", 1001: "一千零一", 2300: "二千三百",
            10086: "一万零八十六"}.get(value, spelled) == spelled


def test_the_drafted_text_agrees_with_the_data(app, factory):
    campaign = _campaign(factory)
    figures = compile_report(campaign)
    assert figures["totals"]["people"] == 9
    text = draft_sections(figures)
    assert sum(len(mentions(key, value)) for key, value in text.items()) >= 8
    # Every number checked (none taken as drafted): the drafting and the check agree on the figures.
    assert find_mismatches(figures, text, trust_drafted=False) == []


def test_a_hand_edited_wrong_number_is_caught_with_the_sentence_and_the_datas_number(app, factory, organizer):
    campaign = _campaign(factory)
    _edit(campaign, organizer, "overview", "现场接待群众咨询9人次", "现场接待群众咨询12人次")
    _edit(campaign, organizer, "overview", "发放宣传单60份", "发放宣传单六十五份")
    figures = compile_report(campaign)
    found = find_mismatches(figures, narrative_for(db.session.get(ReportDraft, campaign.id), figures))
    assert [(m.section, m.written, m.expected) for m in found] == [("overview", "12人次", 9),
                                                                   ("overview", "六十五份", 60)]
    assert "现场接待群众咨询12人次" in found[0].sentence and found[0].sentence.endswith("。")
    # A number written where nothing in the data matches is listed too, with no number of the data.
    _edit(campaign, organizer, "problems", "未报送活动总结", "未报送活动总结，17个社区未覆盖")
    found = find_mismatches(compile_report(campaign), narrative_for(db.session.get(ReportDraft, campaign.id),
                                                                    compile_report(campaign)))
    assert ("problems", "17个", None) in [(m.section, m.written, m.expected) for m in found]


def test_the_export_is_refused_until_each_mismatch_is_confirmed_or_corrected_and_records_them(
        app, factory, organizer, organizer_client):
    campaign = _campaign(factory)
    _edit(campaign, organizer, "overview", "现场接待群众咨询9人次", "现场接待群众咨询12人次")
    _edit(campaign, organizer, "overview", "发放宣传单60份", "发放宣传单六十五份")
    base = f"/campaigns/{campaign.id}/report"

    # Refused before any job exists, sent to the list (and as JSON, 409 with the reason).
    response = organizer_client.submit(f"{base}/compile")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}/checks")
    response = organizer_client.post(f"{base}/compile", headers={"Accept": "application/json",
                                                                  "X-CSRFToken": organizer_client.csrf_token()})
    assert response.status_code == 409 and "2处数字" in response.get_json()["error"]
    assert db.session.scalar(sa.select(sa.func.count(ReportJob.id))) == 0
    assert "2处数字" in organizer_client.get(base).get_data(as_text=True)

    page = organizer_client.get(f"{base}/checks").get_data(as_text=True)
    assert "<mark>12人次</mark>" in page and "<mark>六十五份</mark>" in page
    assert "还有2处待核对" in page
    figures = compile_report(campaign)
    first, second = find_mismatches(figures, narrative_for(db.session.get(ReportDraft, campaign.id), figures))

    # Keeping a number needs a reason; the refusal changes nothing.
    response = organizer_client.submit(f"{base}/checks", {"fingerprint": first.fingerprint, "action": "confirm",
                                                          "reason": "  "})
    assert response.status_code == 302
    assert "请写明保留这个数字的理由" in organizer_client.get(f"{base}/checks").get_data(as_text=True)
    assert not (db.session.get(ReportDraft, campaign.id).number_checks or [])
    organizer_client.submit(f"{base}/checks", {"fingerprint": first.fingerprint, "action": "confirm",
                                               "reason": "含区融媒体中心线上直播间3人次"})
    # The same confirmation again changes nothing.
    organizer_client.submit(f"{base}/checks", {"fingerprint": first.fingerprint, "action": "confirm",
                                               "reason": "再次"})
    # Corrected: the data's number in the text, in the style it was written in.
    organizer_client.submit(f"{base}/checks", {"fingerprint": second.fingerprint, "action": "correct"})
    db.session.expire_all()
    draft = db.session.get(ReportDraft, campaign.id)
    assert "发放宣传单六十份" in draft.narrative["overview"] and "现场接待群众咨询12人次" in draft.narrative["overview"]
    assert [item["decision"] for item in draft.number_checks] == ["confirmed", "corrected"]
    page = organizer_client.get(f"{base}/checks").get_data(as_text=True)
    assert "已确认保留" in page and "含区融媒体中心线上直播间3人次" in page and "还有" not in page

    # Now the export goes, and records what it went out with: who, when, which, why.
    job, created = start_job(campaign, organizer, background=False)
    assert created
    snapshot_id = run_job(app, job.id)
    db.session.expire_all()
    failed = db.session.get(ReportJob, job.id)
    assert snapshot_id is not None, (failed.status, failed.step, failed.error)
    snapshot = db.session.get(ReportSnapshot, snapshot_id)
    checks = {item["decision"]: item for item in snapshot.number_checks}
    assert checks["confirmed"]["written"] == "12人次" and checks["confirmed"]["expected"] == 9
    assert checks["confirmed"]["reason"] == "含区融媒体中心线上直播间3人次"
    assert checks["confirmed"]["by_id"] == organizer.id and checks["confirmed"]["at"]
    assert (checks["corrected"]["written"], checks["corrected"]["replaced_by"]) == ("六十五份", "六十份")
    exported = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report_exported"))
    assert [item["written"] for item in exported.detail["numbers_checked"]] == ["12人次", "六十五份"]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"report_number_confirmed", "report_number_corrected"} <= actions
    # The snapshot's page shows them; the corrections went with this export, the confirmation still applies.
    page = organizer_client.get(f"{base}/snapshots/{snapshot_id}").get_data(as_text=True)
    assert "含区融媒体中心线上直播间3人次" in page and "六十五份" in page
    db.session.expire_all()
    assert [item["decision"] for item in db.session.get(ReportDraft, campaign.id).number_checks] == ["confirmed"]


def test_a_confirmation_lapses_when_the_data_moves_and_the_job_itself_refuses(app, factory, organizer):
    from campaign.report.number_checks import confirm

    campaign = _campaign(factory)
    _edit(campaign, organizer, "overview", "现场接待群众咨询9人次", "现场接待群众咨询12人次")
    figures = compile_report(campaign)
    (mismatch,) = find_mismatches(figures, narrative_for(db.session.get(ReportDraft, campaign.id), figures))
    with pytest.raises(Refusal):
        confirm(campaign.id, organizer, "no-such-mismatch", "理由", figures)
    confirm(campaign.id, organizer, mismatch.fingerprint, "含线上咨询", figures)
    db.session.commit()
    # One more consultation: the data says 10 now; what was confirmed against 9 no longer applies.
    booth = db.session.scalars(sa.select(Booth)).first()
    factory.consultation(booth)
    job, _created = start_job(campaign, organizer, background=False)
    assert run_job(app, job.id) is None
    db.session.expire_all()
    job = db.session.get(ReportJob, job.id)
    assert job.status == "failed" and "1处数字" in job.error
    assert db.session.scalar(sa.select(sa.func.count(ReportSnapshot.id))) == 0
