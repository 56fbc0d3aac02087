"""Why a run cannot be reproduced from its commit, on a real git repository with real runs: its notebook
or a -f config file untracked, git-ignored or modified, or no git repository at all. Each is recorded
with its reason, warned about in one line, and said by `runs show`, `rerun`, `batch` and the findings'
Provenance; a committed notebook is recorded with none."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from runs_support import dsl, dsl_json, git, make_project

from jupyter_dsl.runs import RunRecord, RunStore


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed project: two notebooks, a config file, and `scratch/` git-ignored."""
    root = make_project(
        tmp_path_factory.mktemp("provenance") / "proj", "parameterized.ipynb", "no_parameters.ipynb"
    )
    (root / "configs").mkdir()
    (root / "configs" / "base.yaml").write_text("alpha: 0.1\n", encoding="utf-8")
    with (root / ".gitignore").open("a", encoding="utf-8") as ignore:
        ignore.write("scratch/\n")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "configs, scratch ignored")
    return root


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def run_json(root: Path, *args: str) -> tuple[dict[str, Any], str]:
    result = dsl(root, "run", *args, "--json")
    return json.loads(result.stdout), result.stderr


@pytest.fixture(scope="module")
def untracked(project: Path) -> tuple[dict[str, Any], str]:
    """A run of a copied notebook that git does not track (the copy stays, untracked)."""
    shutil.copy(project / "nb" / "parameterized.ipynb", project / "nb" / "copy.ipynb")
    return run_json(project, "nb/copy.ipynb")


@pytest.fixture(scope="module")
def committed(project: Path) -> tuple[dict[str, Any], str]:
    """A run of a committed notebook with a committed config file."""
    return run_json(project, "nb/parameterized.ipynb", "-f", "configs/base.yaml")


def test_a_committed_notebook_and_config_are_recorded_reproducible(
    committed: tuple[dict[str, Any], str],
) -> None:
    record, stderr = committed
    assert record["status"] == "succeeded"
    assert record["unreproducible"] == [] and record["git"]["dirty"] is False
    assert record["warnings"] == [] and warnings_of(stderr) == []


def test_a_copied_untracked_notebook_is_recorded_untracked_and_warned(
    project: Path, untracked: tuple[dict[str, Any], str]
) -> None:
    record, stderr = untracked
    assert record["status"] == "succeeded"
    assert record["unreproducible"] == [{"path": "nb/copy.ipynb", "reason": "untracked"}]
    assert record["git"]["dirty"] is False  # dirty still means: tracked files with changes
    [line] = warnings_of(stderr)
    commit = git(project, "rev-parse", "HEAD")[:12]
    assert "nb/copy.ipynb is untracked" in line and f"commit {commit} does not hold" in line
    assert line.removeprefix("warning: ") in record["warnings"]


def test_a_git_ignored_notebook_is_recorded_ignored(project: Path) -> None:
    (project / "scratch").mkdir(exist_ok=True)
    shutil.copy(project / "nb" / "no_parameters.ipynb", project / "scratch" / "try.ipynb")
    record, stderr = run_json(project, "scratch/try.ipynb")
    assert record["unreproducible"] == [{"path": "scratch/try.ipynb", "reason": "ignored"}]
    assert record["git"]["dirty"] is False
    [line] = warnings_of(stderr)
    assert "scratch/try.ipynb is git-ignored" in line


def test_a_modified_tracked_notebook_is_recorded_modified(project: Path) -> None:
    path = project / "nb" / "no_parameters.ipynb"
    node = json.loads(path.read_text(encoding="utf-8"))
    node["cells"][-1]["source"] = ["msg = 'edited, not committed'\n"]
    path.write_text(json.dumps(node, indent=1), encoding="utf-8")
    try:
        record, stderr = run_json(project, "nb/no_parameters.ipynb")
    finally:
        git(project, "checkout", "--", "nb/no_parameters.ipynb")
    assert record["unreproducible"] == [{"path": "nb/no_parameters.ipynb", "reason": "modified"}]
    assert record["git"]["dirty"] is True
    [line] = warnings_of(stderr)  # one line, the dirty tree said in it
    assert "nb/no_parameters.ipynb has uncommitted changes" in line and "recorded as dirty" in line


def test_modified_and_untracked_config_files_are_recorded_the_notebook_not(project: Path) -> None:
    (project / "configs" / "base.yaml").write_text("alpha: 0.2\n", encoding="utf-8")
    (project / "configs" / "local.yaml").write_text("epochs: 2\n", encoding="utf-8")
    try:
        args = ("nb/parameterized.ipynb", "-f", "configs/base.yaml", "-f", "configs/local.yaml")
        record, stderr = run_json(project, *args)
    finally:
        git(project, "checkout", "--", "configs/base.yaml")
        (project / "configs" / "local.yaml").unlink()
    assert record["parameters"]["alpha"] == 0.2 and record["parameters"]["epochs"] == 2
    assert record["unreproducible"] == [
        {"path": "configs/base.yaml", "reason": "modified"},
        {"path": "configs/local.yaml", "reason": "untracked"},
    ]
    [line] = warnings_of(stderr)
    assert "configs/base.yaml has uncommitted changes, configs/local.yaml is untracked" in line


