"""The git plumbing of issue refs, through the system ``git`` (so the user's config, credential helpers
and SSH agent apply): list ref tips, read commits in one ``cat-file`` process, append an operation with
``commit-tree`` and a compare-and-swap ``update-ref``."""

from __future__ import annotations

import getpass
import os
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ...errors import DslError
from ...project.gitrepo import GitError, git
from . import ISSUES_PREFIX
from .ops import MAX_OP_BYTES, BrokenHistory

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
ZERO = "0" * 40


class RefMoved(DslError):
    """Another writer moved the ref between reading it and updating it (compare-and-swap failed)."""


@dataclass(frozen=True)
class RawCommit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: bytes


class CommitReader:
    """One ``git cat-file --batch-command`` process: sizes are asked first, so an oversized object is
    refused without reading it."""

    def __init__(self, root: Path) -> None:
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch-command"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._in: IO[bytes] = self._process.stdin
        self._out: IO[bytes] = self._process.stdout

    def _ask(self, command: str, sha: str) -> list[str]:
        self._in.write(f"{command} {sha}\n".encode())
        self._in.flush()
        return self._out.readline().decode().split()

    def read(self, issue: str, sha: str) -> RawCommit:
        where = f"issue {issue[:12]}: commit {sha[:12]}"
        header = self._ask("info", sha)
        if len(header) != 3:
            raise BrokenHistory(f"{where} is missing from the repository")
        if header[1] != "commit":
            raise BrokenHistory(f"{where} is a {header[1]}, not a commit")
        if int(header[2]) > MAX_OP_BYTES:
            raise BrokenHistory(
                f"{where} is {int(header[2]):,} bytes (operations over {MAX_OP_BYTES:,} are refused)"
            )
        header = self._ask("contents", sha)
        size = int(header[2])
        body = self._out.read(size)
        self._out.read(1)  # the newline after the contents
        head, _, message = body.partition(b"\n\n")
        tree = ""
        parents: list[str] = []
        for line in head.split(b"\n"):
            if line.startswith(b"tree "):
                tree = line[5:].decode()
            elif line.startswith(b"parent "):
                parents.append(line[7:].decode())
        return RawCommit(header[0], tree, tuple(parents), message.rstrip(b"\n"))

    def close(self) -> None:
        self._in.close()
        self._out.close()
        self._process.wait()


class RefStore:
    """The issue refs of the repository at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._env: dict[str, str] | None = None
        self._author: str | None = None
        self._lock = threading.Lock()

    def git(self, *args: str, stdin: str | None = None, check: bool = True) -> str:
        return git(self.root, *args, stdin=stdin, check=check, env=self._identity(), hint="").stdout

    def tips(self, prefix: str = ISSUES_PREFIX) -> dict[str, str]:
        """``{name after prefix: commit}`` of every ref under ``prefix``."""
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)", prefix)
        tips = {}
        for line in out.splitlines():
            ref, _, sha = line.partition(" ")
            tips[ref[len(prefix) :]] = sha
        return tips

    @contextmanager
    def reader(self) -> Iterator[CommitReader]:
        reader = CommitReader(self.root)
        try:
            yield reader
        finally:
            reader.close()

    def author(self) -> str:
        """The name of whoever writes here: git's user.name (or the fallback identity)."""
        if self._author is None:
            ident = git(self.root, "var", "GIT_AUTHOR_IDENT", check=False, env=self._identity()).stdout
            self._author = ident.split(" <", 1)[0].strip()
        return self._author

    def _identity(self) -> dict[str, str]:
        """git's environment; when git knows no identity (a fresh machine, the offline demo), the login
        name stands in, so writing an issue never fails for want of ``user.name``."""
        with self._lock:
            if self._env is None:
                env = dict(os.environ)
                known = (
                    subprocess.run(
                        ["git", "var", "GIT_AUTHOR_IDENT"],
                        cwd=self.root,
                        capture_output=True,
                        env=env,
                        check=False,
                    ).returncode
                    == 0
                    and subprocess.run(
                        ["git", "var", "GIT_COMMITTER_IDENT"],
                        cwd=self.root,
                        capture_output=True,
                        env=env,
                        check=False,
                    ).returncode
                    == 0
                )
                if not known:
                    name = _login()
                    for role in ("AUTHOR", "COMMITTER"):
                        env.setdefault(f"GIT_{role}_NAME", name)
                        env.setdefault(f"GIT_{role}_EMAIL", f"{name}@localhost.invalid")
                self._env = env
            return self._env

    def commit(self, message: str, parents: Sequence[str]) -> str:
        """A commit of ``message`` on the empty tree (operations live in messages, never in files)."""
        args = ["commit-tree", EMPTY_TREE]
        for parent in parents:
            args += ["-p", parent]
        return self.git(*args, stdin=message + "\n").strip()

    def update_ref(self, ref: str, new: str, old: str | None) -> None:
        """Move ``ref`` to ``new`` only if it is still at ``old`` (None: it must not exist)."""
        try:
            self.git("update-ref", "-m", "jupyter-dsl", ref, new, old or ZERO)
        except GitError as exc:
            raise RefMoved(f"{ref} moved while it was written: {exc.message}") from exc

    def ensure_empty_tree(self) -> None:
        self.git("mktree", stdin="")


def _login() -> str:
    try:
        return getpass.getuser() or "jupyter-dsl"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "jupyter-dsl"
