"""The photo routes of a unit's summary, through the app with real image files and the real upload folder."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.audit import AuditEvent
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.images import big_png, jpeg, jpeg_with_exif
from tests.summaries.helpers import JSON, flashes, photo_rows, stored_files, upload


@pytest.fixture
def other_unit_client(app, factory):
    """The contact of another unit, with a summary of its own in the same campaign."""
    user = factory.user("unit", unit=factory.unit("江滨区人社局"), username="other")
    return log_in(app.test_client(), user)


@pytest.fixture
def organizer_session(app, organizer):
    return log_in(app.test_client(), organizer)


# Upload


def test_several_photos_at_once_each_judged_on_its_own(app, unit_client, summary):
    response = upload(
        unit_client, summary.id,
        ("现场1.jpg", jpeg_with_exif(size=(1600, 1200))),
        ("展板.png", png()),
        ("说明.jpg", "这是一段文字，不是照片".encode()),
    )

    assert response.status_code == 302
    saved = photo_rows(summary.id)
    assert [photo.original_name for photo in saved] == ["现场1.jpg", "展板.png"]
    assert [photo.sort_order for photo in saved] == [0, 1]
    first = saved[0]
    assert (first.width, first.height) == (1200, 1600)  # upright
    assert first.taken_at is not None
    assert first.display_path.startswith(f"photos/{summary.campaign_id}/")
    assert len(stored_files(app)) == 4
    for photo in saved:
        assert (Path(app.config["UPLOAD_DIR"]) / photo.display_path).stat().st_size == photo.display_bytes
    messages = [message for _category, message in flashes(unit_client)]
    assert "已上传 2 张照片。" in messages
    assert any("说明.jpg" in message and "只接受 JPEG、PNG、WebP 和 HEIC" in message for message in messages)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "summary_photo_uploaded")).all()
    assert sorted(event.detail["name"] for event in events) == ["展板.png", "现场1.jpg"]
    assert all(event.campaign_id == summary.campaign_id for event in events)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (500, 300), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def test_json_upload_answers_per_file_for_the_uploader(unit_client, summary):
    response = upload(unit_client, summary.id, ("a.jpg", jpeg("navy")), ("bomb.png", big_png(20000, 20000)), headers=JSON)

    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["count"] == 1
    saved, refused = body["results"]
    assert saved["status"] == "saved" and saved["name"] == "a.jpg"
    photo = photo_rows(summary.id)[0]
    assert saved["id"] == photo.id
    assert f"/photos/{photo.id}/thumb.jpg" in saved["html"] and f'data-photo-id="{photo.id}"' in saved["html"]
    assert refused["status"] == "refused" and "图片尺寸太大" in refused["message"] and refused["html"] is None


def test_the_same_photo_twice_is_recognised(app, unit_client, summary):
    data = jpeg("maroon")
    upload(unit_client, summary.id, ("IMG_1.jpg", data))

    again = upload(unit_client, summary.id, ("IMG_1 copy.jpg", data), ("IMG_2.jpg", data), headers=JSON).get_json()

    assert [result["status"] for result in again["results"]] == ["duplicate", "duplicate"]
    assert "已上传过" in again["results"][0]["message"]
    assert len(photo_rows(summary.id)) == 1
    assert len(stored_files(app)) == 2
    upload(unit_client, summary.id, ("IMG_1.jpg", data))
    assert any("已上传过" in message for _category, message in flashes(unit_client))


def test_the_same_photo_in_one_request_is_stored_once(unit_client, summary):
    data = jpeg("olive")
    body = upload(unit_client, summary.id, ("a.jpg", data), ("b.jpg", data), headers=JSON).get_json()
    assert [result["status"] for result in body["results"]] == ["saved", "duplicate"]
    assert len(photo_rows(summary.id)) == 1


def test_the_same_photo_may_be_in_two_summaries(factory, campaign, unit_client, summary):
    other_campaign_summary = factory.summary(factory.campaign(year=2024, status=STATUS_ISSUED), summary.unit)
    data = jpeg("purple")
    assert upload(unit_client, summary.id, ("a.jpg", data), headers=JSON).get_json()["results"][0]["status"] == "saved"
    body = upload(unit_client, other_campaign_summary.id, ("a.jpg", data), headers=JSON).get_json()
    assert body["results"][0]["status"] == "saved"


def test_oversize_file_is_refused_by_name(app, unit_client, summary):
    data = jpeg("gray", size=(800, 600))
    app.config["PHOTO_MAX_BYTES"] = len(data) - 1
    body = upload(unit_client, summary.id, ("huge.jpg", data), headers=JSON).get_json()
    assert body["results"][0]["status"] == "refused"
    assert body["results"][0]["name"] == "huge.jpg"
    assert "文件太大" in body["results"][0]["message"]
    assert photo_rows(summary.id) == []


def test_upload_without_a_file_says_so(unit_client, summary):
    response = unit_client.submit(f"/photos/summary/{summary.id}", {}, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["error"] == "请选择要上传的照片。"


def test_upload_needs_the_csrf_token(unit_client, summary):
    response = unit_client.post(
        f"/photos/summary/{summary.id}", data={"photos": [(io.BytesIO(jpeg()), "a.jpg")]}, headers=JSON,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert photo_rows(summary.id) == []


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_no_upload_or_change_once_submitted(app, factory, unit_client, summary, status):
    photo = factory.photo(summary, caption="原说明")
    summary.status = status
    summary.video_links = [{"title": "现场", "url": "https://v.example.cn/1"}]
    db.session.commit()

    answer = upload(unit_client, summary.id, ("a.jpg", jpeg("lime")), headers=JSON)
    assert answer.status_code == 409
    assert "已报送" in answer.get_json()["error"]
    assert upload(unit_client, summary.id, ("a.jpg", jpeg("lime"))).status_code == 302
    assert any("已报送" in message for _category, message in flashes(unit_client))

    assert unit_client.submit(f"/photos/{photo.id}/caption", {"caption": "新"}, headers=JSON).status_code == 409
    assert unit_client.submit(f"/photos/{photo.id}/delete", {}, headers=JSON).status_code == 409
    assert unit_client.submit(f"/photos/{photo.id}/move", {"direction": "down"}, headers=JSON).status_code == 409
    assert unit_client.submit(f"/photos/summary/{summary.id}/videos", {"title": "x", "url": "https://a.cn/"},
                              headers=JSON).status_code == 409
    assert unit_client.submit(f"/photos/summary/{summary.id}/videos/remove", {"url": "https://v.example.cn/1"},
                              headers=JSON).status_code == 409
    assert [(row.id, row.caption) for row in photo_rows(summary.id)] == [(photo.id, "原说明")]
    assert db.session.get(UnitSummary, summary.id).video_links == [{"title": "现场", "url": "https://v.example.cn/1"}]
    assert stored_files(app) == []


def test_a_returned_summary_takes_photos_again(unit_client, summary):
    summary.status = "returned"
    db.session.commit()
    assert upload(unit_client, summary.id, ("a.jpg", jpeg()), headers=JSON).get_json()["results"][0]["status"] == "saved"
    assert [photo.original_name for photo in photo_rows(summary.id)] == ["a.jpg"]


# Who may see and change


def test_unit_b_can_neither_see_nor_change_unit_a_photos(app, factory, unit_client, other_unit_client, summary):
    photo = factory.photo(summary, caption="甲单位")
    summary.video_links = [{"title": "现场", "url": "https://v.example.cn/1"}]
    db.session.commit()
    before = Path(app.config["UPLOAD_DIR"], photo.thumb_path).read_bytes()

    for url in (f"/photos/{photo.id}/thumb.jpg", f"/photos/{photo.id}/display.jpg"):
        assert other_unit_client.get(url).status_code == 404
        assert unit_client.get(url).status_code == 200
    attempts = [
        (f"/photos/summary/{summary.id}", {"photos": [(io.BytesIO(jpeg("red")), "x.jpg")]}),
        (f"/photos/summary/{summary.id}/order", {"order": str(photo.id)}),
        (f"/photos/{photo.id}/caption", {"caption": "乙单位改的"}),
        (f"/photos/{photo.id}/move", {"direction": "down"}),
        (f"/photos/{photo.id}/delete", {}),
        (f"/photos/summary/{summary.id}/videos", {"title": "乙", "url": "https://evil.example/"}),
        (f"/photos/summary/{summary.id}/videos/remove", {"url": "https://v.example.cn/1"}),
    ]
    for url, data in attempts:
        assert other_unit_client.submit(url, data, content_type="multipart/form-data").status_code == 404, url

    assert [(row.id, row.caption) for row in photo_rows(summary.id)] == [(photo.id, "甲单位")]
    assert db.session.get(UnitSummary, summary.id).video_links == [{"title": "现场", "url": "https://v.example.cn/1"}]
    assert Path(app.config["UPLOAD_DIR"], photo.thumb_path).read_bytes() == before
    assert stored_files(app) == []


def test_organizers_view_but_never_change(app, factory, organizer_session, summary):
    photo = factory.photo(summary, caption="原说明")

    assert organizer_session.get(f"/photos/{photo.id}/thumb.jpg").status_code == 200
    refused = upload(organizer_session, summary.id, ("a.jpg", jpeg()), headers=JSON)
    assert refused.status_code == 409
    assert "组织方" in refused.get_json()["error"]
    assert organizer_session.submit(f"/photos/{photo.id}/caption", {"caption": "改"}).status_code == 302
    assert organizer_session.submit(f"/photos/{photo.id}/delete", {}, headers=JSON).status_code == 409
    assert [(row.id, row.caption) for row in photo_rows(summary.id)] == [(photo.id, "原说明")]
    assert stored_files(app) == []


def test_a_refused_form_never_redirects_off_site(organizer_session, summary):
    response = organizer_session.submit(f"/photos/summary/{summary.id}/videos", {"next": "//evil.example/x"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    response = organizer_session.submit(f"/photos/summary/{summary.id}/videos", {"next": "/campaigns/"})
    assert response.headers["Location"].endswith("/campaigns/")


def test_missing_objects_answer_404(app, unit_client, summary):
    missing = unit_client.get("/photos/999999/thumb.jpg")
    assert missing.status_code == 404 and "页面不存在" in missing.get_data(as_text=True)
    assert upload(unit_client, 999999, ("a.jpg", jpeg())).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0
    assert stored_files(app) == []


# Serving


def test_photos_are_served_as_private_jpegs_without_metadata(unit_client, summary):
    upload(unit_client, summary.id, ("IMG_7.jpg", jpeg_with_exif(size=(2000, 1500))))
    photo = photo_rows(summary.id)[0]

    for kind, size in (("display", (1200, 1600)), ("thumb", (300, 400))):
        response = unit_client.get(f"/photos/{photo.id}/{kind}.jpg")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("inline")
        cache = response.headers["Cache-Control"]
        assert "private" in cache and "public" not in cache
        served = Image.open(io.BytesIO(response.data))
        assert served.format == "JPEG" and served.size == size
        assert dict(served.getexif()) == {} and b"Exif\x00\x00" not in response.data

        again = unit_client.get(f"/photos/{photo.id}/{kind}.jpg", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_a_photo_whose_file_is_gone_answers_404(app, factory, unit_client, summary):
    photo = factory.photo(summary)
    Path(app.config["UPLOAD_DIR"], photo.display_path).unlink()
    response = unit_client.get(f"/photos/{photo.id}/display.jpg")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "页面不存在" in response.get_data(as_text=True)
    assert unit_client.get(f"/photos/{photo.id}/thumb.jpg").status_code == 200  # the other file is still served
