"""HTML → PDF with WeasyPrint, offline and with the fonts an official document needs."""

import ctypes.util
import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# A character of CJK Extension A (㛃) that turns up in people's and units' names: the fonts the stacks end with
# must have it, or the PDF shows an empty box where the name should be.
EXT_A_PROBE = "36c3"


class FontSetupError(RuntimeError):
    pass


@functools.cache
def check_fonts() -> None:
    """Refuse to render on a machine that would produce a slow PDF or one with missing glyphs."""
    # Without HarfBuzz's subsetter WeasyPrint falls back to fontTools, which takes seconds per CJK font.
    if ctypes.util.find_library("harfbuzz-subset") is None:
        raise FontSetupError(
            "libharfbuzz-subset is missing: install the system package libharfbuzz-subset0 "
            "(Debian/Ubuntu: apt-get install libharfbuzz-subset0); without it a Chinese PDF takes seconds to render."
        )
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    found = subprocess.run(
        [fc_list, f":lang=zh-cn:charset={EXT_A_PROBE}", "family"], capture_output=True, text=True, check=False
    ).stdout
    if not found.strip():
        raise FontSetupError(
            "no installed font covers CJK Extension A (e.g. 㛃): install fonts-noto-cjk (and fonts-arphic-ukai for 楷体)."
        )


def _weasyprint():
    """WeasyPrint, imported on first use: it takes half a second to load, which every page and CLI command would
    otherwise pay.

    Importing it makes Pillow accept truncated images in the whole process. Photo intake (campaign/media.py) must
    refuse a truncated upload, and our documents embed only copies we made, so the setting is put back.
    """
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def local_url_fetcher(root: Path):
    """A URL fetcher that serves data: URLs and files under `root`, and refuses everything else.

    A document must never wait on, or leak its contents to, another server; nor read files outside our own assets.
    """
    URLFetcher: Any = _weasyprint().urls.URLFetcher  # WeasyPrint ships no types

    root = root.resolve()

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and not Path(unquote(parts.path)).resolve().is_relative_to(root):
                raise ValueError(f"refused to fetch {url!r}: outside {root}")
            return super().fetch(url, headers)

    # Only these protocols: the base class refuses http(s), ftp and the rest before opening anything.
    return LocalURLFetcher(allowed_protocols=("file", "data"))


def render_pdf(html: str, base_url: str | Path) -> bytes:
    """Render `html`; relative links resolve against `base_url` (a local folder, e.g. the static folder)."""
    check_fonts()
    HTML = _weasyprint().HTML
    root = Path(base_url)
    # A trailing slash makes "css/official.css" resolve inside the folder rather than next to it.
    base = root.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=local_url_fetcher(root)).write_pdf()
