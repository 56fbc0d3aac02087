"""Inside a recorded run nothing starts runs or changes the tracker, a notebook file or git: magics and
`jupyter dsl` from a `!` line say so in one line and the run goes on (real CLI, papermill, kernels)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from batch_support import wait_for
from runs_support import ENV, cli_in_process, git, make_project, output_notebook

from jupyter_dsl.runs.recording import RUN_DIR_ENV, RUN_ID_ENV

# `!jupyter dsl ...` in a run's kernel finds the CLI of the interpreter that runs these tests
CLI_ENV = {**ENV, "PATH": os.pathsep.join([str(Path(sys.executable).parent), ENV.get("PATH", "")])}
SKIPPED = "skipped inside recorded run {}: a recorded run does not "


def cli(root: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", *args],
        cwd=root,
        env=CLI_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def cli_json(root: Path, *args: str) -> Any:
    return json.loads(cli(root, *args, "--json").stdout)


def notebook(path: Path, *sources: str) -> None:
    """A notebook whose first cell is its parameters cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)


def kernels_of(root: Path) -> list[psutil.Process]:
    """Every live process of a run of this project: its kernel, or what that kernel started."""
    found = []
    for proc in psutil.process_iter():
        try:
            ours = proc.environ().get(RUN_DIR_ENV, "").startswith(str(root))
            if ours and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.Error, OSError):  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path / "proj", "child.ipynb")
    yield root
    for proc in kernels_of(root):  # what a failing test left behind (the test asserts there is none)
        proc.kill()


def no_kernel_left(root: Path) -> None:
    wait_for(lambda: not kernels_of(root), "every kernel of the project's runs to be gone")


