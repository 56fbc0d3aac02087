"""A project that already uses DVC (a ``.dvc/`` folder): its ``.dvc`` files and ``dvc.lock`` are the
truth, its default remote is the store, and where ``dvc`` is installed the bytes move through it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import yaml

from ..errors import ConfigError, DslError
from .pointer import Pointer


def uses_dvc(root: Path) -> bool:
    return (root / ".dvc").is_dir()


def delegates(root: Path) -> bool:
    """Whether bytes move through ``dvc`` itself: a DVC project, with ``dvc`` installed."""
    return uses_dvc(root) and shutil.which("dvc") is not None


def default_remote(root: Path) -> str | None:
    """The URL of DVC's default remote (``.dvc/config``, overridden by ``config.local``); a relative
    path is relative to ``.dvc/``, as DVC reads it."""
    parser = configparser.ConfigParser()
    try:
        parser.read([root / ".dvc" / "config", root / ".dvc" / "config.local"], encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigError(f"{root / '.dvc' / 'config'}: cannot read DVC's config: {exc}") from exc
    name = parser.get("core", "remote", fallback="").strip()
    section = f"'remote \"{name}\"'"
    if not name or not parser.has_section(section):
        return None
    url = parser.get(section, "url", fallback="").strip()
    if not url:
        return None
    if "://" in url or Path(url).is_absolute():
        return url
    return str((root / ".dvc" / url).resolve())


def lock_outputs(root: Path) -> list[tuple[str, Pointer]]:
    """(stage name, output) for every output with an md5 in ``dvc.lock``; paths relative to the root."""
    lock = root / "dvc.lock"
    if not lock.is_file():
        return []
    try:
        data = yaml.safe_load(lock.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{lock}: cannot read: {exc}") from exc
    found: list[tuple[str, Pointer]] = []
    for stage, body in (data.get("stages") or {}).items():
        for out in (body or {}).get("outs") or []:
            if isinstance(out, dict) and isinstance(out.get("md5"), str) and isinstance(out.get("path"), str):
                size, nfiles = out.get("size"), out.get("nfiles")
                found.append(
                    (
                        str(stage),
                        Pointer(
                            out["path"],
                            out["md5"],
                            size if isinstance(size, int) else None,
                            nfiles if isinstance(nfiles, int) else None,
                        ),
                    )
                )
    return found


def dvc(root: Path, *args: str) -> str:
    """Run ``dvc ARGS`` in the project; a failure is an error carrying what DVC said."""
    result = subprocess.run(["dvc", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise DslError(f"dvc {' '.join(args)} failed: {' '.join(said[-3:]) or 'no message'}")
    return result.stdout
