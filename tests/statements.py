"""The SQL statements a piece of test code sends: the one way the query-count tests count them."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from campaign.web.extensions import db


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """Every statement the block sends, in order (the list fills as the block runs)."""
    sent: list[str] = []

    def listener(_connection, _cursor, statement, *_rest) -> None:
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def count_statements(run: Callable[[], object], expire: bool = False) -> int:
    """How many statements `run()` sends; `expire`: the session's objects expired first, so that nothing comes
    from what an earlier step loaded."""
    if expire:
        db.session.expire_all()
    with statements_sent() as sent:
        run()
    return len(sent)


def page_statements(client, url: str, expire: bool = False) -> int:
    """How many statements one GET of a page sends; the page must answer 200."""
    if expire:
        db.session.expire_all()
    with statements_sent() as sent:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(sent)
