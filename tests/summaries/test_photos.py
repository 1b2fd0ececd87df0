"""The photo routes of a unit's summary, through the app with real image files and the real upload folder."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from campaign.plan.models import STATUS_ISSUED
from campaign.shared.audit import AuditEvent
from campaign.summaries import photos
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.images import big_png, jpeg, jpeg_with_exif
from tests.summaries.helpers import photo_rows

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


# Caption, order, delete


def test_caption_is_saved_cleaned_and_limited(factory, unit_client, summary):
    photo = factory.photo(summary, caption="")
    answer = unit_client.submit(f"/photos/{photo.id}/caption", {"caption": "  区政务服务中心\x00咨询台\n现场 "}, headers=JSON)
    assert answer.status_code == 200 and answer.get_json()["caption"] == "区政务服务中心咨询台 现场"
    assert db.session.get(Photo, photo.id).caption == "区政务服务中心咨询台 现场"

    too_long = unit_client.submit(f"/photos/{photo.id}/caption", {"caption": "长" * 201}, headers=JSON)
    assert too_long.status_code == 400 and "200" in too_long.get_json()["error"]
    assert db.session.get(Photo, photo.id).caption == "区政务服务中心咨询台 现场"


def test_move_up_and_down_is_idempotent_with_the_position(factory, unit_client, summary):
    first, second, third = (factory.photo(summary, caption=str(n)) for n in range(3))
    order = lambda: [photo.id for photo in photo_rows(summary.id)]  # noqa: E731

    for _ in range(2):  # a double click moves it once
        unit_client.submit(f"/photos/{third.id}/move", {"direction": "up", "position": "2"})
    assert order() == [first.id, third.id, second.id]

    unit_client.submit(f"/photos/{first.id}/move", {"direction": "down"})
    assert order() == [third.id, first.id, second.id]
    unit_client.submit(f"/photos/{third.id}/move", {"direction": "up", "position": "0"})  # already first
    assert order() == [third.id, first.id, second.id]
    bad = unit_client.submit(f"/photos/{third.id}/move", {"direction": "sideways"}, headers=JSON)
    assert bad.status_code == 400 and "上移或下移" in bad.get_json()["error"]


def test_json_order_endpoint(factory, unit_client, summary):
    photos_made = [factory.photo(summary) for _ in range(3)]
    wanted = [photos_made[2].id, photos_made[0].id, photos_made[1].id]

    response = unit_client.post(
        f"/photos/summary/{summary.id}/order", json={"order": wanted},
        headers={**JSON, "X-CSRFToken": unit_client.csrf_token()},
    )
    assert response.status_code == 200 and response.get_json()["order"] == wanted
    assert [photo.id for photo in photo_rows(summary.id)] == wanted

    for bad in ([wanted[0], wanted[1]], [*wanted, 999], "abc", [wanted[0], wanted[0], wanted[1]], {"x": 1}):
        refused = unit_client.post(
            f"/photos/summary/{summary.id}/order", json={"order": bad},
            headers={**JSON, "X-CSRFToken": unit_client.csrf_token()},
        )
        assert refused.status_code == 400, bad
        assert refused.get_json()["error"]
    assert [photo.id for photo in photo_rows(summary.id)] == wanted

    no_token = unit_client.post(f"/photos/summary/{summary.id}/order", json={"order": wanted[::-1]}, headers=JSON)
    assert no_token.status_code == 400
    assert [photo.id for photo in photo_rows(summary.id)] == wanted


def test_delete_removes_the_row_then_the_files(app, unit_client, summary):
    upload(unit_client, summary.id, ("a.jpg", jpeg("red")), ("b.jpg", jpeg("blue")))
    doomed, kept = photo_rows(summary.id)
    doomed_id, kept_id = doomed.id, kept.id
    uploads = Path(app.config["UPLOAD_DIR"])
    paths = [uploads / doomed.display_path, uploads / doomed.thumb_path]
    assert all(path.exists() for path in paths)

    response = unit_client.submit(f"/photos/{doomed_id}/delete", {}, headers=JSON)

    assert response.status_code == 200 and response.get_json()["count"] == 1
    assert [photo.id for photo in photo_rows(summary.id)] == [kept_id]
    assert not any(path.exists() for path in paths)
    assert (uploads / kept.display_path).exists()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "summary_photo_deleted"))
    assert event.object_id == doomed_id and event.detail["name"] == "a.jpg"
    assert unit_client.submit(f"/photos/{doomed_id}/delete", {}).status_code == 404  # gone already: nothing changes
    assert [photo.id for photo in photo_rows(summary.id)] == [kept_id]


def test_many_photos_are_capped(factory, unit_client, summary, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
    body = upload(unit_client, summary.id, *[(f"{n}.jpg", jpeg(color)) for n, color in enumerate(["red", "blue", "green"])],
                  headers=JSON).get_json()
    assert [result["status"] for result in body["results"]] == ["saved", "saved", "refused"]
    assert "最多 2 张" in body["results"][2]["message"]


# Video links


def test_video_links_http_only_at_most_ten_removal_idempotent(unit_client, summary):
    add = lambda title, url: unit_client.submit(  # noqa: E731
        f"/photos/summary/{summary.id}/videos", {"title": title, "url": url}, headers=JSON
    )
    assert add("咨询台现场", "https://mp.weixin.qq.com/s/abc").status_code == 200
    assert add("同一个", "https://mp.weixin.qq.com/s/abc").get_json()["message"] == "这个视频链接已经添加过了。"
    for bad_url in ("javascript:alert(1)", "ftp://files.example.cn/v.mp4", "data:text/html,x", "www.example.cn/v",
                    "https://", "http://a b.cn/"):
        refused = add("坏链接", bad_url)
        assert refused.status_code == 400, bad_url
        assert refused.get_json()["error"]
    assert add("", "https://v.example.cn/2").get_json()["error"] == "请填写视频标题。"
    assert add("长" * 101, "https://v.example.cn/2").status_code == 400
    for n in range(2, 11):
        assert add(f"视频{n}", f"http://v.example.cn/{n}").status_code == 200
    eleventh = add("第十一个", "https://v.example.cn/11")
    assert eleventh.status_code == 400 and "10" in eleventh.get_json()["error"]
    links = db.session.get(UnitSummary, summary.id).video_links
    assert len(links) == 10 and links[0] == {"title": "咨询台现场", "url": "https://mp.weixin.qq.com/s/abc"}

    remove = lambda url: unit_client.submit(f"/photos/summary/{summary.id}/videos/remove", {"url": url})  # noqa: E731
    assert remove("https://mp.weixin.qq.com/s/abc").status_code == 302
    assert remove("https://mp.weixin.qq.com/s/abc").status_code == 302
    assert len(db.session.get(UnitSummary, summary.id).video_links) == 9
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("summary_video_%"))).all()
    assert actions.count("summary_video_link_added") == 10 and actions.count("summary_video_link_removed") == 1


# Bounds and storage faults (issue 19.4, 19.5)


def test_a_photo_sent_again_is_recognised_by_its_bytes_before_any_decoding(app, unit_client, summary):
    data = jpeg("navy", size=(3000, 2000))
    upload(unit_client, summary.id, ("IMG_1.jpg", data))
    # Were the copy opened again, this limit would refuse it as too large; it is known by its hash first.
    app.config["PHOTO_MAX_PIXELS"] = 1000

    again = upload(unit_client, summary.id, ("IMG_1.jpg", data), ("IMG_2.jpg", jpeg("olive", size=(3000, 2000))),
                   headers=JSON).get_json()

    assert [result["status"] for result in again["results"]] == ["duplicate", "refused"]
    assert len(photo_rows(summary.id)) == 1


def test_an_upload_to_storage_that_cannot_be_written_is_refused_in_words_and_leaves_nothing(app, unit_client,
                                                                                               summary):
    # A regular file where the photo folders go: the disk refuses the write as a read-only or full one would
    # (a chmod would not stop the tests when they run as root).
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    (Path(app.config["UPLOAD_DIR"]) / "photos").write_bytes(b"")

    answer = upload(unit_client, summary.id, ("IMG_1.jpg", jpeg("maroon")), headers=JSON)

    assert answer.status_code == 200
    [result] = answer.get_json()["results"]
    assert result["status"] == "refused" and "无法保存或删除照片文件" in result["message"]
    assert photo_rows(summary.id) == []
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "summary_photo_uploaded")) == 0


def test_a_delete_the_storage_refuses_changes_nothing(app, unit_client, summary):
    upload(unit_client, summary.id, ("IMG_1.jpg", jpeg("maroon")))
    [photo] = photo_rows(summary.id)
    display = Path(app.config["UPLOAD_DIR"]) / photo.display_path
    # Something in the way of setting the file aside: the rename fails as on a read-only folder.
    blocker = display.with_name(f".deleting-{display.name}")
    blocker.mkdir()
    (blocker / "keep").write_bytes(b"x")

    answer = unit_client.submit(f"/photos/{photo.id}/delete", headers=JSON)

    assert answer.status_code == 409 and "无法保存或删除照片文件" in answer.get_json()["error"]
    assert [row.id for row in photo_rows(summary.id)] == [photo.id]
    assert display.is_file() and (Path(app.config["UPLOAD_DIR"]) / photo.thumb_path).is_file()
    # Once the folder can be written again, the photo and both its files go.
    (blocker / "keep").unlink()
    blocker.rmdir()
    assert unit_client.submit(f"/photos/{photo.id}/delete", headers=JSON).status_code == 200
    assert photo_rows(summary.id) == [] and stored_files(app) == []
