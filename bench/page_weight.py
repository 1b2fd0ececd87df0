"""What a first visit to the booth staff page transfers: the PIN page, the PIN, the booth page and every file they load,
with the service worker the booth page registers and every file that worker keeps (those already loaded come from
the browser's cache, as they do in Chromium: their URLs carry their hash and a year's max-age).

    .venv/bin/python bench/page_weight.py

Starts the app on a free loopback port against a temporary SQLite database holding one booth with ten recent
entries (a page in the middle of the day), then walks the visit as a phone does, loading each referenced file
once (the browser caches it). Bodies are counted gzip-compressed at level 6, as a reverse proxy (nginx
`gzip on`) sends them — the app itself does not compress; response headers are counted as sent. Budget: 20 KB,
no third-party request. The last line printed is JSON: {"bytes": n, "requests": n, "third_party": n}.
"""

import gzip
import http.client
import json
import logging
import re
import sys
import tempfile
import threading
import uuid
from datetime import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from campaign import create_app  # noqa: E402
from campaign.booths.models import Booth  # noqa: E402
from campaign.booths.recording import record_consultation, record_handout  # noqa: E402
from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Venue  # noqa: E402
from campaign.shared.timeutil import local_datetime, utcnow  # noqa: E402
from campaign.units.models import Unit  # noqa: E402
from campaign.web.extensions import db  # noqa: E402

BUDGET_BYTES = 20 * 1024
PIN = "515515"
REFERENCE_RE = re.compile(r"""<(?:link|script|img|iframe|source|audio|video)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.I)
SERVICE_WORKER_RE = re.compile(r'data-sw="([^"]+)"')
KEPT_FILES_RE = re.compile(r"const FILES = (\[[^\]]*\]);")
CSS_URL_RE = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""", re.I)


def build(folder: Path):
    app = create_app(
        {
            "SECRET_KEY": "page-weight",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "UPLOAD_DIR": str(folder / "uploads"),
        }
    )
    with app.app_context():
        upgrade()
        today = utcnow().date()
        unit = Unit(name="江滨区人力资源和社会保障局", short_name="区人社局", kind="bureau")
        campaign = Campaign(
            edition=20, year=today.year, title="江滨区第二十届“5·15政务公开日”活动方案", first_day=today, last_day=today
        )
        db.session.add_all([unit, campaign])
        db.session.flush()
        group = ActivityGroup(campaign_id=campaign.id, title="线下实地宣传")
        venue = Venue(campaign_id=campaign.id, name="江滨区市民广场", kind="main")
        db.session.add_all([group, venue])
        db.session.flush()
        activity = Activity(
            campaign_id=campaign.id, group_id=group.id, title="开展“政策咨询进广场”活动", venue_id=venue.id,
            starts_at=local_datetime(today, time(9, 0)), ends_at=local_datetime(today, time(11, 30)),
        )
        db.session.add(activity)
        db.session.flush()
        db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role="lead"))
        booth = Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=unit.id, pin=PIN)
        db.session.add(booth)
        db.session.commit()
        for n in range(7):
            fields = {
                "kind": "政策咨询", "topic": "社会保险", "question": f"灵活就业人员养老保险怎么续缴？第{n + 1}位",
                "asker_type": "群众", "handling": "当场解答", "satisfaction": "满意",
            }
            record_consultation(booth, fields, str(uuid.uuid4()), device_id="bench")
        for quantity in (10, 1, 25):
            record_handout(booth, "宣传单", quantity, str(uuid.uuid4()), device_id="bench")
        token = booth.staff_token
        db.session.remove()
        db.engine.dispose()
    return app, token


class Visit:
    """One phone's first visit: a cookie jar, one keep-alive connection, each file fetched once."""

    def __init__(self, port: int):
        self.host = f"127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.rows: list[dict] = []
        self.seen: set[str] = set()
        self.third_party: list[str] = []

    def request(self, what: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Accept-Encoding": "gzip", "User-Agent": "page-weight", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in response.headers.items()
        ) + "\r\n"
        compressed = len(gzip.compress(data, 6)) if data else 0
        self.rows.append(
            {"what": what, "status": response.status, "raw": len(data), "gzip": compressed, "headers": len(head.encode())}
        )
        return response, data

    def resources(self, text: str, css: bool = False) -> list[str]:
        found = []
        references = [a or b for a, b in CSS_URL_RE.findall(text)] if css else REFERENCE_RE.findall(text)
        for reference in references:
            if reference.startswith("data:"):
                continue
            parts = urlsplit(reference)
            if parts.netloc and parts.netloc != self.host:
                self.third_party.append(reference)
            elif parts.path and parts.path not in self.seen:
                self.seen.add(parts.path)
                found.append(parts.path)
        return found

    def load_page(self, what: str, path: str) -> str:
        _response, data = self.request(what, "GET", path)
        html = data.decode()
        for resource in self.resources(html):
            _r, body = self.request(resource, "GET", resource)
            if resource.endswith(".css"):
                for nested in self.resources(body.decode(errors="replace"), css=True):
                    self.request(nested, "GET", nested)
        return html


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="page-weight-") as folder:
        app, token = build(Path(folder))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log between the figures
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            visit = Visit(server.server_port)
            html = visit.load_page("PIN page", f"/b/{token}")
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
            response, _data = visit.request(
                "PIN sent (redirect)", "POST", f"/b/{token}/pin", urlencode({"pin": PIN, "csrf_token": csrf}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert response.status == 302, f"PIN refused: {response.status}"
            booth_page = visit.load_page("booth page", f"/b/{token}")
            assert 'id="cform"' in booth_page, "the booth page did not open"
            worker = SERVICE_WORKER_RE.search(booth_page)
            assert worker, "the booth page registers no service worker"
            _response, script = visit.request("service worker", "GET", worker.group(1))
            for kept in json.loads(KEPT_FILES_RE.search(script.decode()).group(1)):
                path = urlsplit(kept).path
                if path not in visit.seen:
                    visit.seen.add(path)
                    visit.request(kept, "GET", kept)
        finally:
            server.shutdown()
            thread.join(timeout=10)

    total = sum(row["gzip"] + row["headers"] for row in visit.rows)
    print("First visit to the staff page (bodies gzip level 6 as a reverse proxy sends them; headers as sent)")
    print(f"{'request':<32} {'status':>6} {'raw B':>8} {'gzip B':>8} {'headers B':>10}")
    for row in visit.rows:
        print(f"{row['what']:<32} {row['status']:>6} {row['raw']:>8} {row['gzip']:>8} {row['headers']:>10}")
    print(f"{'total':<32} {'':>6} {sum(r['raw'] for r in visit.rows):>8} "
          f"{sum(r['gzip'] for r in visit.rows):>8} {sum(r['headers'] for r in visit.rows):>10}")
    verdict = "within" if total <= BUDGET_BYTES and not visit.third_party else "OVER"
    print(f"transferred {total} B of a {BUDGET_BYTES} B budget: {verdict}; third-party references: "
          f"{visit.third_party or 'none'}")
    print(json.dumps({"bytes": total, "requests": len(visit.rows), "third_party": len(visit.third_party)}))
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    sys.exit(main())
