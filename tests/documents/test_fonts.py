"""Fonts of the official documents: the office's own from the fonts folder, the free faces otherwise, the fonts
page that says which is which, and no character ever drawn as a box (checked on the glyphs of the embedded fonts,
not on extracted text, which reads fine even where the page shows a box)."""

import functools
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from campaign.documents import fonts
from campaign.documents.pdf import FontSetupError, check_fonts, render_pdf
from tests.pdfread import drawn_chars, image_boxes, overlaps

STATIC = Path(__file__).resolve().parents[2] / "static"
RARE = "䶮㛃𠮷𡈼𪚥"  # CJK Extension A (䶮 㛃) and B (𠮷 𡈼 𪚥), all seen in people's names
EMOJI = "😀👍🎉❤️✅"


def make_font(path: Path, family: str, text: str) -> Path:
    """A small TrueType font named `family` with a square glyph for each character of `text`: stands in for an
    office's licensed 仿宋_GB2312, which a test cannot ship."""
    chars = sorted(set(text))
    names = [".notdef"] + [f"uni{ord(char):04X}" for char in chars]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(char): name for char, name in zip(chars, names[1:], strict=True)})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != ".notdef":
            pen.moveTo((100, -100))
            pen.lineTo((100, 800))
            pen.lineTo((900, 800))
            pen.lineTo((900, -100))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def _doc(body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><link rel="stylesheet" href="css/official.css"></head>'
        f'<body class="official-print"><article class="official-doc">{body}</article></body></html>'
    )


def _fonts_of(pdf: bytes) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for drawn in drawn_chars(pdf):
        used.setdefault(drawn.char, set()).add(drawn.font)
    return used


def test_an_office_font_in_the_folder_sets_the_body(tmp_path):
    body_text = "各镇街区政府各部门"
    make_font(tmp_path / "fonts" / "FangSong_GB2312.ttf", "仿宋_GB2312", body_text)
    html = _doc(f'<h2 class="level-1">一、活动主题</h2><p>{body_text}</p>')

    pdf = render_pdf(html, STATIC, fonts_dir=tmp_path / "fonts")
    used = _fonts_of(pdf)
    assert all(used[char] == {"仿宋_GB2312"} for char in body_text), used
    # The heading keeps its own role's font (黑体, else the free Noto Sans CJK SC).
    assert used["活"] == {"Noto-Sans-CJK-SC"}

    without = _fonts_of(render_pdf(html, STATIC, fonts_dir=tmp_path / "empty"))
    assert without["镇"] == {"Noto-Serif-CJK-SC"}


def test_fetcher_serves_only_the_fonts_folder_besides_static(tmp_path):
    """@font-face pointing outside the static and fonts folders is refused: the body keeps the free face."""
    outside = make_font(tmp_path / "elsewhere" / "x.ttf", "Outside Face", "测试")
    html = _doc(
        f'<style>@font-face {{ font-family: "Outside Face"; src: url("{outside.as_uri()}"); }}</style>'
        '<p style="font-family: \'Outside Face\', \'Noto Serif CJK SC\'">测试</p>'
    )
    make_font(tmp_path / "fonts" / "k.ttf", "楷体_GB2312", "一")
    assert _fonts_of(render_pdf(html, STATIC, fonts_dir=tmp_path / "fonts"))["测"] == {"Noto-Serif-CJK-SC"}


def test_fonts_page_tells_which_font_each_role_uses(organizer_client, app):
    folder = Path(app.config["FONTS_DIR"])
    make_font(folder / "simkai.ttf", "楷体_GB2312", "一二")
    make_font(folder / "odd-name.ttf", "Some Display Face", "一")
    (folder / "broken.ttf").write_bytes(b"not a font")

    page = organizer_client.get("/documents/fonts").get_data(as_text=True)
    assert str(folder.resolve()) in page
    kai = page[page.index('id="font-heading-2"') :]
    kai = kai[: kai.index("</tr>")]
    assert "楷体_GB2312" in kai and "simkai.ttf" in kai and "替代字体" not in kai
    body = page[page.index('id="font-body"') :]
    body = body[: body.index("</tr>")]
    assert "Noto Serif CJK SC" in body and "替代字体" in body
    assert "有的部分使用替代字体" in page
    # A font file no stack names is listed, so a misnamed 仿宋 does not go unnoticed; a broken file is skipped.
    assert "odd-name.ttf：Some Display Face" in page
    assert "broken.ttf" not in page


def test_fonts_page_is_for_organizers(client, unit_contact):
    from tests.conftest import log_in

    log_in(client, unit_contact)
    assert client.get("/documents/fonts").status_code == 403


def test_roles_read_their_stacks_from_official_css():
    stacks = fonts.font_stacks()
    for role in fonts.ROLES:
        stack = stacks[role.key]
        assert role.free_face in stack, role.key
        assert stack.index(role.free_face) > 0, f"{role.key}: the office's fonts come first"
    assert stacks["body"][0] == "仿宋_GB2312"
    assert stacks["heading-2"][0] == "楷体_GB2312"
    assert stacks["title"][0] == "方正小标宋简体"


