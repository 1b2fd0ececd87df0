"""The app as `make run` serves it (scripts/serve.py: nginx in front of gunicorn), against slow clients.

Ten clients that send their request bodies a byte at a time once held every gunicorn thread for as long as they
liked (about 50 s in the attack); behind nginx, which reads each body whole before gunicorn sees it, a normal
request is answered while they are still sending.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.serverutil import ROOT, free_port, new_database

pytestmark = pytest.mark.slow

SLOW_CLIENTS = 12  # more than gunicorn's 2 workers × 4 threads
BODY_BYTES = 40
BYTE_EVERY = 0.5  # seconds: each slow body takes 20 s to arrive


@pytest.fixture
def served(tmp_path, migrated_database):
    url = new_database(tmp_path, "served", template=migrated_database)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "serve-test", "UPLOAD_DIR": str(tmp_path / "uploads"),
           "HUEY_URL": f"sqlite:///{tmp_path / 'queue.db'}", "JOB_SCRATCH_DIR": str(tmp_path / "job-scratch")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port), "--instance", str(tmp_path)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/auth/login", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve.py did not start:\n{process.stdout.read().decode()}")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    status, _headers, body = _get_with_headers(port, path, timeout)
    return status, body


def _get_with_headers(port: int, path: str, timeout: float) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_static_files_come_from_nginx_fingerprinted_and_cached_for_a_year(served):
    import gzip
    import re
    from pathlib import Path

    _status, _headers, page = _get_with_headers(served, "/auth/login", timeout=10)
    links = re.findall(r'(/static/[^"?]+)\?v=([0-9a-f]{12})', page.decode())
    assert links, "the page links no fingerprinted static file"
    for path, version in links:
        status, headers, body = _get_with_headers(served, f"{path}?v={version}", timeout=10)
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable", (path, headers)
        assert "server" in headers and "nginx" in headers["server"]  # nginx answered, not a gunicorn thread
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        assert body == (ROOT / path.lstrip("/")).read_bytes()
        assert Path(path).suffix in (".css", ".js", ".svg")
    # Without the fingerprint the browser revalidates.
    _status, headers, _body = _get_with_headers(served, links[0][0], timeout=10)
    assert headers["cache-control"] == "no-cache"


def _slow_client(port: int, finished: list, stop: threading.Event) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {BODY_BYTES}\r\n\r\n".encode()
        )
        for _ in range(BODY_BYTES):
            if stop.wait(BYTE_EVERY):
                return
            sock.sendall(b"x")
        finished.append(time.monotonic())


def test_slow_request_bodies_do_not_hold_the_app(served):
    finished: list[float] = []
    stop = threading.Event()
    clients = [threading.Thread(target=_slow_client, args=(served, finished, stop), daemon=True)
               for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    try:
        time.sleep(2)  # every slow client connected and a few bytes in
        status, body = _get(served, "/auth/login", timeout=10)
        answered = time.monotonic()
        assert status == 200 and "登录".encode() in body
        # Answered while every slow client was still sending: none of them held a worker.
        assert finished == [] or answered < min(finished)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)


def test_an_upload_past_every_limit_is_refused_in_chinese(served):
    status, _ = _get(served, "/favicon.ico", timeout=10)
    assert status == 200
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    connection.putrequest("POST", "/auth/login")
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(200 * 1024 * 1024))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert "上传的内容太大" in response.read().decode()
    connection.close()
