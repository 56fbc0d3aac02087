"""The `jupyter dsl` CLI driven through real subprocesses in temporary git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from runs_support import ENV, dsl, dsl_json, git


def write_notebook(path: Path) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("# Title é")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path.read_bytes()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    dsl(tmp_path, "init", "proj")
    write_notebook(root / "nb" / "analysis.ipynb")
    git(root, "add", "--all")
    git(root, "commit", "-q", "-m", "start")
    return root


def test_jupyter_dsl_entry_point_dispatches() -> None:
    if shutil.which("jupyter-dsl") is None:
        pytest.fail("jupyter-dsl is not installed: run pip install -e .")
    out = subprocess.run(
        ["jupyter", "dsl", "--version"], capture_output=True, text=True, check=True, env=ENV
    ).stdout
    from jupyter_dsl import __version__

    assert __version__ in out


def test_init_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    first = dsl_json(tmp_path, "init", "p", "--templates")
    root = tmp_path / "p"
    assert first["git_initialized"] is True
    assert "dsl.toml" in first["created"]
    templates = sorted(p.name for p in (root / ".github" / "ISSUE_TEMPLATE").iterdir())
    assert len(templates) == 6
    ignored = (root / ".gitignore").read_text().splitlines()
    assert {".dsl/", "data/", "models/"} <= set(ignored)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git/" not in p.as_posix()}
    second = dsl_json(tmp_path, "init", "p", "--templates")
    assert second["changed"] is False and second["created"] == []
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git/" not in p.as_posix()}
    assert after == before
    # a file of the user's is kept without --force, replaced with it
    (root / "dsl.toml").write_text('[project]\nname = "mine"\n')
    kept = dsl_json(tmp_path, "init", "p")
    assert kept["kept"] == ["dsl.toml"]
    assert (root / "dsl.toml").read_text() == '[project]\nname = "mine"\n'
    forced = dsl_json(tmp_path, "init", "p", "--force")
    assert forced["overwritten"] == ["dsl.toml"]


def test_issue_lifecycle_through_the_cli(project: Path) -> None:
    ask = dsl_json(
        project,
        "issue",
        "new",
        "Ask",
        "Why do customers churn?",
        "--section",
        "Problem Statement=They leave.",
    )["issue"]
    assert ask["type"] == "Ask" and ask["labels"] == ["Ask"]
    assert "They leave." in ask["body"]
    explore = dsl_json(project, "issue", "new", "explore", "Churn by region", "--ask", str(ask["number"]))[
        "issue"
    ]
    assert explore["type"] == "Explore" and explore["ask"] == ask["number"]
    assert explore["number"] != ask["number"]

    listed = dsl_json(project, "issue", "list", "--type", "Explore")["issues"]
    assert [i["number"] for i in listed] == [explore["number"]]
    shown = dsl_json(project, "issue", "show", str(explore["number"]))
    assert shown["ask"]["number"] == ask["number"]

    dsl(project, "issue", "comment", str(explore["number"]), "-", stdin="first finding\n")
    labelled = dsl_json(project, "issue", "label", str(explore["number"]), "--add", "on hold")["issue"]
    assert "on hold" in labelled["labels"]
    closed = dsl_json(project, "issue", "close", str(explore["number"]), "--reason", "not_planned")["issue"]
    assert closed["state"] == "closed" and closed["state_reason"] == "not_planned"
    assert dsl_json(project, "issue", "list")["issues"][0]["number"] == ask["number"]
    everything = dsl_json(project, "issue", "list", "--state", "all")["issues"]
    assert {i["number"] for i in everything} == {ask["number"], explore["number"]}
    comments = dsl_json(project, "issue", "show", str(explore["number"]))["comments"]
    assert [c["body"].strip() for c in comments] == ["first finding"]
    reopened = dsl_json(project, "issue", "reopen", str(explore["number"]))["issue"]
    assert reopened["state"] == "open"
    edited = dsl_json(project, "issue", "edit", str(ask["number"]), "--title", "Why do they churn?")["issue"]
    assert edited["title"] == "Why do they churn?"


def test_human_output_names_the_issue(project: Path) -> None:
    out = dsl(project, "issue", "new", "Ask", "Pricing [draft] question").stdout
    assert "#1" in out and "Pricing [draft] question" in out
    table = dsl(project, "issue", "list").stdout
    assert "Pricing [draft] question" in table


def test_link_status_branch_unlink(project: Path) -> None:
    nb = project / "nb" / "analysis.ipynb"
    original = nb.read_bytes()
    ask = dsl_json(project, "issue", "new", "Ask", "Why churn?")["issue"]["number"]
    explore = dsl_json(project, "issue", "new", "Explore", "Churn by region!", "--ask", str(ask))["issue"][
        "number"
    ]

    linked = dsl_json(project, "link", "nb/analysis.ipynb", str(explore))
    assert linked["link"]["issue"]["number"] == explore
    assert linked["link"]["branch"] == f"explore/{explore}-churn-by-region"
    data = json.loads(nb.read_text())
    assert data["metadata"]["jupyter_dsl"]["issue"]["number"] == explore
    del data["metadata"]["jupyter_dsl"]
    assert data == json.loads(original)

    status = dsl_json(project, "status", "nb/analysis.ipynb")
    assert status["issue"]["number"] == explore and status["ask"]["number"] == ask
    assert status["branch"] == {
        "current": "main",
        "expected": f"explore/{explore}-churn-by-region",
        "matches": False,
        "title_changed": False,
    }

    # uncommitted tracked change (the link itself): refused without --force, nothing switched
    refused = dsl(project, "branch", "nb/analysis.ipynb", code=4)
    assert "uncommitted" in refused.stderr and "--force" in refused.stderr
    assert git(project, "branch", "--show-current") == "main"
    git(project, "commit", "-qam", "link")
    switched = dsl_json(project, "branch", "nb/analysis.ipynb")
    assert switched["created"] is True and switched["branch"] == f"explore/{explore}-churn-by-region"
    assert git(project, "branch", "--show-current") == switched["branch"]
    assert dsl_json(project, "status", "nb/analysis.ipynb")["branch"]["matches"] is True
    again = dsl_json(project, "branch", "nb/analysis.ipynb")
    assert again["created"] is False

    overview = dsl_json(project, "status")
    assert overview["branch"]["issue"] == explore
    assert overview["notebooks"] == [
        {"path": "nb/analysis.ipynb", "issue": explore, "type": "Explore", "status": "active"}
    ]

    unlinked = dsl_json(project, "unlink", "nb/analysis.ipynb")
    assert unlinked["previous"]["issue"]["number"] == explore
    assert nb.read_bytes() == original


def test_errors_are_clear_and_lose_nothing(project: Path, tmp_path: Path) -> None:
    nb = project / "nb" / "analysis.ipynb"
    before = nb.read_bytes()
    missing = dsl(project, "link", "nb/analysis.ipynb", "42", code=3)
    assert "#42" in missing.stderr and "Traceback" not in missing.stderr
    assert nb.read_bytes() == before

    bad = project / "broken.ipynb"
    bad.write_bytes(b'{"cells": [ oops')
    dsl(project, "issue", "new", "Ask", "A")
    err = dsl(project, "link", "broken.ipynb", "1", code=2)
    assert "broken.ipynb" in err.stderr
    assert bad.read_bytes() == b'{"cells": [ oops'

    text = project / "notes.txt"
    text.write_text("hello")
    assert "notebook" in dsl(project, "link", "notes.txt", "1", code=2).stderr
    assert text.read_text() == "hello"
    assert dsl(project, "status", "nope.ipynb", code=3).stderr

    as_json = json.loads(dsl(project, "issue", "show", "99", "--json", code=3).stdout)
    assert as_json["error"]["type"] == "NotFound"

    wrong = dsl(project, "issue", "new", "Ask", "x", "--ask", "1", code=2)
    assert "Explore" in wrong.stderr

    (project / "dsl.toml").write_text('[tracker]\nkind = "local"\nrepo = \n')
    toml_err = dsl(project, "issue", "list", code=5).stderr
    assert "dsl.toml" in toml_err and "line 3" in toml_err

    outside = tmp_path / "outside"
    outside.mkdir()
    lost = dsl(outside, "issue", "list", code=3).stderr
    assert "jupyter dsl init" in lost


def test_demo_builds_a_linked_project(tmp_path: Path) -> None:
    report = dsl_json(tmp_path, "demo", "d")
    root = Path(report["root"])
    assert (
        git(root, "branch", "--show-current")
        == report["branch"]
        == f"explore/{report['explore']}-churn-by-region"
    )
    assert git(root, "status", "--porcelain") == ""
    status = dsl_json(root, "status", report["notebook"])
    assert status["issue"]["type"] == "Explore" and status["ask"]["number"] == report["ask"]
    assert status["branch"]["matches"] is True
    nb = nbformat.read(root / report["notebook"], as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert "jupyter lab" in report["open"]
    # two recorded runs: the baseline config, then region=west on top of it
    assert [r["status"] for r in report["runs"]] == ["succeeded", "succeeded"]
    assert [r["parameters"]["region"] for r in report["runs"]] == ["all", "west"]
    assert all(r["parameters"]["min_tenure"] == 12 for r in report["runs"])
    listed = dsl_json(root, "runs")
    runs = listed["runs"] if isinstance(listed, dict) else listed
    assert {r["id"] for r in runs if r["batch_id"] is None} == {r["id"] for r in report["runs"]}
    assert all(0 < r["metrics"]["churn_rate"] < 1 for r in report["runs"])
    # and a small batch over configs/tenure_grid.yaml: min_tenure 0, 6, 12
    batched = [r for r in runs if r["batch_id"] is not None]
    assert sorted(r["parameters"]["min_tenure"] for r in batched) == [0, 6, 12]
    assert {r["status"] for r in batched} == {"succeeded"}
    assert any(f"(batch {batched[0]['batch_id']})" in step for step in report["steps"])
    # the exploration reads the customers dataset, a version tied to its Data issue
    shown = dsl_json(root, "runs", "show", report["runs"][0]["id"])
    assert shown["inputs"]["customers"]["version"] == "1.0.0"
    data_issue = dsl_json(root, "data", "show", "customers")["issue"]
    assert dsl_json(root, "issue", "show", str(data_issue))["issue"]["labels"] == ["Data"]
    human = dsl(tmp_path, "demo", "d", code=4)
    assert "not empty" in human.stderr
