"""`jupyter dsl tracker export --to github|gitlab` (subprocesses) against the GitHub and GitLab test
servers: a project's local issues (an Ask, an Explore linked to a notebook with two comments, a Data
issue closed as not planned) move to a forge that already has issues of its own, so every number
changes; the Ask's lines, the references and the notebook's link follow; dsl.toml switches last."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from runs_support import ENV, ctrl_c_as_in_a_terminal, git

from jupyter_dsl.dslp import checklists
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.dslp.references import ask_of
from jupyter_dsl.dslp.renumber import renumber_body
from jupyter_dsl.issues.create import close_issue, comment_issue, new_issue
from jupyter_dsl.notebook import links
from jupyter_dsl.notebook.document import get_link
from jupyter_dsl.project.config_edit import with_setting
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import IssueQuery, LocalTracker
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server
from tests.forges.gitlab_server import FAKE_TOKEN, Fault, GitLabServer

GITHUB_TOKEN = "ghp_PLANTEDexportTOKEN0123456789abcdefXYZ"
UNDERSTANDING, DATASETS = "Understanding and Exploration", "Datasets"


@dataclass
class Forge:
    """One test forge, read the way its API renders issues (GitHub's, or GitLab's with iids)."""

    kind: str
    toml: str  # the [tracker] lines naming it (kind stays "local")
    env: dict[str, str]
    github: GitHubServer | None = None
    gitlab: GitLabServer | None = None
    before: tuple[int, ...] = (1, 2)  # its own issues' numbers (GitHub: #2 is a pull request)

    def issues(self) -> dict[int, dict[str, Any]]:
        """number -> {title, body, state, reason, labels}, issues only (no pull requests)."""
        if self.github is not None:
            with self.github._lock:
                found = [self.github.state.issue_json(i) for i in self.github.state.issues.values()]
            return {
                i["number"]: {
                    "title": i["title"], "body": i["body"] or "", "state": i["state"],
                    "reason": i.get("state_reason"), "labels": [lab["name"] for lab in i["labels"]],
                }
                for i in found if "pull_request" not in i
            }  # fmt: skip
        assert self.gitlab is not None
        return {
            iid: {
                "title": i["title"], "body": i["description"] or "", "state": i["state"],
                "reason": None, "labels": list(i["labels"]),
            }
            for iid, i in self.gitlab.project.issues.items()
        }  # fmt: skip

    def comments(self, number: int) -> list[str]:
        if self.github is not None:
            return [c["body"] for c in self.github.comments(number)]
        assert self.gitlab is not None
        return [n["body"] for n in self.gitlab.project.notes_of(number, "asc") if not n["system"]]

    def label_names(self) -> set[str]:
        if self.github is not None:
            return {label["name"] for label in self.github.labels()}
        assert self.gitlab is not None
        return set(self.gitlab.project.labels)

    def fail_closing(self, number: int) -> None:
        """Closing issue ``number`` answers 502 to the first try and the tracker's three retries."""
        if self.github is not None:
            self.github.inject(502, method="PATCH", path=f"/issues/{number}", times=4)
        else:
            assert self.gitlab is not None
            self.gitlab.fail(Fault(502, method="PUT", path=f"/issues/{number}", times=4))

    def hold_comment(self, number: int, seconds: float) -> None:
        """The first comment on issue ``number`` is made ``seconds`` late (its answer too)."""
        if self.github is not None:
            self.github.inject(None, delay=seconds, method="POST", path=f"/issues/{number}/comments")
        else:
            assert self.gitlab is not None
            self.gitlab.fail(Fault(None, delay=seconds, method="POST", path=f"/issues/{number}/notes"))

    def clear_faults(self) -> None:
        server = self.github or self.gitlab
        assert server is not None
        server.faults.clear()


