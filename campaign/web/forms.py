"""What the forms of every module share."""


def choices(pairs) -> list:
    """(value, label) pairs as WTForms 3.3 wants them; older versions take the pairs as they are."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:  # WTForms before 3.3 knows only (value, label) pairs
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]
