"""What every tracker's label and close methods share: the checks made before any change, and the
``add_labels``/``remove_labels`` shortcuts to ``update_labels``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import hints
from ..errors import InvalidInput, NotFound
from .base import CloseReason, Issue


def planned_change(
    add: Sequence[str], remove: Sequence[str], name: Callable[[str], str], fold: Callable[[str], str] = str
) -> tuple[list[str], list[str]]:
    """The labels to add and to remove, each once (``name`` checks and spells one); a label both added
    and removed (compared through ``fold``) is refused."""
    adding = list(dict.fromkeys(name(n) for n in add))
    removing = list(dict.fromkeys(name(n) for n in remove))
    gone = {fold(n) for n in removing}
    both = [n for n in adding if fold(n) in gone]
    if both:
        raise InvalidInput(f"label {', '.join(repr(b) for b in both)} is both added and removed")
    return adding, removing


def missing_labels(number: int, missing: Sequence[str]) -> NotFound:
    """The error for labels to remove that the issue does not carry (nothing is changed then)."""
    return NotFound(
        f"issue #{number} has no label {', '.join(repr(m) for m in missing)}",
        hint=hints.hint(
            "Nothing was changed; the issue shows the labels it carries.", hints.SHOW_ISSUE, issue=number
        ),
    )


def check_close_reason(reason: CloseReason) -> None:
    if reason not in ("completed", "not_planned"):
        raise InvalidInput(f"unknown close reason {reason!r}", hint="Use 'completed' or 'not_planned'.")


class LabelShortcuts:
    """``add_labels`` and ``remove_labels`` as one ``update_labels`` each."""

    def update_labels(self, number: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Issue:
        raise NotImplementedError

    def add_labels(self, number: int, labels: Sequence[str]) -> Issue:
        return self.update_labels(number, add=labels)

    def remove_labels(self, number: int, labels: Sequence[str]) -> Issue:
        return self.update_labels(number, remove=labels)