@pytest.fixture(params=["github", "gitlab"])
def forge(request: pytest.FixtureRequest) -> Iterator[Forge]:
    env = {k: v for k, v in ENV.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN")}
    with ExitStack() as stack:
        if request.param == "github":
            server = stack.enter_context(checked_server("octo/demo", token=GITHUB_TOKEN))
            server.seed_issue("Made on GitHub before")
            server.seed_pull("A pull request", "feature")  # numbered with the issues
            toml = f'repo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = 5\n'
            yield Forge("github", toml, {**env, "GITHUB_TOKEN": GITHUB_TOKEN}, github=server, before=(1,))
        else:
            lab = stack.enter_context(GitLabServer())
            lab.seed(issues=[("Made on GitLab before", "", []), ("Another", "", [])])
            toml = f'project = "{lab.project_path}"\napi_url = "{lab.base_url}"\ntimeout = 5\n'
            yield Forge("gitlab", toml, {**env, "GITLAB_TOKEN": FAKE_TOKEN}, gitlab=lab)


def local_project(tmp_path: Path, forge: Forge) -> Path:
    """Ask #1, Explore #2 (linked to nb/churn.ipynb, two comments, closed as completed), Data #3 (closed
    as not planned) on the local tracker; [tracker] names the forge but kind stays "local"."""
    root = tmp_path / "proj"
    init_project(root)
    config = root / "dsl.toml"
    config.write_text(config.read_text().replace('\nkind = "local"\n', '\nkind = "local"\n' + forge.toml, 1))
    notebook = root / "nb" / "churn.ipynb"
    notebook.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), notebook)
    tracker = LocalTracker(find_project(root).database_path)
    try:
        new_issue(tracker, IssueType.ASK, "Why do customers churn?")
        links.new_issue_and_link(tracker, notebook, IssueType.EXPLORE, "Churn by region", ask=1)
        new_issue(tracker, IssueType.DATA, "Customer table", ask=1)
        comment_issue(tracker, 2, "First look: the north churns more.")
        comment_issue(tracker, 2, "Second look: it is the prices.")
        close_issue(tracker, 2, "completed")
        close_issue(tracker, 3, "not_planned")
    finally:
        tracker.close_connection()
    return root


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
    assert (
        GITHUB_TOKEN not in result.stdout + result.stderr and FAKE_TOKEN not in result.stdout + result.stderr
    )
    return result


def export(root: Path, forge: Forge, *more: str, code: int = 0) -> Any:
    return json.loads(
        dsl(root, forge, "tracker", "export", "--to", forge.kind, *more, "--json", code=code).stdout
    )


def test_a_full_export_maps_numbers_and_rewrites_asks_links_and_settings(
    tmp_path: Path, forge: Forge
) -> None:
    root = local_project(tmp_path, forge)
    config_before = (root / "dsl.toml").read_text()
    commits_before = git(root, "rev-list", "--all", "--count")

    result = export(root, forge)

    assert result["numbers"] == {"1": 3, "2": 4, "3": 5}  # the forge had #1 and #2 already
    assert result["switched"] is True
    issues = forge.issues()
    assert sorted(issues) == [*forge.before, 3, 4, 5]
    ask, explore, data = issues[3], issues[4], issues[5]
    assert (ask["title"], explore["title"], data["title"]) == (
        "Why do customers churn?",
        "Churn by region",
        "Customer table",
    )
    assert "Explore" in explore["labels"] and "Data" in data["labels"] and "Ask" in ask["labels"]
    assert {"Ask", "Data", "Explore", "Experiment", "Model", "succeeded", "on hold"} <= forge.label_names()
    # the Ask's checklist names the new numbers, ticked as it was; references point at the new Ask
    assert checklists.issue_line(ask["body"], UNDERSTANDING, 4) == "- [x] #4 Churn by region"
    assert checklists.issue_line(ask["body"], DATASETS, 5) == "- [ ] #5 Customer table"
    assert checklists.issue_line(ask["body"], UNDERSTANDING, 2) is None
    assert ask_of(explore["body"]) == 3 and ask_of(data["body"]) == 3
    assert "<!-- jupyter-dsl export: local #2 " in explore["body"]
    # comments keep their text, author and time; states and reasons
    local = LocalTracker(find_project(root).database_path)
    try:
        originals = local.comments(2)
    finally:
        local.close_connection()
    posted = forge.comments(4)
    assert len(posted) == 2
    for original, text in zip(originals, posted, strict=True):
        assert original.body in text and original.author in text and original.created_at in text
    assert explore["state"] == "closed" and data["state"] == "closed" and ask["state"] in ("open", "opened")
    if forge.kind == "github":
        assert (explore["reason"], data["reason"]) == ("completed", "not_planned")
    else:  # GitLab has no close reason: the tracker notes it
        assert forge.comments(5) == ["Closed as not planned"]
    # the notebook's link follows; its branch stays the one git has
    link = get_link(root / "nb" / "churn.ipynb")
    assert link is not None
    assert (link.issue.tracker, link.issue.number, link.ask) == (forge.kind, 4, 3)
    assert link.issue.url.endswith("/issues/4") and link.branch == "explore/2-churn-by-region"
    # dsl.toml: that one line changed; nothing was committed; the token was written nowhere
    config_after = (root / "dsl.toml").read_text()
    assert config_after == config_before.replace('\nkind = "local"\n', f'\nkind = "{forge.kind}"\n', 1)
    assert git(root, "rev-list", "--all", "--count") == commits_before
    mapping = (root / ".dsl" / f"export-{forge.kind}.json").read_text()
    assert json.loads(mapping)["numbers"] == {"1": 3, "2": 4, "3": 5}
    assert GITHUB_TOKEN not in mapping + config_after and FAKE_TOKEN not in mapping + config_after
    # the project now reads its issues from the forge
    shown = json.loads(dsl(root, forge, "issue", "show", "4", "--json").stdout)
    assert shown["issue"]["title"] == "Churn by region" and shown["ask"]["number"] == 3


