"""The few git operations DSLP needs, through the git command line (the user's own git and config)."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import hints
from ..errors import Conflict, InvalidInput
from .atomic_write import write_text_atomic


class GitError(Conflict):
    """git refused or failed (exit code 4, like any clash with the repository's state); the message
    carries what git said."""


INTERACTIVE = True
"""Whether git may ask on the terminal (a password, an SSH passphrase). The server extension turns it
off: there a prompt would wait on the terminal Jupyter was started from and hang the request."""

NOTHING_SWITCHED = "Nothing was switched; fix what git says, then try again."


def git(
    root: Path,
    *args: str,
    check: bool = True,
    env: dict[str, str] | None = None,
    hint: str = NOTHING_SWITCHED,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    try:
        command = ["git", *args]
        result = subprocess.run(
            command, cwd=root, capture_output=True, text=True, check=False, env=env, input=stdin
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if check and result.returncode != 0:
        shown = " ".join(a for a in args if a != "--")
        raise GitError(f"git {shown} failed: {_what_git_said(result.stderr or result.stdout)}", hint=hint)
    return result


def push(root: Path, remote: str, branch: str) -> None:
    """Push ``branch`` to ``remote`` and track it there; without ``INTERACTIVE``, git fails at once
    where it would ask for credentials (credential helpers and SSH agents still answer)."""
    env = None
    if not INTERACTIVE:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
        env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    hint = "Nothing was pushed; fix what git says (the remote, your credentials), then try again."
    git(root, "push", "--quiet", "-u", remote, branch, env=env, hint=hint)


def _what_git_said(text: str) -> str:
    """git's message on one line, without its ``error:``/``fatal:`` prefixes and advice lines."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [
        line.removeprefix("error: ").removeprefix("fatal: ")
        for line in lines
        if line and not line.startswith("hint:")
    ]
    return " ".join(kept) or "(git said nothing)"


def is_repo(root: Path) -> bool:
    return git(root, "rev-parse", "--git-dir", check=False).returncode == 0


def is_toplevel(root: Path) -> bool:
    """Whether ``root`` is the top of its own repository (not just somewhere inside an enclosing one)."""
    result = git(root, "rev-parse", "--show-toplevel", check=False)
    top = result.stdout.strip()
    return result.returncode == 0 and bool(top) and Path(top).resolve() == root.resolve()


def init(root: Path) -> None:
    """Make ``root`` a repository of its own on ``main`` (inside another one: a nested repository)."""
    git(root, "init", "--quiet", "--initial-branch=main")


def has_identity(root: Path) -> bool:
    """Whether git knows who commits here (user.name/user.email, or the GIT_* variables)."""
    names = ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    return all(git(root, "var", name, check=False).returncode == 0 for name in names)


