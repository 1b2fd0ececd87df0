"""Builds real rows in the test database, with sensible defaults (the `factory` fixture hands one to a test)."""

import hashlib
import io
import uuid
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from PIL import Image
from werkzeug.security import generate_password_hash

from campaign.auth.models import User
from campaign.booths import receipts
from campaign.booths.followups import ensure_follow_up
from campaign.booths.models import Booth, Consultation, MaterialHandout, new_token
from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Slogan, Venue
from campaign.report.models import ReportJob, ReportSnapshot, ScoreRule
from campaign.shared.timeutil import LOCAL_TZ
from campaign.summaries.models import Photo, UnitSummary
from campaign.units.models import Unit
from campaign.web.extensions import db

PASSWORD = "correct-horse-9"
# Hashed once, and with a cheap work factor: the app's own hashing (scrypt, slow on purpose) is what passwords set
# through the app get, but checking a scrypt hash costs ~0.1 s and hundreds of tests sign in. The app checks any
# werkzeug hash the same way, so signing in goes through the same code.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


class Factory:
    """Builds real rows in the test database, with sensible defaults."""

    def __init__(self, counter: int = 0):
        self.counter = counter

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def unit(self, name: str | None = None, kind: str = "bureau", **fields) -> Unit:
        n = self._next()
        unit = Unit(name=name or f"测试局{n}", kind=kind, sort_order=n, **fields)
        db.session.add(unit)
        db.session.commit()
        return unit

    def user(self, role: str = "organizer", unit: Unit | None = None, username: str | None = None) -> User:
        if role == "unit" and unit is None:
            unit = self.unit()
        user = User(
            username=username or f"{role}{self._next()}",
            display_name="测试用户",
            role=role,
            unit_id=unit.id if unit else None,
        )
        user.password_hash = PASSWORD_HASH
        db.session.add(user)
        db.session.commit()
        return user

    def campaign(self, year: int = 2025, **fields) -> Campaign:
        values = dict(
            edition=year - 2006,
            year=year,
            title=f"江滨区第{year - 2006}届“5·15政务公开日”活动方案",
            theme="坚持依法行政，深化政务公开，加强法治政府建设。",
            first_day=date(year, 5, 15),
            last_day=date(year, 5, 20),
            issuing_office="江滨区人民政府办公室",
            doc_number=f"江政办〔{year}〕7号",
            addressees="各镇街，区政府各部门、区直事业单位：",
            summary_deadline=datetime(year, 5, 18, 17, 30, tzinfo=LOCAL_TZ),
        )
        values.update(fields)
        campaign = Campaign(**values)
        db.session.add(campaign)
        db.session.commit()
        return campaign

    def group(self, campaign: Campaign, title: str = "线下实地宣传") -> ActivityGroup:
        group = ActivityGroup(campaign_id=campaign.id, title=title, sort_order=self._next())
        db.session.add(group)
        db.session.commit()
        return group

    def venue(self, campaign: Campaign, name: str | None = None, is_main: bool = False, kind: str | None = None) -> Venue:
        kind = kind or ("main" if is_main else "branch")
        venue = Venue(campaign_id=campaign.id, name=name or f"会场{self._next()}", kind=kind)
        db.session.add(venue)
        db.session.commit()
        return venue

    def activity(self, group: ActivityGroup, units: dict | None = None, **fields) -> Activity:
        """units: {Unit: role}."""
        campaign = group.campaign
        day = campaign.first_day
        values = dict(
            campaign_id=campaign.id,
            group_id=group.id,
            title=f"开展“政策咨询”活动{self._next()}",
            mode="onsite",
            starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ),
            ends_at=datetime(day.year, day.month, day.day, 11, 30, tzinfo=LOCAL_TZ),
            sort_order=self.counter,
        )
        values.update(fields)
        if values["mode"] == "onsite" and "venue_id" not in values:
            values["venue_id"] = self.venue(campaign).id
        activity = Activity(**values)
        db.session.add(activity)
        db.session.flush()
        for position, (unit, role) in enumerate((units or {}).items(), start=1):
            db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role=role, position=position))
        db.session.commit()
        return activity

    def booth(self, activity: Activity, unit: Unit, public: bool = False, **fields) -> Booth:
        booth = Booth(
            campaign_id=activity.campaign_id,
            activity_id=activity.id,
            unit_id=unit.id,
            public_token=new_token() if public else None,
            **fields,
        )
        db.session.add(booth)
        db.session.commit()
        return booth

    def consultation(self, booth: Booth, **fields) -> Consultation:
        """A consultation as the booth recorded it, with its follow-up opened if the handling asks for one."""
        values = dict(client_uuid=str(uuid.uuid4()), booth_id=booth.id, kind="政策咨询", topic="社会保险")
        values.update(fields)
        consultation = Consultation(**values)
        db.session.add(consultation)
        db.session.flush()
        receipts.assign(consultation.client_uuid)
        ensure_follow_up(consultation)
        db.session.commit()
        return consultation

    def handout(self, booth: Booth, material: str = "宣传单", quantity: int = 10, **fields) -> MaterialHandout:
        handout = MaterialHandout(
            client_uuid=str(uuid.uuid4()), booth_id=booth.id, material=material, quantity=quantity, **fields
        )
        db.session.add(handout)
        db.session.flush()
        receipts.assign(handout.client_uuid)
        db.session.commit()
        return handout

    def slogan(self, campaign: Campaign, text: str) -> Slogan:
        slogan = Slogan(campaign_id=campaign.id, text=text, sort_order=self._next())
        db.session.add(slogan)
        db.session.commit()
        return slogan

    def summary(self, campaign: Campaign, unit: Unit, **fields) -> UnitSummary:
        summary = UnitSummary(campaign_id=campaign.id, unit_id=unit.id, **fields)
        db.session.add(summary)
        db.session.commit()
        return summary

    def photo(self, summary: UnitSummary, caption: str = "咨询台现场", color: str = "teal") -> Photo:
        """A real JPEG pair (display copy and thumbnail) in UPLOAD_DIR, as photo intake leaves them."""
        n = self._next()
        folder = Path(current_app.config["UPLOAD_DIR"]) / "test-photos"
        folder.mkdir(parents=True, exist_ok=True)
        sizes = {"display": (1600, 1200), "thumb": (400, 300)}
        paths = {}
        for name, size in sizes.items():
            buffer = io.BytesIO()
            Image.new("RGB", size, color).save(buffer, "JPEG", quality=80)
            path = folder / f"{n}-{name}.jpg"
            path.write_bytes(buffer.getvalue())
            paths[name] = path
        photo = Photo(
            summary_id=summary.id,
            sha256=hashlib.sha256(f"{n}-{color}".encode()).hexdigest(),
            caption=caption,
            sort_order=n,
            width=4032,
            height=3024,
            display_path=f"test-photos/{n}-display.jpg",
            display_width=1600,
            display_height=1200,
            display_bytes=paths["display"].stat().st_size,
            thumb_path=f"test-photos/{n}-thumb.jpg",
            thumb_width=400,
            thumb_height=300,
        )
        db.session.add(photo)
        db.session.commit()
        return photo

    def score_rule(self, campaign: Campaign, kind: str = "on_time", points: int = 10, **fields) -> ScoreRule:
        rule = ScoreRule(campaign_id=campaign.id, kind=kind, label=fields.pop("label", kind), points=points, **fields)
        db.session.add(rule)
        db.session.commit()
        return rule

    def report_snapshot(self, campaign: Campaign, **fields) -> ReportSnapshot:
        snapshot = ReportSnapshot(campaign_id=campaign.id, **fields)
        db.session.add(snapshot)
        db.session.commit()
        return snapshot

    def report_job(self, campaign: Campaign, **fields) -> ReportJob:
        job = ReportJob(campaign_id=campaign.id, **fields)
        db.session.add(job)
        db.session.commit()
        return job