def test_a_dry_run_changes_nothing(tmp_path: Path, forge: Forge) -> None:
    root = local_project(tmp_path, forge)
    notebook_before = (root / "nb" / "churn.ipynb").read_bytes()
    config_before = (root / "dsl.toml").read_text()

    plan = json.loads(dsl(root, forge, "tracker", "export", "--to", forge.kind, "--dry-run", "--json").stdout)
    said = dsl(root, forge, "tracker", "export", "--to", forge.kind, "--dry-run").stdout

    assert plan["dry_run"] is True and plan["switched"] is False
    assert [item["local"] for item in plan["issues"]] == [1, 2, 3]
    assert plan["notebooks"] == ["nb/churn.ipynb"] and "Ask" in plan["labels_created"]
    assert "#2 would go to a new issue: Churn by region (2 comment(s), closed: completed)" in said
    assert sorted(forge.issues()) == list(forge.before) and "Ask" not in forge.label_names()
    assert (root / "nb" / "churn.ipynb").read_bytes() == notebook_before
    assert (root / "dsl.toml").read_text() == config_before
    assert not (root / ".dsl" / f"export-{forge.kind}.json").exists()


@pytest.mark.parametrize("mapping", ["kept", "lost"])
def test_an_export_interrupted_by_a_5xx_resumes_without_duplicates(
    tmp_path: Path, forge: Forge, mapping: str
) -> None:
    root = local_project(tmp_path, forge)
    config_before = (root / "dsl.toml").read_text()
    forge.fail_closing(4)  # the Explore went over with its comments; closing it fails

    failed = dsl(root, forge, "tracker", "export", "--to", forge.kind, code=6)

    assert "502" in failed.stderr
    forge.clear_faults()
    assert sorted(forge.issues()) == [*forge.before, 3, 4] and len(forge.comments(4)) == 2
    assert forge.issues()[4]["state"] in ("open", "opened")
    assert (root / "dsl.toml").read_text() == config_before  # not everything went over: still local
    assert get_link(root / "nb" / "churn.ipynb").issue.tracker == "local"  # type: ignore[union-attr]
    if mapping == "lost":  # the issues on the forge are found by their marker
        (root / ".dsl" / f"export-{forge.kind}.json").unlink()

    result = export(root, forge)

    assert result["numbers"] == {"1": 3, "2": 4, "3": 5}
    assert [item["already_exported"] for item in result["issues"]] == [True, True, False]
    issues = forge.issues()
    assert sorted(issues) == [*forge.before, 3, 4, 5]
    assert len(forge.comments(4)) == 2 and issues[4]["state"] == "closed"  # no comment posted twice
    assert checklists.issue_line(issues[3]["body"], UNDERSTANDING, 4) == "- [x] #4 Churn by region"
    assert get_link(root / "nb" / "churn.ipynb").issue.number == 4  # type: ignore[union-attr]
    assert (root / "dsl.toml").read_text() != config_before


