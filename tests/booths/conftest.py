"""Fixtures the booth tests share."""

import time

import pytest

from tests.booths.staff import PIN


@pytest.fixture
def booth(factory):
    """A booth of 江滨区人社局 at an on-site activity it leads, with a known PIN (a test file may define its own)."""
    unit = factory.unit("江滨区人社局")
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    return factory.booth(activity, unit, pin=PIN)


@pytest.fixture
def three_booths(factory):
    """A campaign with three units' public booths at one activity: {campaign, booths, units}."""
    campaign = factory.campaign()
    units = [factory.unit(f"江滨区测试局{n}") for n in range(3)]
    activity = factory.activity(factory.group(campaign), units={unit: "cooperating" for unit in units})
    booths = [factory.booth(activity, unit, public=True) for unit in units]
    return dict(campaign=campaign, booths=booths, units=units)


@pytest.fixture
def finished_export(queue_worker):
    """Starts a background export with a POST (as the page's form does) → the finished job's status and its file:
    the real queue, a consumer thread of this process, the download through the app."""

    def run(client, url: str, data: dict, limit: float = 120) -> tuple[dict, bytes]:
        response = client.submit(url, data, headers={"Accept": "application/json"})
        assert response.status_code == 202, response.get_data(as_text=True)
        state = response.get_json()
        status_url = f"/campaigns/{state_campaign(url)}/exports/{state['id']}"
        stop = time.monotonic() + limit
        while state["active"]:
            assert time.monotonic() < stop, f"export still running after {limit} s: {state}"
            time.sleep(0.1)
            state = client.get(status_url).get_json()
        assert state["status"] == "done", state
        download = client.get(state["download_url"])
        assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
        return state, download.get_data()

    return run


def state_campaign(url: str) -> str:
    return url.split("/campaigns/")[1].split("/")[0]
