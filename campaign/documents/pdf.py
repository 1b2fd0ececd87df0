"""HTML → PDF with WeasyPrint, offline and with the fonts an official document needs."""

import ctypes.util
import functools
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, has_app_context

from campaign.documents.fonts import font_face_css, fonts_in
from campaign.documents.justify import install as install_cjk_justification

# Characters of CJK Extension A (㛃) and B (𪚥) that turn up in people's and units' names: the fonts the stacks end
# with must have them, or the PDF shows an empty box where the name should be (and its text still extracts fine).
EXT_A_PROBE = "36c3"
EXT_B_PROBE = "2a6a5"


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
    for probe, block, packages in (
        (EXT_A_PROBE, "CJK Extension A (e.g. 㛃)", "fonts-noto-cjk (and fonts-arphic-ukai for 楷体)"),
        (EXT_B_PROBE, "CJK Extension B (e.g. 𪚥)", "fonts-hanazono and fonts-babelstone-han"),
    ):
        found = subprocess.run(
            [fc_list, f":charset={probe}", "family"], capture_output=True, text=True, check=False
        ).stdout
        if not found.strip():
            raise FontSetupError(f"no installed font covers {block}: install {packages}.")


def _weasyprint():
    """WeasyPrint, imported on first use: it takes half a second to load, which every page and CLI command would
    otherwise pay.

    Importing it makes Pillow accept truncated images in the whole process. Photo intake (campaign/media.py) must
    refuse a truncated upload, and our documents embed only copies we made, so the setting is put back.
    """
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    install_cjk_justification()
    return weasyprint


def local_url_fetcher(root: Path, *more_roots: Path):
    """A URL fetcher that serves data: URLs and files under `root` (and `more_roots`, e.g. the fonts folder), and
    refuses everything else.

    A document must never wait on, or leak its contents to, another server; nor read files outside our own assets.
    """
    URLFetcher: Any = _weasyprint().urls.URLFetcher  # WeasyPrint ships no types

    roots = [folder.resolve() for folder in (root, *more_roots)]

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path.is_relative_to(folder) for folder in roots):
                    raise ValueError(f"refused to fetch {url!r}: outside {roots[0]}")
            return super().fetch(url, headers)

    # Only these protocols: the base class refuses http(s), ftp and the rest before opening anything.
    return LocalURLFetcher(allowed_protocols=("file", "data"))


def configured_fonts_dir() -> str | None:
    """The app's fonts folder (FONTS_DIR), when rendering inside the app."""
    return current_app.config.get("FONTS_DIR") if has_app_context() else None


def render_pdf(html: str, base_url: str | Path, fonts_dir: str | Path | None = None) -> bytes:
    """Render `html`; relative links resolve against `base_url` (a local folder, e.g. the static folder).

    The office's fonts in `fonts_dir` (default: the app's FONTS_DIR) are offered to the document under the names
    they declare, so the stacks of official.css find them before the free faces.
    """
    return render_pdf_parts([html], base_url, fonts_dir)


def render_pdf_parts(htmls: list[str], base_url: str | Path, fonts_dir: str | Path | None = None,
                     progress: Callable[[int], None] | None = None) -> bytes:
    """Lay out the HTML documents one after the other and write their pages as one PDF, calling `progress`
    with the number of parts laid out so far: a long document (hundreds of cards) shows its progress, where one
    `render_pdf` call is silent until the end. The parts share one font configuration, so each font is loaded
    once and embedded once."""
    check_fonts()
    weasyprint = _weasyprint()
    root = Path(base_url)
    base = root.resolve().as_uri() + "/"
    folder = fonts_dir if fonts_dir is not None else configured_fonts_dir()
    office_fonts = fonts_in(folder)
    fetcher = local_url_fetcher(root, Path(folder or root)) if office_fonts else local_url_fetcher(root)
    font_config = weasyprint.text.fonts.FontConfiguration()
    stylesheets = []
    if office_fonts:
        stylesheets.append(weasyprint.CSS(string=font_face_css(office_fonts), font_config=font_config,
                                          url_fetcher=fetcher))
    documents = []
    for done, html in enumerate(htmls, start=1):
        documents.append(weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
                         .render(font_config=font_config, stylesheets=stylesheets))
        if progress:
            progress(done)
    if not documents:
        raise ValueError("no parts to render")
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
