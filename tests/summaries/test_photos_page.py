"""The photo section of a summary as the browser gets it: the partial's markup, and a phone-sized Chromium
uploading, ordering, captioning and deleting photos, with and without JavaScript."""

import re
from pathlib import Path

import pytest
from flask import render_template_string

from campaign.web.extensions import db
from tests.browsing import SHOTS, sign_in
from tests.images import jpeg, jpeg_with_exif
from tests.pageaudit import PageAudit
from tests.summaries.helpers import photo_rows

# The partial the summary page includes


def _render_partial(app, summary, can_edit, user):
    from flask_login import login_user

    with app.test_request_context("/summaries/1"):
        login_user(user)
        return render_template_string('{% include "summaries/_photos.html" %}', summary=summary, can_edit=can_edit)


def test_partial_offers_camera_and_gallery_and_labels_every_input(app, factory, summary, unit_contact):
    photo = factory.photo(summary, caption="<script>alert(1)</script>")
    summary.video_links = [{"title": "现场视频", "url": "https://v.example.cn/1"}]
    db.session.commit()

    html = _render_partial(app, summary, True, unit_contact)

    audit = PageAudit()
    audit.feed(html)
    assert audit.unlabelled() == []
    assert 'type="file"' in html and " multiple " in html and 'accept="image/*,.heic,.heif"' in html
    assert "capture" not in html
    assert 'enctype="multipart/form-data"' in html
    assert f"/photos/{photo.id}/thumb.jpg" in html and f"/photos/summary/{summary.id}/order" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'name="csrf_token"' in html
    assert "style=" not in html and "<script" not in html


def test_partial_read_only_has_no_forms(app, factory, summary, organizer):
    factory.photo(summary, caption="现场咨询")
    summary.video_links = [{"title": "现场视频", "url": "https://v.example.cn/1"}]
    db.session.commit()

    html = _render_partial(app, summary, False, organizer)

    assert "<form" not in html
    assert "现场咨询" in html and "现场视频" in html and 'rel="noopener noreferrer nofollow"' in html


def _move_buttons(html: str) -> list[tuple[bool, bool]]:
    """Per card, whether 上移 and 下移 are disabled."""
    cards = html.split('<li class="photo-card"')[1:]
    states = []
    for card in cards:
        up = re.search(r'class="inline move-up".*?<button([^>]*)>', card, re.S).group(1)
        down = re.search(r'class="inline move-down".*?<button([^>]*)>', card, re.S).group(1)
        states.append(("disabled" in up, "disabled" in down))
    return states


def test_partial_picker_is_a_label_button_and_captions_wrap(app, factory, summary, unit_contact):
    long_caption = "区政务服务中心一楼大厅咨询台现场，工作人员向前来办事的群众讲解政务公开相关政策并发放宣传资料"
    for caption in (long_caption, "展板", "宣传资料"):
        factory.photo(summary, caption=caption)

    html = _render_partial(app, summary, True, unit_contact)

    # The browser's own file button speaks the browser's language: the label is the button, tied to the input.
    assert re.search(r'<input type="file" id="photo-files"[^>]*class="photo-file-input"', html)
    assert '<label for="photo-files" class="button photo-pick">添加照片</label>' in html
    assert html.index('id="photo-files"') < html.index('<label for="photo-files"')  # the CSS reads input + label
    # No stray space before the full-width bracket.
    assert "照片<span class=\"muted photo-count\">（" in html
    # Captions wrap, under the same field name the server reads.
    assert 'type="text" id="photo-caption-' not in html
    assert html.count('name="caption"') == 3 and f">{long_caption}</textarea>" in html
    # Every card has both order buttons in the same places; the ones that cannot act are disabled.
    assert _move_buttons(html) == [(True, False), (False, False), (False, True)]


def test_a_new_photos_card_goes_last(app, factory, summary, unit_contact):
    from flask_login import login_user

    photo = factory.photo(summary)
    with app.test_request_context("/summaries/1"):
        login_user(unit_contact)
        html = render_template_string(
            '{% include "summaries/_photos.html" %}', only_photo=photo, position=3, can_edit=True, back="/summaries/1"
        )
    assert _move_buttons(html) == [(False, True)]


# The uploader in a real phone-sized Chromium (Debian's, driven by Playwright), on the summary page


