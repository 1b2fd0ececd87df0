"""Counts typed by a unit contact: what is read, and what is refused in words (never a 500)."""

import pytest

from campaign.summaries.cleaning import FIGURE_MAX, parse_whole_number
from campaign.web.refusal import Refusal


@pytest.mark.parametrize(("typed", "read"), [("1,234", 1234), ("１２３", 123), ("  ", None), (None, None), ("007", 7),
                                             (str(FIGURE_MAX), FIGURE_MAX)])
def test_counts_as_people_type_them(app, typed, read):
    assert parse_whole_number(typed, "接待群众（人次）", "unit-people") == read


@pytest.mark.parametrize("typed", [str(FIGURE_MAX + 1), "9" * 30, "9" * 4301, "1" + "0" * 5000])
def test_a_number_too_large_is_refused_in_words(app, typed):
    """A number of thousands of digits once raised Python's own limit on reading integers: a 500 (Hypothesis)."""
    with app.test_request_context(), pytest.raises(Refusal) as refused:
        parse_whole_number(typed, "接待群众（人次）", "unit-people")
    assert "不能超过" in refused.value.message and refused.value.field == "unit-people"
