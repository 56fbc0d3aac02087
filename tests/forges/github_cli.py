"""A stand-in for the GitHub CLI (not installed here): the trackers ask `gh auth token` for a token."""

from __future__ import annotations

import stat
from pathlib import Path


def fake_gh(folder: Path, script: str) -> None:
    """A `gh` in ``folder`` (put it on PATH) that runs the shell ``script``."""
    folder.mkdir(exist_ok=True)
    gh = folder / "gh"
    gh.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
