"""A summary's photos once uploaded: caption, order and delete, the cap on their number, video links, and what
a storage fault leaves (issue 19.4, 19.5). Through the app with real image files and the real upload folder."""

from pathlib import Path

import sqlalchemy as sa

from campaign.shared.audit import AuditEvent
from campaign.summaries import photos
from campaign.summaries.models import Photo, UnitSummary
from campaign.web.extensions import db
from tests.images import jpeg
from tests.summaries.helpers import JSON, photo_rows, stored_files, upload

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
