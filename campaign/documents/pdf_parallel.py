"""A long PDF laid out by two processes: the parts in two halves, the second laid out by a worker process while this
one lays out the first, the two PDFs joined with qpdf (a system package of the app), which keeps the first half's
title and metadata and writes object streams (poppler's pdfunite dropped the title and wrote twice the bytes).

WeasyPrint lays out in one thread; the cards of 400 booths took about 6 s of one core, the budget is 5 s on a
2-core machine. The worker is spawned (not forked: the task queue runs threads) on first use, loads WeasyPrint and
the fonts once, and stays for the next document; it is shut down with the process. Anything wrong with it (or no
qpdf) and the second half is laid out here as well: slower, never wrong.
"""

import atexit
import functools
import logging
import multiprocessing
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from campaign.documents.pdf import configured_fonts_dir, render_pdf_parts

log = logging.getLogger(__name__)


def _warm_up() -> None:
    """In the worker, once: WeasyPrint imported and the fonts found before the first half arrives."""
    render_pdf_parts(["<p>政务公开 · 2025</p>"], tempfile.gettempdir())


def _render(htmls: list[str], base_url: str, fonts_dir: str | None) -> bytes:
    return render_pdf_parts(htmls, base_url, fonts_dir=fonts_dir)


@functools.cache
def _worker() -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up)
    atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return pool


def _join(first: bytes, second: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="pdf-halves-") as folder:
        paths = [Path(folder) / name for name in ("1.pdf", "2.pdf", "joined.pdf")]
        paths[0].write_bytes(first)
        paths[1].write_bytes(second)
        # The first half is the base, so the joined PDF keeps its title and metadata; object streams keep it small.
        subprocess.run(["qpdf", str(paths[0]), "--object-streams=generate", "--pages", str(paths[0]), str(paths[1]),
                        "--", str(paths[2])], check=True, capture_output=True, timeout=120)
        return paths[2].read_bytes()


def render_pdf_in_two(htmls: list[str], base_url: str | Path, progress: Callable[[int], None] | None = None) -> bytes:
    """The parts' pages as one PDF, as `render_pdf_parts` makes it, in about half the time on two cores. `progress`
    is called with the number of parts done."""
    report = progress or (lambda done: None)
    fonts_dir = configured_fonts_dir()
    if len(htmls) < 2 or shutil.which("qpdf") is None:
        return render_pdf_parts(htmls, base_url, fonts_dir=fonts_dir, progress=report)
    # The worker takes the larger half: this process has made the parts (their QR codes) before the split.
    half = len(htmls) // 2
    first_half, second_half = htmls[:half], htmls[half:]
    folder = str(fonts_dir) if fonts_dir else None
    try:
        pending = _worker().submit(_render, second_half, str(base_url), folder)
    except Exception:  # noqa: BLE001  the worker could not start: the slower way
        log.warning("the second PDF worker did not start; laying out every part here", exc_info=True)
        return render_pdf_parts(htmls, base_url, fonts_dir=fonts_dir, progress=report)
    first = render_pdf_parts(first_half, base_url, fonts_dir=fonts_dir, progress=report)
    try:
        second = pending.result(timeout=600)
    except Exception:  # noqa: BLE001  a worker that died or failed: the slower way, for this half
        log.warning("the second PDF worker failed; laying out its half here", exc_info=True)
        _worker.cache_clear()
        second = render_pdf_parts(second_half, base_url, fonts_dir=fonts_dir)
    report(len(htmls))
    return _join(first, second)
