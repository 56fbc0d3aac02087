"""`jupyter dsl ...`: parse arguments, call the core, print. Each module adds its commands to ``cli``."""

from __future__ import annotations

import sys

# nbformat imports jsonschema, which builds an IRI grammar at import time when rfc3987-syntax is
# installed (1.5 s on every command here). Notebook schemas use no IRI formats, so the CLI skips it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from . import (  # noqa: E402, F401  (they register their commands)
    batch_commands,
    findings_commands,
    issue_commands,
    notebook_commands,
    project_commands,
    run_commands,
    sync_commands,
)
from .base import cli, run  # noqa: E402

__all__ = ["cli", "main"]


def main() -> None:
    sys.exit(run())
