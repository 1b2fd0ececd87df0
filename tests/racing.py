"""Races inside the test process: the same work in several threads of the app at once, as the server's threads run
requests, each with its own app context and database session, so the database's own rules (UNIQUE constraints,
row locks) decide who wins."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from campaign.web.extensions import db


def at_once(app, work: Callable[[Callable[[], Any], Any], Any], args: Sequence, timeout: float = 30) -> list:
    """Runs `work(ready, arg)` for each of `args`, each in a thread of its own → what each returned, in the order
    they finished. `ready()` waits until every thread has called it: what follows it runs in all at the same moment
    (what comes before, such as loading rows into the thread's session, does not). An exception in any thread, or a
    thread still running after `timeout` seconds, fails the test."""
    barrier = threading.Barrier(len(args))
    results: list = []
    failures: list[BaseException] = []

    def ready() -> None:
        barrier.wait(timeout=timeout)

    def run(arg) -> None:
        try:
            with app.app_context():
                try:
                    results.append(work(ready, arg))
                finally:
                    db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not [thread for thread in threads if thread.is_alive()], f"still running after {timeout} s"
    assert failures == []
    return results
