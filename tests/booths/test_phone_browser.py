"""The staff page within a thumb's reach, its state in sight, and offline after a reload (issue 16.2, 16.3, 16.4), in
Debian's chromium at 390 × 844 with WeChat's user agent.

Taps are counted by the page itself (every touchstart it receives), and each one must land on something already
in view: the test never scrolls, and checks the page did not either. Offline is real: the app's server is stopped
(the browser's offline switch as well), so only the service worker's cache can answer a reload.
"""

import threading
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from werkzeug.serving import make_server

from campaign.booths import receipts
from campaign.booths.models import Consultation, ReceiptCode
from campaign.booths.services import rotate_staff_token
from campaign.booths.settings import get_settings
from campaign.web.extensions import db
from tests.booths.phone import WECHAT, signed_in_phone
from tests.browsing import SHOTS

COUNT_TAPS = "window.taps = 0; addEventListener('touchstart', () => { window.taps += 1; }, true);"

pytestmark = pytest.mark.browser


class Server:
    """The app on one loopback port that can be stopped (the phone loses the network) and started again on the same
    port (the same origin, so the same service worker and storage)."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.gateway_only = False  # nginx up, the app behind it not (a restart): every answer a 502
        self.start()

    def wsgi(self, environ, start_response):
        if self.gateway_only:
            start_response("502 Bad Gateway", [("Content-Type", "text/html")])
            return [b"<html><body><h1>502 Bad Gateway</h1></body></html>"]
        return self.app(environ, start_response)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.http = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        self.port = self.http.server_port
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live(app):
    server = Server(app)
    yield server
    server.stop()


# The page's first crypto.randomUUID() is FIRST, the others random.
FIRST_UUID = """(() => {
    const random = crypto.randomUUID.bind(crypto);
    let given = false;
    crypto.randomUUID = () => { if (given) return random(); given = true; return 'FIRST'; };
})();"""


def _phone(browser, url: str, booth, first_uuid: str = ""):
    """A phone in WeChat signed in to the booth's page, counting its taps; `first_uuid`: the UUID its first entry
    gets (then random ones)."""
    scripts = [COUNT_TAPS] + ([FIRST_UUID.replace("FIRST", first_uuid)] if first_uuid else [])
    return signed_in_phone(browser, url, booth, user_agent=WECHAT, init_scripts=scripts)


def _choice(page, name: str, value: str):
    return page.locator(f'#cform input[name="{name}"][value="{value}"] + span')


def _tap(page, target) -> None:
    """A thumb's tap on what is on the screen now: the middle of `target` is in the viewport and not under anything
    else (the bar, say). Playwright would scroll to reach it; this refuses instead."""
    reachable = target.evaluate("""(node) => {
        const box = node.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) return false;
        const hit = document.elementFromPoint(x, y);
        return !!hit && (node.contains(hit) || hit.contains(node));
    }""")
    assert reachable, f"not within reach without scrolling: {target}"
    target.tap()


def _entry(page, taps: list) -> int:
    """Taps `taps` in order (each in reach), the last being 保存; returns the touches the page counted."""
    page.evaluate("window.taps = 0")
    scrolled = page.evaluate("scrollY")
    for target in taps:
        assert page.evaluate("scrollY") == scrolled  # nothing scrolled the page before 保存
        _tap(page, target)
    return page.evaluate("window.taps")


def _in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "(node) => { const box = node.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }"
    )


def _kind_and_topic_in_sight(page) -> bool:
    """The kind's and the topic's buttons all on screen, above the bar: the form is ready for the next person."""
    return page.evaluate("""() => {
        const bar = document.getElementById('bar').getBoundingClientRect().top;
        const buttons = document.querySelectorAll('#cform input[name=kind] + span, #cform input[name=topic] + span');
        return buttons.length > 5 && Array.from(buttons).every((node) => {
            const box = node.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= bar;
        });
    }""")


def _rows() -> list[tuple]:
    db.session.expire_all()
    return list(db.session.execute(
        sa.select(Consultation.kind, Consultation.topic, Consultation.asker_type, Consultation.satisfaction)
        .order_by(Consultation.id)
    ))


def test_entries_take_at_most_four_taps_and_two_for_the_same_kind_topic_and_rating(live, booth, chromium):
    # The first entry's eight-character code is taken (as by an entry of a deleted booth): the server gives it a
    # longer one, which the phone must show rather than one it works out itself.
    first_uuid = str(uuid.uuid4())
    db.session.add(ReceiptCode(code=receipts.first_code(first_uuid), client_uuid=str(uuid.uuid4())))
    db.session.commit()
    with chromium as browser:
        phone = _phone(browser, live.url, booth, first_uuid)
        context, page = phone.context, phone.page
        save = page.locator("#cform button.main")
        queue = page.locator("#queue")
        assert _in_view(page, "#bar") and _in_view(page, "#cform button.main")

        # A typical new one: kind, topic, rating, 保存.
        taps = _entry(page, [_choice(page, "kind", "办事咨询"), _choice(page, "topic", "医疗保障"),
                             _choice(page, "satisfaction", "满意"), save])
        assert taps == 4
        expect(page.locator("#note")).to_contain_text("已上传 · 回执码")
        expect(page.locator("#note")).to_have_class("up")
        # The code shown is the one the server stored for that entry (receipts.py), not one the phone worked out.
        shown = page.locator("#note").inner_text().split("回执码")[1].strip()
        db.session.expire_all()
        assert shown == receipts.code_of(first_uuid) == receipts.candidates(first_uuid)[1]
        expect(page.locator("#recent")).to_contain_text(f"回执码 {shown}")
        expect(page.locator("#recent")).to_contain_text("办事咨询 · 医疗保障 · 群众 · 当场解答")
        expect(page.locator("#recent .rt").first).to_have_text("满意")

        # After the save: kind, topic and rating kept and in sight; the bar in view; the form's top on screen.
        expect(page.locator('#cform input[name="satisfaction"][value="满意"]')).to_be_checked()
        expect(page.locator('#cform input[name="topic"][value="医疗保障"]')).to_be_checked()
        assert _in_view(page, "#bar") and _kind_and_topic_in_sight(page)

        # The same kind, topic and rating as the last: one tap. (The next person, not a double tap: an identical
        # entry within 5 s is asked about, issue 16.1.)
        page.wait_for_timeout(5_200)
        assert _entry(page, [save]) == 1
        expect(page.locator("#recent li")).to_have_count(2)
        # The same kind and topic, rated otherwise: two.
        assert _entry(page, [_choice(page, "satisfaction", "基本满意"), save]) == 2
        expect(page.locator("#recent li")).to_have_count(3)

        # A new one with a name and phone: the section closes after the save; the form's top comes back.
        page.locator("#cform summary").tap()
        page.fill("#person_name", "王女士")
        page.fill("#person_phone", "13812345678")
        page.locator("#consent").check()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.locator("#cform button.main").tap()
        expect(page.locator("#cform details")).not_to_have_attribute("open", "")
        assert _in_view(page, "#bar") and _kind_and_topic_in_sight(page)
        expect(page.locator("#recent li")).to_have_count(4)

        # A typical new one after that, from where the save left the page: four taps, none of them a scroll.
        taps = _entry(page, [_choice(page, "kind", "政策咨询"), _choice(page, "topic", "社会保险"),
                             _choice(page, "satisfaction", "不满意"), save])
        assert taps == 4
        expect(page.locator("#recent li")).to_have_count(5)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "phone-after-save.png"))
        # WeChat's own bars leave about 700 px of the 844: the form is still ready there after a save.
        page.set_viewport_size({"width": 390, "height": 700})
        assert _in_view(page, "#bar") and _kind_and_topic_in_sight(page)
        expect(queue).to_contain_text("全部已上传")
        context.close()

    assert _rows() == [
        ("办事咨询", "医疗保障", "群众", "满意"),
        ("办事咨询", "医疗保障", "群众", "满意"),
        ("办事咨询", "医疗保障", "群众", "基本满意"),
        ("办事咨询", "医疗保障", "群众", "基本满意"),
        ("政策咨询", "社会保险", "群众", "不满意"),
    ]


def test_a_campaign_with_one_topic_keeps_it_across_saves(live, booth, chromium):
    # One topic is one button: an element, not a list of them, in form.elements.
    get_settings(booth.campaign_id).topics = ["社会保险"]
    db.session.commit()
    with chromium as browser:
        phone = _phone(browser, live.url, booth)
        context, page = phone.context, phone.page
        only = page.locator('#cform input[name="topic"]')
        expect(only).to_have_count(1)
        for taps in ([_choice(page, "kind", "政策咨询"), _choice(page, "topic", "社会保险"), page.locator("#cform button.main")],
                     [page.locator("#cform button.main")]):
            _entry(page, taps)
            expect(page.locator("#queue")).to_contain_text("全部已上传")
            page.wait_for_timeout(5_200)  # past the "same entry again?" window
        expect(only).to_have_attribute("value", "社会保险")
        expect(only).to_be_checked()
        expect(page.locator("#recent li")).to_have_count(2)
        context.close()
    assert [row[1] for row in _rows()] == ["社会保险", "社会保险"]

def _kept_pages(page) -> list[str]:
    return page.evaluate("""async () => {
        const names = await caches.keys();
        const urls = [];
        for (const name of names) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(name + ' ' + new URL(request.url).pathname);
        }
        return urls;
    }""")


def _wait_controlled(page) -> None:
    for _attempt in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no service worker took the page")


def _wait_kept(page, path: str) -> None:
    for _attempt in range(100):
        if f"booth-pages {path}" in _kept_pages(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not kept: {_kept_pages(page)}")


def test_reloaded_offline_the_page_takes_entries_and_they_are_stored_once_back_online(live, booth, chromium):
    path = f"/b/{booth.staff_token}"
    with chromium as browser:
        phone = _phone(browser, live.url, booth)
        context, page, errors = phone.context, phone.page, phone.errors
        _wait_controlled(page)
        _wait_kept(page, path)
        kept = _kept_pages(page)
        assert not [url for url in kept if "/api/" in url], kept  # never an API answer
        assert any(url.startswith("booth-files-") and url.endswith("/static/js/booth.js") for url in kept)

        # The network goes: the server is gone too, so only the worker's copy can answer.
        live.stop()
        context.set_offline(True)
        page.reload()
        expect(page.locator("#cform")).to_be_visible()
        expect(page.locator("h1")).to_have_text("江滨区人社局")
        expect(page.locator("#no-sw")).to_be_hidden()  # this browser keeps the page: no "keep it open"
        queue = page.locator("#queue")
        expect(queue).to_contain_text("离线")
        expect(queue).to_have_class("queue off")

        for question in ("离线一：医保转移接续", "离线二：门诊报销比例"):
            _choice(page, "kind", "政策咨询").tap()
            _choice(page, "topic", "医疗保障").tap()
            page.fill("#question", question)
            page.locator("#cform button.main").tap()
            # Kept on the phone, not uploaded: the note says so, in its own look.
            expect(page.locator("#note")).to_have_text("已记下，等待上传")
            expect(page.locator("#note")).to_have_class("pend")
        expect(queue).to_contain_text("离线 · 2 条待上传")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "phone-offline-reloaded.png"))
        assert _in_view(page, "#queue") and _in_view(page, "#cform button.main")
        expect(page.locator("#recent")).not_to_contain_text("离线")  # nothing shown as uploaded
        waiting = page.evaluate(f"JSON.parse(localStorage.getItem('booth-queue-{booth.id}')).map((i) => i.body.uuid)")
        assert len(waiting) == 2

        # Reloaded again while offline: the queue is still there.
        page.reload()
        expect(queue).to_contain_text("离线 · 2 条待上传")
        expect(page.locator("#pending li")).to_have_count(2)
        assert _rows() == []

        # Back online: exactly those two, once each.
        live.start()
        context.set_offline(False)
        expect(queue).to_contain_text("全部已上传", timeout=45_000)
        expect(page.locator("#recent")).to_contain_text("离线二：门诊报销比例")
        assert errors == []
        context.close()

    db.session.expire_all()
    stored = db.session.execute(sa.select(Consultation.client_uuid, Consultation.question).order_by(Consultation.id))
    assert sorted(tuple(row) for row in stored) == sorted(zip(waiting, ("离线一：医保转移接续", "离线二：门诊报销比例"), strict=True))


def test_the_apps_answer_wins_a_revoked_link_is_forgotten_a_closed_campaign_shows_a_502_is_not_an_answer(live, booth, chromium):
    old = f"/b/{booth.staff_token}"
    with chromium as browser:
        phone = _phone(browser, live.url, booth)
        context, page = phone.context, phone.page
        _wait_controlled(page)
        _wait_kept(page, old)

        # Not the app's answer: the proxy's 502 while the app restarts. The copy answers and stays.
        live.gateway_only = True
        page.reload()
        expect(page.locator("#cform")).to_be_visible()
        live.gateway_only = False
        assert f"booth-pages {old}" in _kept_pages(page)

        booth.campaign.status = "closed"
        db.session.commit()
        page.reload()
        expect(page.locator("#closed")).to_contain_text("本次活动已结束登记")
        # The copy kept is the network's latest answer: offline, the closed campaign still says so.
        live.stop()
        context.set_offline(True)
        page.reload()
        expect(page.locator("#closed")).to_contain_text("本次活动已结束登记")
        live.start()
        context.set_offline(False)

        rotate_staff_token(booth)
        db.session.commit()
        page.goto(f"{live.url}{old}")
        expect(page.locator("body")).not_to_contain_text("登记咨询")
        assert f"booth-pages {old}" not in _kept_pages(page)
        live.stop()
        context.set_offline(True)
        with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
            page.reload()  # no copy of a revoked link: the browser's own error, not the old booth
        assert page.locator("#cform").count() == 0
        live.start()
        context.close()


def test_without_a_service_worker_the_page_says_to_keep_it_open(server, booth, chromium):
    with chromium as browser:
        # As in WeChat's WKWebView on iOS, or any page not served over HTTPS: no navigator.serviceWorker at all.
        phone = signed_in_phone(browser, server, booth, user_agent=WECHAT,
                                init_scripts=["delete Navigator.prototype.serviceWorker;"])
        context, page = phone.context, phone.page
        expect(page.locator("#no-sw")).to_be_visible()
        expect(page.locator("#no-sw")).to_contain_text("请保持本页打开")
        # Leaving with entries waiting is asked about here: nothing would bring the page back offline.
        page.locator("#cform").evaluate("(form) => { form.elements.kind.value = '政策咨询'; form.elements.topic.value = '社会保险'; }")
        context.set_offline(True)
        page.locator("#cform button.main").click()
        expect(page.locator("#queue")).to_contain_text("1 条待上传")
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
        page.close(run_before_unload=True)
        page.wait_for_timeout(500)
        assert asked == ["beforeunload"]
        context.close()

