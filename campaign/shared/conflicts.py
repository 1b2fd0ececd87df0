"""INSERT … ON CONFLICT on the two databases the app runs on. SQLite and PostgreSQL share the clause; SQLAlchemy
spells it per dialect. The entries' exactly-once (booths/recording.py, booths/rehearsal.py), their receipt codes
(booths/receipts.py) and the running tallies (booths/tallies.py) rest on it."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

_INSERTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def conflict_insert(dialect: str, table: sa.Table | Any) -> sqlite.Insert | postgresql.Insert:
    """The dialect's INSERT for `table`, which has on_conflict_do_nothing and on_conflict_do_update."""
    if dialect not in _INSERTS:
        raise NotImplementedError(f"INSERT … ON CONFLICT is needed here; {dialect} is not supported")
    return _INSERTS[dialect](table)
