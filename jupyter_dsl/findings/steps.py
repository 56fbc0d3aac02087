"""The steps that complete an issue. Each says what it does, checks whether it is already done and
does it; ``--dry-run`` runs the same steps and only calls ``describe()`` and ``detail()``, and a
rerun after a failure skips what is done and finishes the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..dslp import checklists
from ..notebook import document
from ..notebook.document import NotebookLink
from ..project import gitrepo
from ..trackers import PullRequests, Tracker
from .render import Rendered

COMMENT_MARKER = "<!-- jupyter-dsl:findings {notebook} -->"
IMAGE_FILE = ("insight-", (".png", ".jpg", ".gif", ".svg"))


class Step:
    def describe(self) -> str:
        raise NotImplementedError

    def detail(self) -> str:
        """What exactly is written or posted (shown by --dry-run); "" when the description says it all."""
        return ""

    def is_done(self) -> bool:
        raise NotImplementedError

    def apply(self) -> None:
        raise NotImplementedError


def _our_images(folder: Path) -> list[Path]:
    prefix, suffixes = IMAGE_FILE
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(prefix) and p.suffix in suffixes)


@dataclass
class WriteSummary(Step):
    directory: Path
    name: str  # <stem>.md
    rendered: Rendered
    root: Path

    @property
    def paths(self) -> list[Path]:
        return [self.directory / self.name, *(self.directory / f for f in sorted(self.rendered.files))]

    @property
    def images(self) -> Path:
        return self.directory / (Path(self.name).stem + "_files")

    def _stale(self) -> list[Path]:
        keep = set(self.paths)
        return [p for p in _our_images(self.images) if p not in keep]

    def describe(self) -> str:
        where = self.paths[0].relative_to(self.root).as_posix()
        extra = f" and {len(self.rendered.files)} image(s) beside it" if self.rendered.files else ""
        stale = f", removing {len(self._stale())} image(s) it wrote before" if self._stale() else ""
        return f"write {where}{extra}{stale}"

    def detail(self) -> str:
        sizes = [f"{p.relative_to(self.root).as_posix()} ({len(self.rendered.files[f])} bytes)"
                 for p, f in zip(self.paths[1:], sorted(self.rendered.files), strict=True)]  # fmt: skip
        return self.rendered.text + ("\n" + "\n".join(sizes) if sizes else "")

    def is_done(self) -> bool:
        main = self.paths[0]
        if not main.is_file() or main.read_bytes().decode("utf-8", "replace") != self.rendered.text:
            return False
        files = zip(self.paths[1:], sorted(self.rendered.files), strict=True)
        same = all(p.is_file() and p.read_bytes() == self.rendered.files[f] for p, f in files)
        return same and not self._stale()

    def apply(self) -> None:
        for stale in self._stale():
            stale.unlink()
        self.rendered.write(self.directory, self.name)


@dataclass
class CommitSummary(Step):
    root: Path
    write: WriteSummary
    message: str

    def _pathspecs(self) -> list[str]:
        specs = [self.write.paths[0].relative_to(self.root).as_posix()]
        images = self.write.images.relative_to(self.root).as_posix()
        known = gitrepo.git(self.root, "ls-files", "--", images, check=False).stdout.strip()
        if self.write.images.exists() or known:
            specs.append(images)
        return specs

    def describe(self) -> str:
        branch = gitrepo.current_branch(self.root) or "the detached HEAD"
        return f"commit {', '.join(self._pathspecs())} (only these) on {branch}: {self.message!r}"

    def is_done(self) -> bool:
        if not self.write.is_done():
            return False  # a dry run: the summary it would write is not committed yet
        specs = self._pathspecs()
        status = gitrepo.git(self.root, "status", "--porcelain", "--untracked-files=all", "--", *specs)
        tracked = gitrepo.git(self.root, "ls-files", "--", specs[0], check=False).stdout.strip()
        return not status.stdout.strip() and bool(tracked)

    def apply(self) -> None:
        gitrepo.commit_files(self.root, self._pathspecs(), self.message)


@dataclass
class PushBranch(Step):
    """Push the branch the summary was committed on, so that the forge serves the figures the
    findings comment shows (an Explore branch is never merged: it stays the record)."""

    commit: CommitSummary
    remote: str
    branch: str

    def describe(self) -> str:
        return f"push {self.branch} to {self.remote} (the comment's figures are served from there)"

    def is_done(self) -> bool:
        """Whether the remote branch (as git last saw it) holds the summary's last commit."""
        if not self.commit.is_done():
            return False  # a dry run: the commit it would push is not made yet
        root = self.commit.root
        summary = self.commit.write.paths[0].relative_to(root).as_posix()
        last = gitrepo.git(root, "log", "-1", "--format=%H", "--", summary, check=False).stdout.strip()
        remote = f"refs/remotes/{self.remote}/{self.branch}"
        if not last or gitrepo.git(root, "rev-parse", "--verify", "--quiet", remote, check=False).returncode:
            return False
        return gitrepo.git(root, "merge-base", "--is-ancestor", last, remote, check=False).returncode == 0

    def apply(self) -> None:
        gitrepo.push(self.commit.root, self.remote, self.branch)


