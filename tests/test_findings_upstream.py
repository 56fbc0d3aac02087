"""Every test notebook of nbformat and nbconvert goes through `jupyter dsl findings` without a crash:
a summary for the valid ones, a one-line error naming the file for the invalid ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from runs_support import cli_in_process

UPSTREAM = Path(__file__).parent / "notebooks" / "upstream"


def _installed_test_notebooks() -> list[Path]:
    """The packages' own tests, when the installed distribution ships them (wheels here do not)."""
    found: list[Path] = []
    for module in (nbformat, __import__("nbconvert")):
        tests = Path(os.path.dirname(module.__file__ or "")) / "tests"
        found += sorted(tests.rglob("*.ipynb")) if tests.is_dir() else []
    return found


NOTEBOOKS = sorted(UPSTREAM.rglob("*.ipynb")) + _installed_test_notebooks()


def nbformat_says_valid(path: Path) -> bool:
    try:
        node = nbformat.read(path, as_version=4)
        nbformat.validate(node)
    except Exception:
        return False
    return True


def test_the_upstream_notebooks_are_all_there() -> None:
    assert len(list(UPSTREAM.rglob("*.ipynb"))) == 43


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("to", ["md", "html"])
def test_findings_renders_or_refuses_clearly(notebook: Path, to: str, tmp_path: Path, capsys) -> None:
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    before = copy.read_bytes()
    out = tmp_path / "out"
    if nbformat_says_valid(notebook):
        stdout, _ = cli_in_process(capsys, tmp_path, "findings", copy.name, "--to", to, "--out", str(out))
        written = out / f"{notebook.stem}.{to}"
        assert f"wrote {written}" in stdout
        text = written.read_text(encoding="utf-8")
        assert "What was discovered during this exploration?" in text and "Provenance" in text
    else:
        args = ("findings", copy.name, "--to", to, "--out", str(out))
        _, stderr = cli_in_process(capsys, tmp_path, *args, code=2)
        assert f"error: {copy}" in stderr.replace("\n", "") and "is not a valid notebook" in stderr
        assert "Traceback" not in stderr
        assert not out.exists()
    assert copy.read_bytes() == before  # exporting never touches the notebook
