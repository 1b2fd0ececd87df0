"""One commit per request: what a request changed is committed once, after the view answered successfully.

A request that ends in an exception, answers 4xx/5xx, or showed a Refusal (refusal.py) is rolled back instead,
so nothing half-done is stored. Services flush (for an id or a constraint check) and leave the commit to their
caller: this commit for a request; a `flask` command, the demo loader and a report job commit their own work.
A service that must undo only a part of its work (an insert refused by a unique constraint) does it in a savepoint
(`db.session.begin_nested()`), never by rolling back the caller's transaction.

A few services still commit where their correctness depends on it, each saying why where it does: the booth
recording path (below), photo intake (summaries/photos.py: a photo's files and its row), a report job's own row
and its snapshot (report/jobs.py, report/snapshots.py), backup, restore and purge (ops/). Committing again here
is then a no-op. The summary page's 报送 commits the saved draft before it submits (summaries/views/unit.py).

The booth recording blueprints (the staff link and the public card) keep their own commits: an entry is stored
exactly once even when the server is killed mid-request, and that depends on where recording.py commits, so
those blueprints are left out with `own_commits`.
"""

from flask import Blueprint, current_app, g, request

from campaign.web.extensions import db


def own_commits(blueprint: Blueprint) -> Blueprint:
    """Leave this blueprint's requests out of the per-request commit: its code commits where it must."""
    blueprint.own_commits = True  # type: ignore[attr-defined]  # our mark on Flask's Blueprint, read with getattr
    return blueprint


def _left_out() -> bool:
    blueprints = current_app.blueprints
    return any(getattr(blueprints.get(name), "own_commits", False) for name in request.blueprints)


def register(app) -> None:
    @app.before_request
    def not_refused_yet():
        # g lives on the app context, which a test client's requests may share: each request starts unrefused.
        g.pop("refused", None)

    @app.after_request
    def commit_or_roll_back(response):
        if _left_out():
            return response
        if response.status_code < 400 and not g.get("refused"):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def roll_back_on_exception(error):
        if error is not None and not _left_out():
            db.session.rollback()
