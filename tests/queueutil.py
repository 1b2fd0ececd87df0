"""A real consumer of the task queue for tests: Huey's own Consumer, in threads of the test process
(ConsumerThread) or as `flask queue worker` in a process of its own that a test may kill (ConsumerProcess).

Not Huey's immediate mode: that runs a task inside the call that enqueues it, so neither the storage, nor the
commit-before-enqueue order, nor a consumer's death would be tested.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huey.consumer import ConsumerStopped

from campaign.jobs.queue import CampaignConsumer, queue_for

ROOT = Path(__file__).resolve().parent.parent


class _ThreadConsumer(CampaignConsumer):
    def _set_signal_handlers(self):
        # Signal handlers belong to the main thread (pytest's); this consumer is stopped by stop() instead.
        pass


class ConsumerThread:
    """`with ConsumerThread(app):` — two worker threads and the scheduler, polling the app's queue every 50 ms, and
    the consumer's main loop (which reaps dead jobs) in a thread of its own."""

    def __init__(self, app, workers: int = 2):
        self.consumer = queue_for(app).consumer(workers, consumer_class=_ThreadConsumer, initial_delay=0.05,
                                                max_delay=0.1, backoff=1.0)
        self.main = threading.Thread(target=self._main_loop, name="consumer-main", daemon=True)

    def _main_loop(self) -> None:
        checked = time.monotonic()
        while True:
            try:
                checked = self.consumer.loop(checked)
            except ConsumerStopped:
                return

    def __enter__(self) -> "ConsumerThread":
        self.consumer.start()
        self.main.start()
        return self

    def __exit__(self, *exc) -> None:
        self.consumer.stop(graceful=True)
        self.main.join(10)


class ConsumerProcess:
    """`flask queue worker` in a process of its own, with the given environment (DATABASE_URL, HUEY_URL …)."""

    def __init__(self, env: dict):
        self.env = {**os.environ, "FLASK_APP": "wsgi", **env}
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile("w+b", prefix="consumer-", suffix=".log", delete=False)  # noqa: SIM115  # closed by close()

    def start(self) -> "ConsumerProcess":
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "queue", "worker", "--workers", "1"],
                                        cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: a crash mid-job, nothing written after it."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Huey's graceful stop
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def output(self) -> str:
        return Path(self.log.name).read_bytes().decode(errors="replace")[-5000:]

    def close(self) -> None:
        self.stop()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> "ConsumerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def wait_for(predicate, limit: float, step: float = 0.02):
    """predicate() → its first truthy value within `limit` seconds; AssertionError after."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {limit} s")


@contextmanager
def served_with_queue(app) -> Iterator[str]:
    """The test's database behind gunicorn (two workers) with a `flask queue worker` of its own: the base URL, for
    a browser test of background work."""
    from tests.serverutil import Server

    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "browser-test-secret",
           "UPLOAD_DIR": app.config["UPLOAD_DIR"], "LOGIN_RATE_LIMIT": "1000 per minute",
           "HUEY_URL": app.config["HUEY_URL"], "JOB_SCRATCH_DIR": app.config["JOB_SCRATCH_DIR"]}
    with Server(env=env, workers=2, threads=4) as running, ConsumerProcess(env):
        yield f"http://{running.host}:{running.port}"
