"""A pasted or extracted text made readable line by line: bounded in size, Traditional characters made Simplified,
invisible characters and stray spaces gone, ASCII punctuation inside Chinese text made full-width, and the lines
that are web-page debris (navigation, 浏览:9699次, footers) recognised.
"""

import re
import unicodedata

import zhconv
from flask_babel import lazy_gettext as _l

from campaign.web.refusal import Refusal

# A 6-page plan is about 8,000 characters; a web page around it several times that. Far more is not a plan.
MAX_TEXT_CHARS = 200_000
MAX_LINES = 5_000

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CJK = r"\u3400-\u9fff"
_CJK_OR_MARK = rf"[{_CJK}“”‘’《》（）、，。；：！？]"
# Spaces between two Chinese characters or marks are stray (a web page's justification, a PDF's line breaks).
_STRAY_SPACE = re.compile(rf"(?<={_CJK_OR_MARK})[ \t\u00a0\u3000]+(?={_CJK_OR_MARK})")
_ASCII_MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# An ASCII mark touching a Chinese character on either side (not 9:00, not a list of numbers).
_ASCII_MARK = re.compile(rf"(?<=[{_CJK}“”》）])[,:;?!()]|[,:;?!()](?=[{_CJK}“《（])")

# Lines of a web page around the document: never part of a plan.
DEBRIS = re.compile(
    r"浏览(?:次数|量)?[:：]?\s*\d|阅读(?:次数|量)?[:：]\s*\d|点击(?:数|量)?[:：]\s*\d|访问量|"
    r"^来源[:：]|^信息来源|^发布(?:时间|日期|机构)[:：]|^时间[:：]\s*\d{4}-|^作者[:：]|^责任编辑|^索引号|^主题分类|"
    r"^成文日期[:：]|^发文机关[:：]|^发文字号[:：]|^标\s*题[:：]|^文\s*号[:：]|"
    r"打印本页|打印此页|【打印】|【关闭】|关闭窗口|关闭本页|^字号|字体[:：]\s*[大中小]|【\s*[大中小]\s*】|分享到|扫一扫|"
    r"ICP[备证]|公网安备|网站标识码|版权所有|copyright|©|主办单位[:：]|承办单位[:：]|技术支持[:：]|"
    r"网站地图|联系我们|^当前位置|^您的位置|^首页\s*[>＞»/]|^首页$|^返回顶部|^上一篇|^下一篇|^相关链接|"
    r"^政务公开\s*[>＞»]|^视力保护色|^无障碍|^\[?\s*(?:收藏|纠错)\s*\]?$",
    re.IGNORECASE,
)


def _traditional_share(text: str) -> float:
    sample = text[:20_000]
    cjk = [char for char in sample if "\u4e00" <= char <= "\u9fff"]
    if not cjk:
        return 0.0
    converted = zhconv.convert("".join(cjk), "zh-cn")
    return sum(1 for a, b in zip(cjk, converted, strict=False) if a != b) / len(cjk)


def simplified(text: str) -> tuple[str, bool]:
    """The text in Simplified characters, and whether it was Traditional. A Simplified text is left alone: the
    converter would otherwise 'correct' a few characters that both scripts share."""
    if _traditional_share(text) < 0.02:
        return text, False
    return "\n".join(zhconv.convert(line, "zh-cn") for line in text.split("\n")), True


def checked_size(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise Refusal(_l("文字太长（超过%(n)s字），不像一份活动方案。请只粘贴通知和方案的正文。", n=MAX_TEXT_CHARS),
                      field="text")
    return text


def _curly_quotes(line: str) -> str:
    """"5·15政务公开日" → “5·15政务公开日”: a web copy's straight quotes, in pairs, inside Chinese text."""
    if '"' not in line or line.count('"') % 2 or not re.search(rf"[{_CJK}]", line):
        return line
    parts = line.split('"')
    return "".join(part + ("“" if index % 2 == 0 else "”") for index, part in enumerate(parts[:-1])) + parts[-1]


def clean_line(line: str) -> str:
    """One line without invisible characters, stray spaces, or ASCII marks inside Chinese text."""
    line = line.translate(_INVISIBLE).replace("\u00a0", " ").strip(" \t\u3000")
    line = _curly_quotes(_ASCII_MARK.sub(lambda m: _ASCII_MARKS[m.group(0)], line))
    return _STRAY_SPACE.sub("", line)


_PHRASE_GAP = re.compile(r"[ \t\u00a0\u3000]+")


def phrases_kept(line: str) -> str:
    """A line of phrases set apart by spaces, as a theme is written (公开惠民生　服务暖人心), with its gaps kept; any
    other line as clean_line makes it (the spaces of a justified web line, 活 动 主 题, are stray)."""
    parts = _PHRASE_GAP.split(raw_line(line))
    if 2 <= len(parts) <= 4 and all(len(part) >= 3 and re.fullmatch(rf"[{_CJK}]+", part) for part in parts):
        return raw_line(line)
    return clean_line(line)


def raw_line(line: str) -> str:
    """A line whose inner spacing matters (a slogan's two halves): only the ends trimmed."""
    return line.translate(_INVISIBLE).replace("\u00a0", " ").strip(" \t\u3000")


def source_lines(text: str) -> tuple[list[str], bool]:
    """The text's lines as the preview numbers them (from 1), converted to Simplified; and whether it was
    Traditional."""
    text = checked_size(str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text, traditional = simplified(text)
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise Refusal(_l("文字的行数太多（超过%(n)s行），不像一份活动方案。", n=MAX_LINES), field="text")
    return lines, traditional


def is_debris(line: str) -> bool:
    return bool(DEBRIS.search(line))
