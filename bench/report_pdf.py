"""Time the district report: 40 units, 200 phone-sized photos, compiled and exported (PDF, DOCX, XLSX).

    .venv/bin/python bench/report_pdf.py [--units 40] [--photos 200] [--keep folder]

Generating and taking in the photos takes a few minutes; with --keep the data stays in the folder and a second run
measures again at once.

Builds a campaign in a temporary database and upload folder: 40 units on a plan with on-site and online
activities, booths with about 1,500 consultations and handouts, summaries in every state, and 200 photos made here
as 4032×3024 JPEGs with detail (gradients, noise, shapes, text: 3–5 MB each, like a phone's) that go through
media.prepare_photo / store_photo as an upload would. Then a separate process (so that its peak memory is the
compilation's alone) runs the export the background job runs (campaign.report.snapshots.export_snapshot) and
reports its time per step. Peak memory is that process's resource.getrusage(RUSAGE_SELF).ru_maxrss (the
interpreter and the app included).

Budgets: ≤ 15 s, ≤ 1 GB, PDF ≤ 20 MB on a 2-core machine. "seconds" is the compile + export time, not the photo
generation. The last line printed is JSON: {"seconds", "peak_mb", "pdf_mb", "units", "photos"}.
"""

import argparse
import functools
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 15
BUDGET_PEAK_MB = 1024
BUDGET_PDF_MB = 20
NOISE_LAYERS = 3
TOPICS = ("社会保险", "医疗保障", "住房保障", "教育入学", "就业创业", "企业开办", "营商环境", "政府信息公开", "其他")
KINDS = ("政策咨询", "办事咨询", "投诉", "意见建议", "情况反映")
MATERIALS = ("宣传单", "宣传册", "政策汇编", "征求意见卡")
BUREAUS = ("发改局", "教育局", "科技局", "民政局", "司法局", "财政局", "人社局", "自然资源局", "生态环境局", "住建局",
           "交通运输局", "水利局", "农业农村局", "商务局", "文旅局", "卫健局", "退役军人事务局", "应急管理局", "审计局",
           "市场监管局", "统计局", "医保局", "城管局", "信访局", "营商环境局", "数据局")
TOWNS = ("临江镇", "白沙镇", "青山镇", "东湖街道", "西城街道", "南港街道", "北苑街道", "金桥街道", "石门镇", "柳溪镇",
         "云台镇", "望海街道", "桃源镇", "龙泉街道")


def _config(folder: Path) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench",
            "UPLOAD_DIR": str(folder / "uploads")}


@functools.cache
def _noise(variant: int, size: tuple[int, int]):
    from PIL import Image

    # A few layers made once: generating 12 megapixels of noise per photo would double the bench's set-up time.
    return Image.effect_noise(size, 40 + 8 * variant).convert("RGB")


