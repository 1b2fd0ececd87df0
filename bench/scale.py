"""Every organizer page at district and at city scale: median milliseconds and SQL statements each.

    .venv/bin/python bench/scale.py [--scale 1.0] [--repeat 5] [--folder DIR]

Builds two datasets with the app's own models and migrations, each in a temporary SQLite database:

- district: 36 units and booths, 3,000 consultations, 600 handouts, 300 referrals, 72 summaries (36 in the campaign
  measured, 36 in the year before, which the report compares with), 120 photos;
- city: 400 units, 399 booths, 1,000,461 consultations, 200,000 handouts, 99,600 referrals, 1,968 summaries (400
  in the campaign measured, the rest in four earlier ones) and 4,931 photos — the city counts times `--scale`
  (`--scale 0.05` for a quick run; units, booths and summaries are not scaled).

The plan, units and booths go through the ORM; the day's rows (consultations, handouts, referrals, photos) are
bulk Core inserts into the models' tables, and the running tallies are then rebuilt from them by the app's own
`tallies.rebuild` (as `flask booths rebuild-tallies` does). Then each page is requested through the app (Flask's
test client, signed in as an organizer): one warm-up, then `--repeat` timed requests; SQL statements are counted
on one of them. Exports and the report are started as background jobs (their POST is what a page waits for);
they run on the task queue, not here.

Budgets (issue 20): every page ≤ 500 ms at city size, and the same number of SQL statements at both sizes.
The follow-ups (referrals) list is left out: its pagination is another change's.

The last line printed is JSON:
{"pages": {name: {"ms": m, "sql": n, "ms_small": m0, "sql_small": n0}}, "max_ms": m}
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_MS = 500
PASSWORD = "bench-scale-password"
TOPICS = ("社会保险", "医疗保障", "住房保障", "教育入学", "就业创业", "企业开办", "营商环境", "政府信息公开", "其他")
KINDS = ("政策咨询", "办事咨询", "投诉", "意见建议", "情况反映")
MATERIALS = ("宣传单", "宣传册", "政策汇编", "征求意见卡")
ASKERS = ("群众", "企业", "其他")
HANDLINGS = ("当场解答", "转办", "需回访")
SATISFACTIONS = ("满意", "满意", "基本满意", "", "不满意")
BATCH = 20_000
# Consultations and handouts spread evenly over the desks' ten hours at both sizes, so a booth's latest entries mix
# both kinds at both sizes as on a real day.
DAY_SECONDS = 36_000

DISTRICT = dict(units=36, consultations=3_000, handouts=600, referrals=300, summaries=72, photos=120)
CITY = dict(units=400, consultations=1_000_461, handouts=200_000, referrals=99_600, summaries=1_968, photos=4_931)


def _config(folder: Path) -> dict:
    return {
        "SECRET_KEY": "bench-scale",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'scale.db'}",
        "UPLOAD_DIR": str(folder / "uploads"),
        "HUEY_URL": f"sqlite:///{folder / 'queue.db'}",
        "JOB_SCRATCH_DIR": str(folder / "job-scratch"),
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "100000 per minute",
    }


def _bulk(table, rows_of, count: int, label: str) -> None:
    """Inserts `count` rows made by rows_of(start, stop) in batches, with Core (executemany)."""
    from campaign.web.extensions import db

    started = time.perf_counter()
    for start in range(0, count, BATCH):
        db.session.execute(table.insert(), rows_of(start, min(count, start + BATCH)))
        db.session.commit()
    if count:
        print(f"  {label}: {count:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def build(folder: Path, size: dict, seed: int = 515) -> dict:
    """The dataset in a new database under `folder` → {campaign_id, booth_id}."""
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.auth.models import User
    from campaign.booths import receipts, tallies
    from campaign.booths.models import CLOSED, PENDING, Booth, Consultation, FollowUp, MaterialHandout
    from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Venue
    from campaign.report.models import ReportDraft
    from campaign.report.scorecard import add_default_rules
    from campaign.shared.timeutil import LOCAL_TZ
    from campaign.summaries.models import Photo, UnitSummary
    from campaign.units.models import Unit
    from campaign.web.extensions import db

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(_config(folder))
    with app.app_context():
        upgrade()
        organizer = User(username="bench", display_name="市政务公开办", role="organizer")
        organizer.set_password(PASSWORD)
        units = [Unit(name=f"滨江市第{n + 1:03d}单位", short_name=f"单位{n + 1}",
                      kind=("bureau", "town", "institution")[n % 3], sort_order=n + 1) for n in range(size["units"])]
        day = datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ)
        campaigns = [
            Campaign(edition=19 - back, year=2025 - back, title=f"滨江市第{19 - back}届“5·15政务公开日”活动方案",
                     theme="坚持依法行政，深化政务公开。", first_day=date(2025 - back, 5, 15),
                     last_day=date(2025 - back, 5, 20), issuing_office="滨江市人民政府办公室",
                     summary_deadline=datetime(2025 - back, 5, 18, 17, 30, tzinfo=LOCAL_TZ),
                     status="issued" if back == 0 else "closed")
            for back in range(5)
        ]
        db.session.add_all([organizer, *campaigns, *units])
        db.session.flush()
        campaign = campaigns[0]
        onsite = ActivityGroup(campaign_id=campaign.id, title="线下实地宣传", sort_order=1)
        venues = [Venue(campaign_id=campaign.id, name=f"第{n + 1}分会场", kind="main" if n == 0 else "branch") for n in range(10)]
        db.session.add_all([onsite, *venues])
        db.session.flush()
        activities = [Activity(campaign_id=campaign.id, group_id=onsite.id, title=f"开展“政策咨询进{venue.name}”活动",
                               mode="onsite", starts_at=day, ends_at=day + timedelta(hours=3), venue_id=venue.id,
                               sort_order=n + 1) for n, venue in enumerate(venues)]
        db.session.add_all(activities)
        db.session.flush()
        booths = []
        # One booth a unit but the last (399 at city size: one unit takes part without a desk).
        for n, unit in enumerate(units):
            activity = activities[n % len(activities)]
            db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role="lead" if n < 2 else "cooperating"))
            if n < len(units) - 1:
                booths.append(Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=unit.id))
        db.session.add_all(booths)
        db.session.flush()
        booth_unit = {booth.id: booth.unit_id for booth in booths}
        booth_ids = list(booth_unit)

        # Summaries: one a unit in this campaign, the rest in the earlier ones.
        summaries = []
        for n in range(size["summaries"]):
            owner = campaigns[n // len(units)] if n // len(units) < len(campaigns) else campaigns[-1]
            state = ("accepted", "submitted", "returned", "draft")[n % 4]
            submitted = day + timedelta(days=3)
            summaries.append(UnitSummary(campaign_id=owner.id, unit_id=units[n % len(units)].id, status=state,
                                         submitted_at=submitted if state != "draft" else None,
                                         first_submitted_at=submitted if state != "draft" else None, narrative={},
                                         unit_figures={"display_boards": n % 5}))
        db.session.add_all(summaries)
        db.session.flush()
        summary_ids = [summary.id for summary in summaries[: len(units)]]
        add_default_rules(campaign.id, organizer)
        db.session.add(ReportDraft(campaign_id=campaign.id, narrative={}, include_scorecard=True))
        db.session.commit()
        campaign_id, first_booth = campaign.id, booth_ids[0]

        print(f"building {size['consultations']:,} consultations …", flush=True)
        start_at = day - timedelta(hours=1)

        def consultations(first: int, stop: int) -> list[dict]:
            rows = []
            for n in range(first, stop):
                referred = n < size["referrals"]
                rows.append(dict(
                    client_uuid=str(uuid.UUID(int=rng.getrandbits(128))), booth_id=booth_ids[n % len(booth_ids)],
                    recorded_at=start_at + timedelta(seconds=n * DAY_SECONDS // size["consultations"]), received_at=start_at,
                    kind=KINDS[n % len(KINDS)], topic=TOPICS[(n // 3) % len(TOPICS)], question="咨询社保缴费和医保报销政策",
                    asker_type=ASKERS[n % len(ASKERS)], handling="转办" if referred else HANDLINGS[(n % 5) // 4 * 2],
                    person_name="张某" if n % 10 == 0 else "", person_phone="13812345678" if n % 10 == 0 else "",
                    consent=n % 10 == 0, satisfaction=SATISFACTIONS[n % len(SATISFACTIONS)],
                    source="public" if n % 9 == 0 else "staff", device_id="", updated_at=None, withdrawn_at=None,
                ))
            return rows

        _bulk(Consultation.__table__, consultations, size["consultations"], "consultations")

        def handouts(first: int, stop: int) -> list[dict]:
            return [dict(client_uuid=str(uuid.UUID(int=rng.getrandbits(128))), booth_id=booth_ids[n % len(booth_ids)],
                         material=MATERIALS[n % len(MATERIALS)], quantity=1 + n % 20,
                         recorded_at=start_at + timedelta(seconds=n * DAY_SECONDS // size["handouts"]), received_at=start_at,
                         device_id="", withdrawn_at=None) for n in range(first, stop)]

        _bulk(MaterialHandout.__table__, handouts, size["handouts"], "handouts")
        started = time.perf_counter()
        receipts.give_missing()  # every entry its receipt code, as recording gives it
        db.session.commit()
        print(f"  receipt codes: {time.perf_counter() - started:.1f} s", flush=True)

        # Referrals: the first consultations (handling 转办), to the unit of their booth.
        first_consultation = db.session.scalar(db.select(db.func.min(Consultation.id))) or 0
        due = date(2025, 5, 30)

        def referrals(first: int, stop: int) -> list[dict]:
            return [dict(consultation_id=first_consultation + n, unit_id=booth_unit[booth_ids[n % len(booth_ids)]],
                         due_date=due, close_due_date=due + timedelta(days=14),
                         status=CLOSED if n % 3 else PENDING, reply="已答复" if n % 3 else "",
                         replied_at=day + timedelta(days=n % 20) if n % 3 else None,
                         closed_at=day + timedelta(days=n % 20) if n % 3 else None, closed_by_id=None)
                    for n in range(first, stop)]

        _bulk(FollowUp.__table__, referrals, size["referrals"], "referrals")

        def photos(first: int, stop: int) -> list[dict]:
            return [dict(summary_id=summary_ids[n % len(summary_ids)], sha256=f"{n:064x}", caption="咨询台现场",
                         sort_order=n, original_name=f"IMG_{n:05d}.jpg", taken_at=None, width=4032, height=3024,
                         display_path=f"photos/{campaign_id}/{n}.jpg", display_width=1600, display_height=1200,
                         display_bytes=300_000, thumb_path=f"photos/{campaign_id}/{n}_t.jpg", thumb_width=320,
                         thumb_height=240, created_at=day) for n in range(first, stop)]

        _bulk(Photo.__table__, photos, size["photos"], "photos")

        started = time.perf_counter()
        rows = tallies.rebuild(campaign_id)
        db.session.commit()
        print(f"  tallies rebuilt by the app: {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return {"campaign_id": campaign_id, "booth_id": first_booth}


def pages(ids: dict) -> dict[str, tuple[str, str]]:
    """name → (method, URL) of every organizer page of the campaign, and the POSTs that start background work."""
    c, b = ids["campaign_id"], ids["booth_id"]
    return {
        "plan": ("GET", f"/campaigns/{c}"),
        "plan_preview": ("GET", f"/campaigns/{c}/plan"),
        "board": ("GET", f"/campaigns/{c}/board"),
        "board_refresh": ("GET", f"/campaigns/{c}/board/data.json"),
        "booths": ("GET", f"/campaigns/{c}/booths/"),
        "entries": ("GET", f"/campaigns/{c}/booths/{b}/entries"),
        "units": ("GET", "/units/"),
        "summaries_overview": ("GET", f"/campaigns/{c}/summaries"),
        "reminders": ("GET", f"/campaigns/{c}/summaries/reminders"),
        "report": ("GET", f"/campaigns/{c}/report"),
        "report_preview": ("GET", f"/campaigns/{c}/report/preview"),
        "report_photos": ("GET", f"/campaigns/{c}/report/photos"),
        "report_narrative": ("GET", f"/campaigns/{c}/report/narrative"),
        "scorecard": ("GET", f"/campaigns/{c}/report/scorecard"),
        "exports": ("GET", f"/campaigns/{c}/exports"),
        "export_board_start": ("POST", f"/campaigns/{c}/exports"),
        "export_register_start": ("POST", f"/campaigns/{c}/exports?what=register"),
        "cards_start": ("POST", f"/campaigns/{c}/booths/cards"),
        "report_compile_start": ("POST", f"/campaigns/{c}/report/compile"),
    }


def measure(folder: Path, ids: dict, repeat: int) -> dict[str, dict]:
    import sqlalchemy as sa

    from campaign import create_app
    from campaign.shared.process import freeze_startup_objects
    from campaign.web.extensions import db

    app = create_app(_config(folder))
    freeze_startup_objects()  # as a gunicorn worker does (wsgi.py)
    with app.app_context():
        engine = db.engine
    results: dict[str, dict] = {}
    # Each request in an app context of its own, as under a real server (an outer one would share the session).
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "bench", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    for name, (method, url) in pages(ids).items():
        path, _, query = url.partition("?")
        data = dict(item.split("=") for item in query.split("&")) if query else {}

        def request(method=method, path=path, data=data):
            if method == "GET":
                return client.get(path)
            return client.post(path, data=data, headers={"Accept": "application/json"})

        first = request()
        assert first.status_code < 400, (name, first.status_code)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            request().close()
            timings.append((time.perf_counter() - started) * 1000)
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            request().close()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        results[name] = {"ms": round(statistics.median(timings), 1), "sql": len(statements)}
    engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="factor on the city's day rows (0.05 for a quick run)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", help="where the databases go (default: a temporary folder, removed after)")
    args = parser.parse_args()
    city = {key: (round(value * args.scale) if key in ("consultations", "handouts", "referrals", "photos") else value)
            for key, value in CITY.items()}
    with tempfile.TemporaryDirectory(prefix="bench-scale-", dir=args.folder) as root:
        measured = {}
        for label, size in (("district", DISTRICT), ("city", city)):
            print(f"— {label}: " + ", ".join(f"{key} {value:,}" for key, value in size.items()), flush=True)
            started = time.perf_counter()
            ids = build(Path(root) / label, size)
            print(f"  built in {time.perf_counter() - started:.0f} s; measuring …", flush=True)
            measured[label] = measure(Path(root) / label, ids, args.repeat)

    table = {
        name: {"ms": city_page["ms"], "sql": city_page["sql"], "ms_small": measured["district"][name]["ms"],
               "sql_small": measured["district"][name]["sql"]}
        for name, city_page in measured["city"].items()
    }
    print(f"\n{'page':<24}{'district ms':>12}{'sql':>6}{'city ms':>10}{'sql':>6}  budget")
    failures = []
    for name, row in table.items():
        ok = row["ms"] <= BUDGET_MS and row["sql"] == row["sql_small"]
        if not ok:
            failures.append(name)
        print(f"{name:<24}{row['ms_small']:>12.1f}{row['sql_small']:>6}{row['ms']:>10.1f}{row['sql']:>6}  "
              f"{'ok' if ok else 'OVER'}")
    max_ms = max(row["ms"] for row in table.values())
    print(f"max {max_ms:.1f} ms at city size (budget {BUDGET_MS} ms, SQL equal at both sizes); "
          f"{'within' if not failures else 'over: ' + ', '.join(failures)}")
    print(json.dumps({"pages": table, "max_ms": max_ms}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
