"""The one rule for where a `next=` parameter may send a user after signing in or switching the language.

Only a path on this site: it starts with one slash, has no scheme or host, no backslash (browsers read `\\` as
`/`, so `/\\evil.example` is `//evil.example`) and no control character or white space (browsers drop tabs and
newlines from URLs, so `/%09/evil.example` becomes `//evil.example`; a newline in a Location header is a 500).
"""

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
