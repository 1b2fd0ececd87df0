"""Static files fingerprinted: every static URL a page links carries its file's content hash, and the static route
answers that URL with a year's max-age (any other with a revalidation)."""

import hashlib
import re
from pathlib import Path

from campaign.web.assets import LONG_CACHE

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_pages_link_static_files_by_content_hash_and_they_are_cached_for_a_year(organizer_client):
    page = organizer_client.get("/auth/login", follow_redirects=True).get_data(as_text=True)
    links = re.findall(r'/static/([^"?]+)\?v=([0-9a-f]+)"', page)
    assert links
    for filename, version in links:
        assert version == hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]
        response = organizer_client.get(f"/static/{filename}?v={version}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == LONG_CACHE
        response.close()
    filename, version = links[0]
    # A stale or missing fingerprint is not cached for long: the file may have changed since.
    for url in (f"/static/{filename}", f"/static/{filename}?v=000000000000"):
        response = organizer_client.get(url)
        assert response.status_code == 200 and "immutable" not in response.headers.get("Cache-Control", "")
        response.close()


def test_a_changed_file_gets_a_new_url(tmp_path):
    from campaign.web.assets import content_hashes

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text("body{}")
    before = content_hashes(str(tmp_path))["css/a.css"]
    (tmp_path / "css" / "a.css").write_text("body{color:red}")
    assert content_hashes(str(tmp_path))["css/a.css"] != before
