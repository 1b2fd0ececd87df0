"""Fixtures the booth tests share."""

import pytest

from tests.booths.staff import PIN


@pytest.fixture
def booth(factory):
    """A booth of 江滨区人社局 at an on-site activity it leads, with a known PIN (a test file may define its own)."""
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    return factory.booth(activity, unit, pin=PIN)
