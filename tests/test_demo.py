"""`jupyter dsl demo` as a newcomer meets it: inside a clone of another repository, with or without Lab."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from runs_support import ENV, dsl, git
from venv_support import venv_with_these_packages

REPO = Path(__file__).resolve().parents[1]


def outer_state(root: Path) -> dict[str, str]:
    """Everything the demo must leave alone in an enclosing repository."""
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "branch": git(root, "branch", "--show-current"),
        "count": git(root, "rev-list", "--count", "--all"),
        "branches": git(root, "branch", "--list"),
        "staged": git(root, "diff", "--cached"),
        "unstaged": git(root, "diff"),
    }


def porcelain(root: Path) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain"], cwd=root, env=ENV, capture_output=True, text=True)
    return out.stdout.splitlines()


def test_demo_inside_another_repository_is_a_repository_of_its_own(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    git(clone, "init", "-q", "--initial-branch=main")
    (clone / "README.md").write_text("# theirs\n")
    (clone / "setup.cfg").write_text("[metadata]\n")
    git(clone, "add", "README.md", "setup.cfg")
    git(clone, "commit", "-q", "-m", "theirs")
    (clone / "README.md").write_text("# theirs, edited\n")  # the user's uncommitted edit
    (clone / "staged.txt").write_text("staged\n")
    git(clone, "add", "staged.txt")
    (clone / "scratch.py").write_text("x = 1\n")  # untracked
    before = outer_state(clone)
    porcelain_before = porcelain(clone)
    assert " M README.md" in porcelain_before

    dsl(clone, "demo", "--no-runs")  # exactly the README's command, run in the clone

    demo = clone / "dsl-demo"
    assert git(demo, "rev-parse", "--show-toplevel") == str(demo.resolve())
    assert outer_state(clone) == before
    # the only news for the clone is one untracked folder: the nested repository
    assert sorted(porcelain(clone)) == sorted([*porcelain_before, "?? dsl-demo/"])
    assert (clone / "README.md").read_text() == "# theirs, edited\n"
    # the demo's repository holds its own files, all of them committed
    assert git(demo, "status", "--porcelain") == ""
    tracked = set(git(demo, "ls-files").splitlines())
    on_disk = {  # data/ is git-ignored: the dataset's bytes live in the data store, its pointer in git
        p.relative_to(demo).as_posix()
        for p in demo.rglob("*")
        if p.is_file() and p.relative_to(demo).parts[0] not in (".git", ".dsl", "data")
    }
    assert tracked == on_disk
    assert "datasets/customers.dvc" in tracked and (demo / "data" / "customers.csv").is_file()
    assert {"dsl.toml", ".gitignore", "README.md", "configs/baseline.yaml"} <= tracked
    assert "notebooks/explore_churn.ipynb" in tracked
    # start, the dataset's pointer, link, the findings summary, the notebook marked complete: nothing of
    # the enclosing repo
    subjects = git(demo, "log", "--format=%s").splitlines()
    assert len(subjects) == 5 and subjects[-1].startswith("Start the churn project")
    assert subjects[-2] == "data: customers 1.0.0 (1 files, 20.7 kB)"


def test_demo_in_a_directory_that_is_already_its_own_repository_commits_only_its_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    git(root, "init", "-q", "--initial-branch=main")
    (root / "notes.md").write_text("mine\n")
    (root / "todo.md").write_text("staged, mine\n")
    git(root, "add", "todo.md")
    dsl(tmp_path, "demo", "mine", "--force", "--no-runs")
    assert git(root, "rev-parse", "--show-toplevel") == str(root.resolve())
    committed = set(git(root, "log", "--all", "--name-only", "--format=").split())
    assert "notes.md" not in committed and "todo.md" not in committed
    assert "?? notes.md" in porcelain(root)
    assert git(root, "diff", "--cached", "--name-only") == "todo.md"


@pytest.fixture(scope="module")
def python_without_lab(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A real environment without JupyterLab: a venv with jupyter-dsl's dependencies (the packages of
    the interpreter running the tests, whichever it is, none of their scripts) in which ``jupyterlab``
    cannot be imported, and a PATH that holds git but no jupyter-lab."""
    folder = tmp_path_factory.mktemp("nolab")
    python = venv_with_these_packages(folder / "venv", without=["jupyterlab"])
    bindir = python.parent
    git_dir = str(Path(shutil.which("git") or "/usr/bin/git").parent)
    path = os.pathsep.join([str(bindir), git_dir])
    assert shutil.which("jupyter-lab", path=path) is None, f"{git_dir} holds a jupyter-lab: pick another PATH"
    env = {
        **ENV,
        "PATH": path,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
    }
    probe = "import jupyter_dsl, papermill, rich\ntry:\n import jupyterlab\nexcept ImportError:\n print('no')"
    seen = subprocess.run([str(python), "-c", probe], env=env, capture_output=True, text=True, timeout=180)
    assert seen.stdout.strip() == "no", seen.stderr  # jupyter-dsl's dependencies, but no JupyterLab
    return python, env


