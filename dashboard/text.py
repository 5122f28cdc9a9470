"""Small wording helpers shared by the figure and the panels."""


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 claim"``, ``"3 claims"``.

    >>> plural(1, "claim"), plural(3, "source"), plural(2, "denies", "deny")
    ('1 claim', '3 sources', '2 deny')
    """
    count = int(count)
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"
