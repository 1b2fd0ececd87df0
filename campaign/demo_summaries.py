"""The demo's unit summaries of the 2025 campaign: every state the office meets after the day, with photos.

Several accepted, some waiting for review, one late, one returned with a note (区教育局, the demo login
`jiaoyu`), some drafts (临江镇, the demo login `linjiang`) and some not started. The text is our own drafting
from each unit's booth figures, touched up per unit; two units corrected a recorded figure. The photos are drawn
here (a square or a hall, a banner, desks, display boards, people, the unit's name on its desk card) and go
through the same intake as an upload (media.prepare_photo / store_photo), so they are stored and served like
real ones.
"""

import functools
import io
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw, ImageFont, ImageOps

from campaign import media
from campaign.audit import record
from campaign.auth.models import User
from campaign.extensions import db
from campaign.plan.models import MODE_ONSITE, Campaign
from campaign.summaries.drafting import campaign_tasks, draft_sections
from campaign.summaries.figures import effective_figures, recorded_figures_by_unit
from campaign.summaries.models import FigureCorrection, Photo, UnitSummary
from campaign.summaries.review import participating_units
from campaign.timeutil import local, local_datetime

ACCEPTED = ("区政府办", "区人社局", "区医保局", "区市场监管局", "区司法局", "区营商环境局", "区政务服务中心", "区融媒体中心")
SUBMITTED = ("区发改局", "区卫健局", "区民政局", "区税务局", "区12345热线中心")
LATE = ("区住建局",)
RETURNED = {
    "区教育局": "请补充5月15日主会场咨询台的现场照片（至少2张），并在“主要成效”部分写明群众满意率；"
    "“工作人员登记”人次的更正请附当日纸质登记表扫描件。",
}
DRAFTS = ("临江镇", "区财政局", "区农业农村局", "白沙镇")
# Units that corrected a recorded figure: key, amount added, reason.
CORRECTIONS = {
    "区人社局": ("material:宣传册", 60, "部分宣传册由工作人员在咨询台旁直接发放，未及时在手机上登记"),
    "区教育局": ("consultations_staff", 12, "活动开始前群众集中咨询，有12人次未及时登记"),
}
LEADERS = {
    "区政府办": "区政府办党组书记、主任陈立新",
    "区人社局": "区人社局党组书记、局长钱卫东",
    "区教育局": "区教育局分管副局长林晓红",
    "区医保局": "区医保局局长韩志强",
    "区司法局": "区司法局党组成员、副局长朱建华",
    "区住建局": "区住建局分管副局长冯卫国",
}
VIDEOS = {
    "区融媒体中心": [{"title": "第十九届“5·15政务公开日”主会场活动短视频", "url": "https://v.jiangbin.example/515/2025/main"}],
    "区政府办": [{"title": "“5·15政务公开日”集中宣传咨询活动现场", "url": "https://v.jiangbin.example/515/2025/scene"}],
}
BANNER = "江滨区第十九届“5·15政务公开日”集中宣传活动"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# Drawn at DRAW_SIZE and enlarged to PHOTO_SIZE: the softness of a phone picture, at half the drawing cost.
DRAW_SIZE = (1200, 900)
PHOTO_SIZE = (1600, 1200)
STATE_OF = {
    name: state
    for state, names in (("accepted", ACCEPTED), ("submitted", SUBMITTED), ("late", LATE), ("returned", RETURNED),
                         ("draft", DRAFTS))
    for name in names
}


