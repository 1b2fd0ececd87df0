"""The server killed mid-run (SIGKILL to gunicorn and all its workers) loses nothing it confirmed, and the phones'
retries bring in the rest, each exactly once.

Several phones send entries back to back to a real gunicorn; once a share of them has been confirmed, the whole
process group is killed while requests are in flight, and the server is started again on the same database (a
SQLite file, or a PostgreSQL database with TEST_DATABASE_URL). Each phone, as static/js/booth.js does, resends
every entry that got no success answer — a refused connection, a cut connection, an error — until it gets one.
"""

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from tests.serverutil import (
    Browser,
    Server,
    drop_database,
    migrate_database,
    new_database,
    on_postgres,
    seed_booth,
    staff_sign_in,
)

PHONES = 8
ENTRIES_PER_PHONE = 30
KILL_AFTER_CONFIRMED = 60  # of the 240 entries: the crash comes while most are still to be sent
SECRET_KEY = "crash-test-secret"
RETRY_PAUSE = 0.05
DEADLINE = 180  # seconds for the whole run: the loops stop by themselves even if the server never comes back


@dataclass
class Phone:
    entries: list[str]
    confirmed: dict[str, int] = field(default_factory=dict)  # uuid → id answered with ok=True
    failed_tries: int = 0
    mismatches: list[str] = field(default_factory=list)


def _entry(client_uuid: str) -> dict:
    return {
        "uuid": client_uuid, "kind": "办事咨询", "topic": "社会保险", "question": f"养老保险转移接续 {client_uuid[:8]}",
        "asker_type": "群众", "handling": "当场解答", "person_name": "", "person_phone": "", "consent": False,
        "satisfaction": "满意",
    }


pytestmark = pytest.mark.slow


@pytest.fixture
def database(tmp_path):
    url = new_database(tmp_path, "crash")
    app = migrate_database(url, SECRET_KEY, upload_dir=tmp_path / "uploads")
    yield {"url": url, "app": app, "folder": tmp_path, **seed_booth(app)}
    drop_database(url)


def _send_all(server: Server, cookies: dict, path: str, phone: Phone, confirmed_total: list, stop_at: float):
    browser = Browser(server, timeout=10)
    browser.cookies = dict(cookies)
    for client_uuid in phone.entries:
        body = json.dumps(_entry(client_uuid)).encode()
        while time.monotonic() < stop_at:
            try:
                status, _headers, answer = browser.request("POST", path, body, {"Content-Type": "application/json"})
                result = json.loads(answer) if status == 200 else {}
            except (OSError, http.client.HTTPException, ValueError):
                browser.close()
                status, result = 0, {}
            if status == 200 and result.get("ok"):
                if result.get("uuid") != client_uuid:
                    phone.mismatches.append(client_uuid)
                phone.confirmed[client_uuid] = result["id"]
                confirmed_total.append(client_uuid)
                break
            phone.failed_tries += 1
            time.sleep(RETRY_PAUSE)
    browser.close()


def test_a_crash_loses_no_confirmed_entry_and_retries_store_the_rest_once(database):
    from campaign.booths.models import Consultation
    from campaign.web.extensions import db

    env = {"DATABASE_URL": database["url"], "SECRET_KEY": SECRET_KEY, "UPLOAD_DIR": str(database["folder"])}
    server = Server(env, own_process_group=True)
    server.start()
    phones = [Phone([str(uuid.uuid4()) for _ in range(ENTRIES_PER_PHONE)]) for _ in range(PHONES)]
    confirmed_total: list[str] = []
    try:
        signer = Browser(server)
        staff_sign_in(signer, database["token"], database["pin"])
        signer.close()
        path = f"/b/{database['token']}/api/consultations"
        stop_at = time.monotonic() + DEADLINE
        threads = [
            threading.Thread(target=_send_all, args=(server, signer.cookies, path, phone, confirmed_total, stop_at))
            for phone in phones
        ]
        for thread in threads:
            thread.start()

        while len(confirmed_total) < KILL_AFTER_CONFIRMED and time.monotonic() < stop_at:
            time.sleep(0.005)
        server.kill()
        confirmed_before_crash = {u: i for phone in phones for u, i in list(phone.confirmed.items())}
        # The phones find the server gone (refused connections) before it comes back.
        while sum(phone.failed_tries for phone in phones) < PHONES and time.monotonic() < stop_at:
            time.sleep(0.01)
        server.start()
        for thread in threads:
            thread.join(max(1.0, stop_at - time.monotonic()))
        assert not any(thread.is_alive() for thread in threads), "phones still retrying at the deadline"
    finally:
        server.stop()

    assert KILL_AFTER_CONFIRMED <= len(confirmed_before_crash) < PHONES * ENTRIES_PER_PHONE
    assert sum(phone.failed_tries for phone in phones) >= PHONES, "the crash was not felt by the phones"
    assert [phone.mismatches for phone in phones] == [[]] * PHONES
    all_entries = [u for phone in phones for u in phone.entries]
    assert all(u in phone.confirmed for phone in phones for u in phone.entries), "an entry never got through"

    with database["app"].app_context():
        rows = db.session.execute(
            sa.select(Consultation.client_uuid, Consultation.id).where(Consultation.booth_id == database["booth_id"])
        ).all()
        if not on_postgres():
            assert db.session.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
        db.engine.dispose()
    stored = {}
    for client_uuid, row_id in rows:
        stored.setdefault(client_uuid, []).append(row_id)
    # Every entry confirmed before the crash survived it, as the row the phone was told about.
    assert {u: stored.get(u) for u in confirmed_before_crash} == {u: [i] for u, i in confirmed_before_crash.items()}
    # After the retries: every entry exactly once, and each phone was answered with its row.
    assert sorted(stored) == sorted(all_entries)
    assert all(len(ids) == 1 for ids in stored.values())
    answered = {u: i for phone in phones for u, i in phone.confirmed.items()}
    assert answered == {u: ids[0] for u, ids in stored.items()}
