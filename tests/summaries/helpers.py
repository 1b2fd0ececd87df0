"""What the summaries' tests share that is not a fixture: the district of the review and reminder tests, a
summary's photo rows, and sending photos to a summary as its page does."""

import io
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.models import FigureCorrection, Photo
from campaign.web.extensions import db

DEADLINE = datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ)
NARRATIVE = {"activities": "5月15日在区政务服务中心广场设立政策咨询台。"}


def build_district(factory) -> dict:
    """An issued campaign with six units in its plan, one summary in each state (one unit not started), and a
    seventh unit that is not in the plan."""
    campaign = factory.campaign(status=STATUS_ISSUED, summary_deadline=DEADLINE)
    group = factory.group(campaign)
    units = {
        "not_started": factory.unit("江滨区发展和改革局", kind="bureau", contact_person="赵磊", contact_phone="0571-88000202"),
        "draft": factory.unit("临江镇人民政府", kind="town", contact_person="李喆", contact_phone="13800000104"),
        "submitted": factory.unit("江滨区教育局", kind="bureau", contact_person="王甡", contact_phone="13800000203"),
        "late": factory.unit("江滨区政务服务中心", kind="institution", contact_person="严莉", contact_phone="0571-88000301"),
        "returned": factory.unit("白沙镇人民政府", kind="town", contact_person="黄文斌", contact_phone="0571-88000105"),
        "accepted": factory.unit("江滨区残疾人联合会", kind="other", contact_person="姜慧", contact_phone="0571-88000401"),
    }
    outsider = factory.unit("江滨区档案馆", kind="institution")
    activity = factory.activity(group, units={unit: "cooperating" for unit in units.values()})
    factory.activity(group, units={units["submitted"]: "lead"})  # a unit in two activities is listed once

    booth = factory.booth(activity, units["submitted"])
    for _ in range(3):
        factory.consultation(booth)
    factory.handout(booth, quantity=40)

    on_time = DEADLINE - timedelta(hours=5)
    summaries = {
        "draft": factory.summary(campaign, units["draft"], narrative=NARRATIVE),
        "submitted": factory.summary(campaign, units["submitted"], narrative=NARRATIVE, status="submitted",
                                     submitted_at=on_time, first_submitted_at=on_time),
        "late": factory.summary(campaign, units["late"], narrative=NARRATIVE, status="submitted", late=True,
                                submitted_at=DEADLINE + timedelta(days=1, hours=2, minutes=5),
                                first_submitted_at=DEADLINE + timedelta(days=1, hours=2, minutes=5)),
        "returned": factory.summary(campaign, units["returned"], narrative=NARRATIVE, status="returned",
                                    submitted_at=on_time, review_note="请补充活动照片。"),
        "accepted": factory.summary(campaign, units["accepted"], narrative=NARRATIVE, status="accepted",
                                    submitted_at=on_time, accepted_at=on_time + timedelta(hours=1)),
    }
    factory.photo(summaries["submitted"], caption="咨询台现场")
    factory.photo(summaries["submitted"], caption="发放宣传资料", color="navy")
    db.session.add(FigureCorrection(summary_id=summaries["submitted"].id, key="consultations", recorded=3,
                                    corrected=5, reason="两位群众的咨询未及时登记"))
    db.session.commit()
    return {"campaign": campaign, "units": units, "summaries": summaries, "outsider": outsider, "activity": activity}


def photo_rows(summary_id: int) -> list[Photo]:
    return list(db.session.scalars(sa.select(Photo).where(Photo.summary_id == summary_id).order_by(Photo.sort_order)))


JSON = {"Accept": "application/json"}


def upload(client, summary_id: int, *files, headers=None):
    data = {"photos": [(io.BytesIO(content), name) for name, content in files]}
    return client.submit(f"/photos/summary/{summary_id}", data, headers=headers or {}, content_type="multipart/form-data")


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"]) / "photos"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
