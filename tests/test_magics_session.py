"""Which notebook a kernel runs for after the notebook was renamed or moved while the kernel ran: a real
Jupyter server (its sessions API answers), and a kernel no server can answer for (it says what to do)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from kernel_support import Kernel, jupyter_server, plain
from runs_support import ENV


def dsl(cwd: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", *args], cwd=cwd, env=ENV, check=True, capture_output=True
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """``<tmp>/served/proj``: a project with an Explore issue and ``work/before.ipynb`` linked to it."""
    root = tmp_path / "served" / "proj"
    root.parent.mkdir()
    dsl(root.parent, "init", "proj")
    (root / "work").mkdir()
    (root / "moved").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%load_ext jupyter_dsl")]
    nbformat.write(nb, root / "work" / "before.ipynb")
    dsl(root, "issue", "new", "Ask", "Why do customers churn?")
    dsl(root, "issue", "new", "Explore", "Churn by region", "--ask", "1", "--link", "work/before.ipynb")
    return root


def test_after_a_rename_and_a_move_the_magics_follow_the_notebook(project: Path, tmp_path: Path) -> None:
    with jupyter_server(project.parent, tmp_path) as server:
        session, client = server.open_notebook("proj/work/before.ipynb")
        kernel = Kernel(project / "work", None, client=client)
        try:
            assert kernel.run("%load_ext jupyter_dsl")[0] == "ok"
            status, outputs, text = kernel.run("%dsl status")
            assert status == "ok", text
            assert plain(outputs).startswith("work/before.ipynb → #2 Explore: Churn by region")
            for new in ("proj/work/after.ipynb", "proj/moved/after.ipynb"):
                # what JupyterLab does when the user renames (or moves) the open notebook
                old = session["path"]
                server.call("PATCH", f"contents/{old}", {"path": new})
                session = server.call(
                    "PATCH", f"sessions/{session['id']}", {"path": new, "name": "after.ipynb"}
                )
                status, outputs, text = kernel.run("%dsl status")
                assert status == "ok", text  # before: "this kernel cannot tell which notebook it runs in"
                shown = new.removeprefix("proj/")
                assert plain(outputs).startswith(f"{shown} → #2 Explore: Churn by region"), plain(outputs)
            # the stale environment still names the old file; the magics took the server's word
            _, outputs, _ = kernel.run("import os; os.environ['JPY_SESSION_NAME']")
            assert plain(outputs) == repr(str(project / "work" / "before.ipynb"))
        finally:
            kernel.close()


def test_a_renamed_notebook_no_server_answers_for_says_restart_or_notebook(project: Path) -> None:
    # A kernel started for work/gone.ipynb by no Jupyter server that could be asked (its launcher is
    # this test); the notebook is no longer there.
    kernel = Kernel(project / "work", str(project / "work" / "gone.ipynb"))
    try:
        assert kernel.run("%load_ext jupyter_dsl")[0] == "ok"
        status, _, text = kernel.run("%dsl status")
        assert status == "error" and "UsageError" in text
        assert "cannot tell which notebook it runs in" in text
        assert f"it was started for {project / 'work' / 'gone.ipynb'}, which is no longer there" in text
        assert "Restart the kernel" in text and "--notebook PATH" in text
        status, outputs, text = kernel.run("%dsl status --notebook before.ipynb")
        assert status == "ok", text
        assert plain(outputs).startswith("work/before.ipynb → #2 Explore")
    finally:
        kernel.close()
