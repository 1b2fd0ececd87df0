"""Memory of near-limit photo uploads (issue 19.4): what four 40-megapixel PNGs cost when they arrive at once.

    .venv/bin/python bench/photo_memory.py

Each case runs in a fresh Python process that reads its own peak resident memory (VmHWM) before and after, so
the figure is what the decoding added, not what the interpreter had already. Cases:

- one:      one upload in a worker;
- threads:  four uploads at once in one worker (gunicorn threads): they take turns for the decode slot;
- workers:  four workers with one upload each, the worst case of a 4-worker deployment (the sum of four).

Budget: four at once add at most 1 GB in all. The last line printed is JSON:
{"one_mb": m, "threads_mb": m, "workers_mb": m, "budget_mb": 1024}.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import io, sys, threading
sys.path.insert(0, {root!r})
from PIL import Image
from campaign.shared import media


def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])


# A 40-megapixel RGBA PNG that weighs little, as the attack's did (a few hundred KB, well under the byte limit):
# its decoded size is what counts. Made before measuring.
side = 6324
image = Image.linear_gradient("L").resize((side, side)).convert("RGBA")
buffer = io.BytesIO()
image.save(buffer, "PNG", compress_level=1)
data = buffer.getvalue()
del image, buffer
# Reset the peak to the present (Linux's clear_refs "5"), so the peak read after is the decoding's alone.
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
before = status_kb("VmRSS")
uploads = {count}
failures = []


def upload(n):
    try:
        media.prepare_photo(data, f"{{n}}.png")
    except Exception as error:
        failures.append(repr(error))


threads = [threading.Thread(target=upload, args=(n,)) for n in range(uploads)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if failures:
    raise SystemExit(f"uploads failed: {{failures}}")
print(len(data) // 1024, status_kb("VmHWM") - before)
"""


def added_mb(uploads: int) -> float:
    script = CHILD.format(root=str(ROOT), count=uploads)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr or result.stdout)
    _file_kb, added_kb = result.stdout.strip().splitlines()[-1].split()
    return int(added_kb) / 1024


def main() -> None:
    one = added_mb(1)
    threads = added_mb(4)
    workers = 4 * one
    print(f"{'case':<40}{'added MB':>10}")
    print(f"{'one 40 MP PNG':<40}{one:>10.0f}")
    print(f"{'four at once, one worker (4 threads)':<40}{threads:>10.0f}")
    print(f"{'four at once, four workers':<40}{workers:>10.0f}")
    print(f"{'budget':<40}{1024:>10}")
    print(json.dumps({"one_mb": round(one), "threads_mb": round(threads), "workers_mb": round(workers),
                      "budget_mb": 1024}))


if __name__ == "__main__":
    main()