def load_demo_summaries(campaign: Campaign) -> None:
    if db.session.scalar(sa.select(sa.func.count(UnitSummary.id)).where(UnitSummary.campaign_id == campaign.id)):
        return
    db.session.flush()
    rng = random.Random(518)
    upload_dir = current_app.config["UPLOAD_DIR"]
    admin = db.session.scalar(sa.select(User).where(User.role == "organizer").order_by(User.id).limit(1))
    # The unit's own steps are done by its contact where the demo has one (the others have no account to show).
    contacts = {user.unit_id: user for user in db.session.scalars(sa.select(User).where(User.role == "unit"))}
    units = participating_units(campaign.id)
    recorded = recorded_figures_by_unit(campaign.id, [unit.id for unit in units])
    for unit in units:
        state = STATE_OF.get(unit.short_name)
        if state is None:
            continue
        summary = UnitSummary(
            campaign_id=campaign.id, unit_id=unit.id, narrative={}, unit_figures={}, video_links=[], revision=1
        )
        db.session.add(summary)
        db.session.flush()
        tasks = campaign_tasks(campaign, unit.id)
        _fill(summary, campaign, unit, tasks, recorded.get(unit.id, {}), rng)
        _history(summary, campaign, unit, state, admin, contacts.get(unit.id), rng)
        if state != "draft" or unit.short_name == "临江镇":
            count = 2 if state == "draft" else rng.randint(2, 4)
            _add_photos(summary, campaign, unit, _photo_plan(unit, tasks, rng)[:count], upload_dir)
    db.session.flush()


def _at(month_day: tuple[int, int], hour: int, minute: int) -> datetime:
    return local_datetime(date(2025, *month_day), time(hour, minute))


def _fill(summary: UnitSummary, campaign: Campaign, unit, tasks, recorded: dict, rng: random.Random) -> None:
    onsite = any(task.activity.mode == MODE_ONSITE for task in tasks)
    own_figures = {
        "staff_count": rng.randint(3, 8) if onsite else rng.randint(2, 4),
        "display_boards": rng.randint(2, 6) if onsite else 0,
        "banners": rng.randint(1, 2) if onsite else 0,
        "interpretations_published": rng.randint(2, 6) if not onsite or rng.random() < 0.5 else 0,
        "online_posts": rng.randint(3, 12),
        "hotline_answered": rng.randint(5, 30) if unit.short_name == "区12345热线中心" else 0,
    }
    summary.unit_figures = {key: value for key, value in own_figures.items() if value}
    summary.leaders_present = LEADERS.get(unit.short_name, "")
    summary.video_links = list(VIDEOS.get(unit.short_name, []))
    if unit.short_name in CORRECTIONS:
        key, added, reason = CORRECTIONS[unit.short_name]
        was = recorded.get(key, 0) or 0
        summary.corrections.append(FigureCorrection(key=key, recorded=was, corrected=was + added, reason=reason))
    figures = {**effective_figures(summary, recorded), **summary.unit_figures}
    sections = draft_sections(campaign, unit, figures, tasks, summary.leaders_present)
    # What a contact adds to the draft: a line of the unit's own.
    sections["activities"] += "\n" + rng.choice((
        "活动中，工作人员耐心倾听群众诉求，对政策条文逐条讲解，对需要办理的事项一次性告知所需材料。",
        "现场设置意见建议登记簿，收集群众对政务公开工作的意见建议，会后逐条梳理、分类研究。",
        "针对群众关心的热点问题，现场发放“一图读懂”等通俗易懂的政策解读材料，受到群众欢迎。",
    ))
    summary.narrative = sections if unit.short_name not in ("区财政局", "区农业农村局") else {
        # Drafts half written: the first two sections only.
        key: sections[key] for key in ("leadership", "activities")
    }


