"""What the reminders' tests share: the summaries' district, issued ten days before its deadline; a mail server
(aiosmtpd) and an HTTP server standing in for the robots and the SMS gateway, both on loopback."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign.web.extensions import db
from tests.summaries.helpers import DEADLINE, build_district


class Hooks:
    """What the local robot/SMS server received, per path; `answers` path → list of (status, body) to give in turn
    (the last one repeats), default 200 {"errcode": 0, "errmsg": "ok"}."""

    def __init__(self):
        self.received: list[tuple[str, str, bytes]] = []
        self.answers: dict[str, list[tuple[int, bytes]]] = {}
        self.lock = threading.Lock()

    def bodies(self, path: str) -> list[bytes]:
        with self.lock:
            return [body for where, _type, body in self.received if where == path]


@pytest.fixture
def hooks():
    state = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with state.lock:
                state.received.append((self.path, self.headers.get("Content-Type", ""), body))
                queue = state.answers.get(self.path) or [(200, json.dumps({"errcode": 0, "errmsg": "ok"}).encode())]
                status, answer = queue.pop(0) if len(queue) > 1 else queue[0]
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def district(factory):
    built = build_district(factory)
    campaign = built["campaign"]
    campaign.issued_at = DEADLINE - timedelta(days=10)
    for state, unit in built["units"].items():
        unit.contact_email = f"{state}@jiangbin.example"
    db.session.commit()
    return built
