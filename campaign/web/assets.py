"""Static files cached by browsers: each URL carries its file's content hash (`?v=…`, computed once at start-up),
so a page need not revalidate its style sheets and scripts on every load, and a changed file gets a new URL.

`url_for('static', filename=…)` adds the hash (url_defaults); the static route answers a request whose `v` is the
file's current hash with a year's max-age and `immutable`, and anything else as Flask does (revalidated). nginx,
which serves /static/ itself under `make run` (deploy/nginx.conf), sends the same header for a URL with `v`.
"""

import hashlib
from pathlib import Path

from flask import Flask, request

LONG_CACHE = "public, max-age=31536000, immutable"
HASH_LENGTH = 12


def content_hashes(folder: str) -> dict[str, str]:
    """{path relative to the static folder, with /: the first characters of its SHA-256}."""
    root = Path(folder)
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    return hashes


def register(app: Flask) -> None:
    hashes = content_hashes(app.static_folder) if app.static_folder else {}
    app.extensions["asset_hashes"] = hashes

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = hashes.get(values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes.get(filename):
                response.headers["Cache-Control"] = LONG_CACHE
        return response