def _history(summary: UnitSummary, campaign: Campaign, unit, state: str, admin, contact, rng: random.Random) -> None:
    def logged(user, action: str, at: datetime, **detail) -> None:
        record(user, action, summary, campaign_id=campaign.id, **detail).at = at

    created = _at((5, 16), rng.randint(8, 17), rng.randint(0, 59))
    summary.created_at = created
    logged(contact, "summary_created", created, unit_id=unit.id)
    if state == "draft":
        summary.updated_at = created + timedelta(hours=rng.randint(1, 40))
        return
    if state == "late":
        submitted = _at((5, 19), 9, 42)
    elif state == "returned":
        submitted = _at((5, 17), 16, 20)
    else:
        submitted = _at((5, rng.choice((16, 17, 18))), rng.randint(9, 16), rng.randint(0, 59))
    summary.status = "submitted"
    summary.first_submitted_at = summary.submitted_at = submitted
    summary.late = state == "late"
    summary.updated_at = submitted
    summary.revision = 2
    logged(contact, "summary_submitted", submitted, late=summary.late, resubmission=False)
    for correction in summary.corrections:
        logged(contact, "summary_figure_corrected", submitted - timedelta(minutes=20), key=correction.key,
               recorded=correction.recorded, corrected=correction.corrected, reason=correction.reason)
    if state == "returned":
        summary.status = "returned"
        summary.returned_at = _at((5, 18), 10, 15)
        summary.review_note = RETURNED[unit.short_name]
        summary.revision = 3
        logged(admin, "summary_returned", summary.returned_at, note=summary.review_note)
    elif state == "accepted":
        summary.status = "accepted"
        summary.accepted_at = _at((5, 19), rng.randint(9, 11), rng.randint(0, 59))
        summary.revision = 3
        logged(admin, "summary_accepted", summary.accepted_at, late=False)


# Photos


@functools.cache
def _font(size: int, bold: bool = True) -> ImageFont.ImageFont:
    path = FONT_DIR / ("NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc")
    try:
        return ImageFont.truetype(str(path), size, index=2)  # index 2: the Simplified Chinese face
    except OSError:
        return ImageFont.load_default(size)


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    return ImageOps.colorize(Image.linear_gradient("L").resize(size), top, bottom)


def _centered(draw: ImageDraw.ImageDraw, box: tuple, text: str, size: int, fill: str) -> None:
    """Text centred in the box, at `size` or smaller so that it fits its width."""
    left, top, right, bottom = box
    font = _font(size)
    width, height = draw.textbbox((0, 0), text, font=font)[2:]
    if width > (right - left) * 0.92:
        font = _font(max(int(size * (right - left) * 0.92 / width), 10))
        width, height = draw.textbbox((0, 0), text, font=font)[2:]
    draw.text((left + (right - left - width) / 2, top + (bottom - top - height) / 2 - height * 0.1), text,
              font=font, fill=fill)


def _person(draw: ImageDraw.ImageDraw, x: int, foot: int, height: int, rng: random.Random, shirt: str | None = None,
            back: bool = False) -> None:
    """A standing person seen from a few metres: legs, body, arms, head with hair."""
    head = height * 0.13
    shirt = shirt or rng.choice(("#2f4f7f", "#7a2e2e", "#e8e4d8", "#3c6e47", "#5b5b5b", "#c9a227", "#223344"))
    skin = rng.choice(("#e8c2a0", "#d9a98a", "#f0d0b4", "#c99877"))
    width = height * 0.26
    draw.rectangle((x - width * 0.32, foot - height * 0.46, x - width * 0.05, foot), fill="#2b2b33")
    draw.rectangle((x + width * 0.05, foot - height * 0.46, x + width * 0.32, foot), fill="#2b2b33")
    draw.rounded_rectangle((x - width / 2, foot - height * 0.84, x + width / 2, foot - height * 0.42),
                           radius=width * 0.25, fill=shirt)
    draw.rounded_rectangle((x - width * 0.68, foot - height * 0.8, x - width * 0.46, foot - height * 0.5),
                           radius=width * 0.1, fill=shirt)
    draw.rounded_rectangle((x + width * 0.46, foot - height * 0.8, x + width * 0.68, foot - height * 0.5),
                           radius=width * 0.1, fill=shirt)
    top = foot - height
    draw.ellipse((x - head / 2, top, x + head / 2, top + head * 1.15), fill="#1d1d1d" if back else skin)
    if not back:
        draw.chord((x - head / 2, top - head * 0.05, x + head / 2, top + head * 0.7), 180, 360, fill="#1d1d1d")


