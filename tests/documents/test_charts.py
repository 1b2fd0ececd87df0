"""The SVG/PNG charts: well-formed, escaped, CSP-safe, whole-number axes, the same geometry in both."""

import io
import xml.etree.ElementTree as ET

from PIL import Image

from campaign.documents.charts import Chart, layout, to_png, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_svg_is_well_formed_escaped_and_without_style_attributes():
    chart = Chart("各主题咨询量", [("社会保险", 12), ('<script>"x"&', 3), ("政府信息公开申请与答复办理", 1)], unit="人次")
    svg = to_svg(chart)
    root = ET.fromstring(svg)
    texts = [node.text for node in root.iter(f"{SVG}text")]
    assert "社会保险" in texts and '<script>"x"&' in texts and "12人次" in texts
    assert any(text.endswith("…") for text in texts)  # a long label is shortened, the table keeps it whole
    assert "<script>" not in svg
    assert all("style" not in node.attrib for node in root.iter())
    assert "Noto Sans CJK SC" in root.get("font-family")
    bars = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert bars[0] > bars[1] > bars[2] > 0


def test_column_chart_axis_has_whole_numbers():
    for top, expected in ((6, "8"), (73, "80"), (2, "4"), (0, "4")):
        _w, _h, shapes = layout(Chart("各时段", [("9时", top), ("10时", 1)], kind="columns"))
        axis = [shape.text for shape in shapes if shape.tag == "text" and shape.attrs.get("text-anchor") == "end"]
        assert axis[-1] == expected and all(label.isdigit() for label in axis)


def test_png_has_the_svg_geometry_at_three_times_the_size():
    chart = Chart("各单位咨询量", [(f"单位{n}", n) for n in range(1, 41)], unit="人次")
    width, height, _shapes = layout(chart)
    image = Image.open(io.BytesIO(to_png(chart)))
    assert image.size == (width * 3, height * 3)
    # Forty units still fit a page of the PDF: the type area is 156 × 225 mm.
    assert height / width < 225 / 156
