"""One refusal: what a service raises when it will not do what was asked, with a sentence for the user.

Services raise `Refusal` (they know nothing of requests); the views show it in one of three ways written once here:
on a form (under the field it concerns, else flashed above the form), as a flash, or as JSON `{"error": message}`.
Showing a refusal rolls back what the request had changed, so the per-request commit (web/transaction.py) never
stores half of a refused change. A refusal no view catches answers 400 with its message (registered in errors.py).
"""

from flask import flash, g, jsonify

from campaign.web.extensions import db


class Refusal(ValueError):
    """A refusal with a message for the user (plain or lazy-translated text, in one or more parts joined as one).

    `field` names the form field it concerns, if any; `conflict` says the refusal is about the state of things
    (someone else saved first, the summary was already submitted) rather than about what was sent.
    """

    def __init__(self, *parts, field: str | None = None, conflict: bool = False):
        super().__init__(*parts)
        self.parts = parts
        self.field = field
        self.conflict = conflict
        self.per_field: dict[str, str] = {}

    @classmethod
    def of_fields(cls, errors: dict[str, str]) -> "Refusal":
        """Several fields refused at once (a booth entry's checks): one message per field, and all of them joined."""
        refusal = cls("；".join(str(message) for message in errors.values()))
        refusal.per_field = dict(errors)
        return refusal

    @property
    def message(self) -> str:
        return "".join(str(part) for part in self.parts)

    def __str__(self) -> str:
        return self.message

    @property
    def errors(self) -> dict[str, str]:
        """The message per field: every field's for a refusal of several, else the one field's (if any)."""
        if self.per_field:
            return self.per_field
        return {self.field: self.message} if self.field else {}


def refused(refusal: Refusal) -> None:
    """Undo what the request changed before the refusal, and mark the request as refused (it will not commit)."""
    db.session.rollback()
    g.refused = True


def on_form(form, refusal: Refusal, field: str | None = None, top: str = "flash") -> None:
    """The refusal under the form field it concerns (`field` overrides the refusal's own), else at the top:
    flashed (`top="flash"`) or in the form's own errors (`top="form"`)."""
    refused(refusal)
    named: dict[str | None, str] = (
        {field: refusal.message} if field
        else {name: message for name, message in refusal.errors.items()} or {None: refusal.message}
    )
    for name, message in named.items():
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, str(message)]
        elif top == "form":
            form.form_errors.append(str(message))
        else:
            flash(str(message), "error")


def as_flash(refusal: Refusal) -> None:
    refused(refusal)
    flash(refusal.message, "error")


def as_json(refusal: Refusal, status: int = 400):
    refused(refusal)
    return jsonify(error=refusal.message), status
