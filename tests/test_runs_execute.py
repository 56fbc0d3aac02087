"""`jupyter dsl run` on the notebooks papermill's own test suite uses: each ends in a correct record,
status and exit code; bad input stops before any kernel starts."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nbformat
import pytest
from runs_support import dsl, dsl_json, make_project, output_notebook

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import RunQuery, RunStore


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("execute") / "proj")


def stored(project: Path, run_id: str) -> dict[str, Any]:
    with RunStore(find_project(project).database_path) as store:
        return store.get(run_id).to_json()


CASES = [
    # notebook, status, exit code, ename, cell (input index), evalue contains
    ("broken.ipynb", "failed", 7, "AssertionError", 3, "the data is wrong"),
    ("sysexit1.ipynb", "failed", 7, "SystemExit", 1, "1"),
    ("keyboard_interrupt.ipynb", "interrupted", 130, "KeyboardInterrupt", 1, ""),
    ("line_magic_error.ipynb", "failed", 7, "UsageError", 0, "undefined-line-magic"),
    ("kernel_dies.ipynb", "failed", 7, "DeadKernelError", 1, "died"),
]


@pytest.mark.parametrize(("name", "status", "code", "ename", "cell", "evalue"), CASES)
def test_failing_notebooks_are_recorded_with_their_error(
    project: Path, name: str, status: str, code: int, ename: str, cell: int, evalue: str
) -> None:
    record = dsl_json(project, "run", f"nb/{name}", code=code)
    assert record["status"] == status
    error = record["error"]
    assert error["ename"] == ename and error["cell_index"] == cell and evalue in error["evalue"]
    assert error["cell"] == cell + 1  # as JupyterLab numbers it
    assert all("\x1b[" not in line for line in error["traceback"])
    assert record["finished_at"] and record["duration_s"] > 0
    assert stored(project, record["id"]) == record  # what was printed is what was stored
    out = output_notebook(record)  # the partial output notebook is kept
    assert out["metadata"]["papermill"]["input_path"].endswith(name)


def test_broken_notebook_report_and_traceback(project: Path) -> None:
    shown = dsl(project, "run", "nb/broken.ipynb", code=7)
    assert "error       cell 4: AssertionError: the data is wrong" in shown.stdout
    assert "error: run" in shown.stderr and "failed" in shown.stderr and "runs show" in shown.stderr
    run_id = shown.stdout.split()[1]
    record = stored(project, run_id)
    assert any("assert False" in line for line in record["error"]["traceback"])
    assert record["error"]["execution_count"] == 2
    full = dsl(project, "runs", "show", run_id[:15]).stdout  # a unique prefix is enough
    assert "Cell In[2], line 1" in full and "environment Python" in full and "\x1b[" not in full


@pytest.mark.parametrize("name", ["sysexit0.ipynb", "systemexit.ipynb"])
def test_a_clean_sys_exit_succeeds_and_says_where_it_stopped(project: Path, name: str) -> None:
    record = dsl_json(project, "run", f"nb/{name}")
    assert record["status"] == "succeeded" and record["error"] is None
    assert "stopped itself with sys.exit(0) in cell 2" in " ".join(record["warnings"])
    out = output_notebook(record)
    assert out["cells"][2]["outputs"] == []  # the cell after sys.exit did not run


def test_no_parameters_cell_runs_and_refuses_parameters(project: Path) -> None:
    record = dsl_json(project, "run", "nb/no_parameters.ipynb")
    assert record["status"] == "succeeded" and record["parameters"] == {}
    refused = dsl(project, "run", "nb/no_parameters.ipynb", "-p", "msg", "hi", code=2)
    assert "no parameters cell" in refused.stderr and "--tag-cell" in refused.stderr


def test_complex_parameters_are_injected(project: Path) -> None:
    record = dsl_json(
        project, "run", "nb/complex_parameters.ipynb", "-p", "b", "[x, y]", "-p", "e", "null", "-p", "a", "3"
    )
    assert record["status"] == "succeeded", record["error"]
    assert record["parameters"] == {"b": ["x", "y"], "e": None, "a": 3.0}
    summary = record["values"]["summary"]["value"]
    assert summary == {"msg": None, "a": 3.0, "b": ["x", "y"], "c": None, "d": False, "e": None}
    out = output_notebook(record)
    assert "injected-parameters" in out["cells"][1]["metadata"]["tags"]


def test_an_nbformat_3_notebook_runs_with_parameters_and_stays_as_it_was(project: Path) -> None:
    v3 = nbformat.v3
    cells = [
        v3.new_code_cell(input="alpha = 0.5", metadata={"tags": ["parameters"]}),
        v3.new_code_cell(input="import jupyter_dsl\njupyter_dsl.record('twice', alpha * 2)"),
    ]
    notebook = project / "nb" / "old_v3.ipynb"
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])
    notebook.write_text(nbformat.writes(old, version=3))
    original = notebook.read_bytes()
    shown = dsl_json(project, "params", "nb/old_v3.ipynb")
    assert [(p["name"], p["default"]) for p in shown["parameters"]] == [("alpha", "0.5")]
    record = dsl_json(project, "run", "nb/old_v3.ipynb", "-p", "alpha", "0.7")
    assert record["status"] == "succeeded", record["error"]
    assert record["metrics"] == {"twice": 1.4}
    assert output_notebook(record)["nbformat"] == 4  # papermill writes version 4
    assert notebook.read_bytes() == original  # converted in memory only
    issue = dsl_json(project, "issue", "new", "Explore", "An old notebook")["issue"]["number"]
    refused = dsl(project, "link", "nb/old_v3.ipynb", str(issue), code=2)
    assert "is an nbformat 3 notebook" in refused.stderr
    assert "nbconvert --to notebook --inplace" in refused.stderr
    assert notebook.read_bytes() == original


def _runs_of(project: Path, notebook: str) -> int:
    with RunStore(find_project(project).database_path) as store:
        return store.count(RunQuery(notebook=notebook))


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["nb/parameterized.ipynb", "-p", "seed", "3"], 2, "unknown parameter 'seed'"),
        (["nb/parameterized.ipynb", "-p", "epochs", "many"], 2, "'epochs' must be int, got str"),
        (["nb/parameterized.ipynb", "-f", "missing.yaml"], 5, "missing.yaml not found"),
        (["nb/parameterized.ipynb", "-f", "bad.yaml"], 5, "not valid YAML"),
        (
            ["nb/parameterized.ipynb", "--kernel", "no-such-kernel"],
            5,
            "no Jupyter kernel named 'no-such-kernel'",
        ),
        (["nb/missing.ipynb"], 3, "not found"),
        (["dsl.toml"], 2, "is not a notebook"),
    ],
)
def test_bad_input_stops_before_a_kernel_starts(project: Path, args: list[str], code: int, said: str) -> None:
    (project / "bad.yaml").write_text("alpha: [0.1\n", encoding="utf-8")
    artifacts = project / ".dsl" / "artifacts"
    before = set(artifacts.iterdir()) if artifacts.exists() else set()
    runs_before = _runs_of(project, "nb/parameterized.ipynb")
    result = dsl(project, "run", *args, code=code)
    assert said in result.stderr
    assert _runs_of(project, "nb/parameterized.ipynb") == runs_before  # no record: nothing ran
    assert (set(artifacts.iterdir()) if artifacts.exists() else set()) == before


def test_a_malformed_notebook_is_refused_and_left_untouched(project: Path) -> None:
    path = project / "nb" / "malformed.ipynb"
    path.write_bytes(b'{"cells": [], "nbformat": 4, "metadata": [')
    result = dsl(project, "run", "nb/malformed.ipynb", code=2)
    assert "not a valid notebook" in result.stderr
    assert path.read_bytes() == b'{"cells": [], "nbformat": 4, "metadata": ['


def test_record_hash_and_identity(project: Path) -> None:
    record = dsl_json(project, "run", "nb/no_parameters.ipynb")
    content = (project / "nb" / "no_parameters.ipynb").read_bytes()
    assert record["notebook_hash"] == hashlib.sha256(content).hexdigest()
    again = dsl_json(project, "run", "nb/no_parameters.ipynb")
    assert again["identity"] == record["identity"] and again["id"] != record["id"]


SELF_BREAKING = """\
import os
import jupyter_dsl

output = jupyter_dsl.run_dir().parent / "self_breaking.ipynb"  # papermill's output notebook
output.unlink()
output.symlink_to(os.devnull)  # papermill's later writes of it vanish; reading it gives nothing
"""


def test_a_run_whose_output_notebook_cannot_be_read_fails_and_says_why(project: Path) -> None:
    node = nbformat.v4.new_notebook()
    node.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(SELF_BREAKING)]
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(node, project / "nb" / "self_breaking.ipynb")
    record = dsl_json(project, "run", "nb/self_breaking.ipynb", code=7)
    assert record["status"] == "failed"
    error = record["error"]
    assert error["ename"] == "OutputUnreadable" and error["cell"] is None and error["cell_index"] is None
    assert "self_breaking.ipynb cannot be read" in error["evalue"]
    assert stored(project, record["id"]) == record
