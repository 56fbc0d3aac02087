"""Issue references: `#4` wherever an issue number is taken (one parser: the CLI, the magics, the
server), and `--ask N` names an Ask or is refused naming the issue's type (one check: every surface)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kernel_support import Kernel, plain
from runs_support import dsl, dsl_json

from jupyter_dsl.dslp.issue_numbers import parse_issue_number
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import InvalidInput
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.trackers import IssueQuery, LocalTracker

NOT_AN_ASK = "#2 is of type Explore, not an Ask"


@pytest.mark.parametrize(("text", "number"), [("4", 4), ("#4", 4), (" #12 ", 12), (7, 7)])
def test_an_issue_number_is_n_or_hash_n(text: int | str, number: int) -> None:
    assert parse_issue_number(text) == number


@pytest.mark.parametrize("text", ["", "#", "##4", "4a", "-1", "#-1", "0", "#0", "²", "4.0", "# 4"])
def test_anything_else_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_issue_number(text, "--ask")
    assert "issue number" in refused.value.message
    assert refused.value.message.startswith((repr(text), "--ask must be"))


def test_ask_names_an_ask_or_is_refused_naming_its_type(tracker: LocalTracker) -> None:
    ask = new_issue(tracker, IssueType.ASK, "Why churn?")
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
    tracker.close(explore.number, "completed")  # a closed Explore is still no Ask
    data = new_issue(tracker, IssueType.DATA, "Get CRM Dataset")
    untyped = tracker.create("A note", "", [])
    kinds = (
        (explore, "of type Explore"),
        (data, "of type Data"),
        (untyped, "of no DSLP type (no type label)"),
    )
    for wanted, kind in kinds:
        for issue_type in (IssueType.EXPLORE, IssueType.EXPERIMENT, IssueType.DATA):
            with pytest.raises(InvalidInput) as refused:
                new_issue(tracker, issue_type, "Prompted by the wrong issue", ask=wanted.number)
            assert refused.value.message == f"#{wanted.number} is {kind}, not an Ask"
    assert len(tracker.list(IssueQuery(state="all"))) == 4  # nothing was created
    again = new_issue(tracker, IssueType.EXPLORE, "Churn by tenure", ask=ask.number)
    assert again.ask == ask.number


@pytest.fixture()
def refs_project(tmp_path: Path) -> Path:
    """A project with Ask #1 and a closed Explore #2 that names it, and a notebook."""
    dsl(tmp_path, "init", "proj")
    root = tmp_path / "proj"
    (root / "nb").mkdir()
    (root / "nb" / "a.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n', encoding="utf-8"
    )
    dsl(root, "issue", "new", "Ask", "Why do customers churn?")
    dsl(root, "issue", "new", "Explore", "Churn by region", "--ask", "1")
    dsl(root, "issue", "close", "2")
    return root


def numbers(root: Path) -> list[int]:
    return sorted(i["number"] for i in dsl_json(root, "issue", "list", "--state", "all")["issues"])


def test_the_cli_takes_hash_n_and_refuses_an_ask_that_is_not_one(refs_project: Path) -> None:
    shown = dsl_json(refs_project, "issue", "show", "#1", "--no-comments")
    assert shown["issue"]["number"] == 1
    refused = dsl(refs_project, "issue", "new", "Explore", "Churn by tenure", "--ask", "2", code=2)
    assert f"error: {NOT_AN_ASK}" in refused.stderr
    as_json = dsl_json(refs_project, "issue", "new", "Explore", "x", "--ask", "#2", code=2)
    assert as_json["error"]["message"] == NOT_AN_ASK and as_json["error"]["type"] == "InvalidInput"
    assert numbers(refs_project) == [1, 2]
    created = dsl_json(refs_project, "issue", "new", "Explore", "Churn by tenure", "--ask", "#1")
    assert created["issue"]["ask"] == 1
    linked = dsl_json(refs_project, "link", "nb/a.ipynb", "#3")
    assert linked["link"]["issue"]["number"] == 3
    assert dsl_json(refs_project, "runs", "--issue", "#3")["runs"] == []
    dsl(refs_project, "issue", "comment", "#3", "by tenure")
    dsl(refs_project, "issue", "label", "#3", "--add", "on hold")
    dsl(refs_project, "issue", "close", "#3")
    dsl(refs_project, "issue", "reopen", "#3")
    bad = dsl(refs_project, "issue", "show", "#x", code=2)
    assert "'#x' is not an issue number" in bad.stderr


@pytest.fixture()
def kernel(refs_project: Path) -> Iterator[Kernel]:
    k = Kernel(refs_project / "nb", str(refs_project / "nb" / "a.ipynb"))
    assert k.run("%load_ext jupyter_dsl")[0] == "ok"
    yield k
    k.close()


def test_the_magics_take_hash_n_and_refuse_an_ask_that_is_not_one(kernel: Kernel, refs_project: Path) -> None:
    status, _, text = kernel.run('%dsl new Explore "Churn by tenure" --ask 2')
    assert status == "error" and NOT_AN_ASK in text
    assert numbers(refs_project) == [1, 2]
    status, outputs, text = kernel.run('%dsl new Explore "Churn by tenure" --ask "#1" --json')
    assert status == "ok", text
    assert "'ask': 1" in plain(outputs)
    status, _, text = kernel.run("%dsl link #3 --write")
    assert status == "ok", text
    status, outputs, text = kernel.run("%dsl runs --issue #3")
    assert status == "ok", text  # before: argparse's "invalid int value: '#3'"
    status, _, text = kernel.run("%dsl runs --issue 3x")
    assert status == "error" and "'3x' is not an issue number" in text