def _board(draw: ImageDraw.ImageDraw, box: tuple, title: str, rng: random.Random) -> None:
    """A display board (展板) on its stand: a coloured header, a title and lines of text."""
    left, top, right, bottom = box
    draw.rectangle((left + 10, bottom, left + 18, bottom + 90), fill="#777")
    draw.rectangle((right - 18, bottom, right - 10, bottom + 90), fill="#777")
    draw.rectangle(box, fill="#fbfbf7", outline="#999", width=3)
    header = rng.choice(("#b4232a", "#1f5fa8", "#1a7f5a"))
    draw.rectangle((left, top, right, top + (bottom - top) * 0.18), fill=header)
    _centered(draw, (left, top, right, top + (bottom - top) * 0.18), title, int((right - left) / 9), "#fff")
    y = top + (bottom - top) * 0.25
    while y < bottom - 30:
        length = rng.uniform(0.55, 0.9)
        draw.rectangle((left + 25, y, left + 25 + (right - left - 50) * length, y + 9), fill="#8a8a8a")
        y += 26


def _outdoor(size, rng: random.Random) -> Image.Image:
    width, height = size
    image = _gradient((width, int(height * 0.45)), "#9cc3e6", "#e9f1f7")
    scene = Image.new("RGB", size, "#b9b4aa")
    scene.paste(image, (0, 0))
    draw = ImageDraw.Draw(scene)
    x = 0
    while x < width:  # the buildings around the square
        w, h = rng.randint(160, 320), rng.randint(int(height * 0.12), int(height * 0.3))
        base = int(height * 0.45)
        draw.rectangle((x, base - h, x + w, base), fill=rng.choice(("#c9ccd1", "#d8d2c4", "#b8c0c8")))
        for wx in range(x + 15, x + w - 20, 34):
            for wy in range(base - h + 15, base - 15, 40):
                draw.rectangle((wx, wy, wx + 18, wy + 22), fill="#8fa3b5")
        x += w + rng.randint(10, 40)
    ground = _gradient((width, int(height * 0.55) + 1), "#b3ada2", "#8f897e")
    scene.paste(ground, (0, int(height * 0.45)))
    return scene


def _indoor(size) -> Image.Image:
    width, height = size
    scene = _gradient(size, "#efe6d6", "#cbbfa9")
    draw = ImageDraw.Draw(scene)
    draw.rectangle((0, int(height * 0.62), width, height), fill="#9c8a74")
    return scene


def _scene_desk(size, unit_name: str, rng: random.Random) -> Image.Image:
    width, height = size
    scene = _outdoor(size, rng)
    draw = ImageDraw.Draw(scene)
    # The banner over the desks.
    draw.rectangle((int(width * 0.05), int(height * 0.14), int(width * 0.95), int(height * 0.23)), fill="#c4161c")
    _centered(draw, (int(width * 0.05), int(height * 0.14), int(width * 0.95), int(height * 0.23)), BANNER,
              int(height * 0.055), "#ffe15a")
    _board(draw, (int(width * 0.04), int(height * 0.3), int(width * 0.24), int(height * 0.62)), "政务公开", rng)
    _board(draw, (int(width * 0.77), int(height * 0.3), int(width * 0.96), int(height * 0.62)), "惠民政策", rng)
    for x in (0.36, 0.5, 0.64):  # staff behind the desk, in red vests
        _person(draw, int(width * x), int(height * 0.72), int(height * 0.42), rng, shirt="#c62828")
    desk_top = int(height * 0.62)
    draw.rectangle((int(width * 0.26), desk_top, int(width * 0.74), int(height * 0.8)), fill="#1f4e9a")
    draw.rectangle((int(width * 0.26), desk_top, int(width * 0.74), desk_top + 14), fill="#f3f3f3")
    card = (int(width * 0.4), desk_top - int(height * 0.07), int(width * 0.6), desk_top + 4)
    draw.rectangle(card, fill="#ffffff", outline="#b4232a", width=4)
    _centered(draw, card, unit_name, int(height * 0.04), "#b4232a")
    for _ in range(rng.randint(4, 7)):  # leaflets on the desk
        x = rng.randint(int(width * 0.28), int(width * 0.7))
        draw.rectangle((x, desk_top + 20, x + 60, desk_top + 34), fill=rng.choice(("#fff", "#ffe9a8", "#cfe3ff")))
    for _ in range(rng.randint(4, 7)):  # people asking, seen from behind, leaving the desk card in sight
        x = rng.choice((rng.uniform(0.06, 0.34), rng.uniform(0.66, 0.94)))
        _person(draw, int(width * x), rng.randint(int(height * 0.93), height + 60),
                int(height * rng.uniform(0.45, 0.6)), rng, back=True)
    return scene


