"""Time the QR cards PDF of 400 booths at 20 activities, on A4 sheets of four A6 cards.

    .venv/bin/python bench/cards_pdf.py [--booths 400] [--layout a4|a6] [--runs 3] [--keep out.pdf]

Every booth has a staff card, the lead's of each activity a public card too. The booths go into a temporary SQLite database built by the migrations; the PDF is made as the background job
makes it (campaign/booths/cards.py), the first run warming WeasyPrint's and fontconfig's caches up and left out of
the median. Budget: 5 s on a 2-core machine. The last line printed is JSON: {"seconds": s, "cards": n, "pages": p}.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from campaign import create_app  # noqa: E402
from campaign.booths import cards  # noqa: E402
from campaign.booths.models import Booth, new_token  # noqa: E402
from campaign.plan.models import Activity, ActivityGroup, Campaign, Venue  # noqa: E402
from campaign.shared.timeutil import LOCAL_TZ  # noqa: E402
from campaign.units.models import Unit  # noqa: E402
from campaign.web.extensions import db  # noqa: E402

BUDGET_SECONDS = 5.0
ROOT_URL = "https://gk.jiangbin.gov.cn/"


def fill(booth_count: int) -> Campaign:
    """`booth_count` booths of as many units at 20 activities; the first booth of each activity (its lead unit's, as
    in the demo) also has a public card."""
    campaign = Campaign(edition=19, year=2025, title="江滨区第十九届“5·15政务公开日”活动方案",
                        first_day=date(2025, 5, 15), last_day=date(2025, 5, 20), status="issued")
    db.session.add(campaign)
    db.session.flush()
    group = ActivityGroup(campaign_id=campaign.id, title="线下实地宣传")
    db.session.add(group)
    db.session.flush()
    activities = []
    for n in range(20):
        venue = Venue(campaign_id=campaign.id, name=f"江滨区第{n + 1}社区党群服务中心广场", kind="branch")
        db.session.add(venue)
        db.session.flush()
        start = datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ) + timedelta(days=n % 3)
        activity = Activity(campaign_id=campaign.id, group_id=group.id, venue_id=venue.id, mode="onsite",
                            title=f"开展“政务公开进社区”集中宣传咨询活动（第{n + 1}场）", starts_at=start,
                            ends_at=start + timedelta(hours=2, minutes=30), sort_order=n)
        db.session.add(activity)
        activities.append(activity)
    db.session.flush()
    for n in range(booth_count):
        unit = Unit(name=f"江滨区人力资源和社会保障局第{n + 1}分局", kind="bureau", sort_order=n)
        db.session.add(unit)
        db.session.flush()
        db.session.add(Booth(campaign_id=campaign.id, activity_id=activities[n % len(activities)].id,
                             unit_id=unit.id, public_token=new_token() if n < len(activities) else None))
    db.session.commit()
    return campaign


def _page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--booths", type=int, default=400)
    parser.add_argument("--layout", choices=cards.LAYOUTS, default=cards.SHEET)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the last PDF to this path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-cards-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"})
        with app.app_context():
            # Imported once the app has loaded every model: the module's queries are built at import time.
            from campaign.booths import services

            upgrade()
            campaign_id = fill(args.booths).id
            timings, cpu, pdf, steps = [], [], b"", []
            for _ in range(args.runs + 1):
                db.session.expire_all()
                steps = []
                started, started_cpu = time.perf_counter(), time.process_time()
                with app.test_request_context():
                    campaign = db.session.get_one(Campaign, campaign_id)
                    booths = services.campaign_booths(campaign_id, active_only=True)
                    pdf = cards.cards_pdf(campaign, booths, ROOT_URL, with_pin=True, layout=args.layout,
                                          progress=steps.append)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            card_count = len(booths) + sum(1 for booth in booths if booth.public_token)
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    pages = _page_count(pdf)
    median = statistics.median(timings[1:])
    print(f"QR cards, {args.booths} booths, {card_count} cards, layout {args.layout}: {pages} pages, "
          f"{len(pdf) / 1024:.0f} KB, progress reported {len(steps)} times")
    # CPU seconds beside the wall clock: on a machine others share, the wall clock measures them too.
    print(f"{'run':>5}  {'seconds':>8}  {'cpu':>8}")
    for run, (seconds, cpu_seconds) in enumerate(zip(timings, cpu, strict=True)):
        print(f"{run:>5}  {seconds:>8.3f}  {cpu_seconds:>8.3f}{'  (warm-up, not counted)' if run == 0 else ''}")
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(f"median {median:.3f} s (cpu {statistics.median(cpu[1:]):.3f} s, load average {os.getloadavg()[0]:.1f}) "
          f"— {verdict} the {BUDGET_SECONDS} s budget")
    if args.keep:
        Path(args.keep).write_bytes(pdf)
        print(f"written to {args.keep}")
    print(json.dumps({"seconds": round(median, 3), "cards": card_count, "pages": pages}))


if __name__ == "__main__":
    main()
