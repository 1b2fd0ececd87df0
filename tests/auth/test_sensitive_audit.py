"""Sensitive actions leave a trace in the audit log: refused sign-ins and account changes made on the command line.

(Showing a full phone number and the unmasked export are checked in test_followups.py and test_board.py; a password
changed by its user in test_auth.py.)
"""

import sqlalchemy as sa

from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db


def _events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_refused_sign_ins_are_logged_with_the_name_tried(client, organizer):
    client.submit("/auth/login", {"username": organizer.username, "password": "wrong-password"})
    client.submit("/auth/login", {"username": "nobody-like-this", "password": "wrong-password"})
    known, unknown = _events("login_failed")
    assert (known.object_type, known.object_id, known.user_id) == ("User", organizer.id, None)
    # The address it came from: failures per account are counted across addresses (auth/throttle.py).
    assert known.detail == {"username": organizer.username, "address": "127.0.0.1"}
    assert (unknown.object_id, unknown.detail) == (None, {"username": "nobody-like-this", "address": "127.0.0.1"})
    # The password tried is never written anywhere.
    assert "wrong-password" not in str([event.detail for event in _events("login_failed")])
    assert _events("login") == []


def test_account_changes_on_the_command_line_are_logged(app, factory):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "clerk", "--password", "long-enough-1"]).exit_code == 0
    assert runner.invoke(args=["users", "set-password", "clerk", "--password", "another-pass-3"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "clerk"]).exit_code == 0
    assert runner.invoke(args=["users", "activate", "clerk"]).exit_code == 0
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["user_created", "password_set", "user_deactivated", "user_activated"]
    assert all(event.detail["username"] == "clerk" and event.detail["via"] == "cli" for event in events)
    assert "another-pass-3" not in str([event.detail for event in events])
