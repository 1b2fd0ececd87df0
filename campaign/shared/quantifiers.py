"""How many of a whole, in the words a district summary uses: 个别, 部分, 多数, 全部.

One rule for the district report and the units' drafts: "11 of 25 units did not report" is never 个别.
"""

# 个别 is a handful: at most this share of the whole and at most this many.
FEW_SHARE = 0.10
FEW_MAX = 3
# Below this share it is 部分; from it on, 多数 (until all of them).
MOST_SHARE = 0.5


def quantifier(part: int, whole: int) -> str:
    """The word for `part` of `whole` (both counts of the same things); "" when there are none."""
    if part <= 0 or whole <= 0:
        return ""
    if part >= whole:
        return "全部"
    share = part / whole
    if share <= FEW_SHARE and part <= FEW_MAX:
        return "个别"
    if share < MOST_SHARE:
        return "部分"
    return "多数"
