"""Sentences of the report's prose: how a unit's text is split, lightly normalised, compared and attributed, and the
rule that no sentence is said twice.

Pure Python and deterministic: character n-grams, no outside service. The units' words are kept as they wrote
them; normalising only trims, turns ASCII punctuation between Chinese text into full-width and drops a leading
enumeration (一是, （一）, 1.) that belonged to the unit's own list.
"""

import re
from collections import Counter
from collections.abc import Iterable

# A sentence of at least this many characters (punctuation not counted) may appear only once in the report.
REPEAT_MIN_CHARS = 20
# Two points are the same point when the Dice coefficient of their character bigrams reaches this.
SAME_POINT = 0.55
# Or when their first clauses, of at least HEAD_MIN_CHARS characters, are this alike (企业参与热情不高，…).
SAME_HEAD, HEAD_MIN_CHARS = 0.7, 4
# A city's units make thousands of points: only this many of a section are grouped (in the units' order: a
# district's 20–60 units make fewer), each compared with each group's first wording; the report says how many
# more there were.
POINTS_GROUPED = 300

_ENDS = "。！？；"
# Sentence ends, and a colon that opens the unit's own list (……存在一些不足：一是……).
_SPLIT = re.compile(r"(?<=[。！？；])|(?<=：)(?=[一二三四五六七八九十]+是)|\n+")
_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．)）]"
    r"|第[一二三四五六七八九十]+[，,、]|首先[，,]|其次[，,]|再次[，,]|最后[，,]|同时[，,]|此外[，,]|另外[，,])\s*"
)
_ASCII = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT = re.compile(r"[\s，。！？；：、“”‘’《》（）()「」【】\-—…·,.;:!?\"']")
# How units speak of themselves: replaced by the unit's name when the sentence is quoted.
# (本 only before words it cannot begin otherwise: 本会场, 本办法 are not a unit.)
_SELF = re.compile(r"我(?:单位|街道|分局|中心|局|镇|办|馆|会|队|委|所)|本(?:单位|局|中心|街道)")


def _ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def normalise(text: str) -> str:
    """Trimmed, ASCII punctuation in Chinese text made full-width (a decimal point or a thousands comma between
    digits, and punctuation inside Latin text, stay), no space beside a Chinese character."""
    text = " ".join(str(text or "").split())
    out = []
    for index, ch in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if ch in _ASCII or ch == ".":
            between_digits = ch in ",." and before.isdigit() and after.isdigit()
            in_latin = _ascii(before) and (_ascii(after) or after in " ") and not before.isdigit()
            if not between_digits and not in_latin:
                ch = _ASCII.get(ch, "。")
        elif ch == " " and not (_ascii(before) and _ascii(after)):
            continue
        out.append(ch)
    return "".join(out).strip()


def strip_ordinal(sentence: str) -> str:
    return _ORDINAL.sub("", sentence, count=1).strip()


def split_sentences(text: str) -> list[str]:
    """A unit's text as sentences, each ending in its own punctuation (a clause cut at ； ends in 。): the
    enumeration of its list dropped, empty pieces left out."""
    sentences = []
    lines = [normalise(strip_ordinal(line)) for line in str(text or "").replace("\r\n", "\n").split("\n")]
    for piece in _SPLIT.split("\n".join(lines)):
        piece = strip_ordinal(piece.strip())
        if piece.endswith("：") or piece.endswith(":"):
            continue  # a lead-in to a list (存在以下不足：), not a point
        core = piece.rstrip(_ENDS + "，、：")
        if not key(core):
            continue
        tail = piece[len(core):len(core) + 1]
        sentences.append(core + (tail if tail and tail in "。！？" else "。"))
    return sentences


def key(sentence: str) -> str:
    """What two sentences are compared by: the characters without punctuation and spaces."""
    return _PUNCT.sub("", sentence)


def bigrams(sentence: str) -> frozenset[str]:
    """The sentence's character bigrams (punctuation left out), as a set."""
    text = key(sentence)
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _dice(first: frozenset[str], second: frozenset[str]) -> float:
    total = len(first) + len(second)
    return 2 * len(first & second) / total if total else 0.0


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams: 1.0 for the same words, 0.0 for nothing in common."""
    return _dice(bigrams(a), bigrams(b))


def containment(part: str, whole: str) -> float:
    """The share of `part`'s bigrams found in `whole`: 1.0 when `part` says nothing `whole` does not."""
    first = bigrams(part)
    return len(first & bigrams(whole)) / len(first) if first else 1.0


def has_figures(sentence: str) -> bool:
    return any(ch.isdigit() for ch in sentence)