@dataclass
class PostComment(Step):
    tracker: Tracker
    number: int
    marker: str
    body: str  # starts with the marker

    def _existing(self) -> tuple[int, str] | None:
        for note in self.tracker.comments(self.number):
            if note.body.startswith(self.marker):
                return note.id, note.body
        return None

    def describe(self) -> str:
        existing = self._existing()
        verb = "update the findings comment" if existing else "post the findings as a comment"
        return f"{verb} on #{self.number}"

    def detail(self) -> str:
        return self.body

    def is_done(self) -> bool:
        existing = self._existing()
        return existing is not None and existing[1] == self.body

    def apply(self) -> None:
        existing = self._existing()
        if existing is None:
            self.tracker.comment(self.number, self.body)
        else:
            self.tracker.edit_comment(self.number, existing[0], self.body)


@dataclass
class EditBody(Step):
    """Change one line of an issue's body (an Ask's checklist line, an Experiment's TL;DR)."""

    tracker: Tracker
    number: int
    what: str  # "add ... to Ask #1's Understanding and Exploration"
    line: Callable[[], str]
    edit: Callable[[str, str], str]  # (body, line) -> new body

    def describe(self) -> str:
        return f"{self.what}: {self.line()}"

    def is_done(self) -> bool:
        body = self.tracker.get(self.number).body
        return self.edit(body, self.line()) == body

    def apply(self) -> None:
        body = self.tracker.get(self.number).body
        self.tracker.edit(self.number, body=self.edit(body, self.line()))


def issue_line_editor(heading: str, number: Callable[[], int]) -> Callable[[str, str], str]:
    return lambda body, line: checklists.set_issue_line(body, heading, number(), line)


@dataclass
class SetLabel(Step):
    tracker: Tracker
    number: int
    label: str
    instead_of: str

    def describe(self) -> str:
        other = self.tracker.get(self.number).labels
        removal = f" (removing {self.instead_of!r})" if self.instead_of in other else ""
        return f"label #{self.number} {self.label!r}{removal}"

    def is_done(self) -> bool:
        labels = self.tracker.get(self.number).labels
        return self.label in labels and self.instead_of not in labels

    def apply(self) -> None:
        if self.instead_of in self.tracker.get(self.number).labels:
            self.tracker.remove_labels(self.number, [self.instead_of])
        self.tracker.add_labels(self.number, [self.label])


@dataclass
class CloseIssue(Step):
    tracker: Tracker
    number: int

    def describe(self) -> str:
        return f"close #{self.number} as completed"

    def is_done(self) -> bool:
        return self.tracker.get(self.number).state == "closed"

    def apply(self) -> None:
        self.tracker.close(self.number, "completed")


@dataclass
class ClosePullRequest(Step):
    tracker: PullRequests  # only a tracker that has pull requests gets this step
    number: int
    pull: int

    def describe(self) -> str:
        return f"close pull request #{self.pull} of #{self.number} without merging it"

    def is_done(self) -> bool:
        found = self.tracker.pull_request(self.number)
        return found is None or found.state == "closed"

    def apply(self) -> None:
        self.tracker.close_pull_request(self.pull)


@dataclass
class MarkNotebook(Step):
    path: Path
    link: NotebookLink  # the completed link
    shown: str  # the notebook as the user named it
    apply_link: Callable[[Path, NotebookLink], None] = field(default=document.set_link)

    def describe(self) -> str:
        stamp = self.link.completed_at
        return f"set {self.shown} metadata.jupyter_dsl.status = complete (completed_at {stamp})"

    def is_done(self) -> bool:
        current = document.get_link(self.path)
        return current is not None and current.status == "complete"

    def apply(self) -> None:
        self.apply_link(self.path, self.link)
