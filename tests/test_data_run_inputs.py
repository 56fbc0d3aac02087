"""What a run read: `jupyter_dsl.dataset` in a recorded run, its record's inputs, rerun's data changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from data_support import data_project
from runs_support import dsl, dsl_json, git

from jupyter_dsl.data.input_record import data_changes

READER = """\
import jupyter_dsl
path = jupyter_dsl.dataset(ref)
jupyter_dsl.record("rows", sum(len(p.read_text().splitlines()) for p in sorted(path.iterdir())))
"""


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    root = data_project(tmp_path / "proj")
    dsl_json(root, "data", "add", "data/customers")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('ref = "customers"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(READER),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (root / "nb").mkdir()
    nbformat.write(nb, root / "nb" / "read.ipynb")
    git(root, "add", "nb")
    git(root, "commit", "--quiet", "-m", "reader")
    return root


def test_a_run_records_the_dataset_it_read_and_pulls_it_when_missing(root: Path) -> None:
    shutil.rmtree(root / "data" / "customers")  # a fresh clone: only the pointer is there
    record = dsl_json(root, "run", "nb/read.ipynb")
    read = record["inputs"]["customers"]
    assert read["version"] == "1.0.0" and read["md5"].endswith(".dir") and read["modified"] is False
    assert record["metrics"]["rows"] == 6 and (root / "data/customers/north.csv").exists()
    shown = dsl(root, "runs", "show", record["id"]).stdout
    assert "customers@v1.0.0" in shown


def test_an_older_version_and_a_modified_copy_are_recorded_as_such(root: Path) -> None:
    (root / "data/customers/west.csv").write_text("id,churned\n9,1\n", encoding="utf-8")
    dsl_json(root, "data", "add", "data/customers")  # 1.0.1: four files
    older = dsl_json(root, "run", "nb/read.ipynb", "-p", "ref", "customers@1.0.0")
    assert older["inputs"]["customers"]["version"] == "1.0.0" and older["metrics"]["rows"] == 6
    assert older["inputs"]["customers"]["path"].startswith(".dsl/")

    first = dsl_json(root, "run", "nb/read.ipynb")
    assert first["inputs"]["customers"]["version"] == "1.0.1" and first["metrics"]["rows"] == 8
    listed = dsl_json(root, "runs", "--where", "data=customers@1.0.0")
    assert [run["id"] for run in listed["runs"]] == [older["id"]]
    assert len(dsl_json(root, "runs", "--where", "data=customers")["runs"]) == 2
    assert dsl_json(root, "runs", "--where", "data=orders")["runs"] == []
    summary = dsl(root, "findings", "nb/read.ipynb", "--run", first["id"], "--out", "out").stdout
    assert summary
    written = next((root / "out").glob("*.md")).read_text(encoding="utf-8")
    assert f"- Data: customers@v1.0.1 (md5 {first['inputs']['customers']['md5']})" in written
    (root / "data/customers/north.csv").write_text("id,churned\n0,1\n5,0\n", encoding="utf-8")
    rerun = dsl_json(root, "rerun", first["id"])
    read = rerun["run"]["inputs"]["customers"]
    assert read["modified"] is True and read["changed"] == ["north.csv"]
    assert any("north.csv" in warning for warning in rerun["run"]["warnings"])
    assert rerun["changes"]["data"]["customers"][1]["modified"] is True
    said = dsl(root, "rerun", first["id"]).stdout
    assert "data        customers: v1.0.1" in said and "local files differed" in said


def test_data_changes_name_the_dataset_and_version() -> None:
    old = {"customers": {"version": "1.0.0", "md5": "a", "modified": False}}
    new = {"customers": {"version": "1.1.0", "md5": "b", "modified": False}, "orders": {"version": "2.0.0"}}
    changes = data_changes(old, new)
    assert changes["customers"][0]["version"] == "1.0.0" and changes["customers"][1]["version"] == "1.1.0"
    assert changes["orders"][0] is None
    assert data_changes(old, old) == {}
