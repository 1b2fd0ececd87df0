"""What the forms of every module share."""

import dataclasses

from campaign.web.security import MAX_ID


def choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants them; older versions take the pairs as they are."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:  # WTForms before 3.3 knows only (value, label) pairs
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def optional_id(value) -> int | None:
    """An id from a form or a query string, or None when it is no whole number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # An id beyond the INTEGER columns names nothing, and would overflow the query that looks it up.
    return number if abs(number) <= MAX_ID else None


def values_of(form, fields_class, **given):
    """The form's data as a service's dataclass: each of its fields from the form field of that name, except the
    ones `given` (computed from several form fields)."""
    names = [field.name for field in dataclasses.fields(fields_class) if field.name not in given]
    return fields_class(**{name: getattr(form, name).data for name in names}, **given)
