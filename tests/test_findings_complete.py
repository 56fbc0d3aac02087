"""Completing Explore and Experiment issues on the local tracker, in a real git repository."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from findings_support import churn_project, state_of
from runs_support import git as run_git

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.dslp.templates import render_body, template_for
from jupyter_dsl.errors import InvalidInput, NotFound, TrackerError
from jupyter_dsl.findings.complete import plan_completion
from jupyter_dsl.findings.redact import Redactor
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.trackers import IssueQuery, LocalTracker

USER_ASK_TEXT = "We looked at this before:\n\n- [ ] #9 an older exploration\n\nKeep this sentence."


@pytest.fixture()
def setup(project_dir: Path, tracker: LocalTracker) -> Iterator[tuple[Project, LocalTracker, Path]]:
    notebook = churn_project(project_dir, tracker)
    ask = tracker.get(1)
    body = ask.body.replace(
        "<!-- Explore issues and what they found, as - [ ] #N lines. -->",
        "<!-- Explore issues and what they found, as - [ ] #N lines. -->\n\n" + USER_ASK_TEXT,
    )
    tracker.edit(1, body=body)
    run_git(project_dir, "add", "--all")
    run_git(project_dir, "commit", "--quiet", "-m", "exploration")
    yield find_project(project_dir), tracker, notebook


def test_explore_completion_does_every_step_and_touches_nothing_else(setup) -> None:
    project, tracker, notebook = setup
    (project.root / "scratch.txt").write_text("not mine to commit\n")
    (project.root / "README.extra").write_text("staged by the user\n")
    run_git(project.root, "add", "README.extra")
    ask_before = tracker.get(1).body
    cells_before = json.loads(notebook.read_text())["cells"]

    plan = plan_completion(project, tracker, notebook)
    results = plan.run()

    assert [r.state for r in results] == ["done"] * 6
    summary = project.root / "docs" / "findings" / "2-churn-by-region.md"
    text = summary.read_text()
    assert text.startswith("# Churn by region\n\n**TL;DR:** West churns most; tenure matters more")
    assert (project.root / "docs/findings/2-churn-by-region_files/insight-1-1.png").is_file()
    # the commit holds the summary and its image only; the user's staged and untracked files stay
    committed = run_git(project.root, "show", "--name-only", "--format=%s", "HEAD").splitlines()
    assert committed == [
        "Findings of #2: Churn by region",
        "",
        "docs/findings/2-churn-by-region.md",
        "docs/findings/2-churn-by-region_files/insight-1-1.png",
    ]
    status = run_git(project.root, "status", "--porcelain").splitlines()
    assert "A  README.extra" in status and "?? scratch.txt" in status
    # one comment, the summary with its image path inside the project
    (comment,) = tracker.comments(2)
    assert comment.body.startswith("<!-- jupyter-dsl:findings nb/churn.ipynb -->\n# Churn by region\n")
    assert "![West churns most](docs/findings/2-churn-by-region_files/insight-1-1.png)" in comment.body
    issue = tracker.get(2)
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    # the Ask gets exactly one new line, after the user's own list, and nothing else changes
    # creating Explore #2 for the Ask listed it; completing it ticks that line and adds the TL;DR
    line = "- [x] #2 Churn by region: West churns most; tenure matters more than region."
    assert ask_before.count("- [ ] #2 Churn by region\n") == 1
    expected_ask = ask_before.replace("- [ ] #2 Churn by region\n", f"{line}\n")
    assert tracker.get(1).body == expected_ask
    saved = json.loads(notebook.read_text())
    assert saved["metadata"]["jupyter_dsl"]["status"] == "complete"
    assert saved["metadata"]["jupyter_dsl"]["completed_at"].endswith("Z")
    assert saved["cells"] == cells_before
    assert any("no pull request" in note for note in plan.notes)


def test_completing_again_changes_nothing_and_a_new_finding_updates_in_place(setup) -> None:
    project, tracker, notebook = setup
    plan_completion(project, tracker, notebook).run()
    after_first = state_of(project, tracker)

    again = plan_completion(project, tracker, notebook).run()
    assert [r.state for r in again] == ["already done"] * 6
    assert state_of(project, tracker) == after_first

    nb = json.loads(notebook.read_text())
    nb["cells"][1]["source"] = "## TL;DR\n\nTenure matters most."
    notebook.write_text(json.dumps(nb, indent=1))
    third = plan_completion(project, tracker, notebook).run()
    assert [r.state for r in third] == ["done", "done", "done", "done", "already done", "already done"]
    (comment,) = tracker.comments(2)  # updated, not doubled
    assert "**TL;DR:** Tenure matters most." in comment.body
    ask_lines = [line for line in tracker.get(1).body.splitlines() if "#2 " in line]
    assert ask_lines == ["- [x] #2 Churn by region: Tenure matters most."]


def test_dry_run_changes_no_file_no_notebook_byte_and_nothing_on_the_tracker(setup) -> None:
    project, tracker, notebook = setup
    before = state_of(project, tracker)
    results = plan_completion(project, tracker, notebook).run(dry_run=True)
    assert [r.state for r in results] == ["would do"] * 6
    assert state_of(project, tracker) == before
    assert not (project.root / "docs").exists()
    # what would be written and posted is shown in full
    assert results[0].detail.startswith("# Churn by region\n")
    assert results[2].detail.startswith("<!-- jupyter-dsl:findings nb/churn.ipynb -->\n# Churn by region")
    assert results[3].description.endswith(
        ": - [x] #2 Churn by region: West churns most; tenure matters more than region."
    )
    assert results[4].description == "close #2 as completed"


class CloseFails:
    """The real tracker, except that closing an issue fails (a forge going away half-way)."""

    def __init__(self, real: LocalTracker) -> None:
        self.real = real
        self.kind = real.kind

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def close(self, number: int, reason: str = "completed") -> Any:
        raise TrackerError("the tracker went away", status=503)


def test_a_failure_half_way_is_finished_by_a_rerun(setup) -> None:
    project, tracker, notebook = setup
    plan = plan_completion(project, CloseFails(tracker), notebook)  # type: ignore[arg-type]
    with pytest.raises(TrackerError):
        plan.run()
    assert [r.state for r in plan.results] == ["done"] * 4  # written, committed, posted, Ask updated
    assert tracker.get(2).state == "open"
    assert json.loads(notebook.read_text())["metadata"]["jupyter_dsl"]["status"] == "active"

    rerun = plan_completion(project, tracker, notebook).run()
    assert [r.state for r in rerun] == ["already done"] * 4 + ["done", "done"]
    assert tracker.get(2).state == "closed" and len(tracker.comments(2)) == 1


def _experiment(project: Project, tracker: LocalTracker, notebook: Path) -> int:
    experiment = new_issue(tracker, IssueType.EXPERIMENT, "Gradient boosting on tenure", ask=1)
    from jupyter_dsl.notebook import links

    links.link(tracker, notebook, experiment.number)
    return experiment.number


def test_a_succeeded_experiment_is_labelled_closed_and_promoted_once(setup) -> None:
    project, tracker, notebook = setup
    number = _experiment(project, tracker, notebook)
    results = plan_completion(project, tracker, notebook, outcome="succeeded").run()
    # opening the Model issue for Ask #1 listed it there, so the step that adds its line finds it done
    assert [r.state for r in results] == ["done"] * 4 + ["already done"] + ["done"] * 2
    experiment = tracker.get(number)
    assert "succeeded" in experiment.labels and experiment.state == "closed"
    results_section = experiment.body.split("## Results", 1)[1]
    assert "**TL;DR:** West churns most; tenure matters more than region. (succeeded)" in results_section
    (model,) = tracker.list(IssueQuery(type=IssueType.MODEL, state="all"))
    assert model.title == "Implement Gradient boosting on tenure model"
    assert "***Ask Reference:*** #1" in model.body and f"***Based on Experiment:*** #{number}" in model.body
    section = tracker.get(1).body.split("## Approaches and Experiments", 1)[1].split("## See Also")[0]
    assert f"- [x] #{number} Gradient boosting on tenure: West churns most" in section
    assert f"- [ ] #{model.number} Implement Gradient boosting on tenure model" in section
    assert len(tracker.comments(number)) == 0  # the Experiment ending posts no summary

    again = plan_completion(project, tracker, notebook, outcome="succeeded").run()
    assert {r.state for r in again} == {"already done"}
    assert len(tracker.list(IssueQuery(type=IssueType.MODEL, state="all"))) == 1


def test_a_failed_experiment_gets_no_model_and_no_promote_skips_it(setup) -> None:
    project, tracker, notebook = setup
    number = _experiment(project, tracker, notebook)
    plan_completion(project, tracker, notebook, outcome="failed").run()
    assert "failed" in tracker.get(number).labels
    assert tracker.list(IssueQuery(type=IssueType.MODEL, state="all")) == []
    # changing the outcome swaps the label
    plan = plan_completion(project, tracker, notebook, outcome="succeeded", promote=False)
    plan.run()
    labels = tracker.get(number).labels
    assert "succeeded" in labels and "failed" not in labels
    assert tracker.list(IssueQuery(type=IssueType.MODEL, state="all")) == []
    assert any("not promoted" in note for note in plan.notes)


def test_refusals_change_nothing(setup, tmp_path: Path) -> None:
    project, tracker, notebook = setup
    experiment = new_issue(tracker, IssueType.EXPERIMENT, "Gradient boosting on tenure", ask=1)
    before = state_of(project, tracker)  # after creating the Experiment: that lists it in Ask #1
    with pytest.raises(InvalidInput, match="an outcome applies to Experiments"):
        plan_completion(project, tracker, notebook, outcome="failed")
    from jupyter_dsl.notebook import links

    links.link(tracker, notebook, 1)
    with pytest.raises(InvalidInput, match="#1 is an Ask issue: complete ends Explore and Experiment issues"):
        plan_completion(project, tracker, notebook)
    links.link(tracker, notebook, experiment.number)
    with pytest.raises(InvalidInput, match=f"completing Experiment #{experiment.number} needs its outcome"):
        plan_completion(project, tracker, notebook)
    links.unlink(notebook)
    with pytest.raises(NotFound, match="not linked"):
        plan_completion(project, tracker, notebook)
    links.link(tracker, notebook, 2)
    after = state_of(project, tracker)
    assert after["files"] == before["files"] and after["git"] == before["git"]
    assert after["issues"] == before["issues"] and after["comments"][2] == []


def test_secrets_never_reach_the_summary_the_html_or_the_comment(
    project_dir: Path, tracker: LocalTracker, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    token = "ghp_FAKEtoken0123456789abcdef"
    custom = "not-a-token-by-name-42"
    monkeypatch.setenv("GITHUB_TOKEN", token)
    monkeypatch.setenv("WAREHOUSE_DSN", custom)
    config = project_dir / "dsl.toml"
    config.write_text(config.read_text() + '\n[findings]\nscrub_env = ["WAREHOUSE_DSN"]\n')
    notebook = churn_project(project_dir, tracker, secret=f"{token} {custom}")
    nb = json.loads(notebook.read_text())
    nb["cells"][3]["outputs"][0]["data"]["text/plain"] = f"figure of {token}"  # the image's alt text
    table = nb["cells"][5]["outputs"][1]["data"]
    table["text/html"] = f"<table><tr><td>{token}</td></tr></table>"
    notebook.write_text(json.dumps(nb))
    issue = tracker.get(2)
    tracker.edit(2, body=issue.body.replace("Is churn different", f"Token {token}: is churn different"))
    run_git(project_dir, "add", "--all")
    run_git(project_dir, "commit", "--quiet", "-m", "x")
    project = find_project(project_dir)

    from jupyter_dsl.findings.export import export_summary

    html = export_summary(notebook, to="html", out=tmp_path / "html", tracker=tracker).written[0]
    plan_completion(project, tracker, notebook).run()
    md = (project_dir / "docs/findings/2-churn-by-region.md").read_text()
    (comment,) = tracker.comments(2)
    for text in (md, html.read_text(), comment.body, tracker.get(1).body):
        assert token not in text and custom not in text
    assert "figure of [redacted]" in md and "<td>[redacted]</td>" in html.read_text()
    assert "Token [redacted]: is churn different" in comment.body
    assert "rows: 2000 [redacted] [redacted]" in md
    assert Redactor.from_environment({"API_KEY": "short"}).secrets == ()  # too short to be a secret


def test_template_bodies_keep_their_shape() -> None:
    body = render_body(template_for(IssueType.EXPERIMENT), {})
    assert "## Results" in body  # the section the TL;DR goes into exists in the template
