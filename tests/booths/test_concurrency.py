"""50 phones sending at the same moment to a real gunicorn server: every entry stored once, none lost.

The test client cannot show this: it runs one request at a time in one process. Here two worker processes with
four threads each race on one database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL), and the UNIQUE
constraint on client_uuid must hold the line.
"""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.serverutil import Browser, served_booth, staff_sign_in

CLIENTS = 50
SECRET_KEY = "concurrency-test-secret"


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A migrated database with one booth, and gunicorn serving it; the server is stopped whatever happens."""
    with served_booth(tmp_path_factory.mktemp("concurrency"), SECRET_KEY) as served:
        yield served


def _count(served) -> int:
    from campaign.booths.models import Consultation
    from campaign.web.extensions import db

    with served["app"].app_context():
        count = db.session.scalar(
            sa.select(sa.func.count(Consultation.id)).where(Consultation.booth_id == served["booth_id"])
        )
        db.session.remove()
        db.engine.dispose()
    return count


def _entry(client_uuid: str, n: int) -> dict:
    return {
        "uuid": client_uuid, "kind": "政策咨询", "topic": "医疗保障", "question": f"异地就医备案怎么办？{n}",
        "asker_type": "群众", "handling": "当场解答", "person_name": "", "person_phone": "", "consent": False,
        "satisfaction": "满意",
    }


def _all_at_once(served, payloads: list[dict]) -> list[tuple[int, dict]]:
    """Each payload from its own signed-in connection, all released by one barrier; bounded in time."""
    barrier = threading.Barrier(len(payloads), timeout=30)
    # One sign-in, its device cookie shared by every connection: the race under test is the insert, not the PIN.
    phone = Browser(served["server"], timeout=30)
    staff_sign_in(phone, served["token"], served["pin"])
    phone.close()
    browsers = []
    for _ in payloads:
        browser = Browser(served["server"], timeout=30)
        browser.cookies = dict(phone.cookies)
        browsers.append(browser)

    def send(browser: Browser, payload: dict):
        barrier.wait()
        status, _headers, body = browser.post_json(f"/b/{served['token']}/api/consultations", payload)
        browser.close()
        return status, json.loads(body or b"{}")

    with ThreadPoolExecutor(len(payloads)) as pool:
        futures = [pool.submit(send, browser, payload) for browser, payload in zip(browsers, payloads, strict=True)]
        return [future.result(timeout=60) for future in futures]


def test_fifty_phones_at_once_give_fifty_records(served):
    before = _count(served)
    payloads = [_entry(str(uuid.uuid4()), n) for n in range(CLIENTS)]
    results = _all_at_once(served, payloads)
    assert [status for status, _body in results] == [200] * CLIENTS, served["server"].log()
    assert all(body["ok"] for _status, body in results)
    assert sorted(body["uuid"] for _status, body in results) == sorted(p["uuid"] for p in payloads)
    assert len({body["id"] for _status, body in results}) == CLIENTS
    assert _count(served) - before == CLIENTS


def test_fifty_copies_of_one_entry_at_once_give_one_record(served):
    before = _count(served)
    payload = _entry(str(uuid.uuid4()), 0)
    results = _all_at_once(served, [payload] * CLIENTS)
    assert [status for status, _body in results] == [200] * CLIENTS, served["server"].log()
    assert len({(body["ok"], body["uuid"], body["id"]) for _status, body in results}) == 1
    assert _count(served) - before == 1
