"""Fixtures the report tests share."""

import pytest

from tests.queueutil import served_with_queue


@pytest.fixture
def queue_server(app, world):
    """The test's database behind gunicorn with a queue worker of its own → the base URL; started once the test
    module's `world` fixture has put its campaign in the database."""
    with served_with_queue(app) as url:
        yield url