def phone_photo(rng: random.Random, unit_name: str, number: int) -> bytes:
    """A 4032×3024 JPEG with a phone photo's detail: a sky and ground gradient, sensor noise, a banner, desks,
    people, the unit's name — not a flat colour, which would compress to nothing."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 4032, 3024
    sky = Image.linear_gradient("L").resize((width, height))
    red, green = rng.randint(60, 120), rng.randint(110, 160)
    image = Image.merge("RGB", (
        sky.point(lambda v: red + v // 3),
        sky.point(lambda v: green + v // 3),
        sky.point(lambda v: 200 + v // 5),
    ))
    draw = ImageDraw.Draw(image)
    ground = rng.randint(1800, 2200)
    draw.rectangle((0, ground, width, height), fill=(rng.randint(90, 140), rng.randint(90, 120), rng.randint(80, 110)))
    draw.rectangle((400, 300, 3600, 700), fill=(190, 30, 35))
    try:
        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 180, index=2)
    except OSError:
        font = ImageFont.load_default()
    draw.text((2016, 500), f"{unit_name}政策咨询台", fill=(255, 240, 200), font=font, anchor="mm")
    for desk in range(3):
        x = 300 + desk * 1250
        draw.rectangle((x, ground - 200, x + 1000, ground + 150), fill=(80 + desk * 20, 60, 50))
        for _person in range(rng.randint(2, 5)):
            px = x + rng.randint(0, 900)
            shirt = tuple(rng.randint(20, 230) for _ in range(3))
            draw.ellipse((px, ground - 900, px + 160, ground - 740), fill=(225, 190, 150))
            draw.rectangle((px - 40, ground - 740, px + 200, ground - 250), fill=shirt)
    draw.text((200, height - 260), f"第{number}张 {rng.randint(1000, 9999)}", fill=(250, 250, 250), font=font)
    # Sensor noise and fine texture: what makes a phone's JPEG weigh megabytes.
    image = Image.blend(image, _noise(rng.randrange(NOISE_LAYERS), (width, height)), 0.18)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def build(folder: Path, units_count: int, photos_count: int, seed: int = 515) -> tuple[int, int]:
    """The campaign in a new database under `folder`; (campaign id, photos stored)."""
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.auth.models import User
    from campaign.booths.models import Booth, Consultation, FollowUp, MaterialHandout
    from campaign.plan.models import Activity, ActivityGroup, ActivityUnit, Campaign, Venue
    from campaign.report.models import ReportDraft
    from campaign.report.scorecard import add_default_rules
    from campaign.shared import media
    from campaign.shared.timeutil import LOCAL_TZ
    from campaign.summaries.models import Photo, UnitSummary
    from campaign.units.models import Unit
    from campaign.web.extensions import db

    rng = random.Random(seed)
    app = create_app(_config(folder))
    with app.app_context():
        upgrade()
        organizer = User(username="bench", display_name="区政务公开办", role="organizer")
        organizer.set_password("bench-password")
        names = [f"江滨区{name}" for name in BUREAUS] + [f"江滨区{name}" for name in TOWNS]
        units = [Unit(name=names[n % len(names)] + ("" if n < len(names) else str(n)), kind="town" if n >= len(BUREAUS) else "bureau",
                      sort_order=n) for n in range(units_count)]
        campaign = Campaign(edition=19, year=2025, title="江滨区第十九届“5·15政务公开日”活动方案", theme="坚持依法行政，深化政务公开。",
                            first_day=date(2025, 5, 15), last_day=date(2025, 5, 20), issuing_office="江滨区人民政府办公室",
                            summary_deadline=datetime(2025, 5, 18, 17, 30, tzinfo=LOCAL_TZ), status="issued")
        db.session.add_all([organizer, campaign, *units])
        db.session.flush()
        online = ActivityGroup(campaign_id=campaign.id, title="线上主题宣传活动", sort_order=1)
        onsite = ActivityGroup(campaign_id=campaign.id, title="线下实地宣传", sort_order=2)
        venues = [Venue(campaign_id=campaign.id, name="市民广场", kind="main")] + [
            Venue(campaign_id=campaign.id, name=f"{town}便民服务中心", kind="branch") for town in TOWNS[:4]]
        db.session.add_all([online, onsite, *venues])
        db.session.flush()
        day = datetime(2025, 5, 15, 9, 0, tzinfo=LOCAL_TZ)
        activities = [
            Activity(campaign_id=campaign.id, group_id=online.id, title="开展“政策解读上线”活动", mode="online",
                     starts_at=day, ends_at=day + timedelta(days=5), all_day=True, sort_order=1),
            Activity(campaign_id=campaign.id, group_id=online.id, title="开展“群众难题我来答”活动", mode="online",
                     starts_at=day, ends_at=day + timedelta(days=5), all_day=True, sort_order=2),
        ] + [
            Activity(campaign_id=campaign.id, group_id=onsite.id, title=f"开展“政策咨询进{venue.name}”活动", mode="onsite",
                     starts_at=day, ends_at=day + timedelta(hours=3), venue_id=venue.id, sort_order=3 + n)
            for n, venue in enumerate(venues)
        ]
        db.session.add_all(activities)
        db.session.flush()
        onsite_activities = activities[2:]
        for n, unit in enumerate(units):
            activity = onsite_activities[0] if n < len(BUREAUS) else onsite_activities[1 + n % (len(onsite_activities) - 1)]
            db.session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id, role="lead" if n in (0, 26) else "cooperating"))
            db.session.add(ActivityUnit(activity_id=activities[n % 2].id, unit_id=unit.id, role="responsible"))
            booth = Booth(campaign_id=campaign.id, activity_id=activity.id, unit_id=unit.id)
            db.session.add(booth)
            db.session.flush()
            for _ in range(rng.randint(15, 60)):
                at = day + timedelta(minutes=rng.randint(-40, 200))
                handling = rng.choices(("当场解答", "转办", "需回访"), (8, 1, 1))[0]
                consultation = Consultation(client_uuid=str(uuid.uuid4()), booth_id=booth.id, recorded_at=at,
                                            kind=rng.choice(KINDS), topic=rng.choice(TOPICS), handling=handling,
                                            satisfaction=rng.choice(("满意", "满意", "基本满意", "", "不满意")),
                                            question="咨询相关政策", person_phone="13812345678" if handling == "需回访" else "")
                db.session.add(consultation)
                if handling != "当场解答":
                    db.session.flush()
                    closed = rng.random() < 0.7
                    done = at + timedelta(days=rng.randint(1, 20)) if closed else None
                    db.session.add(FollowUp(consultation_id=consultation.id, unit_id=unit.id, due_date=date(2025, 5, 22),
                                            close_due_date=date(2025, 5, 30), status="closed" if closed else "pending",
                                            replied_at=done, closed_at=done))
            for material in MATERIALS[: rng.randint(1, 4)]:
                db.session.add(MaterialHandout(client_uuid=str(uuid.uuid4()), booth_id=booth.id, material=material,
                                               quantity=rng.randint(20, 400)))
        db.session.flush()

        states = ["accepted"] * 20 + ["submitted"] * 14 + ["late"] * 3 + ["returned", "draft", "none"]
        summaries = []
        for unit, state in zip(units, states + ["accepted"] * max(0, units_count - len(states)), strict=False):
            if state == "none":
                continue
            submitted = day + timedelta(days=3 if state != "late" else 4)
            summary = UnitSummary(campaign_id=campaign.id, unit_id=unit.id,
                                  status="submitted" if state == "late" else state, late=state == "late",
                                  submitted_at=submitted, first_submitted_at=submitted, narrative={},
                                  unit_figures={"display_boards": rng.randint(1, 6), "banners": rng.randint(1, 3)})
            db.session.add(summary)
            summaries.append((unit, summary))
        db.session.flush()
        add_default_rules(campaign.id, organizer)
        db.session.add(ReportDraft(campaign_id=campaign.id, narrative={}, include_scorecard=True))
        db.session.commit()

        print(f"generating {photos_count} photos of 4032×3024 and taking them in as uploads …", flush=True)
        started, original_bytes = time.perf_counter(), 0
        upload_dir = app.config["UPLOAD_DIR"]
        for number in range(photos_count):
            unit, summary = summaries[number % len(summaries)]
            data = phone_photo(rng, unit.name, number + 1)
            original_bytes += len(data)
            prepared = media.prepare_photo(data, f"IMG_{number:04d}.jpg")
            paths = media.store_photo(prepared, upload_dir, f"photos/{campaign.id}")
            db.session.add(Photo(summary_id=summary.id, sha256=prepared.sha256, caption=f"{unit.name}咨询台现场",
                                 sort_order=number, original_name=prepared.original_name, width=prepared.width,
                                 height=prepared.height, display_width=prepared.display.width,
                                 display_height=prepared.display.height, display_bytes=prepared.display.size_bytes,
                                 thumb_width=prepared.thumb.width, thumb_height=prepared.thumb.height, **paths))
            if number % 20 == 19:
                db.session.commit()
                print(f"  {number + 1} photos, {time.perf_counter() - started:.0f} s", flush=True)
        db.session.commit()
        print(f"photos: {photos_count}, originals {original_bytes / photos_count / 1e6:.1f} MB on average", flush=True)
        campaign_id = campaign.id
        db.session.remove()
        db.engine.dispose()
    return campaign_id, photos_count


def measure(folder: Path, campaign_id: int) -> None:
    """In a process of its own: the export the job runs, timed per step; prints one JSON line."""
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.plan.models import Campaign
    from campaign.report.snapshots import export_snapshot
    from campaign.web.extensions import db

    app = create_app(_config(folder))
    with app.app_context():
        upgrade()  # a kept folder may predate a migration
        campaign = db.session.get(Campaign, campaign_id)
        steps, last = [], [time.perf_counter(), "start"]

        def progress(_percent: int, step: str) -> None:
            now = time.perf_counter()
            steps.append((last[1], now - last[0]))
            last[:] = [now, step]

        started, cpu_started = time.perf_counter(), time.process_time()
        snapshot = export_snapshot(campaign, None, progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        steps.append((last[1], time.perf_counter() - last[0]))
        files = {item["kind"]: item for item in snapshot.files}
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb, "steps": steps[1:],
                          "pdf": str(Path(app.config["UPLOAD_DIR"]) / files["pdf"]["path"]),
                          "bytes": {kind: item["bytes"] for kind, item in files.items()},
                          "photos_in_pdf": len(snapshot.figures["photos"])}))


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--keep", help="keep the data (database, uploads, files) in this folder; a later run with "
                        "the same folder measures again without generating the photos again")
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "CAMPAIGN_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), int(args.measure[1]))
        return 0

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        built = folder / "built.json"
        if built.exists():
            # A kept folder from an earlier run: measure again without making the photos again.
            campaign_id, photos, units = json.loads(built.read_text())
            print(f"reusing the campaign of {units} units and {photos} photos in {folder}")
        else:
            units = args.units
            campaign_id, photos = build(folder, units, args.photos)
            built.write_text(json.dumps([campaign_id, photos, units]))
        child = subprocess.run([sys.executable, __file__, "--measure", str(folder), str(campaign_id)],
                               capture_output=True, text=True, cwd=ROOT)
        if child.returncode != 0:
            print(child.stderr[-4000:], file=sys.stderr)
            return 1
        result = json.loads(child.stdout.strip().splitlines()[-1])
        pdf_mb = result["bytes"]["pdf"] / 1024 / 1024
        print(f"{'step':<12} {'seconds':>8}")
        for step, seconds in result["steps"]:
            print(f"{step:<12} {seconds:>8.2f}")
        print(f"compile + export: {result['seconds']:.2f} s (budget {BUDGET_SECONDS} s), of which CPU "
              f"{result['cpu_seconds']:.2f} s in the process (load average {os.getloadavg()[0]:.1f}); peak memory "
              f"{result['peak_mb']:.0f} MB (ru_maxrss of the exporting process; budget {BUDGET_PEAK_MB} MB)")
        print(f"PDF {pdf_mb:.1f} MB, {_pages(Path(result['pdf']))} pages, {result['photos_in_pdf']} photos "
              f"(budget {BUDGET_PDF_MB} MB); DOCX {result['bytes']['docx'] / 1048576:.1f} MB, "
              f"XLSX {result['bytes']['xlsx'] / 1024:.0f} KB")
        within = result["seconds"] <= BUDGET_SECONDS and result["peak_mb"] <= BUDGET_PEAK_MB and pdf_mb <= BUDGET_PDF_MB
        print(f"within budget: {'yes' if within else 'NO'}")
        print(json.dumps({"seconds": round(result["seconds"], 2), "peak_mb": round(result["peak_mb"]),
                          "pdf_mb": round(pdf_mb, 2), "units": units, "photos": photos}))
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
