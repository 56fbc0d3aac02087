"""Which `jupyter-lab` opens a project: the command ``demo`` prints and the program ``demo --lab`` starts.

JupyterLab is a dependency, so its ``jupyter-lab`` script sits next to this Python's other scripts;
a user who did not activate the environment may have none (or another one) on PATH, so the printed
command names the program that works, not the one that happens to come first.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sysconfig
from pathlib import Path

from ..errors import ConfigError

PROGRAM = "jupyter-lab"
INSTALL_HINT = "pip install jupyterlab   (in the environment jupyter-dsl is installed in)"


def installed_lab() -> str | None:
    """The ``jupyter-lab`` of this Python's environment, else the one on PATH; None when there is none."""
    return shutil.which(PROGRAM, path=sysconfig.get_path("scripts")) or shutil.which(PROGRAM)


def require_lab() -> str:
    """The ``jupyter-lab`` to start, or a ConfigError with the install hint (checked before any write)."""
    program = installed_lab()
    if program is None:
        raise ConfigError(
            f"JupyterLab is not installed: no {PROGRAM} in {sysconfig.get_path('scripts')} or on PATH",
            hint=INSTALL_HINT,
        )
    return program


def lab_argv(program: list[str], root: Path, notebook: str) -> list[str]:
    """``program`` (``[path]`` or ``["jupyter", "lab"]``) with the options that open ``notebook``.

    The notebook's path is absolute: Lab reads a relative one from the current directory, not from
    ``--notebook-dir``, so the command works wherever it is typed.
    """
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # Lab refuses root
    return [*program, f"--notebook-dir={root}", *as_root, str(root / notebook)]


def lab_command(root: Path, notebook: str) -> str | None:
    """The shell command that opens ``notebook`` of ``root`` in this environment's JupyterLab.

    ``jupyter lab ...`` when PATH leads to this environment's Lab, else the program's full path;
    None when no JupyterLab is installed.
    """
    program = installed_lab()
    if program is None:
        return None
    first = shutil.which(PROGRAM)
    same = first is not None and os.path.samefile(first, program)
    words = ["jupyter", "lab"] if same and shutil.which("jupyter") else [program]
    return shlex.join(lab_argv(words, root, notebook))
