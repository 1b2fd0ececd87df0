"""What comes out: stored markup comes back escaped in every page and in the plan's PDF and DOCX; uploads that
are not photos are refused and photos are only ever served as JPEG with nosniff."""

import io
import re
import subprocess
from pathlib import Path

import sqlalchemy as sa
from docx import Document
from PIL import Image

from campaign.booths.models import Booth
from campaign.summaries.models import SECTIONS, Photo, UnitSummary
from campaign.web.extensions import db
from tests.web.routes import NOT_PAGES, fill_url, sign_in

# Stored markup is text, wherever it is shown -------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script>'
ESCAPED = re.compile(r"&lt;script&gt;alert\((&#34;|&quot;|\")x(&#34;|&quot;|\")\)&lt;/script&gt;")
# Columns that hold codes, keys or secrets rather than words a person wrote: markup there would be refused on input.
NOT_FREE_TEXT = re.compile(
    r"(^|_)(token|uuid|pin|path|sha256|kind|status|role|mode|handling|asker_type|satisfaction|source|username|"
    r"hash|device_id|client_key|action|object_type|key|phone|number|lang|locale|mimetype|format|url)$"
)


def _store_markup_in_every_free_text_column() -> int:
    """PAYLOAD put into every text column a person fills in, in every row of the world → how many columns."""
    changed = 0
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if (not isinstance(column.type, sa.String) or NOT_FREE_TEXT.search(column.name)
                    or column.primary_key or column.foreign_keys or (length is not None and length < 60)):
                continue
            db.session.execute(sa.update(table).values({column.name: f"甲{PAYLOAD}乙"}))
            changed += 1
    db.session.execute(sa.update(UnitSummary).values(narrative={key: f"甲{PAYLOAD}乙" for key, _label in SECTIONS}))
    db.session.commit()
    return changed


def _pages(app, who: str, world, organizer, unit_contact):
    client = app.test_client()
    sign_in(client, who, organizer, unit_contact, db.session.get(Booth, world["booth_id"]))
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.endpoint != "static" and not NOT_PAGES.search(rule.rule):
            url = fill_url(rule.rule, world)
            response = client.get(url)
            # A page that fails is a failure here too, not a page with nothing to escape.
            assert response.status_code < 500, f"{who} GET {url} → {response.status_code}"
            if response.mimetype == "text/html":
                yield url, response.get_data(as_text=True)


def test_stored_markup_comes_back_escaped_in_every_page(app, world, organizer, unit_contact):
    assert _store_markup_in_every_free_text_column() >= 20
    shown = set()
    for who in ("organizer", "unit", "staff", "anonymous"):
        for url, page in _pages(app, who, world, organizer, unit_contact):
            assert PAYLOAD not in page, f"{who} GET {url} shows stored markup as markup"
            assert "<script>alert" not in page, f"{who} GET {url}"
            if ESCAPED.search(page):
                shown.add(url)
    # The payload really was on the pages (escaped): otherwise this test would prove nothing.
    assert len(shown) >= 15, sorted(shown)
    assert {f"/campaigns/{world['campaign_id']}", f"/b/{world['token']}"} <= shown


def _pdf_text(body: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def test_stored_markup_is_plain_text_in_the_plan_documents(organizer_client, world):
    _store_markup_in_every_free_text_column()
    base = f"/campaigns/{world['campaign_id']}/plan"
    pdf = organizer_client.get(f"{base}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    # Markup WeasyPrint took for HTML would vanish from the text, a <script> with everything inside it.
    assert text.count(PAYLOAD) >= 3, text[:2000]
    docx = organizer_client.get(f"{base}/docx")
    assert docx.status_code == 200
    paragraphs = [paragraph.text for paragraph in Document(io.BytesIO(docx.data)).paragraphs]
    assert sum(PAYLOAD in paragraph for paragraph in paragraphs) >= 3


# Uploads are photos, and are served as photos -----------------------------------------------------------------

NOT_PHOTOS = {
    "svg-named.jpg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(1)</script></svg>",
    "page-named.jpg": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "drawing.svg": b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>",
    "polyglot.jpg": b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def test_uploads_that_are_not_photos_are_refused_and_photos_are_served_as_jpeg(app, unit_client, world):
    def photo_count() -> int:
        return db.session.scalar(sa.select(sa.func.count(Photo.id)))

    upload_dir = app.config["UPLOAD_DIR"]
    files_before = sorted(str(path) for path in Path(upload_dir).rglob("*") if path.is_file())
    before = photo_count()
    url = f"/photos/summary/{world['summary_id']}"
    response = unit_client.submit(
        url, {"photos": [(io.BytesIO(body), name) for name, body in NOT_PHOTOS.items()]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code < 500
    results = response.get_json()["results"]
    assert sorted(result["name"] for result in results) == sorted(NOT_PHOTOS)
    assert all(result["status"] != "saved" and result["id"] is None for result in results), results
    assert photo_count() == before
    assert sorted(str(path) for path in Path(upload_dir).rglob("*") if path.is_file()) == files_before

    saved = unit_client.submit(url, {"photos": [(io.BytesIO(_jpeg()), "现场.jpg")]}, headers={"Accept": "application/json"})
    [result] = saved.get_json()["results"]
    assert result["status"] == "saved"
    for photo_id in (result["id"], world["photo_id"]):
        for kind in ("display", "thumb"):
            served = unit_client.get(f"/photos/{photo_id}/{kind}.jpg")
            assert served.status_code == 200
            assert served.headers["Content-Type"] == "image/jpeg"
            assert served.headers["X-Content-Type-Options"] == "nosniff"
            assert served.data[:3] == b"\xff\xd8\xff"
