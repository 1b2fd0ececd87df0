"""The printable QR cards and the QR downloads of the booth links."""

import os
import re
import shutil
import subprocess

import pymupdf
import pytest
import sqlalchemy as sa

from campaign.booths import cards
from campaign.booths.models import Booth
from campaign.jobs.models import FileJob
from campaign.web.extensions import db
from tests.pdfread import MM

A6_POINTS = (297.64, 419.53)
A4_POINTS = (595.28, 841.89)


@pytest.fixture
def booth(factory):
    campaign = factory.campaign()
    unit = factory.unit("江滨区人力资源和社会保障局")
    activity = factory.activity(
        factory.group(campaign), title="开展“政策咨询进广场”活动", units={unit: "lead"},
        venue_id=factory.venue(campaign, "江滨区市民广场").id,
    )
    return factory.booth(activity, unit)


def _pdf_facts(body: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "cards.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return text, info


def _pages_and_size(info: str) -> tuple[int, tuple[float, float]]:
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups()
    return pages, (float(width), float(height))


pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def test_the_desk_card_has_no_pin_and_the_organizers_copy_has_it(organizer_client, booth, tmp_path):
    url = f"/campaigns/{booth.campaign_id}/booths/{booth.id}/card.pdf"
    response = organizer_client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    text, info = _pdf_facts(response.data, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "江滨区人力资源和社会保障局" in flat
    assert "开展“政策咨询进广场”活动" in flat
    assert "江滨区市民广场" in flat and "5月15日上午9时至11时30分" in flat
    assert "第十九届“5·15政务公开日”" in flat
    assert "扫码登记咨询" in flat
    # The link is typed out in full (it may wrap, hence the spaces taken out above).
    assert f"http://localhost/b/{booth.staff_token}" in flat
    assert "PIN码：" not in flat and booth.pin not in flat
    pages, size = _pages_and_size(info)
    assert pages == 1
    assert size == pytest.approx(A6_POINTS, abs=1)

    text, _ = _pdf_facts(organizer_client.get(url + "?pin=1").data, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert f"PIN码：{booth.pin}" in flat


def test_all_cards_in_one_pdf_with_a_public_card_and_without_switched_off_booths(
    organizer_client, factory, booth, tmp_path, finished_export
):
    campaign = booth.campaign
    activity = booth.activity
    public = factory.booth(activity, factory.unit("江滨区医疗保障局"), public=True)
    factory.booth(activity, factory.unit("江滨区已停用局"), active=False)
    # Made in the background (a city has hundreds of booths), then downloaded; one A6 card a page when asked.
    state, body = finished_export(organizer_client, f"/campaigns/{campaign.id}/booths/cards", {"layout": "a6"})
    assert state["kind"] == "cards_pdf" and "PIN" not in state["file_name"] and "A6" in state["file_name"]
    text, info = _pdf_facts(body, tmp_path)
    flat = re.sub(r"\s+", "", text)
    pages, size = _pages_and_size(info)
    # Two staff cards and one public card, one a page; the switched-off booth gets none.
    assert pages == 3
    assert size == pytest.approx(A6_POINTS, abs=1)
    assert "江滨区医疗保障局" in flat and "江滨区已停用局" not in flat
    assert "扫码留言/评价" in flat
    assert f"http://localhost/p/{public.public_token}" in flat
    assert "PIN码：" not in flat


def _quadrant(bbox, page_rect) -> tuple[int, int]:
    """(column, row) of the A4 sheet's quarter a box lies in, or raises if it straddles a cut line."""
    x0, y0, x1, y1 = bbox
    middle_x, middle_y = page_rect.width / 2, page_rect.height / 2
    assert x1 <= middle_x + 0.5 or x0 >= middle_x - 0.5, bbox
    assert y1 <= middle_y + 0.5 or y0 >= middle_y - 0.5, bbox
    return int(x0 >= middle_x - 0.5), int(y0 >= middle_y - 0.5)


@pytest.mark.parametrize("sheets_per_part", [None, 1], ids=["one-process", "two-processes"])
def test_a4_sheets_of_four_cards_with_cut_lines_and_codes_that_decode(organizer_client, factory, booth, tmp_path,
                                                                       finished_export, monkeypatch, sheets_per_part):
    """Nine cards (eight booths, one with a public card): three A4 sheets, four cards on each of the first two,
    each card within its own quarter, the cut lines drawn where the quarters meet, and every code readable — the
    same when the sheets are laid out in parts, half of them by a second process (documents/pdf_parallel.py)."""
    if sheets_per_part:
        monkeypatch.setattr(cards, "CARDS_PER_PART", sheets_per_part * cards.CARDS_PER_SHEET)
    campaign = booth.campaign
    public = factory.booth(booth.activity, factory.unit("江滨区医疗保障局"), public=True)
    others = [factory.booth(booth.activity, factory.unit(f"江滨区第{n}单位")) for n in range(6)]
    state, body = finished_export(organizer_client, f"/campaigns/{campaign.id}/booths/cards", {"pin": "1"})
    assert "A4" in state["file_name"] and "含PIN" in state["file_name"]
    doc = pymupdf.open(stream=body, filetype="pdf")
    assert doc.page_count == 3
    # Two processes' halves joined by qpdf keep the first half's title and producer; each half embeds its own font
    # subsets, so a face appears twice where there were two processes.
    assert "WeasyPrint" in doc.metadata["producer"] and doc.metadata["title"] == "咨询台二维码卡片"
    fonts = {(xref, basefont) for page in doc for xref, _ext, _type, basefont, *_rest in page.get_fonts()}
    faces = [basefont for _xref, basefont in fonts]
    assert (len(faces) > len(set(faces))) == (sheets_per_part is not None)
    expected_links = {f"http://localhost/b/{b.staff_token}" for b in [booth, public, *others]}
    expected_links.add(f"http://localhost/p/{public.public_token}")
    decoded = set()
    for number, page in enumerate(doc):
        assert (page.rect.width, page.rect.height) == pytest.approx(A4_POINTS, abs=1)
        # Each card's heading (the edition line) and its code, one card per quarter.
        headings = [block[:4] for block in page.get_text("blocks") if "第十九届" in block[4]]
        images = [info["bbox"] for info in page.get_image_info()]
        expected = 4 if number < 2 else 1
        assert len(headings) == len(images) == expected
        assert len({_quadrant(bbox, page.rect) for bbox in headings}) == expected
        assert len({_quadrant(tuple(bbox), page.rect) for bbox in images}) == expected
        # The codes print at 58 mm square, whatever the pixels of the image (one a module).
        assert all(abs((x1 - x0) / MM - 58) < 0.5 for x0, _y0, x1, _y1 in images)
        # Cut lines: one across the middle of the sheet each way, from edge to edge.
        rects = [item["rect"] for drawing in page.get_drawings() for item in [drawing] if drawing.get("fill")]
        vertical = [r for r in rects if abs(r.x0 - page.rect.width / 2) < 1 and r.height > page.rect.height - 2]
        horizontal = [r for r in rects if abs(r.y0 - page.rect.height / 2) < 1 and r.width > page.rect.width - 2]
        assert vertical and horizontal, rects
        if shutil.which("zbarimg"):
            image = tmp_path / f"page{number}.png"
            page.get_pixmap(dpi=150).save(image)
            out = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True).stdout
            decoded.update(out.split())
    text = "".join(re.sub(r"\s+", "", page.get_text()) for page in doc)
    assert f"PIN码：{booth.pin}" in text and "江滨区医疗保障局" in text
    # The cards in the booths' order, across the parts: the last sheet holds the last booth's card.
    assert others[-1].unit.name in re.sub(r"\s+", "", doc[2].get_text())
    if shutil.which("zbarimg"):
        assert decoded == expected_links


def test_a_refused_layout_makes_nothing(organizer_client, booth):
    response = organizer_client.submit(f"/campaigns/{booth.campaign_id}/booths/cards", {"layout": "a3"},
                                       follow_redirects=True)
    assert "请选择卡片版式" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FileJob)) == 0


