"""Another interpreter for the tests that need one: a fresh virtual environment that imports exactly
the packages of the interpreter running the tests (jupyter-dsl's dependencies), whichever interpreter
that is (a venv, a venv over system packages, a bare install), offline and in about a second.

``venv --system-site-packages`` would not do: it gives the *base* interpreter's packages, which are
not the test environment's when the tests run in a venv (as README's test command does).
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from collections.abc import Iterable
from pathlib import Path

BLOCKER_MODULE = "_dsl_test_blocked_imports"

BLOCKER = '''"""Written by the tests' venv_support: these top-level packages are not installed here."""

import sys
from importlib.abc import MetaPathFinder

BLOCKED = frozenset({blocked!r})


class _NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


def site_dirs() -> list[str]:
    """This interpreter's site directories that it imports from, in its own order."""
    candidates = {os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages()]}
    found: list[str] = []
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        if real in candidates and real not in found:
            found.append(real)
    assert found, f"no site directory on sys.path: {sys.path}"
    return found


def venv_with_these_packages(folder: Path, without: Iterable[str] = ()) -> Path:
    """A venv at ``folder`` that imports every package this interpreter imports (their ``.pth`` files,
    editable installs among them, included) but none of their scripts; each top-level package named
    in ``without`` is not importable there. Returns the venv's ``python``."""
    venv.create(folder, system_site_packages=False, with_pip=False, symlinks=os.name != "nt")
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    packages = Path(purelib)
    # ``import`` lines of a .pth file run at start-up: addsitedir also reads the .pth files there.
    lines = [f"import site; site.addsitedir({d!r})\n" for d in site_dirs()]
    (packages / "_dsl_test_packages.pth").write_text("".join(lines), encoding="utf-8")
    blocked = sorted(set(without))
    if blocked:
        (packages / f"{BLOCKER_MODULE}.py").write_text(BLOCKER.format(blocked=blocked), encoding="utf-8")
        (packages / f"{BLOCKER_MODULE}.pth").write_text(f"import {BLOCKER_MODULE}\n", encoding="utf-8")
    return python
