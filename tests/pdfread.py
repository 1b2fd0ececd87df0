"""Reading a PDF back as a reader sees it: which font draws each character and whether that font really has a
glyph for it, where things are on the page, their colours. Shared by the document tests."""

import contextlib
import io
from dataclasses import dataclass

import pymupdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont

MM = 72 / 25.4


@dataclass
class DrawnChar:
    char: str
    font: str  # the embedded font's name without its subset tag
    glyph: int
    has_outline: bool
    bbox: tuple[float, float, float, float]
    page: int


def _font_name(name: str) -> str:
    """A font's name without its subset tag; PyMuPDF reads a UTF-8 name (仿宋_GB2312) as Latin-1."""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        name = name.encode("latin-1").decode("utf-8")
    return name.split("+")[-1]


def _font_programs(doc, page) -> dict[str, bytes]:
    programs = {}
    for xref, _ext, _type, basefont, _name, _encoding in page.get_fonts():
        programs[_font_name(basefont)] = doc.extract_font(xref)[3]
    return programs


def _has_outline(program: bytes, glyph: int, cache: dict) -> bool:
    """Whether glyph `glyph` of an embedded font program draws anything (not .notdef, not an empty glyph)."""
    if glyph == 0:
        return False
    key = id(program)
    if key not in cache:
        if program[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
            cache[key] = TTFont(io.BytesIO(program))
        else:  # a bare CFF program (CID-keyed)
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(program), None)
            cache[key] = cff
    font = cache[key]
    if isinstance(font, TTFont):
        order = font.getGlyphOrder()
        if glyph >= len(order):
            return False
        if "glyf" in font:
            return font["glyf"][order[glyph]].numberOfContours != 0
        charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
        return charstrings[order[glyph]].calcBounds(charstrings) is not None
    top = font.topDictIndex[0]
    names = top.charset
    name = names[glyph] if glyph < len(names) else f"cid{glyph:05d}"
    return name in top.CharStrings and top.CharStrings[name].calcBounds(top.CharStrings) is not None


def drawn_chars(pdf: bytes) -> list[DrawnChar]:
    """Every character drawn in the PDF, with the font that draws it and whether its glyph has an outline."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    chars, cache = [], {}
    for number, page in enumerate(doc, start=1):
        programs = _font_programs(doc, page)
        for span in page.get_texttrace():
            font = _font_name(span["font"])
            program = programs.get(font, b"")
            for code, glyph, _origin, bbox in span["chars"]:
                if code <= 0 or chr(code).isspace():
                    continue
                outline = bool(program) and _has_outline(program, glyph, cache)
                chars.append(DrawnChar(chr(code), font, glyph, outline, tuple(bbox), number))
    return chars


def image_boxes(pdf: bytes) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page, bbox) of every image drawn, e.g. the bitmap of a colour emoji."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    return [(number, tuple(info["bbox"])) for number, page in enumerate(doc, start=1) for info in page.get_image_info()]


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
