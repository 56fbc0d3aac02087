"""Jupyter API paths to files inside the server's root directory, and back.

An API path is POSIX and relative to the root. Absolute paths, any ``..`` segment and paths that
resolve (through symbolic links) outside the root are refused with ``PathRefused`` (HTTP 403),
before anything is read or written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InvalidInput, PathRefused

_SEPARATORS = re.compile(r"[/\\]")
_HINT = "Give a path relative to the Jupyter server's root directory, inside it."


def split_api_path(api_path: str) -> list[str]:
    """The segments of an API path; refuses absolute paths and ``..`` segments."""
    if "\x00" in api_path:
        raise InvalidInput("a path cannot contain a NUL character")
    if api_path.startswith(("/", "\\")):
        raise PathRefused(f"absolute paths are refused: {api_path!r}", hint=_HINT)
    segments = _SEPARATORS.split(api_path)
    if ".." in segments:
        raise PathRefused(f"paths with '..' are refused: {api_path!r}", hint=_HINT)
    return [segment for segment in segments if segment not in ("", ".")]


def resolve_api_path(root: Path, api_path: str, *, allow_hidden: bool = True) -> Path:
    """The real file (symlinks resolved) an API path names; refused when it lies outside ``root``,
    or (as Jupyter's contents API does unless ``allow_hidden``) when a segment is hidden."""
    segments = split_api_path(api_path)
    if not allow_hidden and any(segment.startswith(".") for segment in segments):
        raise PathRefused(
            f"hidden files and folders are refused: {api_path!r}",
            hint="Jupyter serves them only with ContentsManager.allow_hidden = True.",
        )
    real_root = root.resolve()
    resolved = real_root.joinpath(*segments).resolve()
    if resolved != real_root and real_root not in resolved.parents:
        raise PathRefused(f"{api_path!r} leads outside the server root (through a symbolic link)", hint=_HINT)
    return resolved


def normalize_api_path(api_path: str) -> str:
    """The API path as the server reports it back: POSIX, no empty or ``.`` segments."""
    return "/".join(split_api_path(api_path))


def api_path_of(root: Path, path: Path) -> str | None:
    """``path`` as an API path relative to ``root``; None when it lies outside (or above) the root."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if relative == "." else relative
