"""Shared by the CLI and run tests: a committed DSLP project of tests/notebooks; the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from jupyter_dsl.project.scaffold import init_project

NOTEBOOKS = Path(__file__).parent / "notebooks"
ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "COLUMNS": "200",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t.invalid",
}


def ctrl_c_as_in_a_terminal() -> None:
    """For a child process the test sends SIGINT to, as Ctrl-C in a terminal would: its SIGINT at the
    default, as a terminal's foreground process has it. Started from a background job (a CI runner
    may be one), it would inherit SIGINT ignored, as POSIX has background jobs ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True, check=True
    ).stdout.strip()


def make_project(root: Path, *names: str, runs: str = "") -> Path:
    """A DSLP project with the named test notebooks under nb/, everything committed on main.

    ``runs``: lines for the ``[runs]`` table of dsl.toml.
    """
    init_project(root)
    if runs:
        toml = root / "dsl.toml"
        toml.write_text(toml.read_text().replace("[runs]\n", "[runs]\n" + runs.strip() + "\n", 1))
    (root / "nb").mkdir(exist_ok=True)
    for name in names or tuple(p.name for p in NOTEBOOKS.glob("*.ipynb")):
        shutil.copy(NOTEBOOKS / name, root / "nb" / name)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "notebooks")
    return root


def dsl(
    cwd: Path, *args: str, code: int | None = 0, timeout: float = 180, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m jupyter_dsl ARGS`` in ``cwd``; asserts the exit code unless ``code`` is None."""
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
    )
    if code is not None:
        assert result.returncode == code, (
            f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def dsl_json(cwd: Path, *args: str, code: int | None = 0) -> Any:
    return json.loads(dsl(cwd, *args, "--json", code=code).stdout)


def cli_in_process(capsys: Any, cwd: Path, *args: str, code: int = 0) -> tuple[str, str]:
    """The same CLI called in this process (fast, for the many small variations of one command)."""
    from jupyter_dsl.cli import run

    capsys.readouterr()
    returned = run(["-C", str(cwd), *args])
    out, err = capsys.readouterr()
    assert returned == code, f"exit {returned}\nstdout:\n{out}\nstderr:\n{err}"
    return out, err


def artifact_path(url: str) -> Path:
    assert url.startswith("file://"), url
    return Path(url[len("file://") :])


def output_notebook(record: dict[str, Any]) -> dict[str, Any]:
    return json.loads(artifact_path(record["artifacts"][0]).read_text(encoding="utf-8"))
