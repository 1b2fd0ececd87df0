"""The same photo uploaded from several tabs at once, to a real gunicorn: stored once, no stray files."""

import pytest
import sqlalchemy as sa

from campaign.plan.models import STATUS_ISSUED
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from tests.images import jpeg_with_exif

# The same photo sent from several tabs at the same instant, to a real gunicorn


@pytest.mark.slow
def test_simultaneous_uploads_of_one_photo_store_it_once_and_leave_no_stray_files(tmp_path):
    import threading
    import uuid as uuid_module
    from datetime import date

    from campaign.auth.models import User
    from campaign.plan.models import Campaign
    from campaign.units.models import Unit
    from tests.factory import PASSWORD, PASSWORD_HASH
    from tests.serverutil import Browser, Server, csrf_token, migrate_database

    uploads = tmp_path / "uploads"
    app = migrate_database(tmp_path / "campaign.db", "photo-race-secret", uploads)
    with app.app_context():
        unit = Unit(name="江滨区教育局", kind="bureau", sort_order=1)
        db.session.add(unit)
        db.session.flush()
        user = User(username="racer", display_name="联络员", role="unit", unit_id=unit.id, password_hash=PASSWORD_HASH)
        campaign = Campaign(edition=19, year=2025, title="活动方案", theme="主题", first_day=date(2025, 5, 15),
                            last_day=date(2025, 5, 20), status=STATUS_ISSUED)
        db.session.add_all([user, campaign])
        db.session.flush()
        summary = UnitSummary(campaign_id=campaign.id, unit_id=unit.id)
        db.session.add(summary)
        db.session.commit()
        campaign_id, summary_id = campaign.id, summary.id
        db.session.remove()
        db.engine.dispose()

    tabs = 4
    photo = jpeg_with_exif(size=(2400, 1800))
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'campaign.db'}", "SECRET_KEY": "photo-race-secret",
                     "UPLOAD_DIR": str(uploads)})
    server.start(timeout=30)
    try:
        browsers, bodies = [], []
        for _ in range(tabs):
            browser = Browser(server, timeout=60)
            _status, _headers, page = browser.get("/auth/login")
            status, _headers, _body = browser.post_form(
                "/auth/login", {"username": "racer", "password": PASSWORD, "csrf_token": csrf_token(page)}
            )
            assert status == 302
            status, _headers, page = browser.get(f"/summaries/{campaign_id}")
            assert status == 200
            boundary = uuid_module.uuid4().hex
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token(page)}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="IMG_0001.JPG"\r\n'
                "Content-Type: image/jpeg\r\n\r\n"
            ).encode() + photo + f"\r\n--{boundary}--\r\n".encode()
            browsers.append(browser)
            bodies.append((body, boundary))

        barrier = threading.Barrier(tabs, timeout=30)
        answers = [None] * tabs

        def send(index: int) -> None:
            body, boundary = bodies[index]
            barrier.wait()
            answers[index] = browsers[index].request(
                "POST", f"/photos/summary/{summary_id}", body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"},
            )

        threads = [threading.Thread(target=send, args=(index,)) for index in range(tabs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        for browser in browsers:
            browser.close()
    finally:
        server.stop()

    import json

    assert all(answer is not None and answer[0] == 200 for answer in answers), [a and a[0] for a in answers]
    statuses = sorted(json.loads(answer[2])["results"][0]["status"] for answer in answers)
    assert statuses == ["duplicate"] * (tabs - 1) + ["saved"]
    with app.app_context():
        rows = db.session.scalars(sa.select(Photo).where(Photo.summary_id == summary_id)).all()
        assert len(rows) == 1
        on_disk = sorted(path.relative_to(uploads).as_posix() for path in uploads.rglob("*") if path.is_file())
        assert on_disk == sorted([rows[0].display_path, rows[0].thumb_path])
        db.session.remove()
        db.engine.dispose()