def run_in(python: Path, env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "jupyter_dsl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_demo_lab_without_jupyterlab_is_one_error_and_a_hint(
    tmp_path: Path, python_without_lab: tuple[Path, dict[str, str]]
) -> None:
    python, env = python_without_lab
    result = run_in(python, env, tmp_path, "demo", "d", "--lab")
    assert result.returncode == 5, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: JupyterLab is not installed")
    assert lines[1].startswith("hint: pip install jupyterlab")
    assert "Usage" not in result.stdout + result.stderr
    assert not (tmp_path / "d").exists()  # checked before anything was written


def test_demo_without_jupyterlab_prints_how_to_install_it_not_a_broken_command(
    tmp_path: Path, python_without_lab: tuple[Path, dict[str, str]]
) -> None:
    python, env = python_without_lab
    result = run_in(python, env, tmp_path, "demo", "d", "--no-runs")
    assert result.returncode == 0, result.stderr
    assert "JupyterLab is not installed here: pip install jupyterlab" in result.stdout
    assert "jupyter lab" not in result.stdout and "jupyter-lab" not in result.stdout


def printed_lab_command(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    return shlex.split(lines[lines.index("Open it in JupyterLab:") + 1])


def check_runs_as_printed(argv: list[str], path: str, cwd: Path) -> None:
    """The printed program resolves on ``path``, and the command, typed in ``cwd``, starts Lab with the
    jupyter-dsl server extension (stopped once it is serving)."""
    program = shutil.which(argv[0], path=path)
    assert program is not None, f"{argv[0]} is not on PATH"
    if argv[:2] == ["jupyter", "lab"]:
        assert shutil.which("jupyter-lab", path=path) is not None
    env = {**ENV, "PATH": path, "BROWSER": "true", "JUPYTER_RUNTIME_DIR": str(cwd / "runtime")}
    output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    log: list[str] = []
    with subprocess.Popen(argv, cwd=cwd, env=env, **output) as lab:  # closes its pipe and waits for it
        watchdog = threading.Timer(120, lab.kill)
        watchdog.start()
        try:
            assert lab.stdout is not None
            for line in lab.stdout:
                log.append(line)
                if "is running at" in line:
                    break
        finally:
            watchdog.cancel()
            lab.terminate()
            lab.wait(timeout=60)
    text = "".join(log)
    assert "is running at" in text, text
    assert "jupyter_dsl | extension was successfully loaded" in text, text


def test_the_printed_lab_command_works_as_printed(tmp_path: Path) -> None:
    out = dsl(tmp_path, "demo", "d", "--no-runs").stdout
    argv = printed_lab_command(out)
    root = (tmp_path / "d").resolve()
    assert argv[-1] == str(root / "notebooks" / "explore_churn.ipynb")
    assert f"--notebook-dir={root}" in argv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check_runs_as_printed(argv, ENV["PATH"], elsewhere)


def test_without_lab_on_path_the_printed_command_names_this_environments_lab(tmp_path: Path) -> None:
    """An environment used without activating it: its jupyter-lab is not on PATH, so say where it is."""
    git_dir = str(Path(shutil.which("git") or "/usr/bin/git").parent)
    assert shutil.which("jupyter-lab", path=git_dir) is None
    env = {**ENV, "PATH": git_dir}
    result = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", "demo", "d", "--no-runs"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    argv = printed_lab_command(result.stdout)
    assert Path(argv[0]).is_absolute() and Path(argv[0]).name == "jupyter-lab"
    check_runs_as_printed(argv, git_dir, tmp_path)
