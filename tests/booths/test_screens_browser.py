"""The boards on real screens (issue 16 point 9), in Debian's chromium: the venue screen fills 1366 × 768 and
1920 × 1080 with nothing cut or overflowing, in Chinese and in English, and pages through the units and slogans that
do not fit; the organizer's board fits a 390 px phone."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from campaign.booths.models import ConsultationHourTally, ConsultationTally, HandoutTally
from campaign.shared.timeutil import LOCAL_TZ
from campaign.web.extensions import db
from tests.browsing import sign_in

# The two the venue screens have, and 1280 × 720, where the English materials column was cut.
SIZES = [(1366, 768), (1920, 1080), (1280, 720)]
SLOGANS = [
    "深化政务公开 建设法治政府",
    "公开是常态，不公开是例外——以高质量政务公开助力经济社会高质量发展，让权力在阳光下运行，让群众看得见、信得过、能监督",
    "政策找人 服务上门",
]

pytestmark = pytest.mark.browser


# Every element drawn: none wider inside than its box, none outside its parent or the window, and no page scroll.
OVERFLOWS = """() => {
  const found = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : "")
    + ' "' + (el.textContent || "").trim().slice(0, 30) + '"';
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "NOSCRIPT", "STYLE"].includes(el.tagName) || el.closest(".visually-hidden")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      found.push("wider inside " + describe(el) + " " + el.scrollWidth + " > " + el.clientWidth);
    }
    const outer = el.parentElement.getBoundingClientRect();
    if (box.left < outer.left - 1 || box.right > outer.right + 1 || box.top < outer.top - 1 || box.bottom > outer.bottom + 1) {
      found.push("outside its parent " + describe(el));
    }
    if (box.right > innerWidth + 1 || box.bottom > innerHeight + 1) found.push("off screen " + describe(el));
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > innerWidth || page.scrollHeight > innerHeight) found.push("the page scrolls");
  return found;
}"""


@pytest.fixture
def city(factory, organizer):
    """30 units at one activity under way, figures of a busy day (five and six digits), 12 topics and 3 slogans."""
    now = datetime.now(LOCAL_TZ)
    campaign = factory.campaign(year=now.year, first_day=now.date() - timedelta(days=1),
                                last_day=now.date() + timedelta(days=2))
    units = [factory.unit(f"江滨区{name}", short_name=f"区{name}") for name in (
        "人力资源和社会保障局", "医疗保障局", "市场监督管理局", "住房和城乡建设局", "自然资源和规划局", "生态环境分局",
        "退役军人事务局", "行政审批服务局", "农业农村局", "文化广电旅游体育局", "卫生健康局", "教育局", "民政局",
        "司法局", "财政局", "公安分局", "应急管理局", "城市管理综合执法局", "水利局", "交通运输局", "商务局",
        "统计局", "审计局", "信访局", "档案馆", "税务局", "残疾人联合会", "总工会", "妇女联合会", "科学技术协会")]
    activity = factory.activity(
        factory.group(campaign), title="开展“政务公开进广场”集中宣传咨询活动", units={unit: "lead" for unit in units},
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=2),
    )
    booths = [factory.booth(activity, unit) for unit in units]
    topics = ["社会保险", "医疗保障", "就业创业", "住房保障", "教育入学", "养老服务", "市场监管", "不动产登记",
              "户籍办理", "退役安置", "行政审批", "其他政策法规"]
    hour = now.replace(minute=0, second=0, microsecond=0)
    for number, booth in enumerate(booths):
        count = 15690 if number == 0 else 120 + number * 37
        db.session.add(ConsultationTally(booth_id=booth.id, source="staff", kind="政策咨询",
                                         topic=topics[number % len(topics)], count=count))
        db.session.add(ConsultationHourTally(booth_id=booth.id, source="staff", hour_start=hour, count=count))
        db.session.add(HandoutTally(booth_id=booth.id, hour_start=hour, material="政策明白纸", quantity=125000 + number))
    db.session.commit()
    for text in SLOGANS:
        factory.slogan(campaign, text)
    return campaign


def _log_in(page, server, organizer, english: bool) -> None:
    sign_in(page, server, organizer.username)
    if english:
        page.click("form.lang button[value=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_the_venue_screen_fits_both_sizes_and_pages_through_what_does_not_fit(server, city, organizer, chromium,
                                                                              english):
    with chromium as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        _log_in(page, server, organizer, english)
        page.goto(f"{server}/campaigns/{city.id}/board?screen=1")
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            units = page.locator(".breakdown-units")
            # Thirty units do not fit: the panel shows a page of them and says which.
            expect(units.locator(".page-of")).to_have_text(re.compile(r"^1/\d$"))
            visible = units.locator("tbody tr:visible").count()
            assert 5 <= visible < 30
            assert page.evaluate(OVERFLOWS) == [], (width, height)
            # The widest figures a busy day shows: five digits of consultations, six of handouts.
            assert page.locator("[data-figure=consultations]").inner_text() == "35265"
            assert page.locator("[data-figure=handouts]").inner_text() == "3750435"
        # On its own, the next page of units and the next slogan.
        first_unit = units.locator("tbody tr:visible").first.inner_text()
        slogan = page.locator("[data-slogans] p:visible").inner_text()
        expect(units.locator(".page-of")).to_have_text(re.compile(r"^2/\d$"), timeout=12_000)
        assert units.locator("tbody tr:visible").first.inner_text() != first_unit
        assert page.locator("[data-slogans] p:visible").inner_text() != slogan
        # The longest slogan on screen: still nothing overflows.
        expect(page.locator("[data-slogans] p:visible")).to_have_text(SLOGANS[1], timeout=12_000)
        assert page.evaluate(OVERFLOWS) == []


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_the_organizers_board_fits_a_phone(server, city, organizer, chromium, english):
    with chromium as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        _log_in(page, server, organizer, english)
        page.goto(f"{server}/campaigns/{city.id}/board")
        expect(page.locator("[data-list=units] tbody tr")).to_have_count(30)
        # What sticks out first (its parent does not), to name in a failure.
        widest = page.evaluate("""() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > innerWidth + 1
                            && el.parentElement.getBoundingClientRect().right <= innerWidth + 1)
            .map((el) => el.tagName + "." + el.className + " in " + el.parentElement.tagName + "."
                         + el.parentElement.className + " " + Math.round(el.getBoundingClientRect().right))""")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, widest
        # Nor does any table scroll sideways in its own box: the figures are read without swiping.
        assert page.evaluate("""() => [...document.querySelectorAll(".table-wrap")]
            .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).length""") == 0
