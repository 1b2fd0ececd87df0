"""Fixtures the summaries' tests share: an issued campaign with the unit contact's summary in it, and the district
(six units of the plan, one summary in each state) of the review and reminder tests."""

import pytest

from campaign.plan.models import STATUS_ISSUED
from campaign.summaries.models import UnitSummary
from tests.summaries.helpers import build_district


@pytest.fixture
def campaign(factory):
    return factory.campaign(status=STATUS_ISSUED)


@pytest.fixture
def summary(factory, campaign, unit_contact) -> UnitSummary:
    return factory.summary(campaign, unit_contact.unit)


@pytest.fixture
def district(factory):
    return build_district(factory)
