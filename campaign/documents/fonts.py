"""Which font sets each part of an official document: the office's own licensed fonts when it has dropped them into
the fonts folder (FONTS_DIR, default instance/fonts) or installed them on the machine, else the free faces that
`make run` installs.

The font stacks themselves live in one place, static/css/official.css, as custom properties (--font-body …): the PDF,
the on-screen preview and this module all read them there. This module adds what the CSS cannot say: @font-face
rules for the files in the fonts folder (so WeasyPrint finds them by the names the stacks use), and, for the
organizer's fonts page, which family each role will actually be set in and whether that is a fallback.
"""

import functools
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# Name-table records that hold a family name (legacy family, typographic family) and the full name.
FAMILY_NAME_IDS = (1, 4, 16)
OFFICIAL_CSS = Path(__file__).resolve().parent.parent.parent / "static" / "css" / "official.css"


@dataclass(frozen=True)
class Role:
    key: str  # the custom property in official.css: --font-<key>
    label: object  # lazy string
    free_face: str  # the family `make run` installs for it; everything before it in the stack is the office's
    why: object  # why that free face (lazy string), shown on the fonts page


ROLES = (
    Role(
        "body",
        _l("正文、三级和四级标题（仿宋_GB2312）"),
        "Noto Serif CJK SC",
        _l("Debian 没有收字完整的简体仿宋（cwTeX 仿宋缺少三分之一以上的 GB2312 汉字），改用思源宋体 Noto Serif CJK SC。"),
    ),
    Role(
        "title",
        _l("标题、发文机关标志（方正小标宋简体）"),
        "Noto Serif CJK SC",
        _l("没有免费的小标宋，改用加粗的思源宋体，笔画最接近。"),
    ),
    Role("heading-1", _l("一级标题“一、”、附件标识（黑体）"), "Noto Sans CJK SC", _l("思源黑体 Noto Sans CJK SC。")),
    Role(
        "heading-2",
        _l("二级标题“（一）”（楷体_GB2312）"),
        "AR PL KaitiM GB",
        _l("文鼎 PL 简中楷 AR PL KaitiM GB：按 GB2312 字集设计的楷体，与楷体_GB2312 收字相同；其外的字用思源宋体。"),
    ),
    Role("page-number", _l("页码（宋体）"), "Noto Serif CJK SC", _l("思源宋体 Noto Serif CJK SC。")),
)


@dataclass(frozen=True)
class FontFile:
    path: Path
    families: tuple[str, ...]


@dataclass(frozen=True)
class RoleFont:
    role: Role
    wanted: tuple[str, ...]  # the office's fonts the stack names first
    family: str  # the family the role will be set in ("" when nothing in the stack is installed)
    source: str  # "folder", "system" or "" (not found)
    path: str  # the folder's file, when from the folder

    @property
    def falls_back(self) -> bool:
        return self.family not in self.wanted


def font_stacks(css_path: Path = OFFICIAL_CSS) -> dict[str, list[str]]:
    """The --font-* custom properties of official.css, each as its list of family names."""
    return _parse_stacks(css_path.read_text(encoding="utf-8"))


def _parse_stacks(css: str) -> dict[str, list[str]]:
    stacks = {}
    for name, value in re.findall(r"--font-([a-z0-9-]+)\s*:\s*([^;]+);", css):
        stacks[name] = [family.strip().strip("\"'") for family in value.split(",") if family.strip()]
    return stacks


def fonts_in(folder: str | Path | None) -> list[FontFile]:
    """The font files of a folder with the family names they declare; unreadable files are left out."""
    if not folder:
        return []
    root = Path(folder)
    if not root.is_dir():
        return []
    files = []
    for path in sorted(root.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
            stat = path.stat()
            families = _families_of(str(path), stat.st_mtime_ns, stat.st_size)
            if families:
                files.append(FontFile(path, families))
    return files


@functools.lru_cache(maxsize=64)
def _families_of(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Every family and full name in a font file's name table, in every language it gives (仿宋_GB2312 and
    FangSong_GB2312 alike). Cached per file version: only the name table is read, and only once."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.lower().endswith((".ttc", ".otc")):
            fonts = list(TTCollection(path, lazy=True).fonts)
        else:
            fonts = [TTFont(path, lazy=True)]
        names: list[str] = []
        for font in fonts:
            for record in font["name"].names:
                if record.nameID in FAMILY_NAME_IDS:
                    try:
                        name = record.toUnicode().strip()
                    except UnicodeDecodeError:
                        continue
                    if name and name not in names:
                        names.append(name)
        return tuple(names)
    except (TTLibError, OSError, KeyError, AssertionError, ValueError, struct.error):
        return ()


def font_face_css(files: list[FontFile]) -> str:
    """@font-face rules that make each file of the fonts folder answer to the names it declares."""
    rules = []
    for file in files:
        url = file.path.resolve().as_uri()
        for family in file.families:
            quoted = family.replace("\\", "\\\\").replace('"', '\\"')
            rules.append(f'@font-face {{ font-family: "{quoted}"; src: url("{url}"); }}')
    return "\n".join(rules)


def installed_families() -> set[str]:
    """Every family name fontconfig knows on this machine (all the names of each font)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    output = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in output.splitlines() for name in line.split(",") if name.strip()}


def role_fonts(folder: str | Path | None, stacks: dict[str, list[str]] | None = None) -> list[RoleFont]:
    """For each role of the document, the family it will be set in: the first of its stack that the fonts folder
    or the machine has."""
    stacks = font_stacks() if stacks is None else stacks
    files = fonts_in(folder)
    in_folder = {family: file for file in files for family in file.families}
    installed = installed_families()
    result = []
    for role in ROLES:
        stack = stacks.get(role.key, [])
        wanted = tuple(stack[: stack.index(role.free_face)]) if role.free_face in stack else tuple(stack)
        chosen = RoleFont(role, wanted, "", "", "")
        for family in stack:
            if family in in_folder:
                chosen = RoleFont(role, wanted, family, "folder", in_folder[family].path.name)
                break
            if family in installed:
                chosen = RoleFont(role, wanted, family, "system", "")
                break
        result.append(chosen)
    return result


def unrecognised_files(folder: str | Path | None, stacks: dict[str, list[str]] | None = None) -> list[FontFile]:
    """Files of the fonts folder that no stack names: dropped in, but never used (e.g. a misnamed 仿宋)."""
    stacks = font_stacks() if stacks is None else stacks
    named = {family for stack in stacks.values() for family in stack}
    return [file for file in fonts_in(folder) if not named.intersection(file.families)]