def _scene_handout(size, unit_name: str, rng: random.Random) -> Image.Image:
    width, height = size
    scene = _outdoor(size, rng)
    draw = ImageDraw.Draw(scene)
    _board(draw, (int(width * 0.58), int(height * 0.2), int(width * 0.9), int(height * 0.62)), "政策解读", rng)
    _person(draw, int(width * 0.32), int(height * 0.98), int(height * 0.8), rng, shirt="#c62828")
    _person(draw, int(width * 0.52), int(height * 1.0), int(height * 0.76), rng)
    draw.rectangle((int(width * 0.39), int(height * 0.5), int(width * 0.45), int(height * 0.58)), fill="#fff8dc",
                   outline="#aaa")  # the leaflet handed over
    _centered(draw, (int(width * 0.39), int(height * 0.5), int(width * 0.45), int(height * 0.58)), "政策",
              int(height * 0.025), "#b4232a")
    for _ in range(3):
        _person(draw, rng.randint(int(width * 0.65), int(width * 0.98)), int(height * 0.86),
                int(height * 0.5), rng)
    return scene


def _scene_hall(size, title: str, rng: random.Random, meeting: bool) -> Image.Image:
    width, height = size
    scene = _indoor(size)
    draw = ImageDraw.Draw(scene)
    screen = (int(width * 0.2), int(height * 0.08), int(width * 0.8), int(height * 0.4))
    draw.rectangle(screen, fill="#1b3f8b" if meeting else "#b31b1b", outline="#333", width=8)
    _centered(draw, screen, title, int(height * 0.045), "#fff")
    if meeting:
        suits = ("#1f2a44", "#f2f2f2", "#2e2e2e")
        for index in range(6):  # across the table, half hidden by it
            _person(draw, int(width * (0.25 + index * 0.1)), int(height * 0.78), int(height * 0.3), rng,
                    shirt=rng.choice(suits))
        draw.ellipse((int(width * 0.12), int(height * 0.6), int(width * 0.88), int(height * 0.98)), fill="#6b4a2f")
        for _cup in range(8):
            x = rng.randint(int(width * 0.2), int(width * 0.78))
            draw.rectangle((x, int(height * 0.66), x + 70, int(height * 0.68)), fill="#f5f5f5")
        for index in range(5):  # this side of the table, from behind
            _person(draw, int(width * (0.18 + index * 0.16)), int(height * 1.15), int(height * 0.5), rng,
                    shirt=rng.choice(suits), back=True)
    else:
        _person(draw, int(width * 0.85), int(height * 0.72), int(height * 0.5), rng, shirt="#1f2a44")
        for row in range(3):
            for column in range(9):
                _person(draw, int(width * (0.08 + column * 0.1 + row * 0.02)), int(height * (1.05 + row * 0.08)),
                        int(height * 0.5), rng, back=True)
    return scene


@functools.cache
def _grain(size: tuple[int, int]) -> Image.Image:
    # Made once: Pillow takes a fifth of a second for each noise image of this size.
    return Image.effect_noise(size, 40).convert("RGB")


