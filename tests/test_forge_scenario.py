"""The DSLP flow end to end through `jupyter dsl` (subprocesses), on the local tracker and on the GitHub
and GitLab test servers: labels sync, an Ask, an Explore for it, a linked notebook, its branch, its pull
request (pushed to a bare `origin`), the exploration completed (PR closed unmerged), the Ask's line ticked.
The same on GitHub through the %dsl magics in a real kernel."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from findings_support import PNG, churn_notebook
from runs_support import ENV, git

from jupyter_dsl.project.scaffold import init_project
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server
from tests.forges.gitlab_server import FAKE_TOKEN, GitLabServer

GITHUB_TOKEN = "ghp_PLANTEDscenarioTOKEN0123456789abcdefXY"
BRANCH = "explore/2-churn-by-region"
# DSLP.md's label names, written out here
DSLP_LABELS = [
    "Ask", "Data", "Explore", "Experiment", "Model", "Deploy", "Communicate",
    "succeeded", "failed", "on hold", "blocked - need access",
]  # fmt: skip


@dataclass
class Forge:
    kind: str
    tracker_toml: str
    env: dict[str, str]
    github: GitHubServer | None = None
    gitlab: GitLabServer | None = None
    stack: ExitStack = field(default_factory=ExitStack)

    def pull_state(self, number: int) -> tuple[str, bool]:
        """(state, merged) of pull request ``number`` as the forge has it."""
        if self.github is not None:
            data = self.github.issue(number)
            return data["state"], bool(data["pull_request"].get("merged_at"))
        assert self.gitlab is not None
        mr = self.gitlab.project.merge_request(number)
        return mr["state"], mr["state"] == "merged"

    def pull_body_and_head(self, number: int) -> tuple[str, str]:
        if self.github is not None:
            pull = self.github.state.issues[number]
            assert pull.pull is not None
            return pull.body or "", pull.pull.head
        assert self.gitlab is not None
        mr = self.gitlab.project.merge_request(number)
        return mr["description"] or "", mr["source_branch"]

    def raw_root(self, ref: str) -> str:
        """Where the forge serves the repository's files at ``ref`` raw, as each forge documents it:
        ``WEB/OWNER/REPO/raw/REF/`` on GitHub, ``WEB/GROUP/PROJECT/-/raw/REF/`` on GitLab."""
        if self.github is not None:
            return f"{self.github.web_url}/octo/demo/raw/{ref}/"
        assert self.gitlab is not None
        return f"{self.gitlab.root_url}/{self.gitlab.project_path}/-/raw/{ref}/"

    def stop(self) -> None:
        if self.github is not None:
            self.github.stop()
        if self.gitlab is not None:
            self.gitlab.stop()


@pytest.fixture(params=["local", "github", "gitlab"])
def forge(request: pytest.FixtureRequest) -> Iterator[Forge]:
    kind = request.param
    env = {k: v for k, v in ENV.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN")}
    if kind == "local":
        yield Forge("local", 'kind = "local"\n', env)
        return
    with ExitStack() as stack:
        if kind == "github":
            server = stack.enter_context(checked_server("octo/demo", token=GITHUB_TOKEN))
            toml = f'kind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\n'
            yield Forge(
                kind,
                toml + "timeout = 5\nrate_limit_wait = 1\n",
                {**env, "GITHUB_TOKEN": GITHUB_TOKEN},
                server,
            )
        else:
            lab = stack.enter_context(GitLabServer())
            toml = f'kind = "gitlab"\nproject = "{lab.project_path}"\napi_url = "{lab.base_url}"\n'
            yield Forge(
                kind,
                toml + "timeout = 5\nrate_limit_wait = 1\n",
                {**env, "GITLAB_TOKEN": FAKE_TOKEN},
                gitlab=lab,
            )


def dsl(root: Path, forge: Forge, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", *args],
        cwd=root,
        env=forge.env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == code, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def dsl_json(root: Path, forge: Forge, *args: str, code: int = 0) -> Any:
    return json.loads(dsl(root, forge, *args, "--json", code=code).stdout)


def make_project(tmp_path: Path, forge: Forge) -> tuple[Path, Path]:
    """A project on the forge with a bare repository as `origin`, everything committed on main."""
    root = tmp_path / "proj"
    init_project(root)
    config = root / "dsl.toml"
    text = config.read_text()
    assert '\nkind = "local"\n' in text
    config.write_text(text.replace('\nkind = "local"\n', "\n" + forge.tracker_toml, 1))
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(root, "remote", "add", "origin", str(origin))
    notebook = root / "nb" / "churn.ipynb"
    notebook.parent.mkdir()
    nbformat.write(churn_notebook(), notebook)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root, origin


@contextmanager
def github_project(tmp_path: Path) -> Iterator[tuple[GitHubServer, Forge, Path, Path]]:
    """The GitHub test server (checked against GitHub's API description) and a project on it."""
    with checked_server("octo/demo", token=GITHUB_TOKEN) as server:
        toml = f'kind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = 5\n'
        forge = Forge("github", toml, {**ENV, "GITHUB_TOKEN": GITHUB_TOKEN}, server)
        root, origin = make_project(tmp_path, forge)
        yield server, forge, root, origin


def comment_in(plan: dict[str, Any]) -> str:
    """The findings comment a completion plan would post."""
    (comment,) = [step["detail"] for step in plan["steps"] if "findings as a comment" in step["description"]]
    return str(comment)


def pushes_in(plan: dict[str, Any]) -> list[str]:
    return [step["description"] for step in plan["steps"] if step["description"].startswith("push ")]


def ask_line_of(body: str, number: int) -> list[str]:
    section = body.split("## Understanding and Exploration", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if f"#{number} " in line]


def test_the_dslp_flow(forge: Forge, tmp_path: Path) -> None:
    root, origin = make_project(tmp_path, forge)
    assert dsl_json(root, forge, "status")["tracker"]["kind"] == forge.kind

    synced = dsl_json(root, forge, "labels", "sync")["labels"]
    assert [label["name"] for label in synced] == DSLP_LABELS
    first = "unchanged" if forge.kind == "local" else "created"  # the local tracker starts with them
    assert {label["action"] for label in synced} == {first}
    again = dsl(root, forge, "labels", "sync").stdout
    assert "0 created, 0 updated, 11 unchanged" in again

    ask = dsl_json(root, forge, "issue", "new", "Ask", "Why do customers churn?")["issue"]["number"]
    explore = dsl_json(root, forge, "issue", "new", "Explore", "Churn by region", "--ask", str(ask))["issue"]
    assert explore["number"] == 2 and "Explore" in explore["labels"]
    assert f"***Prompted by:*** #{ask}" in explore["body"]
    ask_body = dsl_json(root, forge, "issue", "show", str(ask))["issue"]["body"]
    assert ask_line_of(ask_body, 2) == ["- [ ] #2 Churn by region"]

    dsl(root, forge, "link", "nb/churn.ipynb", "2")  # the issue is listed already: no second line
    assert dsl_json(root, forge, "issue", "show", str(ask))["issue"]["body"] == ask_body
    git(root, "commit", "--quiet", "-am", "link the notebook")
    assert dsl_json(root, forge, "branch", "nb/churn.ipynb")["branch"] == BRANCH

    if forge.kind == "local":
        refused = dsl(root, forge, "pr", "nb/churn.ipynb", code=2)
        assert "the local tracker has no pull requests; use a forge" in refused.stderr
        assert git(origin, "branch", "--list") == ""  # nothing pushed
        assert "***Related PR:***\n" in dsl_json(root, forge, "issue", "show", "2")["issue"]["body"]
    else:
        if forge.github is not None:
            forge.github.seed_branch(BRANCH)  # what the push does on GitHub: the test server has no git
        opened = dsl_json(root, forge, "pr", "nb/churn.ipynb")
        assert opened["created"] is True and opened["branch"] == BRANCH and opened["remote"] == "origin"
        pull = opened["pull"]["number"]
        assert git(origin, "rev-parse", BRANCH) == git(root, "rev-parse", "HEAD")  # pushed
        assert git(root, "rev-parse", "--abbrev-ref", f"{BRANCH}@{{upstream}}") == f"origin/{BRANCH}"
        assert forge.pull_body_and_head(pull) == ("Related to #2\n", BRANCH)  # an Explore is never merged
        mark = "!" if forge.kind == "gitlab" else "#"
        issue_body = dsl_json(root, forge, "issue", "show", "2")["issue"]["body"]
        assert f"***Related PR:*** {mark}{pull}\n" in issue_body
        reused = dsl_json(root, forge, "pr", "nb/churn.ipynb")
        assert reused["created"] is False and reused["pull"]["number"] == pull
        assert dsl_json(root, forge, "issue", "show", "2")["issue"]["body"] == issue_body

    plan = dsl_json(root, forge, "complete", "nb/churn.ipynb", "--dry-run")
    comment, pushes = comment_in(plan), pushes_in(plan)
    figure = "docs/findings/2-churn-by-region_files/insight-1-1.png"  # [findings] dir, by default
    if forge.kind == "local":  # linked where the summary is, in the project
        assert f"]({figure})" in comment and pushes == []
    else:  # linked where the forge serves it: on the branch, which completing pushes
        assert f"]({forge.raw_root(BRANCH)}{figure})" in comment
        assert pushes == [f"push {BRANCH} to origin (the comment's figures are served from there)"]

    done = dsl_json(root, forge, "complete", "nb/churn.ipynb", "--yes")
    assert {step["state"] for step in done["steps"]} == {"done"}
    if forge.kind != "local":  # the figure is on the pushed branch, as committed
        shown = subprocess.run(
            ["git", "--git-dir", str(origin), "show", f"{BRANCH}:{figure}"], capture_output=True, check=True
        )
        assert shown.stdout == base64.b64decode(PNG)
    if forge.kind != "local":
        assert forge.pull_state(pull) == ("closed", False)  # closed unmerged
    explore_now = dsl_json(root, forge, "issue", "show", "2")["issue"]
    reason = None if forge.kind == "gitlab" else "completed"  # GitLab issues carry no close reason
    assert (explore_now["state"], explore_now["state_reason"]) == ("closed", reason)
    ask_body = dsl_json(root, forge, "issue", "show", str(ask))["issue"]["body"]
    (line,) = ask_line_of(ask_body, 2)  # one line, ticked once, with the TL;DR
    assert line.startswith("- [x] #2 Churn by region: West churns most")
    settled = dsl_json(root, forge, "complete", "nb/churn.ipynb", "--dry-run")["steps"]
    assert {step["state"] for step in settled} == {"already done"}  # pushed too: a fixed point
    # a new finding: the dry run proposes the write, and the commit and the push that follow it
    notebook = root / "nb" / "churn.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("### South churns too", metadata={"tags": ["finding"]}))
    nbformat.write(nb, notebook)
    proposed = dsl_json(root, forge, "complete", "nb/churn.ipynb", "--dry-run")["steps"]
    state = {step["description"].split()[0]: step["state"] for step in proposed}
    assert state["write"] == state["commit"] == state["update"] == "would do"
    assert state.get("push", "would do") == "would do" and ("push" in state) == (forge.kind != "local")

    assert dsl_json(root, forge, "issue", "reopen", "2")["issue"]["state"] == "open"
    assert dsl_json(root, forge, "issue", "show", "2")["issue"]["state"] == "open"
    (line,) = ask_line_of(dsl_json(root, forge, "issue", "show", str(ask))["issue"]["body"], 2)
    assert line.startswith("- [ ] #2 Churn by region: West churns most")

    if forge.kind != "local":  # the forge goes away: reads come from the cache, and say so
        forge.stop()
        shown = dsl(root, forge, "issue", "show", str(ask)).stdout
        assert shown.startswith("offline, as of ")
        assert dsl_json(root, forge, "issue", "show", str(ask))["offline_as_of"]
        refused = dsl(root, forge, "issue", "close", "2", code=6)  # writes need the forge
        assert "cannot be reached" in refused.stderr or "offline" in refused.stderr


def test_the_flow_through_the_magics_in_a_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    import test_magics  # the real-kernel driver of the magics tests

    with github_project(tmp_path) as (server, forge, root, origin):
        notebook = root / "nb" / "churn.ipynb"
        monkeypatch.setitem(test_magics.ENV, "GITHUB_TOKEN", GITHUB_TOKEN)
        kernel = test_magics.Kernel(root / "nb", str(notebook))
        try:

            def run(line: str) -> Any:
                status, outputs, text = kernel.run(line)
                assert status == "ok", text
                return ast.literal_eval(test_magics.plain(outputs)) if "--json" in line else text

            assert run("%load_ext jupyter_dsl") == ""
            synced = run("%dsl labels sync --json")
            assert [(c["name"], c["action"]) for c in synced] == [(n, "created") for n in DSLP_LABELS]
            assert {c["action"] for c in run("%dsl labels sync --json")} == {"unchanged"}
            dsl(root, forge, "issue", "new", "Ask", "Why do customers churn?")
            run('%dsl new Explore "Churn by region" --ask 1 --link --write')
            assert ask_line_of(server.issue(1)["body"], 2) == ["- [ ] #2 Churn by region"]
            git(root, "commit", "--quiet", "-am", "link the notebook")
            run("%dsl branch")
            server.seed_branch(BRANCH)
            opened = run("%dsl pr --json")
            assert opened["created"] is True and opened["branch"] == BRANCH
            assert git(origin, "rev-parse", BRANCH) == git(root, "rev-parse", "HEAD")
            assert server.state.issues[opened["pull"]["number"]].body == "Related to #2\n"
            assert f"***Related PR:*** #{opened['pull']['number']}" in (server.issue(2)["body"] or "")
            server.stop()  # offline: the status shows the cached issue and says so
            _, outputs, _ = kernel.run("%dsl status")
            assert test_magics.plain(outputs).startswith("offline, as of ")
            server.start()
        finally:
            kernel.close()


def test_a_refused_pr_pushes_nothing_opens_nothing_edits_nothing(tmp_path: Path) -> None:
    with github_project(tmp_path) as (server, forge, root, origin):
        dsl(root, forge, "issue", "new", "Ask", "Why do customers churn?")
        dsl(
            root,
            forge,
            "issue",
            "new",
            "Explore",
            "Churn by region",
            "--ask",
            "1",
            "--link",
            "nb/churn.ipynb",
        )
        git(root, "commit", "--quiet", "-am", "link the notebook")
        server.seed_branch(BRANCH)
        before = (server.issue(1), server.issue(2))
        writes = len([e for e in server.exchanges if e.method != "GET"])

        on_main = dsl(root, forge, "pr", "nb/churn.ipynb", code=4)  # not on the notebook's branch
        assert f"git is on main, not on {BRANCH}" in on_main.stderr
        dsl(root, forge, "branch", "nb/churn.ipynb")
        git(root, "remote", "remove", "origin")
        no_remote = dsl(root, forge, "pr", "nb/churn.ipynb", code=3)
        assert "the git remote 'origin' does not exist; nothing was pushed" in no_remote.stderr
        unlinked = root / "nb" / "other.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), unlinked)
        assert "is not linked to an issue" in dsl(root, forge, "pr", "nb/other.ipynb", code=3).stderr

        assert git(origin, "branch", "--list") == ""
        assert len([e for e in server.exchanges if e.method != "GET"]) == writes  # no PR, no edit
        assert (server.issue(1), server.issue(2)) == before


def test_figures_the_forge_cannot_serve_are_named_in_the_comment_not_linked(tmp_path: Path) -> None:
    with github_project(tmp_path) as (server, forge, root, origin):
        dsl(root, forge, "issue", "new", "Ask", "Why do customers churn?")
        explore = ("Explore", "Churn by region", "--ask", "1", "--link", "nb/churn.ipynb")
        dsl(root, forge, "issue", "new", *explore)
        git(root, "commit", "--quiet", "-am", "link the notebook")
        dsl(root, forge, "branch", "nb/churn.ipynb")
        git(root, "remote", "remove", "origin")  # nowhere to push the figures to

        plan = dsl_json(root, forge, "complete", "nb/churn.ipynb", "--dry-run")
        assert pushes_in(plan) == []
        assert any("the git remote 'origin' does not exist" in note for note in plan["notes"])
        comment = comment_in(plan)
        assert "![" not in comment  # no link the forge would show broken
        where = "in docs/findings/2-churn-by-region.md, not on the forge"
        assert f"*Figure: West churns most ({where})*" in comment

        dsl(root, forge, "complete", "nb/churn.ipynb", "--yes")
        (posted,) = [c["body"] for c in server.comments(2)]
        assert posted == comment
        assert git(origin, "branch", "--list") == ""  # nothing was pushed anywhere
