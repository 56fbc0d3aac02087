"""`jupyter dsl init` and git: it commits only in a repository it made, and only the files it wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runs_support import ENV, dsl, dsl_json, git

TEMPLATE_NAMES = {"Ask", "Data.Acquisition", "Data.Create", "Explore", "Experiment", "Model"}


def untracked(root: Path) -> set[str]:
    return set(git(root, "ls-files", "--others", "--exclude-standard").splitlines())


def test_init_in_a_repository_with_history_stages_and_commits_nothing(tmp_path: Path) -> None:
    root = tmp_path / "theirs"
    root.mkdir()
    git(root, "init", "-q", "--initial-branch=main")
    (root / "model.py").write_text("a = 1\n")
    git(root, "add", "model.py")
    git(root, "commit", "-q", "-m", "theirs")
    (root / "model.py").write_text("a = 2\n")  # modified
    (root / "todo.md").write_text("staged\n")
    git(root, "add", "todo.md")  # staged
    (root / "scratch.py").write_text("x = 1\n")  # untracked
    head = git(root, "rev-parse", "HEAD")

    out = dsl(root, "init", "--templates").stdout

    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "rev-list", "--count", "HEAD") == "1"
    assert git(root, "diff", "--cached", "--name-only") == "todo.md"
    assert git(root, "diff", "--name-only") == "model.py"
    assert {"scratch.py", "dsl.toml", ".gitignore"} <= untracked(root)
    assert "commit them: git add dsl.toml" in out and ".gitignore && git commit" in out


def test_init_in_a_plain_directory_commits_only_what_it_wrote(tmp_path: Path) -> None:
    root = tmp_path / "work"
    (root / "data").mkdir(parents=True)
    (root / "analysis.ipynb").write_text("{}")
    (root / "notes.txt").write_text("mine\n")
    (root / "data" / "raw.csv").write_text("a,b\n")

    report = dsl_json(tmp_path, "init", "work", "--templates")

    assert report["git_initialized"] is True
    assert report["committed"] == git(root, "rev-parse", "HEAD")
    assert git(root, "rev-list", "--count", "HEAD") == "1"
    assert git(root, "branch", "--show-current") == "main"  # DSLP branches have a base to start from
    templates = {f".github/ISSUE_TEMPLATE/{name}.md" for name in TEMPLATE_NAMES}
    assert set(git(root, "ls-files").splitlines()) == {"dsl.toml", ".gitignore", *templates}
    assert untracked(root) == {"analysis.ipynb", "notes.txt"}  # data/ is ignored
    assert git(root, "diff", "--cached", "--name-only") == ""


def test_init_commits_no_gitignore_it_only_appended_to(tmp_path: Path) -> None:
    root = tmp_path / "work"
    root.mkdir()
    (root / ".gitignore").write_text("*.log\n")
    report = dsl_json(tmp_path, "init", "work")
    assert report["committed"] is not None
    assert git(root, "ls-files") == "dsl.toml"
    assert untracked(root) == {".gitignore"}
    assert (root / ".gitignore").read_text().startswith("*.log\n.dsl/\n")


def test_init_without_a_git_identity_writes_but_does_not_commit(tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tuseConfigOnly = true\n")
    env = {k: v for k, v in ENV.items() if not k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_"))}
    env.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1")
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", "init", "p"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "not committed: git does not know who you are" in result.stdout
    root = tmp_path / "p"
    assert (root / "dsl.toml").is_file()
    head = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=root, capture_output=True)
    assert head.returncode != 0
