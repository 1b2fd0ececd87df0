"""The quantifier follows the ratio: never 个别 for 11 of 25."""

from hypothesis import given
from hypothesis import strategies as st

from campaign.shared.quantifiers import quantifier


def test_the_words_by_ratio():
    assert quantifier(11, 25) == "部分"
    assert quantifier(2, 25) == "个别"
    assert quantifier(4, 25) == "部分"  # 16 % is more than a handful
    assert quantifier(3, 400) == "个别"
    assert quantifier(5, 400) == "部分"  # a small share, but five units are not 个别
    assert quantifier(13, 25) == "多数"
    assert quantifier(25, 25) == "全部"
    assert quantifier(0, 25) == ""


@given(st.integers(1, 500), st.integers(1, 500))
def test_more_of_the_same_whole_never_takes_a_smaller_word(part, whole):
    order = ["", "个别", "部分", "多数", "全部"]
    part = min(part, whole)
    if part < whole:
        assert order.index(quantifier(part, whole)) <= order.index(quantifier(part + 1, whole))
