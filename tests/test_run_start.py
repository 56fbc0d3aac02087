"""`jupyter dsl run` starts its kernel's fork server before it loads the run stack: the run's fresh
kernel is forked from it, the run records as before, and no process is left when the command ends.
The environment fingerprint reads every package's name and version as importlib.metadata does."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from importlib.metadata import distributions
from pathlib import Path

import nbformat
import psutil
from runs_support import ENV, git, make_project

from jupyter_dsl.runs import environment

GUARD_S = 120  # only bounds a broken run; nothing here measures time
CELLS = (
    "n = 0",
    "import os\nimport json\nimport jupyter_dsl\n"
    "jupyter_dsl.record('parent', os.getppid())\njupyter_dsl.record('kernel', os.getpid())\n"
    "jupyter_dsl.record('n', n)",
)


def probe_project(root: Path) -> Path:
    make_project(root, "parameterized.ipynb")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELLS[0], metadata={"tags": ["parameters"]})]
    nb.cells.append(nbformat.v4.new_code_cell(CELLS[1]))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "nb" / "probe.ipynb")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "probe")
    return root / "nb" / "probe.ipynb"


def marked(mark: str) -> list[psutil.Process]:
    """Live processes whose environment carries ``mark`` (the command, its fork server, its kernels)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("DSL_TEST_MARK") == mark and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            continue
    return found


def test_a_cli_run_forks_its_kernel_and_leaves_no_process(tmp_path: Path) -> None:
    notebook = probe_project(tmp_path / "p")
    mark = uuid.uuid4().hex
    command = [sys.executable, "-m", "jupyter_dsl", "run", str(notebook), "-p", "n", "5", "--json"]
    done = subprocess.run(
        command, cwd=tmp_path / "p", env={**ENV, "DSL_TEST_MARK": mark}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "succeeded" and record["parameters"] == {"n": 5}
    values = {name: value["value"] for name, value in record["values"].items()}
    assert values["n"] == 5
    # the kernel's parent is the fork server the command started, not the command itself
    assert values["parent"] != record["pid"]
    assert record["environment"]["fingerprint"] == environment.for_kernel("python3").fingerprint
    deadline = time.monotonic() + GUARD_S
    while marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked(mark) == []  # no fork server, no kernel left behind
    assert not psutil.pid_exists(values["kernel"]) or psutil.Process(values["kernel"]).status() == "zombie"


def test_a_refused_cli_run_starts_nothing(tmp_path: Path) -> None:
    """Inside a recorded run, `jupyter dsl run` is refused before it starts any process."""
    notebook = probe_project(tmp_path / "p")
    mark = uuid.uuid4().hex
    env = {**ENV, "DSL_TEST_MARK": mark, "JUPYTER_DSL_RUN_ID": "20250101-000000-abcdef"}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_dsl", "run", str(notebook)],
        cwd=tmp_path / "p",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen: set[int] = set()
    while process.poll() is None:
        seen |= {p.pid for p in marked(mark)} - {process.pid}
        time.sleep(0.01)
    out, err = process.communicate()
    assert process.returncode == 0 and b"skipped" in out + err
    assert seen == set()


def test_environment_packages_are_what_importlib_metadata_says() -> None:
    expected = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name:
            expected[name.lower().replace("_", "-")] = dist.version
    assert environment._here().packages == dict(sorted(expected.items()))


def test_a_cli_run_of_a_missing_notebook_says_so_and_starts_nothing(tmp_path: Path) -> None:
    probe_project(tmp_path / "p")
    done = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", "run", "nb/missing.ipynb"],
        cwd=tmp_path / "p",
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "missing.ipynb" in done.stderr and "Traceback" not in done.stderr