@pytest.fixture
def taking_part(factory, campaign, unit_contact):
    factory.activity(factory.group(campaign), units={unit_contact.unit: "lead"})


def _phone(browser, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2,
        locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=javascript,
    )
    return browser, context.new_page()


def _files(tmp_path) -> list[Path]:
    first = tmp_path / "现场咨询台.jpg"
    first.write_bytes(jpeg_with_exif(size=(3000, 2000)))
    second = tmp_path / "展板.jpg"
    second.write_bytes(jpeg("darkgreen", size=(1600, 1200)))
    text = tmp_path / "会议记录.jpg"
    text.write_bytes("不是照片".encode() * 50)
    return [first, second, text]


@pytest.mark.browser
def test_phone_uploads_with_a_result_per_file_then_orders_captions_and_deletes(
    server, campaign, summary, unit_contact, taking_part, tmp_path, chromium
):
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    first, second, text = _files(tmp_path)
    with chromium as browser:
        browser, page = _phone(browser)
        try:
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: message.type == "error" and "Failed to load resource" not in message.text
                    and errors.append(message.text))  # a CSP violation would show here
            page.on("response", lambda response: response.status >= 400 and "favicon" not in response.url
                    and errors.append(f"{response.status} {response.url}"))
            sign_in(page, server, unit_contact.username)
            page.goto(f"{server}/summaries/{campaign.id}")
            expect(page.locator("[data-upload-button]")).to_be_hidden()  # picking the files starts the upload

            page.set_input_files("#photo-files", [str(first), str(second), str(text)])
            results = page.locator("[data-upload-results] li")
            expect(results).to_have_count(3)
            expect(results.nth(0)).to_have_class("upload-result saved", timeout=30_000)
            expect(results.nth(1)).to_have_class("upload-result saved", timeout=30_000)
            expect(results.nth(2)).to_have_class("upload-result refused", timeout=30_000)
            expect(results.nth(2)).to_contain_text("会议记录.jpg")
            expect(results.nth(2)).to_contain_text("只接受 JPEG、PNG、WebP 和 HEIC")
            cards = page.locator("[data-photo-grid] > li")
            expect(cards).to_have_count(2)
            expect(page.locator("[data-photo-count]")).to_have_text("2")
            cards.nth(0).scroll_into_view_if_needed()  # the thumbnails load lazily
            expect(cards.nth(0).locator("img")).to_have_js_property("naturalWidth", 267)  # upright, 400 px high
            page.locator("#photos").screenshot(path=str(SHOTS / "photos-1-uploaded.png"))

            page.set_input_files("#photo-files", [str(first)])
            expect(results.nth(3)).to_have_class("upload-result duplicate", timeout=30_000)
            expect(results.nth(3)).to_contain_text("已上传过")
            expect(cards).to_have_count(2)

            ids = [int(value) for value in cards.evaluate_all("cards => cards.map(card => card.dataset.photoId)")]
            with page.expect_response(lambda response: response.url.endswith("/order")) as answer:
                cards.nth(0).get_by_role("button", name="下移").click()
            assert answer.value.status == 200
            expect(cards.nth(0)).to_have_attribute("data-photo-id", str(ids[1]))

            caption = cards.nth(0).get_by_label("照片说明")
            caption.fill("区政务服务中心咨询台")
            cards.nth(0).get_by_role("button", name="保存说明").click()
            expect(cards.nth(0).locator("[data-photo-note]")).to_have_text("已保存")

            page.once("dialog", lambda dialog: dialog.accept())
            cards.nth(1).get_by_role("button", name="删除").click()
            expect(cards).to_have_count(1)
            expect(page.locator("[data-photo-count]")).to_have_text("1")
            page.locator("#photos").screenshot(path=str(SHOTS / "photos-2-edited.png"))

            page.reload()
            expect(cards).to_have_count(1)
            expect(cards.nth(0).get_by_label("照片说明")).to_have_value("区政务服务中心咨询台")
            assert errors == []
        finally:
            browser.close()

    db.session.expire_all()
    rows = photo_rows(summary.id)
    assert [(row.id, row.caption) for row in rows] == [(ids[1], "区政务服务中心咨询台")]