def test_one_booths_card_on_an_a4_sheet_when_asked(organizer_client, booth, tmp_path):
    body = organizer_client.get(f"/campaigns/{booth.campaign_id}/booths/{booth.id}/card.pdf?layout=a4").data
    _text, info = _pdf_facts(body, tmp_path)
    assert _pages_and_size(info) == (1, pytest.approx(A4_POINTS, abs=1))


def test_cards_pdf_without_active_booths_says_so(organizer_client, factory):
    campaign = factory.campaign()
    response = organizer_client.submit(f"/campaigns/{campaign.id}/booths/cards", {}, follow_redirects=True)
    assert "没有启用的咨询台" in response.get_data(as_text=True)


def test_qr_svg_download_follows_the_rotated_link(organizer_client, booth):
    url = f"/campaigns/{booth.campaign_id}/booths/{booth.id}/qr.svg"
    response = organizer_client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "<script" not in svg
    before = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    # The same link always gives the same code.
    assert re.search(r'<path[^>]* d="([^"]+)"', organizer_client.get(url).get_data(as_text=True)).group(1) == before

    organizer_client.submit(f"/campaigns/{booth.campaign_id}/booths/{booth.id}/rotate")
    after = re.search(r'<path[^>]* d="([^"]+)"', organizer_client.get(url).get_data(as_text=True)).group(1)
    assert after != before
    assert cards.qr_svg(f"http://localhost/b/{db.session.get(Booth, booth.id).staff_token}").count(after) == 1


def test_qr_png_download_and_the_public_code(organizer_client, booth):
    base = f"/campaigns/{booth.campaign_id}/booths/{booth.id}"
    response = organizer_client.get(f"{base}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert 'filename="booth-' in response.headers["Content-Disposition"]
    # No public card yet: no public code either.
    assert organizer_client.get(f"{base}/qr.png?for=public").status_code == 404
    organizer_client.submit(f"{base}/public", {"enable": "1"})
    response = organizer_client.get(f"{base}/qr.svg?for=public")
    assert response.status_code == 200 and "public" in response.headers["Content-Disposition"]


# `make test` installs zbar-tools; only a hand-run outside CI may lack it.
@pytest.mark.skipif(shutil.which("zbarimg") is None and not os.environ.get("CI"), reason="zbarimg is not installed")
def test_the_png_code_decodes_to_the_staff_link(organizer_client, booth, tmp_path):
    path = tmp_path / "qr.png"
    path.write_bytes(organizer_client.get(f"/campaigns/{booth.campaign_id}/booths/{booth.id}/qr.png").data)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True).stdout.strip()
    assert decoded == f"http://localhost/b/{booth.staff_token}"


def test_staff_and_public_urls_are_built_from_the_root_given():
    booth = Booth(staff_token="abc", public_token=None)
    assert cards.staff_url(booth, "https://gk.example.gov.cn/") == "https://gk.example.gov.cn/b/abc"
    assert cards.public_url(booth, "https://gk.example.gov.cn/") is None
    booth.public_token = "xyz"
    assert cards.public_url(booth, "https://gk.example.gov.cn") == "https://gk.example.gov.cn/p/xyz"