def commit_files(root: Path, paths: Sequence[str], message: str, *, config: Sequence[str] = ()) -> str | None:
    """Commit exactly ``paths`` (files jupyter-dsl wrote), never anything else of the user's.

    Other files stay as they were: untracked, modified, or staged and out of this commit (``--only``).
    ``config``: ``-c name=value`` arguments for git (a fallback identity). Returns the new commit, or
    None when those paths have nothing to commit.
    """
    if not paths:
        return None
    literal = ["--literal-pathspecs"]  # a file named `*.md` is that file, not a glob
    git(root, *literal, "add", "--", *paths)
    staged = git(root, *literal, "diff", "--cached", "--quiet", "--", *paths, check=False)
    if staged.returncode == 0 and head_commit(root) is not None:
        return None
    git(root, *literal, *config, "commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *paths)
    return head_commit(root)


def current_branch(root: Path) -> str | None:
    """The checked-out branch; None on a detached HEAD or outside a repository."""
    result = git(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def head_commit(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def file_history(root: Path, path: str) -> list[str]:
    """The commits of HEAD's history that changed ``path`` (relative to ``root``), newest first."""
    result = git(root, "log", "--format=%H", "--", path, check=False)
    return result.stdout.split() if result.returncode == 0 else []


def file_at(root: Path, commit: str, path: str) -> str | None:
    """``path`` (relative to ``root``) as ``commit`` holds it; None where it holds no such file."""
    result = git(root, "show", f"{commit}:./{path}", check=False)
    return result.stdout if result.returncode == 0 else None


def branch_exists(root: Path, name: str) -> bool:
    return git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False).returncode == 0


def changed_files(root: Path) -> list[str]:
    """Tracked files with staged or unstaged changes (what a branch switch would carry over)."""
    result = git(root, "status", "--porcelain=v1", "--untracked-files=no", check=False)
    return [line[3:] for line in result.stdout.splitlines() if line.strip()]


@dataclass(frozen=True)
class GitState:
    commit: str | None
    branch: str | None
    dirty: bool
    diff_hash: str | None  # sha256 of `git diff HEAD` when dirty: two runs on the same edits match


def state(root: Path) -> GitState | None:
    """Where the working tree stands, for run records; None outside a repository."""
    if not is_repo(root):
        return None
    dirty = bool(changed_files(root))
    diff_hash = None
    if dirty:
        diff = git(root, "diff", "HEAD", "--binary", check=False).stdout
        diff_hash = hashlib.sha256(diff.encode()).hexdigest()
    return GitState(head_commit(root), current_branch(root), dirty, diff_hash)


def not_committed(root: Path, paths: Sequence[Path]) -> dict[Path, str]:
    """Why HEAD (of the repository holding ``root``) does not hold each of ``paths`` as it is on disk:
    "untracked" (HEAD has no file there, even a staged one), "ignored" (git-ignores it and HEAD has no
    file there), "modified" (HEAD holds another version, staged or not), "no-git" (no repository, or
    the file is outside it). Files HEAD holds as they are are left out."""
    top = git(root, "rev-parse", "--show-toplevel", check=False).stdout.strip()
    if not top:
        return {path: "no-git" for path in paths}
    top_path = Path(top).resolve()
    reasons: dict[Path, str] = {}
    inside: dict[str, Path] = {}
    for path in paths:
        try:
            inside[path.resolve().relative_to(top_path).as_posix()] = path
        except ValueError:
            reasons[path] = "no-git"
    if not inside:
        return reasons
    names = list(inside)
    held: set[str] = set()
    changed: set[str] = set()
    ignored: set[str] = set()
    if head_commit(top_path) is not None:
        held = set(_listed(top_path, (*LITERAL, "ls-tree", "-r", "--name-only", "-z", "HEAD", "--", *names)))
    if held:
        changed = set(_listed(top_path, (*LITERAL, "diff", "--name-only", "-z", "HEAD", "--", *sorted(held))))
    new = [name for name in names if name not in held]
    if new:  # (check-ignore reads path names, never pathspecs)
        ignored = set(_listed(top_path, ("check-ignore", "-z", "--stdin"), stdin=new))
    for name, path in inside.items():
        if name not in held:
            reasons[path] = "ignored" if name in ignored else "untracked"
        elif name in changed:
            reasons[path] = "modified"
    return {path: reasons[path] for path in paths if path in reasons}


LITERAL = ("--literal-pathspecs",)  # a file named `*.yaml` is that file, not a glob


def _listed(root: Path, args: Sequence[str], *, stdin: Sequence[str] = ()) -> list[str]:
    """The NUL-separated paths ``git ARGS`` prints (``stdin``: paths given NUL-separated on its standard
    input); exit 1 (check-ignore: none is ignored) lists nothing."""
    given = "".join(f"{path}\0" for path in stdin) if stdin else None
    result = git(root, *args, check=False, stdin=given)
    if result.returncode not in (0, 1):
        command = next(a for a in args if not a.startswith("-"))
        raise GitError(f"git {command} failed: {_what_git_said(result.stderr)}", hint="")
    return [p for p in result.stdout.split("\0") if p]


@dataclass(frozen=True)
class SwitchResult:
    branch: str
    created: bool
    base: str | None  # what a new branch was made from
    previous: str | None
    stashed: tuple[str, ...] = ()  # with force: changes that could not travel, kept in `git stash`

    @property
    def stash_note(self) -> str | None:
        """What a surface tells the user about stashed changes (None: nothing was stashed)."""
        if not self.stashed:
            return None
        back = f"`git switch {self.previous}` then " if self.previous else ""
        return (
            f"stashed your uncommitted {', '.join(self.stashed)}: {self.branch} has other versions of them; "
            f"{back}`git stash pop` brings them back"
        )


def _paths(root: Path, *args: str) -> list[str]:
    return [p for p in git(root, *args, "-z").stdout.split("\0") if p]


def blocking_changes(root: Path, target: str) -> list[str]:
    """Uncommitted changes git would refuse to carry to commit ``target``: changed tracked files that
    differ between HEAD and ``target``, and untracked files that ``target`` has."""
    if head_commit(root) is None:
        return []
    differ = set(_paths(root, "diff", "--name-only", "HEAD", target))
    changed = [p for p in _paths(root, "diff", "--name-only", "HEAD") if p in differ]
    in_target = set(_paths(root, "ls-tree", "-r", "--name-only", target))
    untracked = [p for p in _paths(root, "ls-files", "--others", "--exclude-standard") if p in in_target]
    return sorted({*changed, *untracked})


def check_branch_name(root: Path, name: str) -> None:
    if git(root, "check-ref-format", "--branch", name, check=False).returncode != 0:
        raise InvalidInput(
            f"{name!r} is not a valid git branch name",
            hint="A branch name has no spaces, '..', '~^:?*[' or '\\', and does not end in '.lock'.",
        )


def switch(
    root: Path, name: str, *, base: str, force: bool = False, anyway: hints.Action | None = None
) -> SwitchResult:
    """Switch to ``name``, creating it from ``base`` (else from HEAD) when it does not exist.

    Refuses when tracked files have uncommitted changes that would travel to the other branch,
    unless ``force``; untracked files (a new notebook) travel along as git always does. With
    ``force``, changes travel too, except those git cannot carry because the other branch has
    those files otherwise: they are stashed (``git stash list`` shows them) and reported.
    ``anyway``: the action that switches with ``force`` (the refusal's hint names it).
    """
    if not is_repo(root):
        raise InvalidInput(
            f"{root} is not a git repository",
            hint=hints.hint(
                "Make it a git repository (git init) or a DSLP project.", hints.INIT, directory=root
            ),
        )
    check_branch_name(root, name)
    previous = current_branch(root)
    if previous == name:
        return SwitchResult(name, False, None, previous)
    changes = changed_files(root)
    if changes and not force:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        raise Conflict(
            f"uncommitted changes would be carried over to {name}: {shown}",
            hint=hints.Hint(
                "Commit or stash them first (DSLP: commit before you switch), or switch anyway: "
                "the changes travel along.",
                anyway,
            ),
        )
    exists = branch_exists(root, name)
    start = None if exists else (base if branch_exists(root, base) else None)
    if start is None and not exists and head_commit(root) is None:  # no commit yet: rename the unborn branch
        git(root, "checkout", "-b", name)
        return SwitchResult(name, True, None, previous)
    target = name if exists else start
    stashed = blocking_changes(root, target) if force and target else []
    if stashed:
        message = f"jupyter-dsl: changes on {previous or 'a detached HEAD'} before switching to {name}"
        git(root, "stash", "push", "--include-untracked", "--message", message, "--", *stashed)
    try:
        git(root, "switch", *([name] if exists else ["-c", name, *([start] if start else [])]))
    except GitError:
        if stashed:  # put the changes back where they were; the error says why git refused
            git(root, "stash", "pop", "--index", check=False)
        raise
    return SwitchResult(name, not exists, None if exists else (start or previous), previous, tuple(stashed))


def ensure_ignored(root: Path, patterns: list[str]) -> list[str]:
    """Append the patterns missing from ``.gitignore`` (in its own line breaks); returns what was added.

    A pattern counts as present in any equivalent spelling (``.dsl``, ``/.dsl/``, ``.dsl/``).
    """
    path = root / ".gitignore"
    try:
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path} is not UTF-8 text", hint=f"Add {', '.join(patterns)} to it yourself."
        ) from exc
    present = {line.strip().strip("/") for line in text.splitlines()}
    missing = [p for p in patterns if p.strip("/") not in present]
    if missing:
        newline = "\r\n" if "\r\n" in text else "\n"
        prefix = "" if not text or text.endswith(("\n", "\r")) else newline
        write_text_atomic(path, text + prefix + newline.join(missing) + newline)
    return missing
