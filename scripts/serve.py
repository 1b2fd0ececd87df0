"""The app as `make run` serves it: nginx in front on the public port, gunicorn behind it on a unix socket, and the
task queue's consumer (`flask queue worker`) for the background jobs.

    python scripts/serve.py [--port 5000] [--host 127.0.0.1] [--instance instance] [--workers 2] [--threads 4]

nginx reads every request body whole before gunicorn's workers see it (see deploy/nginx.conf for why). honcho
runs the three processes, prefixes their output, and stops them all when one stops or on Ctrl-C. Everything nginx
writes (its config, pid, buffers) goes to <instance>/run/.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

from honcho.manager import Manager

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The app's MAX_CONTENT_LENGTH default (campaign/web/config.py); nginx allows a little more.
DEFAULT_MAX_CONTENT_LENGTH = 64 * 1024 * 1024


def nginx_config(run: Path, listen: str, socket: Path, max_body: int) -> str:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    # Workers of an nginx started by root would run as `nobody`, who may not read the instance folder.
    user = "user root;" if os.geteuid() == 0 else ""
    for name, value in {"RUN": str(run), "LISTEN": listen, "SOCKET": str(socket), "USER": user,
                        "STATIC": str(ROOT / "static"),
                        "MAX_BODY": str(max_body + 1024 * 1024)}.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--instance", default=str(ROOT / "instance"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--queue-workers", type=int, default=2, help="background jobs run at once")
    args = parser.parse_args()

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("nginx is missing: apt-get install nginx (make run does it).", file=sys.stderr)
        return 1
    run = Path(args.instance).resolve() / "run"
    run.mkdir(parents=True, exist_ok=True)
    socket = run / "gunicorn.sock"
    socket.unlink(missing_ok=True)
    config = run / "nginx.conf"
    max_body = int(os.environ.get("MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH))
    config.write_text(nginx_config(run, f"{args.host}:{args.port}", socket, max_body))

    env = {**os.environ, "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "1")}
    manager = Manager()
    manager.add_process(
        "web",
        f"{BIN / 'gunicorn'} --bind unix:{socket} --workers {args.workers} --threads {args.threads} "
        f"--access-logfile - wsgi:app",
        env=env, cwd=str(ROOT),
    )
    manager.add_process("queue", f"{BIN / 'flask'} queue worker --workers {args.queue_workers}",
                        env={**env, "FLASK_APP": "wsgi"}, cwd=str(ROOT))
    manager.add_process("proxy", f"{nginx} -p {run} -c {config} -g 'daemon off;'", cwd=str(ROOT))
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
