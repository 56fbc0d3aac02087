"""A run's output notebook is read back only from the run's own folder of the artifact store.

A remote store (fsspec ``memory://``) here; the local store, symbolic links and the HTTP route are
covered in test_server_runs.py over real runs.
"""

from __future__ import annotations

from pathlib import Path

import fsspec
import nbformat
import pytest
from runs_support import make_project

from jupyter_dsl.errors import InvalidInput, NotFound, PathRefused
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs import RunRecord
from jupyter_dsl.runs.output_notebook import read_output_notebook

STORE = "/output-notebook-test/runs"
RUN_ID = "20250101-000000-0a0b0c"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = make_project(tmp_path / "p", "no_parameters.ipynb", runs=f'artifacts = "memory://{STORE}"')
    return find_project(root)


def record_of(*artifacts: str) -> RunRecord:
    return RunRecord(
        RUN_ID, "nb/a.ipynb", "0" * 64, {}, "python3", status="succeeded", artifacts=list(artifacts)
    )


def put(path: str, data: bytes) -> str:
    fs = fsspec.filesystem("memory")
    fs.pipe_file(path, data)
    return f"memory://{path}"


def test_reads_the_output_notebook_from_a_remote_store(project: Project) -> None:
    written = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('from the store')")])
    url = put(f"{STORE}/{RUN_ID}/a.ipynb", nbformat.writes(written).encode())
    notebook = read_output_notebook(project, record_of(url))
    assert [cell.source for cell in notebook.cells] == ["print('from the store')"]
    assert notebook.nbformat == 4


@pytest.mark.parametrize(
    "path",
    [
        f"{STORE}/{RUN_ID}/../20250101-000000-ffffff/a.ipynb",  # climbs into another run's folder
        f"{STORE}/20250101-000000-ffffff/a.ipynb",  # another run's notebook
        f"{STORE}/{RUN_ID}-evil/a.ipynb",  # a sibling whose name starts with the run id
        f"/output-notebook-test/elsewhere/{RUN_ID}/a.ipynb",  # outside the store
        f"{STORE}/{RUN_ID}/files/secret.txt",  # in the run's folder, not a notebook
    ],
)
def test_refuses_files_outside_the_runs_folder(project: Project, path: str) -> None:
    url = put(path, nbformat.writes(nbformat.v4.new_notebook()).encode())
    with pytest.raises(PathRefused, match="not in the project's artifact store"):
        read_output_notebook(project, record_of(url))


def test_refuses_another_filesystem(project: Project, tmp_path: Path) -> None:
    local = tmp_path / "a.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), local)
    with pytest.raises(PathRefused):
        read_output_notebook(project, record_of(local.as_uri()))


def test_missing_or_broken_output_notebook(project: Project) -> None:
    with pytest.raises(NotFound, match="no output notebook"):
        read_output_notebook(project, record_of())
    with pytest.raises(NotFound, match="gone"):
        read_output_notebook(project, record_of(f"memory://{STORE}/{RUN_ID}/never-written.ipynb"))
    broken = put(f"{STORE}/{RUN_ID}/broken.ipynb", b'{"cells": [')
    with pytest.raises(InvalidInput, match="not a valid notebook"):
        read_output_notebook(project, record_of(broken))
