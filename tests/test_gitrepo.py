"""The git operations, in real temporary repositories."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jupyter_dsl.errors import Conflict, InvalidInput
from jupyter_dsl.project import gitrepo

Git = Callable[..., str]


@pytest.fixture()
def repo(tmp_path: Path, git: Git) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    (root / "tracked.txt").write_text("one\n")
    git(root, "add", "tracked.txt")
    git(root, "commit", "--quiet", "-m", "first")
    return root


def test_branch_commit_and_repo_checks(repo: Path, tmp_path: Path, git: Git) -> None:
    assert gitrepo.is_repo(repo) and gitrepo.is_repo(repo / ".git")
    assert gitrepo.current_branch(repo) == "main"
    assert gitrepo.head_commit(repo) == git(repo, "rev-parse", "HEAD")
    assert gitrepo.branch_exists(repo, "main") and not gitrepo.branch_exists(repo, "nope")
    outside = tmp_path / "plain"
    outside.mkdir()
    assert not gitrepo.is_repo(outside)
    assert gitrepo.current_branch(outside) is None and gitrepo.head_commit(outside) is None
    assert gitrepo.state(outside) is None
    git(repo, "checkout", "--quiet", "--detach")
    assert gitrepo.current_branch(repo) is None


def test_unborn_repository(tmp_path: Path, git: Git) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    assert gitrepo.current_branch(root) == "main"
    assert gitrepo.head_commit(root) is None
    result = gitrepo.switch(root, "explore/1-x", base="main")
    assert result.created and gitrepo.current_branch(root) == "explore/1-x"


def test_changed_files_count_tracked_changes_only(repo: Path, git: Git) -> None:
    assert gitrepo.changed_files(repo) == []
    (repo / "new.ipynb").write_text("{}")
    assert gitrepo.changed_files(repo) == []
    (repo / "tracked.txt").write_text("two\n")
    assert gitrepo.changed_files(repo) == ["tracked.txt"]
    git(repo, "add", "new.ipynb")
    assert sorted(gitrepo.changed_files(repo)) == ["new.ipynb", "tracked.txt"]


def test_state_for_run_records(repo: Path, git: Git) -> None:
    clean = gitrepo.state(repo)
    assert clean is not None
    assert (clean.branch, clean.dirty, clean.diff_hash) == ("main", False, None)
    assert clean.commit == git(repo, "rev-parse", "HEAD")
    (repo / "tracked.txt").write_text("two\n")
    dirty = gitrepo.state(repo)
    assert dirty is not None and dirty.dirty and dirty.diff_hash
    assert gitrepo.state(repo) == dirty  # the same edits hash the same
    (repo / "tracked.txt").write_text("three\n")
    other = gitrepo.state(repo)
    assert other is not None and other.diff_hash != dirty.diff_hash


def test_switch_creates_from_base_not_from_the_current_branch(repo: Path, git: Git) -> None:
    base_commit = git(repo, "rev-parse", "main")
    git(repo, "switch", "--quiet", "-c", "elsewhere")
    (repo / "other.txt").write_text("x\n")
    git(repo, "add", "other.txt")
    git(repo, "commit", "--quiet", "-m", "elsewhere")
    result = gitrepo.switch(repo, "explore/3-churn", base="main")
    assert result == gitrepo.SwitchResult("explore/3-churn", True, "main", "elsewhere")
    assert git(repo, "rev-parse", "HEAD") == base_commit
    assert not (repo / "other.txt").exists()


def test_switch_to_an_existing_branch_and_to_the_current_one(repo: Path, git: Git) -> None:
    git(repo, "branch", "explore/3-churn")
    result = gitrepo.switch(repo, "explore/3-churn", base="main")
    assert (result.created, result.previous) == (False, "main")
    assert gitrepo.current_branch(repo) == "explore/3-churn"
    assert gitrepo.switch(repo, "explore/3-churn", base="main").created is False


def test_missing_base_branches_from_head(repo: Path, git: Git) -> None:
    result = gitrepo.switch(repo, "model/9-m", base="develop")
    assert result.created and result.base == "main"
    assert git(repo, "rev-parse", "HEAD") == git(repo, "rev-parse", "main")


def test_uncommitted_tracked_changes_refuse_and_change_nothing(repo: Path, git: Git) -> None:
    (repo / "tracked.txt").write_text("edited\n")
    with pytest.raises(Conflict) as err:
        gitrepo.switch(repo, "explore/3-churn", base="main")
    assert "tracked.txt" in err.value.message and "switch anyway" in (err.value.hint or "")
    assert err.value.exit_code == 4
    assert gitrepo.current_branch(repo) == "main"
    assert not gitrepo.branch_exists(repo, "explore/3-churn")
    assert (repo / "tracked.txt").read_text() == "edited\n"


def test_force_carries_the_changes_over(repo: Path, git: Git) -> None:
    (repo / "tracked.txt").write_text("edited\n")
    result = gitrepo.switch(repo, "explore/3-churn", base="main", force=True)
    assert result.created and gitrepo.current_branch(repo) == "explore/3-churn"
    assert (repo / "tracked.txt").read_text() == "edited\n"
    assert result.stashed == () and git(repo, "stash", "list") == ""


def test_force_stashes_only_what_cannot_travel(repo: Path, git: Git, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("NAME", "Stash Tester"), ("EMAIL", "stash@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)  # `git stash` records an author
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    (repo / "notes.txt").write_text("same on both\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "--quiet", "-m", "notes")
    git(repo, "switch", "--quiet", "-c", "explore/3-churn")
    (repo / "tracked.txt").write_text("theirs\n")
    (repo / "new.txt").write_text("theirs too\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "on the branch")
    git(repo, "switch", "--quiet", "main")
    (repo / "tracked.txt").write_text("mine\n")  # the branch has it otherwise: cannot travel
    (repo / "new.txt").write_text("mine too\n")  # untracked here, tracked there: cannot travel
    (repo / "notes.txt").write_text("edited\n")  # same on both branches: travels
    (repo / "fresh.txt").write_text("fresh\n")  # untracked, unknown there: travels

    with pytest.raises(Conflict):
        gitrepo.switch(repo, "explore/3-churn", base="main")
    result = gitrepo.switch(repo, "explore/3-churn", base="main", force=True)

    assert (result.branch, result.created, result.stashed) == (
        "explore/3-churn",
        False,
        ("new.txt", "tracked.txt"),
    )
    assert gitrepo.current_branch(repo) == "explore/3-churn"
    assert (repo / "tracked.txt").read_text() == "theirs\n" and (
        repo / "new.txt"
    ).read_text() == "theirs too\n"
    assert (repo / "notes.txt").read_text() == "edited\n" and (repo / "fresh.txt").read_text() == "fresh\n"
    stashes = git(repo, "stash", "list").splitlines()
    assert len(stashes) == 1 and "jupyter-dsl" in stashes[0] and "main" in stashes[0]
    # nothing is lost: back on main, the stash gives the edits back
    git(repo, "switch", "--quiet", "main")
    git(repo, "stash", "pop", "--quiet")
    assert (repo / "tracked.txt").read_text() == "mine\n" and (repo / "new.txt").read_text() == "mine too\n"
    assert (repo / "notes.txt").read_text() == "edited\n"


def test_untracked_notebooks_do_not_block_and_travel_along(repo: Path) -> None:
    (repo / "analysis.ipynb").write_text("{}")
    result = gitrepo.switch(repo, "explore/3-churn", base="main")
    assert result.created
    assert (repo / "analysis.ipynb").read_text() == "{}"


def test_many_changes_are_summarized(repo: Path, git: Git) -> None:
    for i in range(8):
        (repo / f"f{i}.txt").write_text("x")
    git(repo, "add", "--all")
    with pytest.raises(Conflict) as err:
        gitrepo.switch(repo, "explore/3-churn", base="main")
    assert "and 3 more" in err.value.message


def test_switch_outside_a_repository_is_invalid(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        gitrepo.switch(tmp_path, "explore/1-x", base="main")
    assert "git init" in (err.value.hint or "")


def test_a_bad_branch_name_is_invalid_input(repo: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        gitrepo.switch(repo, "bad..name", base="main")
    assert "bad..name" in err.value.message and err.value.exit_code == 2
    assert gitrepo.current_branch(repo) == "main"
    assert not gitrepo.branch_exists(repo, "bad..name")


def test_git_failures_carry_what_git_said_with_a_documented_exit_code(repo: Path) -> None:
    (repo / ".git" / "index.lock").write_text("")  # another git process holds the index
    with pytest.raises(gitrepo.GitError) as err:
        gitrepo.switch(repo, "explore/3-churn", base="main")
    assert err.value.exit_code == 4 and err.value.http_status == 409
    assert "index.lock" in err.value.message and "fatal:" not in err.value.message
    assert "\n" not in err.value.message and err.value.hint
    assert gitrepo.current_branch(repo) == "main"


def test_ensure_ignored_appends_once(repo: Path) -> None:
    assert gitrepo.ensure_ignored(repo, [".dsl/", "data/"]) == [".dsl/", "data/"]
    assert gitrepo.ensure_ignored(repo, [".dsl/", "data/"]) == []
    (repo / ".gitignore").write_text("/.dsl\nlogs")
    assert gitrepo.ensure_ignored(repo, [".dsl/", "models/"]) == ["models/"]
    assert (repo / ".gitignore").read_text() == "/.dsl\nlogs\nmodels/\n"


def test_ensure_ignored_refuses_a_non_utf8_gitignore(repo: Path) -> None:
    (repo / ".gitignore").write_bytes(b"caf\xe9\n")
    with pytest.raises(InvalidInput):
        gitrepo.ensure_ignored(repo, [".dsl/"])
    assert (repo / ".gitignore").read_bytes() == b"caf\xe9\n"


def test_commit_files_commits_exactly_those_files(repo: Path, git: Git) -> None:
    (repo / "tracked.txt").write_text("one, edited by the user\n")
    (repo / "staged.txt").write_text("the user's, staged\n")
    git(repo, "add", "staged.txt")
    (repo / "notes.md").write_text("the user's, untracked\n")
    (repo / "*.md").write_text("ours: a name that is also a glob\n")
    (repo / "dsl.toml").write_text("[project]\n")
    before = git(repo, "rev-parse", "HEAD")

    commit = gitrepo.commit_files(repo, ["dsl.toml", "*.md"], "ours")

    assert commit == git(repo, "rev-parse", "HEAD") and git(repo, "rev-parse", "HEAD~1") == before
    assert git(repo, "show", "--name-only", "--format=", "HEAD").splitlines() == ["*.md", "dsl.toml"]
    assert git(repo, "diff", "--cached", "--name-only") == "staged.txt"  # still staged, not committed
    assert git(repo, "diff", "--name-only") == "tracked.txt"  # still modified
    assert git(repo, "ls-files", "--others", "--exclude-standard") == "notes.md"  # still untracked
    assert gitrepo.commit_files(repo, ["dsl.toml"], "again") is None  # nothing changed: no commit
    assert git(repo, "rev-parse", "HEAD") == commit


def test_commit_files_makes_the_first_commit(tmp_path: Path, git: Git) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    gitrepo.init(root)
    (root / "ours.txt").write_text("x\n")
    (root / "theirs.txt").write_text("y\n")
    assert gitrepo.commit_files(root, ["ours.txt"], "first") == git(root, "rev-parse", "HEAD")
    assert git(root, "ls-files") == "ours.txt"
    assert git(root, "branch", "--show-current") == "main"


def test_a_directory_inside_a_repository_is_not_its_top(repo: Path) -> None:
    inner = repo / "inner"
    inner.mkdir()
    assert gitrepo.is_repo(inner) and not gitrepo.is_toplevel(inner)
    assert gitrepo.is_toplevel(repo)
    gitrepo.init(inner)
    assert gitrepo.is_toplevel(inner)


def test_jupyter_dsl_never_stages_everything() -> None:
    """Every commit jupyter-dsl makes goes through commit_files: no `git add -A`, `add .`, `commit -a`."""
    import re

    package = Path(gitrepo.__file__).parent
    sweeping = re.compile(r'"add",\s*"(-A|--all|\.|-u|--update)"|"commit",[^)\n]*"(-a|--all)"')
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if sweeping.search(line)
    ]
    assert offenders == []


class _AsksForCredentials(http.server.BaseHTTPRequestHandler):
    """A git remote over HTTP that wants a user name and password (as a private repository does)."""

    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture()
def private_remote() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AsksForCredentials)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/octo/private.git"
    server.shutdown()
    server.server_close()  # its listening socket
    thread.join()


def test_a_push_that_needs_a_password_fails_at_once_outside_a_terminal(
    repo: Path, git: Git, private_remote: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    git(repo, "remote", "add", "origin", private_remote)
    monkeypatch.setenv("HOME", str(tmp_path))  # no credential helper of the machine's user
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_ASKPASS", raising=False)
    monkeypatch.delenv("SSH_ASKPASS", raising=False)
    monkeypatch.setattr(gitrepo, "INTERACTIVE", False)  # as in the server extension
    with pytest.raises(gitrepo.GitError) as refused:
        gitrepo.push(repo, "origin", "main")
    assert "terminal prompts disabled" in refused.value.message
    assert refused.value.hint is not None and refused.value.hint.startswith("Nothing was pushed")
