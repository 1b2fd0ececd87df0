"""A total with its parts, as summaries write it: "33人次，其中政策咨询11人次、办事咨询7人次、其他15人次".

One rule for the units' drafts and the report: the parts named always add up to the total written. What the named
parts leave out is named too (其他…), never silently dropped; parts that would add up to more than the total (a
total corrected downwards after the parts were counted) are not listed under it at all.
"""

from collections.abc import Callable, Iterable


def parts_text(total: int, parts: Iterable[tuple[str, int]], measure: str, rest: str = "其他",
               number: Callable[[int], str] = str) -> str:
    """"其中A 11人次、B 7人次、其他15人次" for the parts of `total` (zeros left out); "" when there is nothing to
    list: no parts, parts that exceed the total, or one part that is the whole total."""
    named = [(name, int(count)) for name, count in parts if count and int(count) > 0]
    listed = sum(count for _name, count in named)
    if not named or listed > total or (len(named) == 1 and listed == total):
        return ""
    items = [f"{name}{number(count)}{measure}" for name, count in named]
    if listed < total:
        items.append(f"{rest}{number(total - listed)}{measure}")
    return "其中" + "、".join(items)


def with_parts(total: int, parts: Iterable[tuple[str, int]], measure: str, rest: str = "其他",
               number: Callable[[int], str] = str) -> str:
    """"33人次，其中…" — the total with its measure word, then its parts when there are any to list."""
    listed = parts_text(total, parts, measure, rest, number)
    return f"{number(total)}{measure}" + (f"，{listed}" if listed else "")
