"""Every page, as every user who may see it: nothing fetched from outside, every input labelled."""

import re
import uuid

import pytest

from campaign.booths.models import Booth
from campaign.web.extensions import db
from tests.conftest import log_in
from tests.pageaudit import PageAudit
from tests.web.routes import access_of, fill_url, route_params, sign_in

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Routes that answer something else than an HTML page with 200 to a user who may see them → (status, type). The
# files are fetched all the same, so that none of them fails for its own users; only pages get the audit below.
ANSWERS = {
    "home.index": (302, "text/html"),  # sends each user on to their own start page
    "web.favicon": (200, "image/svg+xml"),
    "plan.document.pdf": (200, PDF),
    "plan.document.docx": (200, DOCX),
    "booths.manage.card": (200, PDF),
    "/campaigns/<int:campaign_id>/booths/<int:booth_id>/qr.png": (200, "image/png"),  # one endpoint, two rules
    "/campaigns/<int:campaign_id>/booths/<int:booth_id>/qr.svg": (200, "image/svg+xml"),
    "booths.staff.api_summary": (200, "application/json"),
    "booths.offline.service_worker": (200, "text/javascript"),
    "booths.board.data": (200, "application/json"),
    "booths.followups.export": (200, XLSX),
    "booths.exports.status": (200, "application/json"),
    "booths.exports.download": (200, XLSX),
    "home.booths.card": (200, PDF),
    "summaries.documents.pdf": (200, PDF),
    "summaries.documents.docx": (200, DOCX),
    "summaries.photos.display": (200, "image/jpeg"),
    "summaries.photos.thumb": (200, "image/jpeg"),
    "report.district.job": (200, "application/json"),
    "report.district.snapshot_pdf": (200, PDF),
    "report.district.snapshot_docx": (200, DOCX),
    "report.district.snapshot_xlsx": (200, XLSX),
    "report.history.export": (200, XLSX),
}


def _consultation_of_this_phone(client, world) -> int:
    """The staff may edit only what their own phone recorded a short while ago: one recorded as the phone does."""
    response = client.post(f"/b/{world['token']}/api/consultations", json={
        "uuid": str(uuid.uuid4()), "kind": "办事咨询", "topic": "社会保险", "question": "养老保险转移接续",
        "asker_type": "群众", "handling": "当场解答", "person_name": "", "person_phone": "", "consent": False,
        "satisfaction": "满意",
    })
    assert response.status_code == 200 and response.get_json()["ok"], response.get_data(as_text=True)
    return response.get_json()["id"]


def _getroute_params():
    return [rule for rule in route_params() if rule.values[2] == "GET"]


@pytest.mark.parametrize(("rule", "endpoint", "method"), _getroute_params())
def test_page_is_self_contained_and_labelled(rule, endpoint, method, client, world, organizer, unit_contact):
    access = access_of(endpoint)
    if access == "token":
        # The secret link's pages, as the booth's staff see them once the PIN is in.
        sign_in(client, "staff", organizer, unit_contact, db.session.get(Booth, world["booth_id"]))
    elif access != "public":
        log_in(client, unit_contact if access == "unit" else organizer)
    ids = dict(world)
    if endpoint == "booths.staff.edit_consultation":
        ids["consultation_id"] = _consultation_of_this_phone(client, world)
    response = client.get(fill_url(rule, ids))
    expected = ANSWERS.get(rule, ANSWERS.get(endpoint, (200, "text/html")))
    assert (response.status_code, response.mimetype) == expected, f"{rule} answers {response.status_code} {response.mimetype}"
    if expected != (200, "text/html"):
        return
    audit = PageAudit()
    audit.feed(response.get_data(as_text=True))
    assert audit.html_lang in ("zh-CN", "en")
    assert audit.external == [], f"{rule} loads from outside: {audit.external}"
    assert audit.unlabelled() == [], f"{rule} has inputs without a label: {audit.unlabelled()}"


def test_pages_link_a_local_icon(client):
    """Linked from base.html, so that browsers ask for it instead of /favicon.ico (a 404 in every console)."""
    page = client.get("/auth/login").get_data(as_text=True)
    match = re.search(r'<link rel="icon" type="image/svg\+xml" href="(/static/[^"]+\.svg(?:\?v=[0-9a-f]+)?)">', page)
    assert match, "base.html links no icon"
    icon = client.get(match.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data and b"<script" not in icon.data


def test_favicon_ico_answers_for_the_pages_that_link_no_icon(client):
    # The phone pages name no icon (one request fewer on a weak network); browsers then ask for /favicon.ico.
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert icon.headers["Cache-Control"] == "public, max-age=604800"
