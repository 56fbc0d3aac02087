"""What a run record holds, git hygiene (runs stay out of git, dirty trees warned), stopped runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from runs_support import (
    ENV,
    artifact_path,
    ctrl_c_as_in_a_terminal,
    dsl,
    dsl_json,
    git,
    make_project,
    output_notebook,
)

from jupyter_dsl.runs.execute import DIRTY_WARNING


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("record") / "proj", "parameterized.ipynb", "sleeper.ipynb")
    (root / "configs").mkdir()
    (root / "configs" / "base.yaml").write_text("alpha: 0.1\nepochs: 4\nname: base\n", encoding="utf-8")
    (root / "configs" / "more.yaml").write_text("epochs: 6\nlayers: [5]\n", encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "configs")
    return root


@pytest.fixture(scope="module")
def record(project: Path) -> dict[str, Any]:
    args = [
        "run",
        "nb/parameterized.ipynb",
        "-f",
        "configs/base.yaml",
        "-f",
        "configs/more.yaml",
        "-p",
        "name",
        "x1",
    ]
    return dsl_json(project, *args)


def test_record_fields(project: Path, record: dict[str, Any]) -> None:
    assert record["status"] == "succeeded" and record["error"] is None
    assert record["notebook"] == "nb/parameterized.ipynb" and record["kernel"] == "python3"
    assert record["parameters"] == {"alpha": 0.1, "epochs": 6, "name": "x1", "layers": [5]}
    assert record["parameter_sources"] == {
        "alpha": "configs/base.yaml".join([str(project) + "/", ""]),
        "epochs": str(project / "configs" / "more.yaml"),
        "name": "-p",
        "layers": str(project / "configs" / "more.yaml"),
    }
    assert record["git"] == {
        "commit": git(project, "rev-parse", "HEAD"),
        "branch": "main",
        "dirty": False,
        "diff_hash": None,
    }
    env = record["environment"]
    assert env["python"] == ".".join(map(str, sys.version_info[:3])) and env["packages"]["papermill"]
    assert len(env["fingerprint"]) == 16 and env["executable"]
    assert record["started_at"] < record["finished_at"] and record["duration_s"] > 0
    assert record["issue"] is None and record["batch_id"] is None and record["warnings"] == []


def test_recorded_values_and_metrics(record: dict[str, Any]) -> None:
    assert record["metrics"] == {"score": 0.1 * 6 + 5}
    assert record["values"]["label"]["value"] == "x1-True"
    assert record["values"]["seen"]["value"] == {"options": {"a": 1}, "note": None, "start": "2024-01-01"}


def test_run_dir_files_are_artifacts_after_the_output_notebook(project: Path, record: dict[str, Any]) -> None:
    artifacts = record["artifacts"]
    assert (
        artifacts[0].endswith(f"/{record['id']}/parameterized.ipynb")
        and artifacts[0] == record["output_notebook"]
    )
    assert [a.split(record["id"] + "/", 1)[1] for a in artifacts[1:]] == [
        "files/model.txt",
        "files/sub/log.csv",
    ]
    assert artifact_path(artifacts[1]).read_text() == "weights for x1"
    cell = next(c for c in output_notebook(record)["cells"] if "run_dir()" in "".join(c["source"]))
    printed = "".join(cell["outputs"][0]["text"]).strip()
    assert printed == str(artifact_path(artifacts[1]).parent)  # jupyter_dsl.run_dir() inside the run
    kept = json.loads((artifact_path(artifacts[0]).parent / "record.json").read_text())
    assert kept["id"] == record["id"] and kept["status"] == "succeeded"


def test_runs_stay_out_of_git(project: Path, record: dict[str, Any]) -> None:
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(project, "check-ignore", ".dsl/dsl.sqlite", ".dsl/artifacts/x").splitlines() == [
        ".dsl/dsl.sqlite",
        ".dsl/artifacts/x",
    ]


def test_a_dirty_tree_is_recorded_and_warned(project: Path, record: dict[str, Any]) -> None:
    # a tracked file the run does not read (one it reads is named: test_runs_provenance.py)
    other = project / "configs" / "more.yaml"
    other.write_text("epochs: 7\n", encoding="utf-8")
    try:
        result = dsl(project, "run", "nb/parameterized.ipynb", "-f", "configs/base.yaml", "--json")
    finally:
        git(project, "checkout", "--", "configs/more.yaml")
    dirty = json.loads(result.stdout)
    assert dirty["git"]["dirty"] is True and len(dirty["git"]["diff_hash"]) == 64
    assert DIRTY_WARNING in dirty["warnings"] and "commit before you run" in result.stderr
    assert dirty["unreproducible"] == []


def test_an_unignored_store_is_added_to_gitignore(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    (root / "nb.ipynb").write_bytes(
        (Path(__file__).parent / "notebooks" / "no_parameters.ipynb").read_bytes()
    )
    git(root, "add", "nb.ipynb")
    git(root, "commit", "--quiet", "-m", "nb")
    result = dsl(root, "run", "nb.ipynb", "--json")
    assert "added .dsl/ to .gitignore" in result.stderr
    assert (root / ".gitignore").read_text() == ".dsl/\n"
    assert git(root, "status", "--porcelain") == "?? .gitignore"


def test_artifacts_in_a_tracked_folder_are_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "no_parameters.ipynb", runs='artifacts = "results"')
    (root / "results").mkdir()
    (root / "results" / "keep.txt").write_text("tracked")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "results")
    refused = dsl(root, "run", "nb/no_parameters.ipynb", code=4)
    assert (
        "results holds files tracked by git" in refused.stderr
        and "git rm -r --cached results" in refused.stderr
    )
    assert sorted(p.name for p in (root / "results").iterdir()) == ["keep.txt"]


def test_runs_of_a_linked_notebook_carry_the_issue(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "no_parameters.ipynb")
    number = dsl_json(root, "issue", "new", "Explore", "Churn by region")["issue"]["number"]
    dsl(root, "link", "nb/no_parameters.ipynb", str(number))
    git(root, "commit", "--quiet", "-am", "link")
    record = dsl_json(root, "run", "nb/no_parameters.ipynb")
    assert record["issue"]["number"] == number and record["issue"]["type"] == "Explore"
    assert record["issue"]["title"] == "Churn by region"
    listed = dsl_json(root, "runs", "--issue", str(number))
    assert [r["id"] for r in listed["runs"]] == [record["id"]]
    assert dsl_json(root, "runs", "--issue", str(number + 1))["runs"] == []


def _start_sleeper(project: Path) -> tuple[subprocess.Popen[str], int]:
    artifacts = project / ".dsl" / "artifacts"
    before = set(artifacts.glob("*/files/started.txt"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_dsl", "run", "nb/sleeper.ipynb", "--json"],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    deadline = time.monotonic() + 240  # a guard against a hang: the run only needs to get there
    while time.monotonic() < deadline:
        started = set(artifacts.glob("*/files/started.txt")) - before
        if started:
            files = next(iter(started)).parent
            if (files / "sleeping.txt").exists():  # the kernel is in the cell that sleeps
                return proc, int((files / "started.txt").read_text())
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    proc.kill()
    proc.communicate()
    raise AssertionError("the sleeper run never reached its sleeping cell")


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 60  # a guard against a hang, not a speed
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize(
    ("sig", "status", "code", "ename"),
    [(signal.SIGINT, "interrupted", 130, "KeyboardInterrupt"), (signal.SIGTERM, "killed", 143, "Terminated")],
)
def test_a_stopped_run_still_leaves_its_record(
    project: Path, sig: signal.Signals, status: str, code: int, ename: str
) -> None:
    proc, kernel_pid = _start_sleeper(project)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    record = json.loads(stdout)
    assert (
        record["status"] == status
        and record["error"]["ename"] == ename
        and record["error"]["cell_index"] == 2
    )
    assert record["finished_at"] and output_notebook(record)["cells"][1]["outputs"]
    shown = dsl_json(project, "runs", "show", record["id"])
    assert shown["status"] == status
    assert _gone(kernel_pid), "the run's kernel outlived it"


def test_a_remote_artifact_store_gets_the_files_uploaded(tmp_path: Path) -> None:
    import fsspec

    from jupyter_dsl.project.settings import find_project
    from jupyter_dsl.runs.service import run_notebook

    root = make_project(tmp_path / "p", "parameterized.ipynb", runs='artifacts = "memory://dsl-test/runs"')
    notebook = root / "nb" / "parameterized.ipynb"
    record = run_notebook(find_project(root), notebook, overrides=[("name", "remote")])
    assert record.status == "succeeded", record.error
    assert record.artifacts == [
        f"memory:///dsl-test/runs/{record.id}/parameterized.ipynb",
        f"memory:///dsl-test/runs/{record.id}/files/model.txt",
        f"memory:///dsl-test/runs/{record.id}/files/sub/log.csv",
    ]
    fs = fsspec.filesystem("memory")
    assert fs.cat_file(f"/dsl-test/runs/{record.id}/files/model.txt") == b"weights for remote"
    assert json.loads(fs.cat_file(f"/dsl-test/runs/{record.id}/record.json"))["status"] == "succeeded"
    assert not (root / ".dsl" / "artifacts").exists()  # nothing kept locally
