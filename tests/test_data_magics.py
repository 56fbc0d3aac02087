"""`%dsl data ...` and `%dsl models` in a real kernel, mirroring the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from data_support import data_project
from kernel_support import Kernel, plain
from runs_support import git


@pytest.fixture()
def kernel(tmp_path: Path) -> Iterator[tuple[Kernel, Path]]:
    root = data_project(tmp_path / "proj")
    (root / "work").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), root / "work" / "explore.ipynb")
    k = Kernel(root / "work", str(root / "work" / "explore.ipynb"))
    status, _, text = k.run("%load_ext jupyter_dsl")
    assert status == "ok", text
    yield k, root
    k.close()


def test_data_and_models_magics(kernel: tuple[Kernel, Path]) -> None:
    k, root = kernel
    status, outputs, text = k.run("%dsl data add ../data/customers")
    assert status == "ok", text
    assert "customers: v1.0.0, pointer datasets/customers.dvc (3 files" in plain(outputs)
    assert git(root, "tag") == "customers@v1.0.0"
    (root / "data/customers/north.csv").write_text("changed\n", encoding="utf-8")
    _, outputs, _ = k.run("%dsl data status")
    assert "customers v1.0.0: modified north.csv" in plain(outputs)
    _, outputs, _ = k.run("%dsl data list")
    assert "customers: 1.0.0" in plain(outputs)
    _, outputs, _ = k.run("%dsl models")
    assert "no models" in plain(outputs)
