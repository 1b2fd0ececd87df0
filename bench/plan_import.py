"""Time the plan import: the demo's biggest plan (7 printed pages with its notice and slogans), written out as the
text a clerk copies from a government web page (navigation and footer around it), read into the preview — the
parse and the match of every unit name — 7 times.

    .venv/bin/python bench/plan_import.py

The first run also loads the Traditional-to-Simplified tables and is left out of the median. Budget: 1 s. The last
line printed is JSON: {"seconds": median, "fields": fields read, "uncertain": fields marked for a look}.
"""

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from campaign import create_app  # noqa: E402
from campaign.demo.load import load_demo  # noqa: E402
from campaign.plan.document import plan_document  # noqa: E402
from campaign.plan.importing.draft import draft_from_text  # noqa: E402
from campaign.plan.importing.parser import parse_plan  # noqa: E402
from campaign.plan.importing.sample import plan_as_text  # noqa: E402
from campaign.plan.models import Activity, Campaign  # noqa: E402
from campaign.web.extensions import db  # noqa: E402

RUNS = 7
BUDGET_SECONDS = 1.0
PAGE_BEFORE = "首页 > 政务公开 > 通知公告\n当前位置：首页 > 政务公开\n来源：区政府办   浏览:9699次\n【字体：大 中 小】\n"
PAGE_AFTER = "\n【打印本页】  【关闭窗口】\n主办单位：区人民政府办公室\n网站标识码：1234567890  ICP备05001234号\n版权所有\n"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            load_demo()
            campaign_id = db.session.scalar(
                sa.select(Activity.campaign_id).group_by(Activity.campaign_id).order_by(sa.func.count().desc())
            )
            campaign = db.session.get_one(Campaign, campaign_id)
            text = PAGE_BEFORE + plan_as_text(plan_document(campaign)) + PAGE_AFTER
            timings = []
            for _ in range(RUNS):
                db.session.expire_all()
                started = time.perf_counter()
                draft = draft_from_text(text, campaign.year)
                timings.append(time.perf_counter() - started)
            fields, uncertain = parse_plan(text).counts()
            names = len(draft.units)
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    median = statistics.median(timings[1:])
    print(f"plan import, demo plan of {campaign.year}: {len(text)} characters, {text.count(chr(10))} lines, "
          f"{fields} fields read, {uncertain} uncertain, {names} unit names matched")
    print(f"{'run':>5}  {'seconds':>8}")
    for run, seconds in enumerate(timings):
        print(f"{run:>5}  {seconds:>8.3f}{'  (warm-up, not counted)' if run == 0 else ''}")
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(f"median {median:.3f} s — {verdict} the {BUDGET_SECONDS} s budget")
    print(json.dumps({"seconds": round(median, 3), "fields": fields, "uncertain": uncertain}))


if __name__ == "__main__":
    main()
