"""A throwaway PostgreSQL cluster on loopback, for `make test` and bench/booth_load.py --postgres.

    python scripts/pgcluster.py run [--durable] -- COMMAND ...

starts a fresh cluster (Debian's postgresql: /usr/lib/postgresql/<version>/bin) in a temporary folder on a free
port, runs COMMAND with TEST_DATABASE_URL naming its `postgres` database, then stops the cluster and removes the
folder, also when COMMAND fails or the run is interrupted; the exit status is COMMAND's.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user that the Debian package
creates, and its programs are started through `runuser`. The cluster only listens on 127.0.0.1, its socket sits
in its own folder, and it trusts every local connection: it holds nothing but test data and lives minutes.
Without --durable it skips fsync (tests: a crash of the machine throws the cluster away anyway) and, where there is
room, keeps its files in memory (/dev/shm): the suite creates and drops a database for every test, and on a disk
each CREATE DATABASE took ~0.3 s (its checkpoints and file copies), in memory ~20 ms. Benches pass --durable so
that a commit costs what it costs in production, on disk. PGCLUSTER_DIR=/some/folder picks the folder instead.
"""

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUPERUSER = "campaign"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (make test does it).")
    return Path(found[-1]).parent


def _scratch_dir(durable: bool) -> str | None:
    """Where the cluster's folder goes: PGCLUSTER_DIR if set; for a throwaway cluster /dev/shm when it is a
    writable tmpfs with 2 GiB free; otherwise None (the system's temporary folder)."""
    if os.environ.get("PGCLUSTER_DIR"):
        return os.environ["PGCLUSTER_DIR"]
    shm = "/dev/shm"
    if durable or not os.path.isdir(shm) or not os.access(shm, os.W_OK):
        return None
    stats = os.statvfs(shm)
    return shm if stats.f_bavail * stats.f_frsize >= 2 * 1024**3 else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb + pg_ctl start on a free loopback port; stop() stops it and removes its files."""

    def __init__(self, durable: bool = False):
        self.durable = durable
        self.bin = _bin_dir()
        self.folder: Path | None = None
        self.port = 0
        self.as_postgres = os.geteuid() == 0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the cluster's `postgres` database (tests create their own databases from there)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> "Cluster":
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-pg-", dir=_scratch_dir(self.durable)))
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        try:
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                      "--locale", "C.UTF-8", "--no-instructions", *([] if self.durable else ["--no-sync"]))
            settings = {
                "listen_addresses": "'127.0.0.1'",
                "unix_socket_directories": f"'{self.folder}'",
                "max_connections": "200",
                "shared_buffers": "128MB",
                "log_min_messages": "warning",
            }
            if not self.durable:
                settings.update(fsync="off", synchronous_commit="off", full_page_writes="off")
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
            for _attempt in range(3):
                # A port found free may be taken before the server binds it: then another one.
                self.port = _free_port()
                try:
                    self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                              "-o", f"-p {self.port}", "-w", "-t", "30", "start")
                    return self
                except subprocess.CalledProcessError:
                    continue
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log()}")
        except BaseException:
            self.stop()
            raise

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.folder / "server.log").read_text(errors="replace")[-5000:]
        return ""

    def stop(self) -> None:
        folder, self.folder = self.folder, None
        if folder is None:
            return
        if (folder / "data" / "postmaster.pid").exists():
            self.folder = folder
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run("pg_ctl", "-D", str(folder / "data"), "-m", "immediate", "-w", "stop")
            self.folder = None
        shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _stop_on_term(signum, frame):
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run a command against a throwaway PostgreSQL cluster.")
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="start a cluster, run COMMAND with TEST_DATABASE_URL set, stop the cluster")
    run.add_argument("--durable", action="store_true", help="keep fsync on (for benches)")
    run.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    signal.signal(signal.SIGTERM, _stop_on_term)
    with Cluster(durable=args.durable) as cluster:
        print(f"PostgreSQL {cluster.bin.parent.name} on 127.0.0.1:{cluster.port} ({cluster.folder})", flush=True)
        started = time.monotonic()
        code = subprocess.call(command, env={**os.environ, "TEST_DATABASE_URL": cluster.url})
        print(f"PostgreSQL run: exit {code} after {time.monotonic() - started:.0f} s; stopping the cluster", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
