"""`data pull/push`: every hash checked, every file written whole; and DVC reads what we wrote."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from data_support import data_project
from runs_support import ENV, dsl, dsl_json, git

from jupyter_dsl.data.cache import DataStore
from jupyter_dsl.data.catalog import workspace
from jupyter_dsl.data.hashing import HashMemory
from jupyter_dsl.data.pull import materialize
from jupyter_dsl.errors import NotFound
from jupyter_dsl.project.settings import find_project


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    root = data_project(tmp_path / "proj")
    dsl_json(root, "data", "add", "data/customers")
    return root


def objects(root: Path) -> Path:
    return root / ".dsl" / "artifacts" / "data" / "files" / "md5"


def object_of(root: Path, content: bytes) -> Path:
    import hashlib

    md5 = hashlib.md5(content, usedforsecurity=False).hexdigest()
    return objects(root) / md5[:2] / md5[2:]


def test_pull_restores_deleted_and_changed_files(root: Path) -> None:
    folder = root / "data" / "customers"
    north = (folder / "north.csv").read_bytes()
    (folder / "north.csv").unlink()
    (folder / "south.csv").write_text("edited\n", encoding="utf-8")
    pulled = dsl_json(root, "data", "pull")
    assert pulled[0]["written"] == 2 and pulled[0]["kept"] == 1
    assert (folder / "north.csv").read_bytes() == north
    assert dsl_json(root, "data", "status")[0]["state"] == "ok"


def test_a_corrupt_object_is_named_and_nothing_half_written_is_left(root: Path) -> None:
    folder = root / "data" / "customers"
    south = (folder / "south.csv").read_bytes()
    shutil.rmtree(folder)
    target = object_of(root, south)
    target.write_bytes(b"bit rot\n")
    failed = dsl(root, "data", "pull", code=3)
    assert "south.csv" in failed.stderr and "corrupt" in failed.stderr
    assert not (folder / "south.csv").exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".partial")]


def test_a_missing_object_is_an_error_before_anything_is_written(root: Path) -> None:
    folder = root / "data" / "customers"
    east = (folder / "east.csv").read_bytes()
    object_of(root, east).unlink()
    assert dsl_json(root, "data", "push")[0]["uploaded"] == 1  # push sends what the store lacks
    assert object_of(root, east).read_bytes() == east
    shutil.rmtree(folder)
    object_of(root, east).unlink()
    failed = dsl(root, "data", "pull", code=3)
    assert "east.csv" in failed.stderr and "missing" in failed.stderr
    assert not folder.exists()
    folder.mkdir(parents=True)  # a machine whose copy differs pushes nothing of it
    (folder / "east.csv").write_bytes(east)
    assert dsl_json(root, "data", "push")[0]["skipped"] == "modified"


def test_an_interrupted_pull_leaves_whole_files_and_a_rerun_finishes(root: Path) -> None:
    folder = root / "data" / "customers"
    shutil.rmtree(folder)
    project = find_project(root)
    entry = workspace(root)["customers"]
    store = DataStore(str(root / ".dsl" / "artifacts" / "data"))
    calls = 0
    real_fetch = store.fetch

    def interrupted(md5: str, dest: Path, what: str) -> None:  # the second file's download is cut off
        nonlocal calls
        calls += 1
        if calls == 2:
            dest.parent.mkdir(parents=True, exist_ok=True)
            (dest.parent / f".{dest.name}.0123abcd.partial").write_bytes(b"half")
            raise KeyboardInterrupt
        real_fetch(md5, dest, what)

    store.fetch = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        materialize(project, entry, entry.data_path, store, HashMemory(project.state_dir))
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["east.csv"]
    pulled = dsl_json(root, "data", "pull")
    assert pulled[0]["written"] == 2 and pulled[0]["kept"] == 1
    assert dsl_json(root, "data", "status")[0]["state"] == "ok"


def test_pull_of_an_older_version_goes_beside_the_workspace(root: Path) -> None:
    (root / "data/customers/north.csv").write_text("v2\n", encoding="utf-8")
    dsl_json(root, "data", "add", "data/customers")
    pulled = dsl_json(root, "data", "pull", "customers@1.0.0")
    old = root / pulled[0]["path"]
    assert old.is_relative_to(root / ".dsl") and (old / "north.csv").read_text() == "id,churned\n0,0\n"
    assert (root / "data/customers/north.csv").read_text() == "v2\n"
    with pytest.raises(NotFound):
        from jupyter_dsl.data.catalog import resolve

        resolve(find_project(root), "customers@9.9.9")


@pytest.mark.skipif(shutil.which("dvc") is None, reason="dvc is in the test extras")
def test_dvc_pulls_our_pointer_from_our_store(root: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(root), str(clone))
    env = {**ENV, "DVC_NO_ANALYTICS": "1"}

    def dvc(*args: str) -> str:
        result = subprocess.run(
            ["dvc", *args], cwd=clone, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    dvc("init", "--quiet")
    dvc("remote", "add", "-d", "ours", str(root / ".dsl" / "artifacts" / "data"))
    dvc("pull")
    for name in ("north", "south", "east"):
        assert (clone / "data/customers" / f"{name}.csv").read_bytes() == (
            root / "data/customers" / f"{name}.csv"
        ).read_bytes()
    assert "up to date" in dvc("status")
