"""Paginated lists: the page a query string asks for, and the page size. Lists are paged with db.paginate and shown
with the `pager` macro of templates/_forms.html (which keeps the filters in the links)."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PER_PAGE = 50
MAX_PAGE = 100_000


def page_arg(args: Mapping[str, str]) -> int:
    """?page=N, or 1 for anything that is not a page number."""
    page = args.get("page", "1")
    return int(page) if page.isdecimal() and len(page) <= 6 and 0 < int(page) <= MAX_PAGE else 1


@dataclass
class ListPage:
    """One page of a list already in memory, with the attributes of Flask-SQLAlchemy's Pagination the `pager`
    macro reads: for lists whose order or filter is computed in Python (a summary's state)."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: Sequence[Any], page: int, per_page: int = PER_PAGE) -> "ListPage":
        # A page past the end (an old link after a filter changed) shows the last page.
        page = max(1, min(page, math.ceil(len(rows) / per_page) or 1))
        start = (page - 1) * per_page
        return cls(items=list(rows[start:start + per_page]), page=page, per_page=per_page, total=len(rows))

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None