def attributed(label: str, sentence: str) -> str:
    """The unit's sentence said as the unit's: its name in place of its first 我局/本单位, or before the sentence."""
    sentence = sentence.strip()
    if label in sentence:
        return sentence
    if _SELF.search(sentence):
        return _SELF.sub(label, sentence, count=1)
    return f"{label}{sentence}" if sentence.startswith(("在", "于", "通过", "将", "把", "对", "针对", "围绕", "结合"))\
        else f"{label}：{sentence}"


def sentences_of(text: str) -> list[str]:
    """Every sentence of a composed text (paragraphs split at their ends; the last piece even without one)."""
    return [piece.strip() for piece in re.split(r"(?<=[。！？；])|\n+", text or "") if key(piece)]


def repeated_sentences(texts: Iterable[str], min_chars: int = REPEAT_MIN_CHARS,
                       formulaic: Iterable[str] = ()) -> list[str]:
    """The sentences of `min_chars` characters or more (punctuation not counted) found more than once over all the
    texts, in their first order. Formulaic sentences (a standing phrase the document may repeat) are allowed."""
    allowed = {key(sentence) for sentence in formulaic}
    seen: Counter = Counter()
    first: dict[str, str] = {}
    for text in texts:
        for sentence in sentences_of(text):
            k = key(sentence)
            if len(k) < min_chars or k in allowed:
                continue
            seen[k] += 1
            first.setdefault(k, sentence)
    return [first[k] for k in first if seen[k] > 1]


class Ledger:
    """What the report has said: a composer asks before it says a sentence again."""

    def __init__(self, min_chars: int = REPEAT_MIN_CHARS) -> None:
        self.min_chars = min_chars
        self._said: set[str] = set()
        self._quoted: set[str] = set()

    def was_said(self, sentence: str) -> bool:
        k = key(sentence)
        return len(k) >= self.min_chars and k in self._said

    def new_quote(self, sentence: str) -> bool:
        """True (and remembered) unless the same quote with other figures was said already (活动现场摆放展板3块… /
        …展板5块…: one unit's template in another's summary)."""
        shape = re.sub(r"[\d,.，%]+", "#", key(sentence))
        if shape in self._quoted:
            return False
        self._quoted.add(shape)
        return True

    def fresh(self, sentence: str) -> bool:
        """True (and remembered) unless the same long sentence was said already."""
        k = key(sentence)
        if len(k) < self.min_chars:
            return True
        if k in self._said:
            return False
        self._said.add(k)
        return True

    def said(self, text: str) -> None:
        for sentence in sentences_of(text):
            self.fresh(sentence)


def head(point: str) -> str:
    """A point's first clause (企业参与热情不高，…): what units saying the same thing most often share."""
    return re.split(r"[，：；。]", point, maxsplit=1)[0]


def group_points(points: list[tuple[str, str]], threshold: float = SAME_POINT) -> list[tuple[str, list[str]]]:
    """[(unit, point)] grouped: the same point in other words is one point (alike as a whole, or in its first
    clause, compared with the group's first wording). Each group, in the order of first mention, keeps the units
    that made it (each once) and a wording that is theirs: the first unit's, or — when they differ after a shared
    first clause — that clause alone, so no unit is given another's details. Only the first POINTS_GROUPED points
    are grouped; `left_out` counts the rest."""
    groups: list[tuple[frozenset[str], frozenset[str] | None, list[str], list[str]]] = []
    by_key: dict[str, int] = {}
    for unit, point in points[:POINTS_GROUPED]:
        whole = bigrams(point)
        first = head(point)
        first_bigrams = bigrams(first) if len(key(first)) >= HEAD_MIN_CHARS else None
        found = by_key.get(key(point))
        if found is None:
            for index, (other, other_head, _units, _wordings) in enumerate(groups):
                if _dice(whole, other) >= threshold or (
                        first_bigrams is not None and other_head is not None
                        and _dice(first_bigrams, other_head) >= SAME_HEAD):
                    found = index
                    break
        if found is None:
            by_key[key(point)] = len(groups)
            groups.append((whole, first_bigrams, [unit], [point]))
            continue
        units, wordings = groups[found][2], groups[found][3]
        if unit not in units:
            units.append(unit)
        wordings.append(point)
    result = []
    for _whole, _head, units, wordings in groups:
        wording = wordings[0]
        if len({key(other) for other in wordings}) > 1 and all(
                similarity(head(other), head(wording)) >= SAME_HEAD for other in wordings):
            wording = head(wording) + "。"
        result.append((wording, units))
    return result


def left_out(points: list) -> int:
    """How many points group_points did not look at."""
    return max(len(points) - POINTS_GROUPED, 0)
