"""Time the plan PDF: a realistic 5-page plan (cover notice, plan, slogans), rendered 7 times.

    .venv/bin/python bench/plan_pdf.py [--keep out.pdf] [--generated]

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
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import render_template  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from campaign import create_app  # noqa: E402
from campaign.documents.pdf import render_pdf  # noqa: E402
from campaign.extensions import db  # noqa: E402
from campaign.plan.document import load_campaign, plan_document  # noqa: E402
from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Slogan, Venue  # noqa: E402
from campaign.timeutil import LOCAL_TZ  # noqa: E402
from campaign.units.models import Unit  # noqa: E402

RUNS = 7
BUDGET_SECONDS = 0.5


def _load_demo() -> bool:
    try:
        from campaign.demo import load_demo
    except ImportError:
        return False
    try:
        load_demo()
    except Exception as error:  # the demo is someone else's work in progress; the bench must not depend on it
        db.session.rollback()
        print(f"demo data unavailable ({error!r}); generating a plan instead", file=sys.stderr)
        return False
    return db.session.scalar(sa.select(sa.func.count(Activity.id))) > 0


def _generate() -> None:
    """About 30 units, 2 groups, 7 activities, 10 slogans: the size of a real district plan."""
    units = [Unit(name=f"江滨区第{n}测试局", short_name=f"区测试{n}局", kind="bureau", sort_order=n) for n in range(1, 31)]
    units.append(Unit(name="江滨区甡堃喆㛃服务中心", kind="institution", sort_order=99))
    db.session.add_all(units)
    campaign = Campaign(
        edition=19,
        year=2025,
        title="江滨区第十九届“5·15政务公开日”活动方案",
        theme="坚持依法行政，深化政务公开，加强法治政府建设。",
        first_day=date(2025, 5, 15),
        last_day=date(2025, 5, 20),
        issuing_office="江滨区人民政府办公室",
        doc_number="江政办〔2025〕7号",
        basis_title="临州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知",
        basis_number="临政办〔2025〕12号",
        addressees="各镇（街道），区政府各部门、区直各单位：",
        form_text="采取线上与线下相结合的方式，集中宣传解读利企惠民政策、政务服务事项、规章和规范性文件、行政执法信息等内容。",
        closing_requirements="\n".join(
            f"{head}。各单位要高度重视，确保活动有序开展。"
            for head in ("加强组织领导", "注重活动实效", "确保活动安全")
        ),
        summary_deadline=datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ),
        issue_date=date(2025, 5, 8),
        status="issued",
    )
    db.session.add(campaign)
    db.session.flush()
    venue = Venue(campaign_id=campaign.id, name="江滨区市民广场", is_main=True)
    db.session.add(venue)
    db.session.flush()
    for g, title in enumerate(("线上主题宣传活动", "线下实地宣传"), start=1):
        group = ActivityGroup(campaign_id=campaign.id, title=title, sort_order=g)
        db.session.add(group)
        db.session.flush()
        for a in range(1, 4 if g == 2 else 5):
            activity = Activity(
                campaign_id=campaign.id,
                group_id=group.id,
                title=f"开展“政策宣传咨询”活动{g}-{a}",
                description="设立政策咨询台，面对面解答群众和企业咨询。",
                mode="onsite" if g == 2 else "online",
                all_day=g == 1,
                starts_at=datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ),
                ends_at=datetime(2025, 5, 15 if g == 2 else 20, 11, 30, tzinfo=LOCAL_TZ),
                venue_id=venue.id if g == 2 else None,
                requirements="各参加单位安排2名工作人员参加，自带展板。" if g == 2 else "",
                sort_order=a,
            )
            db.session.add(activity)
            db.session.flush()
            db.session.add(ActivityUnit(activity_id=activity.id, unit_id=units[a].id, role="lead"))
            for unit in [*units[10 + 3 * a : 13 + 3 * a], *([units[-1]] if a == 1 else [])]:
                db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role="cooperating"))
    for n in range(1, 11):
        db.session.add(Slogan(campaign_id=campaign.id, text=f"深化政务公开　建设法治政府（{n}）", sort_order=n))
    db.session.commit()


def _page_count(pdf: bytes) -> int:
    # WeasyPrint packs the page objects into compressed object streams: ask poppler, which is installed with it.
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the last PDF to this path")
    parser.add_argument("--generated", action="store_true", help="use the generated plan even if demo data exists")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            source = "demo" if not args.generated and _load_demo() else "generated"
            if source == "generated":
                _generate()
            # The campaign with the most activities: the biggest plan the data has.
            campaign_id = db.session.scalar(
                sa.select(Activity.campaign_id).group_by(Activity.campaign_id).order_by(sa.func.count().desc())
            )
            timings, pdf = [], b""
            for _ in range(RUNS):
                db.session.expire_all()
                started = time.perf_counter()
                with app.test_request_context():
                    plan = plan_document(load_campaign(campaign_id))
                    pdf = render_pdf(render_template("documents/plan.html", plan=plan), app.static_folder)
                timings.append(time.perf_counter() - started)
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    pages = _page_count(pdf)
    median = statistics.median(timings[1:])
    print(f"plan PDF, {source} data, {pages} pages, {len(pdf) / 1024:.0f} KB")
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
