"""``jupyter_dsl.finding()`` and ``%%finding``: findings left in a cell's outputs.

A finding travels as a display output with our MIME type (like ``record()``), so it survives
papermill runs and is read back from any saved or output notebook. The marker says how many of
the outputs that follow it in the cell are its artifact (``"rest"``: all of them).
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import InvalidInput
from .collect import FINDING_MIME, split_title

NO_ARTIFACT: Any = object()
FOUND: list[dict[str, Any]] = []  # what finding() kept when no kernel was there to display it


def marker(text: str, *, artifacts: int | str = 0, answers: int | str | None = None) -> dict[str, Any]:
    """The display bundle of a finding: our payload plus Markdown a front end shows."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("a finding needs text: its first line is the title, the rest the description")
    title, description = split_title(text)
    shown = f"**Finding:** {title}" + (f"\n\n{description}" if description else "")
    payload = {"text": text, "artifacts": artifacts, "answers": answers}
    return {FINDING_MIME: payload, "text/markdown": shown, "text/plain": f"Finding: {title}"}


def _shell() -> Any:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and getattr(shell, "display_pub", None) else None


def finding(text: str, artifact: Any = NO_ARTIFACT, *, answers: int | str | None = None) -> None:
    """Note a finding: ``text``'s first line is its title, the rest its description; ``artifact``
    (a figure, a DataFrame, any displayable object) is shown below it and kept with it."""
    has_artifact = artifact is not NO_ARTIFACT and artifact is not None
    bundle = marker(text, artifacts=1 if has_artifact else 0, answers=answers)
    shell = _shell()
    if shell is None:
        FOUND.append(bundle[FINDING_MIME])
        return
    from IPython.display import display  # lazy: only inside a kernel

    display(bundle, raw=True)
    if has_artifact:
        display(artifact)