def test_a_project_in_no_git_repository_records_every_file_no_git(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    shutil.rmtree(root / ".git")
    (root / "base.yaml").write_text("alpha: 0.3\n", encoding="utf-8")
    record, stderr = run_json(root, "nb/parameterized.ipynb", "-f", "base.yaml")
    assert record["git"] is None
    assert record["unreproducible"] == [
        {"path": "nb/parameterized.ipynb", "reason": "no-git"},
        {"path": "base.yaml", "reason": "no-git"},
    ]
    [line] = warnings_of(stderr)
    assert "not a git repository" in line


def test_runs_show_says_it_in_text_and_json(
    project: Path, untracked: tuple[dict[str, Any], str], committed: tuple[dict[str, Any], str]
) -> None:
    record, _ = untracked
    shown = dsl(project, "runs", "show", record["id"])
    assert "provenance  not reproducible from its commit: nb/copy.ipynb is untracked" in shown.stdout
    assert dsl_json(project, "runs", "show", record["id"])["unreproducible"] == record["unreproducible"]
    assert "not reproducible" not in dsl(project, "runs", "show", committed[0]["id"]).stdout


def test_rerun_says_the_original_was_not_reproducible(
    project: Path, untracked: tuple[dict[str, Any], str]
) -> None:
    record, _ = untracked
    text = dsl(project, "rerun", record["id"])
    said = [line for line in warnings_of(text.stderr) if f"run {record['id']}" in line]
    assert said == [
        f"warning: run {record['id']} was not reproducible from its commit (nb/copy.ipynb is untracked): "
        "this rerun ran the files as they are now"
    ]
    report = dsl_json(project, "rerun", record["id"])
    assert report["original_unreproducible"] == [{"path": "nb/copy.ipynb", "reason": "untracked"}]
    assert report["run"]["unreproducible"] == [{"path": "nb/copy.ipynb", "reason": "untracked"}]
    assert "unreproducible" not in report["changes"]  # still untracked: no change


def test_rerun_names_a_provenance_change(project: Path, untracked: tuple[dict[str, Any], str]) -> None:
    record, _ = untracked
    git(project, "add", "nb/copy.ipynb")
    git(project, "commit", "--quiet", "-m", "the copy")
    try:
        report = dsl_json(project, "rerun", record["id"])
        text = dsl(project, "rerun", record["id"])
    finally:
        git(project, "rm", "--quiet", "--cached", "nb/copy.ipynb")
        git(project, "commit", "--quiet", "-m", "the copy untracked again")
    assert report["run"]["unreproducible"] == []
    assert report["changes"]["unreproducible"] == [[{"path": "nb/copy.ipynb", "reason": "untracked"}], []]
    assert "provenance  nb/copy.ipynb untracked -> all committed" in text.stdout


def test_the_findings_provenance_of_a_run_names_it(
    project: Path,
    untracked: tuple[dict[str, Any], str],
    committed: tuple[dict[str, Any], str],
    tmp_path: Path,
) -> None:
    record, _ = untracked
    dsl(project, "findings", "nb/copy.ipynb", "--run", record["id"], "--out", str(tmp_path / "md"))
    [summary] = (tmp_path / "md").glob("*.md")
    provenance = summary.read_text(encoding="utf-8").split("## Provenance", 1)[1]
    assert "- Not reproducible from its commit: `nb/copy.ipynb` is untracked\n" in provenance
    dsl(
        project,
        "findings",
        "nb/copy.ipynb",
        "--run",
        record["id"],
        "--to",
        "html",
        "--out",
        str(tmp_path / "h"),
    )
    [page] = (tmp_path / "h").glob("*.html")
    assert "<dt>Not reproducible</dt><dd>from its commit: <code>nb/copy.ipynb</code> is untracked</dd>" in (
        page.read_text(encoding="utf-8")
    )
    out = tmp_path / "clean"
    dsl(project, "findings", "nb/parameterized.ipynb", "--run", committed[0]["id"], "--out", str(out))
    assert "Not reproducible" not in next(out.glob("*.md")).read_text(encoding="utf-8")


def test_a_batch_warns_once_and_records_it_in_every_run(project: Path, tmp_path: Path) -> None:
    shutil.copy(project / "nb" / "parameterized.ipynb", project / "nb" / "batch_copy.ipynb")
    grid = tmp_path / "grid.yaml"
    grid.write_text("grid:\n  alpha: [0.1, 0.2]\n", encoding="utf-8")
    try:
        result = dsl(project, "batch", "nb/batch_copy.ipynb", "--grid", str(grid), "-j", "2", "--json")
    finally:
        (project / "nb" / "batch_copy.ipynb").unlink()
    outcome = json.loads(result.stdout)
    [line] = warnings_of(result.stderr)
    assert "nb/batch_copy.ipynb is untracked" in line
    assert line.removeprefix("warning: ") in outcome["warnings"]
    for run in outcome["runs"]:
        shown = dsl_json(project, "runs", "show", run["run_id"])
        assert shown["unreproducible"] == [{"path": "nb/batch_copy.ipynb", "reason": "untracked"}]


def test_a_record_written_before_the_field_still_loads(project: Path) -> None:
    old: dict[str, Any] = {
        "id": "20240101-000000-0a0b0c",
        "notebook": "nb/parameterized.ipynb",
        "notebook_hash": "0" * 64,
        "parameters": {},
        "kernel": "python3",
        "status": "succeeded",
        "git": {"commit": "1" * 40, "branch": "main", "dirty": False, "diff_hash": None},
    }
    record = RunRecord.from_json(old)
    assert record.unreproducible is None  # not known: never claimed clean
    with RunStore(project / ".dsl" / "dsl.sqlite") as store:
        store.insert(record)
    assert dsl_json(project, "runs", "show", old["id"])["unreproducible"] is None
    shown = dsl(project, "runs", "show", old["id"])
    assert "not reproducible" not in shown.stdout and old["id"] in shown.stdout


def test_git_says_why_each_file_is_not_committed(tmp_path: Path) -> None:
    """The core of it, file by file: a staged new file is untracked (no commit holds it), a file outside
    the repository is in no git repository, a committed one is left out, a glob-like name is literal."""
    from jupyter_dsl.project import gitrepo

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    (root / "kept.txt").write_text("x")
    (root / "*.txt").write_text("star")
    git(root, "add", "kept.txt", "*.txt")
    git(root, "commit", "--quiet", "-m", "kept")
    (root / "staged.txt").write_text("new")
    git(root, "add", "staged.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text("o")
    (root / "*.txt").write_text("changed")
    paths = [root / "kept.txt", root / "staged.txt", outside, root / "*.txt"]
    assert gitrepo.not_committed(root, paths) == {
        root / "staged.txt": "untracked",
        outside: "no-git",
        root / "*.txt": "modified",
    }
    unborn = tmp_path / "unborn"
    unborn.mkdir()
    subprocess.run(["git", "init", "--quiet"], cwd=unborn, check=True)
    (unborn / "a.txt").write_text("a")
    assert gitrepo.not_committed(unborn, [unborn / "a.txt"]) == {unborn / "a.txt": "untracked"}


def _provenance_of_summary(project: Path, notebook: str, out: Path) -> str:
    dsl(project, "findings", notebook, "--out", str(out))
    [summary] = out.glob("*.md")
    return summary.read_text(encoding="utf-8").split("## Provenance", 1)[1]


def test_the_findings_provenance_of_a_notebook_says_when_its_commit_does_not_hold_it(
    project: Path, untracked: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    """Without --run the summary is of the notebook on disk: its commit must hold it, else it says so."""
    clean = _provenance_of_summary(project, "nb/parameterized.ipynb", tmp_path / "clean")
    assert "Not reproducible" not in clean
    copy = _provenance_of_summary(project, "nb/copy.ipynb", tmp_path / "copy")
    assert "- Not reproducible from a commit: `nb/copy.ipynb` is untracked\n" in copy
    path = project / "nb" / "parameterized.ipynb"
    committed_text = path.read_text(encoding="utf-8")
    number = dsl_json(project, "issue", "new", "Explore", "Provenance of a summary")["issue"]["number"]
    dsl(project, "link", "nb/parameterized.ipynb", str(number))  # the link alone is not its content
    node = json.loads(path.read_text(encoding="utf-8"))
    try:
        link_only = _provenance_of_summary(project, "nb/parameterized.ipynb", tmp_path / "link")
        node["cells"][-1]["source"] = ["print('edited, not committed')\n"]
        path.write_text(json.dumps(node, indent=1), encoding="utf-8")
        edited = _provenance_of_summary(project, "nb/parameterized.ipynb", tmp_path / "edited")
    finally:
        path.write_text(committed_text, encoding="utf-8")
    assert "Not reproducible" not in link_only
    assert "- Not reproducible from its commit: `nb/parameterized.ipynb` has uncommitted changes\n" in edited


def test_the_findings_provenance_outside_git_says_so(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "dsl.toml").write_text("[project]\nname = 'plain'\n", encoding="utf-8")
    shutil.copy(Path(__file__).parent / "notebooks" / "no_parameters.ipynb", root / "nb.ipynb")
    provenance = _provenance_of_summary(root, "nb.ipynb", tmp_path / "out")
    assert "- Not reproducible from a commit: `nb.ipynb` is in no git repository\n" in provenance