def test_an_export_stopped_by_ctrl_c_while_the_forge_answers_resumes_without_duplicates(
    tmp_path: Path, forge: Forge
) -> None:
    """Ctrl-C while the forge is still making the Explore's first comment: the comment is made, its
    answer never read. Run again, the comment is recognised by its marker and not posted twice."""
    root = local_project(tmp_path, forge)
    config_before = (root / "dsl.toml").read_text()
    server = forge.github or forge.gitlab
    assert server is not None
    forge.hold_comment(4, seconds=5)
    running = subprocess.Popen(
        [sys.executable, "-m", "jupyter_dsl", "tracker", "export", "--to", forge.kind],
        cwd=root,
        env=forge.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    try:
        wait_for(lambda: not [f for f in server.faults if f.times > 0])  # the comment is being made
        running.send_signal(signal.SIGINT)
        _, stderr = running.communicate(timeout=120)
    finally:
        if running.poll() is None:
            running.kill()
            running.communicate()
    assert running.returncode == 130, stderr
    wait_for(lambda: len(forge.comments(4)) == 1)  # the forge made it after the client had gone
    assert (root / "dsl.toml").read_text() == config_before

    result = export(root, forge)

    assert result["numbers"] == {"1": 3, "2": 4, "3": 5}
    assert len(forge.comments(4)) == 2 and sorted(forge.issues()) == [*forge.before, 3, 4, 5]


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, "waited two minutes"
        time.sleep(0.05)


def _refuse(forge: Forge, root: Path, status: int) -> None:
    """Make the forge refuse the export with ``status``, the way it does: a wrong token (401), a token
    that may only read (403), a repository that is not there (404), an issue it will not take (422)."""
    if status == 401:
        forge.env = {**forge.env, "GITHUB_TOKEN": "ghp_wrong", "GITLAB_TOKEN": "glpat-wrong"}
    elif status == 403 and forge.github is not None:
        forge.github.scopes = "read:org"
    elif status == 403:
        assert forge.gitlab is not None
        forge.gitlab.scopes = {"read_api"}
    elif status == 404:
        config = root / "dsl.toml"
        name = "octo/demo" if forge.github is not None else forge.gitlab.project_path  # type: ignore[union-attr]
        config.write_text(config.read_text().replace(f'"{name}"', '"octo/missing"'))
    else:
        body = {"message": "Validation Failed", "errors": [{"resource": "Issue", "code": "invalid"}]}
        if forge.github is not None:
            forge.github.inject(422, method="POST", path="/repos/octo/demo/issues", body=body)
        else:
            assert forge.gitlab is not None
            forge.gitlab.fail(
                Fault(422, method="POST", path="/issues", body={"message": "Validation Failed"})
            )


@pytest.mark.parametrize(("status", "code", "said"), [
    (401, 6, "refused the token"),
    (403, 6, "scope"),
    (404, 3, "missing"),
    (422, 6, "Validation Failed"),
])  # fmt: skip
def test_a_refusing_forge_leaves_the_project_as_it_was(
    tmp_path: Path, forge: Forge, status: int, code: int, said: str
) -> None:
    root = local_project(tmp_path, forge)
    _refuse(forge, root, status)
    config_before = (root / "dsl.toml").read_text()
    notebook_before = (root / "nb" / "churn.ipynb").read_bytes()

    failed = dsl(root, forge, "tracker", "export", "--to", forge.kind, code=code)

    assert said in failed.stderr and "error:" in failed.stderr
    if status in (403, 422):  # refused while writing: it says where it stopped and how to go on
        assert "dsl.toml still names the local tracker" in failed.stderr and "resumes" in failed.stderr
    assert (root / "dsl.toml").read_text() == config_before
    assert (root / "nb" / "churn.ipynb").read_bytes() == notebook_before
    assert sorted(forge.issues()) == list(forge.before)  # no issue went over
    local = LocalTracker(find_project(root).database_path)
    try:
        assert len(local.list(IssueQuery(state="all"))) == 3  # the local issues are all still there
    finally:
        local.close_connection()


def test_settings_and_token_are_checked_before_any_request(tmp_path: Path, forge: Forge) -> None:
    root = local_project(tmp_path, forge)
    config = root / "dsl.toml"
    no_token = {k: v for k, v in forge.env.items() if k not in ("GITHUB_TOKEN", "GITLAB_TOKEN")}
    no_token["PATH"] = "/usr/bin:/bin"  # and no forge CLI login to fall back on
    failed = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", "tracker", "export", "--to", forge.kind],
        cwd=root, env=no_token, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert failed.returncode == 5 and "token" in failed.stderr

    config.write_text(config.read_text().replace(forge.toml, ""))  # no repo / project named
    key = "repo" if forge.kind == "github" else "project"
    assert (
        f"[tracker] has no {key}" in dsl(root, forge, "tracker", "export", "--to", forge.kind, code=5).stderr
    )
    server = forge.github or forge.gitlab
    assert server is not None
    assert not (server.exchanges if forge.github is not None else server.requests)  # type: ignore[union-attr]


def test_renumbering_touches_only_checklist_and_reference_lines() -> None:
    body = (
        "***Prompted by:*** #1\r\n\r\n## Understanding and Exploration\r\n\r\n- [x] #2 Churn #3\r\n"
        "  * [ ] #3 Tenure\r\n- [ ] #30 Other\r\n\r\nSee #2 for why.\r\n```\r\n- [ ] #2 in code\r\n```\r\n"
    )
    assert renumber_body(body, {1: 7, 2: 3, 3: 4}) == (
        "***Prompted by:*** #7\r\n\r\n## Understanding and Exploration\r\n\r\n- [x] #3 Churn #3\r\n"
        "  * [ ] #4 Tenure\r\n- [ ] #30 Other\r\n\r\nSee #2 for why.\r\n```\r\n- [ ] #2 in code\r\n```\r\n"
    )


def test_the_tracker_kind_changes_on_its_own_line() -> None:
    text = (
        '[project]\nname = "p"\n\n[tracker]\n# kind = "x"\nkind = "local"  # was\nrepo = "a/b"\n'
        "\n[runs]\nkind = 1\n"
    )
    assert with_setting(text, "tracker", "kind", "github") == text.replace(
        'kind = "local"  # was', 'kind = "github"'
    )
    assert with_setting('[tracker]\nrepo = "a/b"\n', "tracker", "kind", "gitlab") == (
        '[tracker]\nkind = "gitlab"\nrepo = "a/b"\n'
    )


def test_the_magic_exports_from_a_notebook_and_asks_before_rewriting_notebook_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ast

    from kernel_support import Kernel, plain

    with checked_server("octo/demo", token=GITHUB_TOKEN) as server:
        toml = f'repo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = 5\n'
        forge = Forge("github", toml, ENV, github=server, before=())
        root = local_project(tmp_path, forge)
        notebook = root / "nb" / "churn.ipynb"
        monkeypatch.setitem(ENV, "GITHUB_TOKEN", GITHUB_TOKEN)  # the kernel's environment
        kernel = Kernel(root / "nb", str(notebook))
        try:

            def run(line: str) -> Any:
                status, outputs, text = kernel.run(line)
                assert status == "ok", text
                return ast.literal_eval(plain(outputs)) if "--json" in line else plain(outputs)

            assert run("%load_ext jupyter_dsl") == ""
            assert "#2 would go to a new issue: Churn by region" in run(
                "%dsl tracker export --to github --dry-run"
            )
            before = notebook.read_bytes()
            status, _, text = kernel.run("%dsl tracker export --to github")
            assert status == "error" and "nb/churn.ipynb" in text and "nothing was exported" in text
            assert not forge.issues() and notebook.read_bytes() == before

            done = run("%dsl tracker export --to github --write --json")

            assert done["switched"] is True and done["numbers"] == {"1": 1, "2": 2, "3": 3}
            assert get_link(notebook).issue.tracker == "github"  # type: ignore[union-attr]
            shown = run("%dsl show 2 --json")  # the session now reads the forge
            assert shown["tracker"] == "github" and shown["url"].endswith("/issues/2")
        finally:
            kernel.close()
