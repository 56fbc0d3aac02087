"""`jupyter dsl ...`: parse arguments, call the core, print. Each module adds its commands to ``cli``."""

from __future__ import annotations

import sys

from . import issue_commands, project_commands  # noqa: F401  (they register their commands)
from .base import cli, run

__all__ = ["cli", "main"]


def main() -> None:
    sys.exit(run())
