"""``init_project``: dsl.toml, .gitignore and the issue templates, never overwriting, idempotent."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_dsl.dslp.templates import TEMPLATES
from jupyter_dsl.errors import ConfigError, Conflict
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Settings, find_project

IGNORED = {".dsl/", "data/", "models/", ".ipynb_checkpoints/"}


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int, int]]:
    """Every path under ``root`` (``.git`` too) with its bytes, mtime and mode."""
    found: dict[str, tuple[bytes | None, int, int]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        found[path.relative_to(root).as_posix()] = (content, info.st_mtime_ns, info.st_mode)
    return found


def test_fresh_directory_becomes_a_project(tmp_path: Path, git: Callable[..., str]) -> None:
    root = tmp_path / "new" / "proj"
    report = init_project(root, name="Churn")
    assert report.root == root.resolve()
    assert report.git_initialized and report.changed
    assert report.created == ["dsl.toml"]
    assert set(report.ignored) == IGNORED
    assert git(root, "branch", "--show-current") == "main"
    project = find_project(root)
    assert project.config_path == (root / "dsl.toml").resolve()
    assert project.settings == Settings(name="Churn")
    assert set((root / ".gitignore").read_text().splitlines()) >= IGNORED
    # the state dir, data and models are ignored by git itself, not just listed
    for name in (".dsl/dsl.sqlite", "data/raw.csv", "models/m.pkl"):
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text("x")
        assert git(root, "check-ignore", name) == name
    assert not (root / ".github").exists()


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    root = tmp_path / "p"
    init_project(root, templates=True)
    for name in ("dsl.toml", ".gitignore", ".github/ISSUE_TEMPLATE/Ask.md"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o666 & ~umask, name


def test_templates_are_the_six_dslp_templates(tmp_path: Path) -> None:
    root = tmp_path / "p"
    report = init_project(root, templates=True)
    folder = root / ".github" / "ISSUE_TEMPLATE"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 6
    assert sorted(report.created) == sorted(["dsl.toml", *(f".github/ISSUE_TEMPLATE/{n}" for n in names)])
    for template in TEMPLATES:
        text = (folder / f"{template.key}.md").read_text()
        assert text.startswith("---\n")
        assert f"\nlabels: {template.type.value}\n" in text
        headings = re.findall(r"^#{1,6} (.+)$", text.split("---\n", 2)[2], re.MULTILINE)
        assert headings == template.section_names


def test_second_run_changes_nothing_at_all(tmp_path: Path) -> None:
    root = tmp_path / "p"
    init_project(root, templates=True)
    before = snapshot(root)
    again = init_project(root, templates=True)
    assert not again.changed
    assert (again.created, again.overwritten, again.kept, again.ignored) == ([], [], [], [])
    assert snapshot(root) == before


def test_users_files_are_kept_without_force(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    mine = '[project]\nname = "mine"\n\n[branches]\nbase = "develop"\n'
    (root / "dsl.toml").write_text(mine)
    (root / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    (root / ".github" / "ISSUE_TEMPLATE" / "Ask.md").write_text("my own Ask template\n")
    (root / ".gitignore").write_text("*.pyc\n/data\n")
    report = init_project(root, templates=True)
    assert sorted(report.kept) == [".github/ISSUE_TEMPLATE/Ask.md", "dsl.toml"]
    assert (root / "dsl.toml").read_text() == mine
    assert (root / ".github" / "ISSUE_TEMPLATE" / "Ask.md").read_text() == "my own Ask template\n"
    assert len(report.created) == 5
    # /data already covers data/
    assert (root / ".gitignore").read_text() == "*.pyc\n/data\n.dsl/\nmodels/\n.ipynb_checkpoints/\n"
    assert find_project(root).settings.branches.base == "develop"

    forced = init_project(root, templates=True, force=True)
    assert sorted(forced.overwritten) == [".github/ISSUE_TEMPLATE/Ask.md", "dsl.toml"]
    assert "my own" not in (root / ".github" / "ISSUE_TEMPLATE" / "Ask.md").read_text()
    assert find_project(root).settings.branches.base == "main"
    assert (root / ".gitignore").read_text() == "*.pyc\n/data\n.dsl/\nmodels/\n.ipynb_checkpoints/\n"


def test_gitignore_keeps_its_line_breaks_and_last_line(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / ".gitignore").write_bytes(b"*.pyc\r\nbuild/")
    init_project(root)
    assert (
        root / ".gitignore"
    ).read_bytes() == b"*.pyc\r\nbuild/\r\n.dsl/\r\ndata/\r\nmodels/\r\n.ipynb_checkpoints/\r\n"
    before = snapshot(root)
    init_project(root)
    assert snapshot(root) == before


def test_an_invalid_kept_dsl_toml_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "dsl.toml").write_text("[tracker\n")
    with pytest.raises(ConfigError) as err:
        init_project(root)
    assert "line 1" in str(err.value)
    assert (root / "dsl.toml").read_text() == "[tracker\n"


def test_a_directory_where_a_file_goes_is_a_conflict(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "dsl.toml").mkdir(parents=True)
    with pytest.raises(Conflict):
        init_project(root, git=False)


def test_inside_an_existing_repository_no_new_repository(tmp_path: Path, git: Callable[..., str]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    report = init_project(repo / "analysis")
    assert not report.git_initialized
    assert not (repo / "analysis" / ".git").exists()
    assert (repo / "analysis" / ".gitignore").is_file()
    assert find_project(repo / "analysis").root == (repo / "analysis").resolve()


def test_without_git(tmp_path: Path) -> None:
    report = init_project(tmp_path / "p", git=False)
    assert not report.git_initialized and not (tmp_path / "p" / ".git").exists()
    assert (tmp_path / "p" / "dsl.toml").is_file()


@pytest.mark.parametrize("name", ['My "quoted" \\ project', "tab\there", "Überblick 📈", "new\nline"])
def test_any_name_makes_valid_toml(tmp_path: Path, name: str) -> None:
    init_project(tmp_path / "p", name=name, git=False)
    assert find_project(tmp_path / "p").settings.name == name


@pytest.mark.parametrize("existing", [None, b"*.pyc\n"])
def test_init_and_demo_ignore_jupyterlabs_checkpoints(
    tmp_path: Path, git: Callable[..., str], existing: bytes | None
) -> None:
    from jupyter_dsl.project.demo import make_demo

    root = tmp_path / "p"
    root.mkdir()
    if existing is not None:
        (root / ".gitignore").write_bytes(existing)  # an existing .gitignore gets the line added
    init_project(root)
    lines = (root / ".gitignore").read_text().splitlines()
    assert ".ipynb_checkpoints/" in lines
    assert lines[0] == "*.pyc" or existing is None  # the user's own lines stay first
    checkpoint = root / "nb" / ".ipynb_checkpoints" / "a-checkpoint.ipynb"
    checkpoint.parent.mkdir(parents=True)
    checkpoint.write_text("{}")
    assert git(root, "check-ignore", "nb/.ipynb_checkpoints/a-checkpoint.ipynb")
    demo = make_demo(tmp_path / "demo", runs=False).root
    assert ".ipynb_checkpoints/" in (demo / ".gitignore").read_text().splitlines()
