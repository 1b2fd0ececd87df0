"""The public card's cap per booth and hour holds exactly under concurrency (issue 19.7): 60 phones sending at
the same moment to gunicorn (two workers, four threads each) against a cap of 20 store exactly 20.

Before: a count of the stored rows then an insert let 204 through against 200."""

import re
import threading
import time
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from tests.serverutil import Browser, served_booth

SECRET_KEY = "public-crowd-secret"
CAP = 20
PHONES = 60

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path):
    with served_booth(tmp_path, SECRET_KEY, _public_link, PUBLIC_BOOTH_HOURLY_CAP=str(CAP),
                      PUBLIC_RATE_LIMIT="1000 per minute") as served:
        yield served


def _public_link(app, seeded) -> dict:
    """The booth's public card link, given before the server starts → {public_token}."""
    from campaign.booths.models import Booth
    from campaign.booths.services import new_token
    from campaign.web.extensions import db

    with app.app_context():
        booth = db.session.get(Booth, seeded["booth_id"])
        booth.public_token = new_token()
        public_token = booth.public_token
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"public_token": public_token}


def test_the_cap_per_booth_holds_exactly_when_a_crowd_sends_at_once(served):
    server, token = served["server"], served["public_token"]
    forms = []
    for phone in range(PHONES):
        browser = Browser(server)
        _status, _headers, page = browser.get(f"/p/{token}")
        fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]+)"'.encode(), page).group(1).decode()
                  for name in ("csrf_token", "client_uuid")}
        fields.update(kind="政策咨询", question=f"第{phone}位群众的问题")
        forms.append((browser, urlencode(fields).encode()))

    # The cap is per clock hour: not across an hour's turn, which would give this crowd two hours' shares.
    while time.time() % 3600 > 3590:
        time.sleep(1)
    start = threading.Barrier(PHONES)
    statuses = []

    def send(browser, body):
        start.wait()
        status, _headers, _body = browser.request(
            "POST", f"/p/{token}", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        statuses.append(status)

    threads = [threading.Thread(target=send, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302] * CAP + [429] * (PHONES - CAP)
    from campaign.booths.models import Consultation, PublicCardHour
    from campaign.web.extensions import db

    with served["app"].app_context():
        stored = db.session.scalar(sa.select(sa.func.count(Consultation.id)).where(
            Consultation.booth_id == served["booth_id"]))
        accepted, refused = db.session.execute(sa.select(PublicCardHour.accepted, PublicCardHour.refused)).one()
        db.session.remove()
        db.engine.dispose()
    assert stored == accepted == CAP and refused == PHONES - CAP
