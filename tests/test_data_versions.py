"""`data add/list/show/status`: versions in DVC's formats, pinned by a pointer committed alone, tagged."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
import yaml
from data_support import committed_files, data_project
from runs_support import ENV, dsl, dsl_json, git

from jupyter_dsl.data.manifest import Manifest
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import LocalTracker


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, ENV[key])
    return data_project(tmp_path / "proj")


def store_object(root: Path, md5: str) -> Path:
    return root / ".dsl" / "artifacts" / "data" / "files" / "md5" / md5[:2] / md5[2:]


def test_add_writes_a_dvc_pointer_the_cache_layout_and_a_tag(root: Path) -> None:
    (root / "notes.txt").write_text("the user's own staged work\n", encoding="utf-8")
    git(root, "add", "notes.txt")

    result = dsl_json(root, "data", "add", "data/customers")

    assert result["name"] == "customers" and result["version"] == "1.0.0" and result["nfiles"] == 3
    pointer = yaml.safe_load((root / "datasets" / "customers.dvc").read_text(encoding="utf-8"))
    out = pointer["outs"][0]
    assert out["path"] == "../data/customers" and out["hash"] == "md5" and out["nfiles"] == 3
    assert out["md5"].endswith(".dir") and out["size"] == sum(
        p.stat().st_size for p in (root / "data" / "customers").iterdir()
    )
    manifest = json.loads(store_object(root, out["md5"]).read_bytes())
    assert [entry["relpath"] for entry in manifest] == ["east.csv", "north.csv", "south.csv"]
    for entry in manifest:  # every file under its md5, in DVC's layout
        assert (
            store_object(root, entry["md5"]).read_bytes()
            == (root / "data/customers" / entry["relpath"]).read_bytes()
        )
    assert committed_files(root) == ["datasets/customers.dvc"]  # the pointer alone
    assert git(root, "diff", "--cached", "--name-only") == "notes.txt"  # the user's staging untouched
    assert git(root, "cat-file", "-t", "customers@v1.0.0") == "tag"  # annotated, GTO's name
    assert git(root, "rev-list", "-n1", "customers@v1.0.0") == git(root, "rev-parse", "HEAD")


def test_a_version_is_new_only_when_the_content_changed(root: Path) -> None:
    dsl_json(root, "data", "add", "data/customers")
    head = git(root, "rev-parse", "HEAD")
    again = dsl_json(root, "data", "add", "data/customers")
    assert again["unchanged"] is True and again["uploaded"] == 0
    assert git(root, "rev-parse", "HEAD") == head

    (root / "data/customers/south.csv").write_text("id,churned\n1,1\n", encoding="utf-8")
    bumped = dsl_json(root, "data", "add", "data/customers")
    assert bumped["version"] == "1.0.1" and bumped["uploaded"] == 2  # the changed file and the new .dir
    (root / "data/customers/east.csv").write_text("id,churned\n2,1\n", encoding="utf-8")
    assert dsl_json(root, "data", "add", "data/customers", "--version", "2.0.0")["version"] == "2.0.0"
    listed = dsl_json(root, "data", "list")
    assert [v["version"] for v in listed[0]["versions"]] == ["1.0.0", "1.0.1", "2.0.0"]
    shown = dsl_json(root, "data", "show", "customers@1.0.0")
    assert (
        shown["current"] is False
        and shown["nfiles"] == 3
        and shown["versions"] == ["1.0.0", "1.0.1", "2.0.0"]
    )


def test_status_names_the_local_files_that_differ(root: Path) -> None:
    dsl_json(root, "data", "add", "data/customers")
    assert dsl_json(root, "data", "status")[0]["state"] == "ok"
    (root / "data/customers/north.csv").write_text("changed\n", encoding="utf-8")
    (root / "data/customers/west.csv").write_text("new\n", encoding="utf-8")
    (root / "data/customers/east.csv").unlink()
    status = dsl_json(root, "data", "status", code=1)
    assert status[0]["state"] == "modified"
    assert status[0]["changed"] == ["east.csv", "north.csv", "west.csv"]
    human = dsl(root, "data", "status", code=1).stdout
    assert "north.csv" in human and "modified" in human


def test_issue_must_be_a_data_issue_and_gets_the_version_line(root: Path) -> None:
    tracker = LocalTracker(find_project(root).database_path)
    try:
        ask = new_issue(tracker, IssueType.ASK, "Why do customers churn?")
        data = new_issue(tracker, IssueType.DATA, "Get customers Dataset", ask=ask.number)
    finally:
        tracker.close_connection()
    refused = dsl(root, "data", "add", "data/customers", "--issue", str(ask.number), code=2)
    assert "not a Data issue" in refused.stderr
    assert not (root / "datasets").exists() and git(root, "tag") == ""  # nothing written

    dsl_json(root, "data", "add", "data/customers", "--issue", str(data.number))
    tracker = LocalTracker(find_project(root).database_path)
    try:
        body = tracker.get(data.number).body
    finally:
        tracker.close_connection()
    assert "## Versions" in body and "customers@v1.0.0: 3 files" in body
    assert dsl_json(root, "data", "show", "customers")["issue"] == data.number


def test_bad_input_changes_nothing(root: Path) -> None:
    head = git(root, "rev-parse", "HEAD")
    assert "does not exist" in dsl(root, "data", "add", "data/nothing", code=3).stderr
    assert (
        "not a semantic version"
        in dsl(root, "data", "add", "data/customers", "--version", "1.2", code=2).stderr
    )
    assert (
        "not a dataset or model name"
        in dsl(root, "data", "add", "data/customers", "--name", "Bad Name", code=2).stderr
    )
    dsl_json(root, "data", "add", "data/customers", "--version", "1.5.0")
    older = dsl(root, "data", "add", "data/customers", "--version", "1.4.0", code=4)
    assert "not after" in older.stderr
    assert git(root, "rev-list", "--count", f"{head}..HEAD") == "1"


def _add_version(root: str, content: str) -> None:
    from jupyter_dsl.data.add import add

    project = find_project(root)
    folder = Path(root) / "data" / content
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rows.csv").write_text(content, encoding="utf-8")
    add(project, folder, name="shared")


def test_two_processes_adding_versions_of_one_dataset(root: Path) -> None:
    dsl_json(root, "data", "add", "data/customers", "--name", "shared")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_version, args=(str(root), name)) for name in ("aa", "bb")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    tags = git(root, "tag", "--list", "shared@v*").split()
    assert sorted(tags) == ["shared@v1.0.0", "shared@v1.0.1", "shared@v1.0.2"]
    assert git(root, "status", "--porcelain") == ""


def test_the_folder_hash_is_dvcs() -> None:
    manifest = Manifest({"a.txt": ("0cc175b9c0f1b6a831c399e269772661", 1)}, True)
    assert manifest.dir_bytes() == b'[{"md5": "0cc175b9c0f1b6a831c399e269772661", "relpath": "a.txt"}]'
    assert manifest.md5.endswith(".dir") and len(manifest.md5) == 36
