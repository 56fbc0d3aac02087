"""One error, three surfaces, each in its own words: the core's hint is a neutral sentence and an action;
the CLI names the `jupyter dsl` command, a `%dsl` magic the `%dsl` line (never `jupyter dsl`), the
server's JSON neither (no flag, no HTTP status in the text) and carries the action as data."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from runs_support import ENV, dsl
from server_support import Api, api, project_with_an_ask, server_config
from test_magics import Kernel
from traitlets.config import Config

__all__ = ["api"]  # the fixture, imported for pytest

SURFACE_WORDS = re.compile(r"jupyter dsl|%dsl|(^|[\s(`])--?[a-z]|\(\d{3}\b")


def sh(cwd: Path, *args: str) -> None:
    subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=True, env=ENV)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with an Ask and an Explore, an unlinked notebook, and explore.ipynb linked to the
    Explore but not committed (so switching to its branch refuses: uncommitted changes)."""
    root = tmp_path_factory.mktemp("words") / "proj"
    sh(root.parent, sys.executable, "-m", "jupyter_dsl", "init", "proj")
    (root / "work").mkdir()
    for name in ("explore.ipynb", "plain.ipynb"):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("%load_ext jupyter_dsl")]
        nbformat.write(nb, root / "work" / name)
    sh(root, sys.executable, "-m", "jupyter_dsl", "issue", "new", "Ask", "Why do customers churn?")
    sh(root, sys.executable, "-m", "jupyter_dsl", "issue", "new", "Explore", "Churn by region", "--ask", "1")
    sh(root, "git", "add", "--all")
    sh(root, "git", "commit", "-qm", "start")
    sh(root, sys.executable, "-m", "jupyter_dsl", "link", "work/explore.ipynb", "2")
    return root


@pytest.fixture(scope="module")
def kernel(project: Path) -> Iterator[Kernel]:
    k = Kernel(project / "work", str(project / "work" / "explore.ipynb"))
    status, _, text = k.run("%load_ext jupyter_dsl")
    assert status == "ok", text
    yield k
    k.close()


# (CLI arguments and exit code, %dsl line, what the CLI's hint names, what the magic's hint names)
CASES = {
    "not linked": (
        ("branch", "work/plain.ipynb"),
        3,
        "%dsl branch --notebook plain.ipynb",
        "Run `jupyter dsl link work/plain.ipynb N`.",
        "Run `%dsl link N --notebook ",
    ),
    "no such issue": (
        ("link", "work/plain.ipynb", "99"),
        3,
        "%dsl link 99 --notebook plain.ipynb",
        "Run `jupyter dsl issue list --state all`.",
        "Run `%dsl issues --state all`.",
    ),
    "uncommitted changes": (
        ("branch", "work/explore.ipynb"),
        4,
        "%dsl branch",  # this kernel's own notebook: the hint needs no --notebook
        "Run `jupyter dsl branch work/explore.ipynb --force`.",
        "Run `%dsl branch --force`.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_and_a_magic_word_the_same_hint_each_their_own_way(
    case: str, project: Path, kernel: Kernel
) -> None:
    args, code, line, cli_words, magic_words = CASES[case]
    cli = dsl(project, *args, code=code)
    hint = next(text for text in cli.stderr.splitlines() if text.startswith("hint: "))
    assert cli_words in hint and "%dsl" not in hint
    status, _, said = kernel.run(line)
    assert status == "error" and "UsageError" in said
    assert magic_words in said, said
    assert "jupyter dsl" not in said
    assert hint.removeprefix("hint: ").split(" Run `")[0] in said  # one sentence, two wordings


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def notebook(jp_root_dir: Path) -> Path:
    return project_with_an_ask(jp_root_dir)


def neutral(error: dict[str, Any]) -> dict[str, Any]:
    """The error answer's text names no surface: no command, no flag, no HTTP status."""
    for text in (error["message"], error["hint"] or ""):
        assert not SURFACE_WORDS.search(text), text
    return error


def test_the_servers_error_answers_carry_a_neutral_sentence_and_the_action(api: Api, notebook: Path) -> None:
    path = "notebooks/analysis.ipynb"
    unlinked = api.call("POST", f"branch/{path}", {})
    assert unlinked.code == 404
    assert neutral(unlinked.error)["hint"] == "Link it to an issue first."
    assert unlinked.error["action"] == {"name": "link", "args": {"notebook": path, "issue": None}}

    missing = api.call("PUT", f"links/{path}", {"number": 99})
    assert missing.code == 404
    assert neutral(missing.error)["action"] == {"name": "list_issues", "args": {"state": "all"}}

    assert api.call("PUT", f"links/{path}", {"number": 1}).code == 200  # the notebook changes: uncommitted
    refused = api.call("POST", f"branch/{path}", {})
    assert refused.code == 409
    assert "switch anyway" in neutral(refused.error)["hint"]
    assert refused.error["action"] == {"name": "branch", "args": {"notebook": path, "force": True}}

    typed = api.call("POST", "jobs", {"path": path, "set": {"nope": "1"}})
    assert typed.code == 400
    assert "unknown parameter 'nope' (from the form)" in neutral(typed.error)["message"]
