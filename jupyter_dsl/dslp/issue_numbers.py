"""Issue numbers as users write them, `4` or `#4`: the one parser of the CLI's arguments, the magics'
arguments and the server's URLs and request bodies."""

from __future__ import annotations

from ..errors import InvalidInput

MAX_ISSUE_NUMBER = 2**63 - 1  # SQLite's INTEGER; GitHub and GitLab numbers are far below


def parse_issue_number(value: int | str, what: str = "the issue number") -> int:
    """``4``, ``"4"``, ``"#4"`` (spaces around it allowed) -> 4; anything else is ``InvalidInput``.

    ``what`` names the value in messages ("--ask", "field 'ask'").
    """
    if isinstance(value, str):
        digits = value.strip().removeprefix("#")
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidInput(
                f"{value!r} is not an issue number", hint=f"Give {what} as N or #N, e.g. 4 or #4."
            )
        value = int(digits)
    if not 1 <= value <= MAX_ISSUE_NUMBER:
        raise InvalidInput(f"{what} must be an issue number (a positive integer), not {value}")
    return value