def demo_photo(kind: str, unit_name: str, seed: str, taken_at: datetime) -> bytes:
    """A JPEG as a phone would send it, with the time it was taken in its EXIF; the same arguments draw the
    same picture."""
    rng = random.Random(seed)
    if kind == "desk":
        scene = _scene_desk(DRAW_SIZE, unit_name, rng)
    elif kind == "handout":
        scene = _scene_handout(DRAW_SIZE, unit_name, rng)
    elif kind == "meeting":
        scene = _scene_hall(DRAW_SIZE, f"{unit_name}“5·15政务公开日”活动部署会", rng, meeting=True)
    else:
        scene = _scene_hall(DRAW_SIZE, "“5·15政务公开日”政策宣讲", rng, meeting=False)
    # Softness and grain, as a phone's camera leaves them.
    scene = Image.blend(scene.resize(PHOTO_SIZE, Image.Resampling.BICUBIC), _grain(PHOTO_SIZE), 0.07)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Demo", "Phone"
    # A camera writes its own clock, local time, as the time taken (activity times come from the database in UTC).
    exif.get_ifd(0x8769)[0x9003] = local(taken_at).strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=88, exif=exif)
    return buffer.getvalue()


def _photo_plan(unit, tasks, rng: random.Random) -> list[tuple[str, str, datetime]]:
    onsite = [task.activity for task in tasks if task.activity.mode == MODE_ONSITE]
    meeting_at = _at((5, 12), rng.randint(9, 15), rng.randint(0, 59))
    if not onsite:
        return [
            ("meeting", f"{unit.label}召开专题会议部署“5·15政务公开日”活动", meeting_at),
            ("hall", f"{unit.label}开展政策解读宣讲", _at((5, 16), 10, rng.randint(0, 59))),
            ("meeting", f"{unit.label}研究梳理群众关注的热点问题答复口径", _at((5, 14), 15, rng.randint(0, 59))),
        ]
    activity = onsite[0]
    venue = activity.venue.name if activity.venue else ""
    at = activity.starts_at + timedelta(minutes=rng.randint(10, 90))
    plan = [
        ("desk", f"{venue}，{unit.label}政策咨询台现场解答群众咨询", at),
        ("handout", "工作人员向群众发放宣传资料、讲解惠民政策", at + timedelta(minutes=12)),
    ]
    if len(onsite) > 1 or activity.venue is None or not activity.venue.is_main:
        plan.append(("hall", f"在{venue}开展政策宣讲", at + timedelta(minutes=30)))
    plan.append(("meeting", f"{unit.label}召开专题会议部署“5·15政务公开日”活动", meeting_at))
    return plan


@functools.lru_cache(maxsize=128)
def _prepared_photo(kind: str, unit_name: str, seed: str, taken_at: datetime, filename: str) -> media.PreparedPhoto:
    # Kept for the process: the tests load the demo again and again, and drawing is most of its time.
    return media.prepare_photo(demo_photo(kind, unit_name, seed, taken_at), filename)


def _add_photos(summary: UnitSummary, campaign: Campaign, unit, plan: list, upload_dir: str) -> None:
    for order, (kind, caption, taken_at) in enumerate(plan):
        filename = f"IMG_{local(taken_at):%Y%m%d_%H%M%S}.jpg"
        prepared = _prepared_photo(kind, unit.label, f"{unit.name}-{order}", taken_at, filename)
        stored = media.store_photo(prepared, upload_dir, f"photos/{campaign.id}")
        photo = Photo(
            summary_id=summary.id, sha256=prepared.sha256, caption=caption, sort_order=order,
            original_name=prepared.original_name, taken_at=prepared.taken_at,
            width=prepared.width, height=prepared.height,
            display_path=stored["display_path"], display_width=prepared.display.width,
            display_height=prepared.display.height, display_bytes=prepared.display.size_bytes,
            thumb_path=stored["thumb_path"], thumb_width=prepared.thumb.width, thumb_height=prepared.thumb.height,
            created_at=(summary.submitted_at or summary.created_at) - timedelta(minutes=30 - order),
        )
        db.session.add(photo)
