"""Small bar charts for documents and pages: one layout, drawn as SVG (pages, PDF) or PNG (Word).

No chart library: a report needs horizontal bars (by topic, by unit) and columns (by hour), and the same geometry
drawn twice keeps the SVG of the PDF and the PNG of the DOCX alike. The SVG uses presentation attributes only (no
style attribute, which the pages' Content-Security-Policy would block) and names Noto Sans CJK SC, the font
WeasyPrint and the browsers find for the Chinese labels.
"""

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 12
BAR_COLOR = "#b4232a"
AXIS_COLOR = "#8a9099"
TEXT_COLOR = "#1f2328"
GRID_COLOR = "#e3e6ea"

BAR_HEIGHT = 14
BAR_GAP = 6
# Forty units' bars must fit on one page of the PDF: a long list gets thinner bars.
DENSE_AFTER = 20
DENSE_BAR_HEIGHT = 11
DENSE_BAR_GAP = 4
TITLE_HEIGHT = 26
LABEL_MAX_EM = 9
WIDTH = 500


@dataclass
class Chart:
    """A titled series of (label, value); `kind` is "bars" (horizontal) or "columns" (vertical)."""

    title: str
    items: list[tuple[str, int]]
    kind: str = "bars"
    unit: str = ""  # appended to the values, e.g. 人次
    key: str = ""  # a name for files and anchors: topics, units, hours

    @property
    def empty(self) -> bool:
        return not any(value for _, value in self.items)


@dataclass
class Shape:
    tag: str  # rect | text | line
    attrs: dict = field(default_factory=dict)
    text: str = ""


def text_em(text: str) -> float:
    """Approximate width in em: a Chinese character is one, Latin letters and digits about half."""
    return sum(0.55 if ord(char) < 0x2000 else 1.0 for char in text)


def _fit(text: str, max_em: float) -> str:
    if text_em(text) <= max_em:
        return text
    out = ""
    for char in text:
        if text_em(out + char) > max_em - 1:
            break
        out += char
    return out + "…"


def _nice_step(value: int, steps: int = 4) -> int:
    """A round grid step (1, 2, 5, 10, 20, 50 …) so that `steps` of them reach value: whole numbers on the axis."""
    need = max(value, 1) / steps
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= need:
                return step * factor
        step *= 10


def layout(chart: Chart, width: int = WIDTH) -> tuple[int, int, list[Shape]]:
    """The chart as positioned shapes: (width, height, shapes)."""
    if chart.kind == "columns":
        return _columns(chart, width)
    return _bars(chart, width)


def _title(chart: Chart, width: int) -> Shape:
    return Shape("text", {"x": width / 2, "y": 17, "text-anchor": "middle", "font-size": FONT_SIZE + 2,
                          "font-weight": "bold"}, chart.title)


def _bars(chart: Chart, width: int) -> tuple[int, int, list[Shape]]:
    labels = [_fit(label, LABEL_MAX_EM) for label, _ in chart.items]
    label_width = max((text_em(label) for label in labels), default=2) * FONT_SIZE + 8
    value_width = max((text_em(f"{value}{chart.unit}") for _, value in chart.items), default=2) * FONT_SIZE + 8
    left = label_width + 4
    plot = max(width - left - value_width, 40)
    top = TITLE_HEIGHT + 4
    dense = len(chart.items) > DENSE_AFTER
    bar_height, gap = (DENSE_BAR_HEIGHT, DENSE_BAR_GAP) if dense else (BAR_HEIGHT, BAR_GAP)
    font_size = FONT_SIZE - 1 if dense else FONT_SIZE
    height = top + len(chart.items) * (bar_height + gap) + 8
    top_value = max((value for _, value in chart.items), default=0)
    scale = plot / (top_value or 1)
    shapes = [_title(chart, width)]
    shapes.append(Shape("line", {"x1": left, "y1": top - 2, "x2": left, "y2": height - 6, "stroke": AXIS_COLOR}))
    for index, ((_, value), label) in enumerate(zip(chart.items, labels, strict=True)):
        y = top + index * (bar_height + gap)
        baseline = y + bar_height - 2
        shapes.append(Shape("text", {"x": left - 6, "y": baseline, "text-anchor": "end", "font-size": font_size},
                            label))
        bar = round(value * scale, 1)
        if bar > 0:
            shapes.append(Shape("rect", {"x": left, "y": y, "width": max(bar, 1), "height": bar_height,
                                         "fill": BAR_COLOR}))
        shapes.append(Shape("text", {"x": left + bar + 4, "y": baseline, "text-anchor": "start",
                                     "font-size": font_size}, f"{value}{chart.unit}"))
    return width, round(height), shapes


