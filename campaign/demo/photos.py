"""Photos for the demo, drawn rather than shipped: a square or a hall, a banner, desks, display boards, people,
the unit's name on its desk card, with a phone camera's softness and grain and the time taken in the EXIF."""

import functools
import io
import random
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from campaign.shared.timeutil import local

BANNER = "江滨区第十九届“5·15政务公开日”集中宣传活动"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# Drawn at DRAW_SIZE and enlarged to PHOTO_SIZE: the softness of a phone picture, at half the drawing cost.
DRAW_SIZE = (1200, 900)
PHOTO_SIZE = (1600, 1200)


@functools.cache
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
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
