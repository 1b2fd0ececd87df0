"""Numbers as official Chinese text writes them: read with their measure words (33人次, 三十三人次, 2,300余份, 98%),
skipping what is not a count (dates, years, 文号, editions, ordinals, quoted names), and written in Chinese
numerals for any count. Used by the numbers check before an export (consistency.py)."""

import re
from dataclasses import dataclass

# Measure word → the kind of thing counted. The longest words first, so 个单位 is read before 个.
MEASURES = {
    "人次": "people", "人": "people", "名": "people",
    "家单位": "units", "个单位": "units", "家": "units",
    "份": "copies", "个": "count", "场": "sessions", "件": "items", "项": "activities", "块": "boards",
    "条": "lines", "篇": "articles", "张": "photos", "次": "times", "处": "places", "%": "percent", "％": "percent",
}
_MEASURE = "|".join(sorted(map(re.escape, MEASURES), key=len, reverse=True))
_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUMBER = re.compile(
    rf"(?P<number>\d[\d,，]*|[{_CN_DIGITS}]+)(?P<approx>余|多)?(?P<measure>{_MEASURE})"
)
# Quoted names and titles: “…” ‘…” "…" 《…》 「…」.
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|《[^》]*》|「[^」]*」|'[^']*'")
SENTENCE_END = re.compile(r"[。！？!?\n]")
CLAUSE_MARK = "，,；;：:（）()"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_value(text: str) -> int | None:
    """三十三 → 33, 一百零五 → 105, 两千三百 → 2300, 二〇二六 → 2026; None when it is not a number."""
    if not text:
        return None
    if all(char in _CN_VALUES for char in text):  # read digit by digit (二〇二六)
        return int("".join(str(_CN_VALUES[char]) for char in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_VALUES:
            digit = _CN_VALUES[char]
        elif char == "万":
            section = (section + (digit or 0)) * 10000
            total, section, digit = total + section, 0, None
        elif char in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def cn_spelled(n: int) -> str:
    """Any count in Chinese numerals (shared/formatting.cn_number writes 1 to 99): 105 → 一百零五, 10086 → 一万零八十六."""
    digits = "零一二三四五六七八九"

    def below_10000(value: int) -> str:
        text, gap, started = "", False, False
        for digit, unit in zip(f"{value:04d}", ("千", "百", "十", ""), strict=True):
            if digit == "0":
                gap = gap or started
                continue
            text += ("零" if gap else "") + digits[int(digit)] + unit
            gap, started = False, True
        return text

    if n < 10000:
        text = below_10000(n) or "零"
        return text[1:] if 10 <= n < 20 else text
    high, low = divmod(n, 10000)
    return cn_spelled(high) + "万" + (("零" if low < 1000 else "") + below_10000(low) if low else "")


@dataclass
class Mention:
    """A number as the text writes it."""

    section: str
    sentence: str
    written: str  # "三十三人次"
    number_text: str  # "三十三"
    value: int
    approximate: bool
    kind: str
    start: int  # in the section's text
    end: int
    before: str
    after: str
    sentence_start: int = 0  # where the sentence starts in the section's text


def _masked(text: str, names: tuple[str, ...] = ()) -> str:
    """The text with quoted names, and the names given (units: 区12345热线中心), blanked out (same length, so
    offsets stay)."""
    masked = QUOTED.sub(lambda match: "\u3000" * len(match.group()), text)
    for name in sorted((name for name in names if any(ch.isdigit() for ch in name)), key=len, reverse=True):
        masked = masked.replace(name, "\u3000" * len(name))
    return masked


def mentions(section: str, text: str, names: tuple[str, ...] = ()) -> list[Mention]:
    """Every figure the text writes, in order; a number inside one of `names` is part of a name."""
    masked = _masked(text, names)
    found = []
    for match in NUMBER.finditer(masked):
        number = match.group("number")
        start = match.start()
        preceding = masked[start - 1] if start else ""
        if preceding == "第" or preceding.isdigit():
            continue  # 第三场 is an ordinal
        if number in ("一", "两") and not match.group("approx"):
            continue  # 一个、一次、两项 are words (一次性, 一个不落), not figures
        value = int(number.replace(",", "").replace("，", "")) if number[0].isdigit() else cn_value(number)
        if value is None:
            continue
        found.append((match, value))
    result = []
    for index, (match, value) in enumerate(found):
        start, end = match.span()
        sentence_start = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
        next_end = SENTENCE_END.search(text, end)
        sentence_end = next_end.end() if next_end else len(text)
        clause_start = max([sentence_start, *(i + 1 for i in range(sentence_start, start) if text[i] in CLAUSE_MARK)])
        if index and found[index - 1][0].end() > clause_start:
            clause_start = found[index - 1][0].end()
        clause_end = next((i for i in range(end, sentence_end) if text[i] in CLAUSE_MARK + "。！？\n"), sentence_end)
        if index + 1 < len(found) and found[index + 1][0].start() < clause_end:
            clause_end = found[index + 1][0].start()
        raw = text[sentence_start:sentence_end]
        result.append(Mention(
            section=section,
            sentence=raw.strip(),
            sentence_start=sentence_start + len(raw) - len(raw.lstrip()),
            written=text[start:end],
            number_text=match.group("number"),
            value=value,
            approximate=bool(match.group("approx")),
            kind=MEASURES[match.group("measure")],
            start=start,
            end=end,
            before=masked[clause_start:start],
            after=masked[end:clause_end],
        ))
    return result
