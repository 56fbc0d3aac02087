"""Shared fixtures for the core tests: real git repositories, real notebooks, a real local tracker."""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from forge_clients import close_opened

from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import LocalTracker

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

GitRunner = Callable[..., str]
NotebookMaker = Callable[..., Path]


def run_git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; fail the test on a non-zero exit."""
    result = subprocess.run(
        ["git", *args], cwd=root, env=GIT_ENV, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout.strip()


def sample_notebook() -> nbformat.NotebookNode:
    """A small notebook with code, markdown (non-ASCII), outputs and metadata of other tools."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x = 1\nprint('héllo')", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="héllo\n")]
    params = nbformat.v4.new_code_cell("alpha = 0.5\nregion = 'EMEA'", metadata={"tags": ["parameters"]})
    nb.cells = [nbformat.v4.new_markdown_cell("# Churn — überblick 📈"), params, code]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11"}
    nb.metadata["zz_other_tool"] = {"keep": [1, 2, 3]}
    return nb


@pytest.fixture()
def git() -> GitRunner:
    return run_git


@pytest.fixture()
def sample_nb() -> nbformat.NotebookNode:
    """A fresh copy of the sample notebook (not written anywhere)."""
    return sample_notebook()


@pytest.fixture()
def make_notebook() -> NotebookMaker:
    """``make_notebook(path)`` writes the sample notebook with ``nbformat.write`` and returns the path."""

    def make(path: Path, nb: nbformat.NotebookNode | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb if nb is not None else sample_notebook(), path)
        return path

    return make


@pytest.fixture()
def project_dir(tmp_path: Path) -> Path:
    """A fresh DSLP project (``init_project``: git repo on ``main``, ``dsl.toml``, ``.gitignore``)."""
    root = tmp_path / "proj"
    init_project(root)
    return root


@pytest.fixture()
def project(project_dir: Path) -> Project:
    return find_project(project_dir)


@pytest.fixture()
def committed_project(project_dir: Path, make_notebook: NotebookMaker) -> Path:
    """The project with ``nb/analysis.ipynb`` and everything else committed on ``main``."""
    make_notebook(project_dir / "nb" / "analysis.ipynb")
    run_git(project_dir, "add", "--all")
    run_git(project_dir, "commit", "--quiet", "-m", "start")
    return project_dir


@pytest.fixture()
def tracker(project: Project) -> Iterator[LocalTracker]:
    local = LocalTracker(project.database_path)
    yield local
    local.close_connection()


@pytest.fixture(autouse=True)
def _free_cycles_after_each_test() -> Iterator[None]:
    """A resource left in a reference cycle is freed (and its ResourceWarning, an error, raised) in
    the teardown of the test that leaked it, not in whichever later test the collector happens to run."""
    yield
    close_opened()  # the forge clients the test opened
    gc.collect()
