"""A project that already uses DVC: its .dvc files, dvc.lock and default remote are the truth, and
`dvc` moves the bytes where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from runs_support import ENV, dsl, dsl_json, git

from jupyter_dsl.data.dvc_project import default_remote, lock_outputs
from jupyter_dsl.project.scaffold import init_project

needs_dvc = pytest.mark.skipif(shutil.which("dvc") is None, reason="dvc is in the test extras")


def run_dvc(root: Path, *args: str) -> str:
    result = subprocess.run(["dvc", *args], cwd=root, env=ENV, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A DSLP project that uses DVC, with a remote, and raw/customers (not git-ignored, as DVC wants)."""
    root = tmp_path / "proj"
    init_project(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    folder = root / "raw" / "customers"
    folder.mkdir(parents=True)
    for name in ("north", "south"):
        (folder / f"{name}.csv").write_text(f"id,churned\n{name},0\n", encoding="utf-8")
    return root


def test_the_default_remote_and_dvc_lock_are_read(root: Path, tmp_path: Path) -> None:
    (root / ".dvc").mkdir()
    (root / ".dvc" / "config").write_text(
        "[core]\n    remote = shared\n['remote \"shared\"']\n    url = ../../remote\n", encoding="utf-8"
    )
    assert default_remote(root) == str((tmp_path / "remote").resolve())
    lock = {
        "schema": "2.0",
        "stages": {
            "prepare": {
                "cmd": "python prepare.py",
                "outs": [{"path": "raw/features.csv", "hash": "md5", "md5": "0" * 32, "size": 4}],
            }
        },
    }
    (root / "dvc.lock").write_text(yaml.safe_dump(lock), encoding="utf-8")
    assert [(stage, out.path) for stage, out in lock_outputs(root)] == [("prepare", "raw/features.csv")]
    listed = dsl_json(root, "data", "list")
    assert [item["name"] for item in listed] == ["features"]
    status = dsl_json(root, "data", "status", code=1)
    assert status == [
        {"name": "features", "version": "", "path": "raw/features.csv", "state": "missing", "changed": []}
    ]


@needs_dvc
def test_add_and_pull_go_through_dvc_in_a_dvc_project(root: Path, tmp_path: Path) -> None:
    run_dvc(root, "init", "--quiet")
    remote = tmp_path / "remote"
    run_dvc(root, "remote", "add", "-d", "shared", str(remote))
    git(root, "add", ".dvc")
    git(root, "commit", "--quiet", "-m", "dvc")

    added = dsl_json(root, "data", "add", "raw/customers", "--name", "customers")
    assert added["version"] == "1.0.0" and added["pointer"] == "raw/customers.dvc"
    pointer = yaml.safe_load((root / "raw" / "customers.dvc").read_text(encoding="utf-8"))
    assert pointer["outs"][0]["md5"] == added["md5"] and pointer["meta"]["version"] == "1.0.0"
    assert (root / ".dvc" / "cache" / "files" / "md5").is_dir()  # DVC cached it ...
    assert "in sync" in run_dvc(root, "status", "--cloud") or "up to date" in run_dvc(root, "status", "-c")
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["raw/customers.dvc"]

    shutil.rmtree(root / "raw" / "customers")
    shutil.rmtree(root / ".dvc" / "cache")
    pulled = dsl_json(root, "data", "pull")
    assert pulled[0]["kept"] == 2  # DVC fetched them, and every hash was checked
    assert (root / "raw/customers/north.csv").read_text() == "id,churned\nnorth,0\n"
    assert dsl(root, "data", "status").returncode == 0
