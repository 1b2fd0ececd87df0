"""Paginated lists: the page a query string asks for, and the page size. Lists are paged with db.paginate and shown
with the `pager` macro of templates/_forms.html (which keeps the filters in the links)."""

from collections.abc import Mapping

PER_PAGE = 50
MAX_PAGE = 100_000


def page_arg(args: Mapping[str, str]) -> int:
    """?page=N, or 1 for anything that is not a page number."""
    page = args.get("page", "1")
    return int(page) if page.isdecimal() and len(page) <= 6 and 0 < int(page) <= MAX_PAGE else 1
