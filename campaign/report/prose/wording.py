"""Small pieces of the report's wording shared by its composers: lists of names, counts with 其中 lists that add
up, ordinal points."""

from campaign.shared.formatting import cn_number

NAMES_SHOWN = 6


def names(labels: list[str], limit: int = NAMES_SHOWN, noun: str = "个单位") -> str:
    """区发改局、区人社局 — or, past `limit`, the first ones and how many in all: 区发改局、…等20个单位."""
    labels = [label for label in labels if label]
    if len(labels) <= limit:
        return "、".join(labels)
    return "、".join(labels[:limit]) + f"等{len(labels)}{noun}"


def counted_names(labels: list[str], limit: int = NAMES_SHOWN, noun: str = "家单位") -> str:
    """The names with their number always said: 区人社局、区医保局2家单位 / …等20家单位."""
    labels = [label for label in labels if label]
    if len(labels) <= limit:
        return "、".join(labels) + (f"{len(labels)}{noun}" if len(labels) > 1 else "")
    return names(labels, limit, noun)


def parts_of(total: int, parts: list[tuple[str, int]], unit: str) -> str:
    """"其中A 3人次、B 2人次" whose parts add up to `total`: what they leave out is said as 其他N."""
    shown = [(name, count) for name, count in parts if count]
    if not shown:
        return ""
    rest = total - sum(count for _name, count in shown)
    text = "其中" + "、".join(f"{name}{count}{unit}" for name, count in shown)
    if rest > 0:
        text += f"、其他{rest}{unit}"
    return text


def ordinal_points(points: list[str]) -> str:
    """一是……。\n二是……。 — each point its own line, as the offices number them."""
    return "\n".join(f"{cn_number(index)}是{point}" for index, point in enumerate(points, start=1))


def sentence(*clauses: str) -> str:
    """Clauses joined by ， into one sentence ending in 。; "" when all are empty."""
    text = "，".join(clause.strip("，。；") for clause in clauses if clause and clause.strip("，。；"))
    return f"{text}。" if text else ""