def joined(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def cell_text(cell: dict[str, Any]) -> str:
    """What a cell of an output notebook shows as text: its streams and its outputs' text/plain."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(joined(output["text"]))
        elif "data" in output:
            parts.append(joined(output["data"].get("text/plain", "")))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "".join(parts)


def cells_by_source(record: dict[str, Any]) -> dict[str, str]:
    return {"".join(c["source"]): cell_text(c) for c in output_notebook(record)["cells"]}


def test_a_run_that_runs_itself_is_run_once(project: Path) -> None:
    # ``depth`` only bounds what a missing guard would do (a run starting runs starting runs ...)
    notebook(
        project / "nb" / "nested.ipynb",
        "depth = 0",
        'assert depth < 2, "a run started a run that started a run"',
        "%load_ext jupyter_dsl",
        "%dsl run -p depth {depth + 1}",
        "!jupyter dsl run nested.ipynb -p depth {depth + 1}",
    )
    git(project, "add", "--all")
    git(project, "commit", "-qm", "nested")
    record = cli_json(project, "run", "nb/nested.ipynb")
    assert record["status"] == "succeeded", record["error"]
    assert [r["id"] for r in cli_json(project, "runs", "--limit", "0")["runs"]] == [record["id"]]
    shown = cells_by_source(record)
    expected = SKIPPED.format(record["id"])
    assert shown["%dsl run -p depth {depth + 1}"] == f"%dsl run: {expected}start runs\n"
    assert shown["!jupyter dsl run nested.ipynb -p depth {depth + 1}"].strip() == (
        f"jupyter dsl run: {expected}start runs"
    )
    no_kernel_left(project)


def test_a_batch_cell_in_a_batch_run_starts_no_batch(project: Path) -> None:
    notebook(
        project / "nb" / "batched.ipynb",
        "n = 0",
        "%load_ext jupyter_dsl",
        "%dsl batch grid.yaml --notebook child.ipynb",
        "%dsl batch grid.yaml --notebook child.ipynb --wait",
        "import jupyter_dsl\njupyter_dsl.record('n', n)",
    )
    (project / "nb" / "grid.yaml").write_text("grid:\n  factor: [1, 2]\n")
    (project / "grid.yaml").write_text("grid:\n  n: [1, 2, 3]\n")
    git(project, "add", "--all")
    git(project, "commit", "-qm", "batched")
    outcome = cli_json(project, "batch", "nb/batched.ipynb", "--grid", "grid.yaml", "-j", "2")
    assert [b["id"] for b in cli_json(project, "batches")["batches"]] == [outcome["id"]]
    runs = cli_json(project, "runs", "--limit", "0")["runs"]
    assert len(runs) == 3 and {r["status"] for r in runs} == {"succeeded"}
    assert sorted(r["metrics"]["n"] for r in runs) == [1, 2, 3]
    for listed in runs:
        record = cli_json(project, "runs", "show", listed["id"])
        shown = cells_by_source(record)
        line = f"%dsl batch: {SKIPPED.format(record['id'])}start batches\n"
        assert shown["%dsl batch grid.yaml --notebook child.ipynb"] == line
        assert shown["%dsl batch grid.yaml --notebook child.ipynb --wait"] == line
    no_kernel_left(project)


MUTATING = {
    "%dsl link 1": "link notebooks",
    "%dsl unlink": "change notebook files",
    '%dsl new Explore "Another" --ask 1 --link': "create issues",
    '%dsl goal "Does x matter?"': "change the tracker",
    "%dsl goal --done 1": "change the tracker",
    "%dsl complete": "complete issues",
    "%dsl branch": "switch git branches",
    "%dsl labels sync": "change the tracker's labels",
    "%dsl tracker export --to github": "move the tracker's issues",
    "%dsl pr": "push branches or open pull requests",
    "%dsl init": "create projects",
}
SHELL = {
    "!jupyter dsl link mutating.ipynb 1": "jupyter dsl link",
    "!jupyter dsl issue comment 1 hello": "jupyter dsl issue comment",
    "!jupyter dsl rerun 0000": "jupyter dsl rerun",
}


def tracker_state(root: Path) -> Any:
    issues = cli_json(root, "issue", "list", "--state", "all")["issues"]
    shown = [cli_json(root, "issue", "show", str(i["number"])) for i in issues]
    return issues, shown, cli_json(root, "labels", "sync", "--dry-run")


def git_state(root: Path) -> tuple[str, ...]:
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "branch", "--list", "--all"),
        git(root, "status", "--porcelain", "--ignored", "--untracked-files=all", "--", ".", ":!.dsl"),
        git(root, "stash", "list"),
    )


def test_mutating_magics_change_nothing_and_readers_answer(project: Path, tmp_path: Path) -> None:
    cli(project, "issue", "new", "Ask", "Why do customers churn?")
    cli(project, "issue", "new", "Explore", "Churn by region", "--ask", "1")
    path = project / "nb" / "mutating.ipynb"
    readers = ["%dsl status", "%dsl params", "%dsl runs", f"%dsl findings --out {tmp_path / 'out'}"]
    notebook(path, "x = 1", "%load_ext jupyter_dsl", *MUTATING, *SHELL, *readers)
    cli(project, "link", "nb/mutating.ipynb", "2")
    git(project, "add", "--all")
    git(project, "commit", "-qm", "mutating")
    before = (path.read_bytes(), tracker_state(project), git_state(project))

    record = cli_json(project, "run", "nb/mutating.ipynb")

    assert record["status"] == "succeeded", record["error"]
    assert (path.read_bytes(), tracker_state(project), git_state(project)) == before
    assert [r["id"] for r in cli_json(project, "runs", "--limit", "0")["runs"]] == [record["id"]]
    shown = cells_by_source(record)
    skipped = SKIPPED.format(record["id"])
    for source, action in MUTATING.items():
        assert shown[source] == f"%dsl {source.split()[1]}: {skipped}{action}\n", source
    for source, command in SHELL.items():
        assert shown[source].strip().startswith(f"{command}: {skipped}"), source
        assert len(shown[source].strip().splitlines()) == 1, shown[source]
    assert "#2" in shown["%dsl status"] and "Churn by region" in shown["%dsl status"]
    assert "x" in shown["%dsl params"] and "int" in shown["%dsl params"]
    assert record["id"] in shown["%dsl runs"]
    assert list((tmp_path / "out").glob("*.md")), shown[readers[-1]]
    no_kernel_left(project)


def test_the_cli_inside_a_run_says_one_line_and_exits_0(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # exit status 0, so neither a `!` line nor subprocess.run(..., check=True) fails the run's cell
    monkeypatch.setenv(RUN_ID_ENV, "20250101-000000-abcdef")
    skipped = SKIPPED.format("20250101-000000-abcdef")
    out, err = cli_in_process(capsys, project, "run", "nb/child.ipynb")
    assert (out, err) == ("", f"jupyter dsl run: {skipped}start runs\n")
    out, err = cli_in_process(capsys, project, "-C", "nb", "issue", "new", "Ask", "Why?", "--json")
    assert err == "" and out.count("\n") == 1
    assert json.loads(out) == {
        "skipped": {
            "run": "20250101-000000-abcdef",
            "action": "create issues",
            "message": f"{skipped}create issues",
        }
    }
    out, err = cli_in_process(capsys, project, "runs", "--json")
    assert json.loads(out)["runs"] == []  # reading works
    monkeypatch.delenv(RUN_ID_ENV)
    assert cli_json(project, "issue", "list", "--state", "all")["issues"] == []
