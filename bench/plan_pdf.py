"""Time the plan PDF: the demo plan (cover notice, plan, slogans), rendered 7 times.

    .venv/bin/python bench/plan_pdf.py [--keep out.pdf]

The first render warms up WeasyPrint's and fontconfig's caches and is left out of the median. Budget: 0.5 s on a
2-core machine. The last line printed is JSON: {"seconds": median, "pages": n}.
"""

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import render_template  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from campaign import create_app  # noqa: E402
from campaign.demo.load import load_demo  # noqa: E402
from campaign.documents.pdf import render_pdf  # noqa: E402
from campaign.plan.document import plan_document  # noqa: E402
from campaign.plan.models import Activity  # noqa: E402
from campaign.plan.overview import load_plan  # noqa: E402
from campaign.web.extensions import db  # noqa: E402

RUNS = 7
BUDGET_SECONDS = 0.5


def _page_count(pdf: bytes) -> int:
    # WeasyPrint packs the page objects into compressed object streams: ask poppler, which is installed with it.
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the last PDF to this path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            load_demo()
            # The campaign with the most activities: the biggest plan the data has.
            campaign_id = db.session.scalar(
                sa.select(Activity.campaign_id).group_by(Activity.campaign_id).order_by(sa.func.count().desc())
            )
            timings, pdf = [], b""
            for _ in range(RUNS):
                db.session.expire_all()
                started = time.perf_counter()
                with app.test_request_context():
                    plan = plan_document(load_plan(campaign_id))
                    pdf = render_pdf(render_template("documents/plan.html", plan=plan), app.static_folder)
                timings.append(time.perf_counter() - started)
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    pages = _page_count(pdf)
    median = statistics.median(timings[1:])
    print(f"plan PDF, demo data, {pages} pages, {len(pdf) / 1024:.0f} KB")
    print(f"{'run':>5}  {'seconds':>8}")
    for run, seconds in enumerate(timings):
        print(f"{run:>5}  {seconds:>8.3f}{'  (warm-up, not counted)' if run == 0 else ''}")
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(f"median {median:.3f} s — {verdict} the {BUDGET_SECONDS} s budget")
    if args.keep:
        Path(args.keep).write_bytes(pdf)
        print(f"written to {args.keep}")
    print(json.dumps({"seconds": round(median, 3), "pages": pages}))


if __name__ == "__main__":
    main()