@pytest.mark.browser
def test_without_javascript_the_plain_form_uploads(server, campaign, summary, unit_contact, taking_part, tmp_path, chromium):
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    first, _second, text = _files(tmp_path)
    with chromium as browser:
        browser, page = _phone(browser, javascript=False)
        try:
            sign_in(page, server, unit_contact.username)
            page.goto(f"{server}/summaries/{campaign.id}")
            page.set_input_files("#photo-files", [str(first), str(text)])
            page.locator("[data-upload-button]").click()
            page.wait_for_load_state()
            expect(page.locator(".flash-success")).to_contain_text("已上传 1 张照片")
            expect(page.locator(".flash-error")).to_contain_text("会议记录.jpg")
            expect(page.locator("[data-photo-grid] > li")).to_have_count(1)
            page.screenshot(path=str(SHOTS / "photos-3-no-javascript.png"), full_page=True)
        finally:
            browser.close()
    db.session.expire_all()
    assert [row.original_name for row in photo_rows(summary.id)] == ["现场咨询台.jpg"]


@pytest.mark.browser
def test_phone_targets_are_finger_sized_and_aligned(
    server, factory, campaign, summary, unit_contact, taking_part, chromium
):
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    long_caption = "区政务服务中心一楼大厅咨询台现场，工作人员向前来办事的群众讲解政务公开相关政策并发放宣传资料"
    first, second = factory.photo(summary, caption=long_caption), factory.photo(summary, caption="展板")
    with chromium as browser:
        browser, page = _phone(browser)
        try:
            sign_in(page, server, unit_contact.username)
            page.goto(f"{server}/summaries/{campaign.id}")
            expect(page.locator("#photos h2")).to_have_text("照片（2）")

            picker = page.locator("label[for=photo-files]")
            box = picker.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 300
            with page.expect_file_chooser() as chooser:
                picker.click()  # the label opens the camera or the gallery, several photos at once
            assert chooser.value.is_multiple()

            cards = page.locator("[data-photo-grid] > li")
            caption = cards.nth(0).get_by_label("照片说明")
            assert caption.evaluate("area => area.tagName") == "TEXTAREA"
            assert caption.evaluate("area => area.scrollHeight <= area.clientHeight + 1")  # nothing cut off

            def buttons(n: int) -> dict:
                found = {}
                for name in ("上移", "下移", "删除"):
                    button = cards.nth(n).get_by_role("button", name=name)
                    found[name] = (button.bounding_box(), button.is_disabled())
                return found

            top, bottom = buttons(0), buttons(1)
            for found in (top, bottom):
                for box, _disabled in found.values():
                    assert box["height"] >= 44 and box["width"] >= 44
            # Each button in the same spot of each card, side by side on one line.
            for name in ("上移", "下移", "删除"):
                assert top[name][0]["x"] - cards.nth(0).bounding_box()["x"] == pytest.approx(
                    bottom[name][0]["x"] - cards.nth(1).bounding_box()["x"], abs=1)
            assert abs(top["上移"][0]["y"] - bottom["上移"][0]["y"]) <= 1
            assert [top[name][1] for name in ("上移", "下移")] == [True, False]
            assert [bottom[name][1] for name in ("上移", "下移")] == [False, True]
            page.locator("#photos").screenshot(path=str(SHOTS / "photos-4-targets.png"))

            with page.expect_response(lambda response: response.url.endswith("/order")):
                cards.nth(0).get_by_role("button", name="下移").click()
            expect(cards.nth(0).get_by_role("button", name="上移")).to_be_disabled()
            expect(cards.nth(0).get_by_role("button", name="下移")).to_be_enabled()
            expect(cards.nth(1).get_by_role("button", name="下移")).to_be_disabled()
            expect(cards.nth(1).get_by_role("button", name="上移")).to_be_focused()

            # Enter still saves a caption, as it did in the one-line field.
            caption = cards.nth(0).get_by_label("照片说明")
            caption.fill("展板和宣传资料")
            caption.press("Enter")
            expect(cards.nth(0).locator("[data-photo-note]")).to_have_text("已保存")
            expect(caption).to_have_value("展板和宣传资料")
        finally:
            browser.close()

    db.session.expire_all()
    assert [(row.id, row.caption) for row in photo_rows(summary.id)] == [
        (second.id, "展板和宣传资料"), (first.id, long_caption)]