def _columns(chart: Chart, width: int) -> tuple[int, int, list[Shape]]:
    count = max(len(chart.items), 1)
    left, right = 40, 10
    top = TITLE_HEIGHT + 8
    plot_height = 150
    bottom = top + plot_height
    height = bottom + 24
    grid_step = _nice_step(max((value for _, value in chart.items), default=0))
    axis_max = grid_step * 4
    slot = (width - left - right) / count
    bar_width = max(slot * 0.7, 2)
    shapes = [_title(chart, width)]
    for step in range(5):
        y = bottom - plot_height * step / 4
        shapes.append(Shape("line", {"x1": left, "y1": round(y, 1), "x2": width - right, "y2": round(y, 1),
                                     "stroke": GRID_COLOR if step else AXIS_COLOR}))
        shapes.append(Shape("text", {"x": left - 4, "y": round(y + 4, 1), "text-anchor": "end",
                                     "font-size": FONT_SIZE - 2}, str(grid_step * step)))
    for index, (label, value) in enumerate(chart.items):
        x = left + index * slot + (slot - bar_width) / 2
        bar = plot_height * value / axis_max
        if bar > 0:
            shapes.append(Shape("rect", {"x": round(x, 1), "y": round(bottom - bar, 1), "width": round(bar_width, 1),
                                         "height": round(bar, 1), "fill": BAR_COLOR}))
            shapes.append(Shape("text", {"x": round(x + bar_width / 2, 1), "y": round(bottom - bar - 3, 1),
                                         "text-anchor": "middle", "font-size": FONT_SIZE - 2}, str(value)))
        shapes.append(Shape("text", {"x": round(x + bar_width / 2, 1), "y": bottom + 15, "text-anchor": "middle",
                                     "font-size": FONT_SIZE - 2}, label))
    return width, height, shapes


def to_svg(chart: Chart, width: int = WIDTH) -> str:
    """The chart as an <svg> element to put inline in HTML; labelled for screen readers by its title."""
    w, h, shapes = layout(chart, width)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(chart.title, {chr(34): "&quot;"})}" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOR}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for shape in shapes:
        attrs = " ".join(f'{name}="{escape(str(value))}"' for name, value in shape.attrs.items())
        if shape.tag == "text":
            parts.append(f"<text {attrs}>{escape(shape.text)}</text>")
        else:
            parts.append(f"<{shape.tag} {attrs}/>")
    parts.append("</svg>")
    return "".join(parts)


@functools.cache
def _font_file() -> tuple[str, int]:
    """The file and face index of Noto Sans CJK SC, for drawing Chinese labels into a PNG."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        found = subprocess.run([fc_match, "-f", "%{file}:%{index}", "Noto Sans CJK SC"], capture_output=True,
                               text=True, check=False).stdout.strip()
        path, _, index = found.rpartition(":")
        if path and index.isdigit():
            return path, int(index)
    return "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2


@functools.cache
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    path, index = _font_file()
    if bold:
        bold_path = path.replace("Regular", "Bold")
        try:
            return ImageFont.truetype(bold_path, size, index=index)
        except OSError:
            pass
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:
        return ImageFont.load_default(size)


def to_png(chart: Chart, width: int = WIDTH, scale: int = 3) -> bytes:
    """The same chart as a PNG, `scale` times the SVG's pixels (3× prints sharply at the width of a page)."""
    from PIL import Image, ImageDraw

    w, h, shapes = layout(chart, width)
    image = Image.new("RGB", (w * scale, h * scale), "white")
    draw = ImageDraw.Draw(image)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for shape in shapes:
        a = shape.attrs
        if shape.tag == "rect":
            x, y = a["x"] * scale, a["y"] * scale
            draw.rectangle([x, y, x + a["width"] * scale, y + a["height"] * scale], fill=a["fill"])
        elif shape.tag == "line":
            draw.line([a["x1"] * scale, a["y1"] * scale, a["x2"] * scale, a["y2"] * scale], fill=a["stroke"],
                      width=scale)
        else:
            size = int(a.get("font-size", FONT_SIZE) * scale)
            draw.text((a["x"] * scale, a["y"] * scale), shape.text, fill=TEXT_COLOR,
                      font=_font(size, a.get("font-weight") == "bold"), anchor=anchors[a.get("text-anchor", "start")])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