def test_rare_characters_and_emoji_have_real_glyphs_in_the_pdf():
    text = f"张{RARE}同志 {EMOJI} 点赞"
    html = _doc(
        f'<h1 class="doc-title">{RARE}{EMOJI}</h1><h2 class="level-1">一、{RARE}</h2>'
        f'<h3 class="level-2">（一）{RARE}</h3><p>{text}</p>'
    )
    pdf = render_pdf(html, STATIC)
    drawn = drawn_chars(pdf)
    images = image_boxes(pdf)
    wanted = set(RARE) | {char for char in EMOJI if unicodedata.category(char) == "So"}
    seen = set()
    for item in drawn:
        if item.char not in wanted:
            continue
        seen.add(item.char)
        assert item.glyph != 0, f"{item.char} is .notdef (a box) in {item.font}"
        # A colour emoji's glyph is a bitmap drawn as an image over the (empty) glyph; anything else needs an outline.
        assert item.has_outline or any(
            page == item.page and overlaps(box, item.bbox) for page, box in images
        ), f"{item.char} has no glyph in {item.font}"
    assert seen == wanted


CJK_BLOCKS = {
    "CJK Unified Ideographs": (0x4E00, 0x9FFF),
    "Extension A": (0x3400, 0x4DBF),
    "Extension B": (0x20000, 0x2A6DF),
    "Extension C": (0x2A700, 0x2B73F),
    "Extension D": (0x2B740, 0x2B81F),
    "Extension E": (0x2B820, 0x2CEAF),
    "Extension F": (0x2CEB0, 0x2EBEF),
    "Compatibility Ideographs": (0xF900, 0xFAFF),
    "Compatibility Ideographs Supplement": (0x2F800, 0x2FA1F),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
}
COMMON_EMOJI = "😀😂😊😍🤔👍👏🙏💪🎉🎊🔥⭐❤✅❌📢📞📌🌹🌸☀⚠🏛🚗🚇🏥🏫"


@functools.cache
def _installed_cmap(family: str) -> frozenset[int]:
    path, index = subprocess.run(
        ["fc-match", "--format=%{file}\n%{index}", family], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    name = subprocess.run(["fc-match", "--format=%{family}", family], capture_output=True, text=True).stdout
    assert family in name.split(","), f"{family} is not installed (fc-match gave {name})"
    font = TTCollection(path).fonts[int(index)] if path.endswith(".ttc") else TTFont(path)
    cmap = font.getBestCmap()
    if "glyf" not in font:
        return frozenset(cmap)
    # A code point mapped to an empty glyph (no bytes in the glyf table) is a blank where a character should be.
    loca, order = font["loca"], {name: index for index, name in enumerate(font.getGlyphOrder())}
    return frozenset(
        code for code, name in cmap.items() if loca[order[name]] != loca[order[name] + 1] or chr(code).isspace()
    )


def test_every_cjk_character_and_common_emoji_has_a_font_in_each_stack():
    """Whatever the text, some installed font of each role's stack has a real glyph for it: every assigned code
    point of the CJK blocks up to Extension F (Unicode 14 as Python knows it), and common emoji. (Extension G is
    covered in part: BabelStone Han has about 3,000 of its 4,939 characters; no Debian font has the rest.)"""
    installed = fonts.installed_families()
    for role in fonts.ROLES:
        if role.key != "page-number":
            _assert_stack_covers(role.key, [family for family in fonts.font_stacks()[role.key] if family in installed])


def _assert_stack_covers(role: str, families: list[str]) -> None:
    covered: set[int] = set()
    for family in families:
        covered |= _installed_cmap(family)
    for block, (first, last) in CJK_BLOCKS.items():
        missing = [
            f"U+{code:04X}" for code in range(first, last + 1)
            if unicodedata.category(chr(code)) != "Cn" and code not in covered
        ]
        assert not missing, f"{role}: {block} has no font for {len(missing)} characters, e.g. {missing[:5]}"
    assert not [char for char in COMMON_EMOJI if ord(char) not in covered]


def test_font_check_probes_extension_b(tmp_path):
    """On a machine whose fonts stop at Extension A, the check names the packages for Extension B."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/opentype/noto</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    probe = "from campaign.documents.pdf import check_fonts; check_fonts()"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "CJK Extension B" in result.stderr and "fonts-hanazono" in result.stderr
    check_fonts()  # this machine has them


def test_font_setup_error_is_the_checks_error():
    assert issubclass(FontSetupError, RuntimeError)


def test_the_plan_pdf_uses_the_apps_fonts_folder(organizer_client, app, factory):
    from campaign.plan.models import STATUS_ISSUED

    campaign = factory.campaign(status=STATUS_ISSUED, theme="坚持依法行政深化政务公开")
    factory.activity(factory.group(campaign), title="举办集中宣传咨询活动")
    make_font(Path(app.config["FONTS_DIR"]) / "fangsong.ttf", "仿宋_GB2312", campaign.theme)

    pdf = organizer_client.get(f"/campaigns/{campaign.id}/plan/pdf").data
    theme_fonts = {item.font for item in drawn_chars(pdf) if item.char in "坚持依法行政深化政务公开" and item.has_outline}
    assert "仿宋_GB2312" in theme_fonts
