"""The phone's hot path skips the rate limiter: a view under a limit may not be put on it."""

import pytest

from campaign.web import hotpath
from campaign.web.extensions import limiter


def test_a_view_under_a_rate_limit_cannot_be_on_the_hot_path(app):
    @limiter.limit("5/minute")
    @hotpath.hot_path
    def limited_entry():
        return ""

    app.view_functions["test.limited_entry"] = limited_entry
    try:
        with pytest.raises(RuntimeError, match="test.limited_entry carries a rate limit"):
            hotpath.register(app)
    finally:
        del app.view_functions["test.limited_entry"]


def test_the_hot_path_is_the_phones_two_entry_endpoints(app):
    hot = {endpoint for endpoint in app.view_functions if hotpath.is_hot(app, endpoint)}
    assert hot == {"booths.staff.api_consultations", "booths.staff.api_handouts"}
