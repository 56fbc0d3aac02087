"""An Explore's committed findings summary (``complete`` writes it as ``<N>-<slug>.md`` under
``[findings] dir``, its figures in ``<N>-<slug>_files/``), read back for the story: TL;DR, goals,
insights with their figures, and where it came from (the file, the notebook, the commit).

The file is taken from the working tree when it is there, else from the issue's Explore branch (an
Explore branch is never merged: its commit is the record)."""

from __future__ import annotations

import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..project import gitrepo
from ..project.settings import Project
from .model import Figure, Findings, Goal, Insight, Link

_MIMES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)")
_TLDR = re.compile(r"^\*\*TL;DR:\*\*[ \t]*(?P<text>.*)$", re.MULTILINE)
_INSIGHT = re.compile(r"^### Insight (?P<n>\d+): (?P<title>.*)$", re.MULTILINE)
_GOAL = re.compile(r"^- \[(?P<mark>[ xX])\] (?P<text>.*?)(?: \(answered by [^)]*\))?[ \t]*$", re.MULTILINE)
_PROVENANCE = re.compile(r"^- (?P<key>Notebook|Commit): `(?P<value>[^`]*)`", re.MULTILINE)


@dataclass
class SummaryFile:
    path: str  # relative to the project root
    text: str
    ref: str | None  # the branch it was read from; None: the working tree
    commit: str | None  # the commit that last wrote it

    def read_bytes(self, root: Path, relative: str) -> bytes | None:
        """A file beside the summary (a figure), from where the summary itself was read."""
        if self.ref is None:
            target = root / relative
            return target.read_bytes() if target.is_file() else None
        result = subprocess.run(
            ["git", "show", f"{self.ref}:{relative}"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        return result.stdout if result.returncode == 0 else None


def _findings_dir(project: Project) -> str:
    folder = Path(project.resolve(project.settings.findings.dir))
    try:
        return folder.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return ""


def _last_commit(root: Path, path: str, ref: str) -> str | None:
    args = ["log", "-1", "--format=%H", ref, "--", path]
    result = gitrepo.git(root, *args, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def last_commits(project: Project) -> dict[str, str] | None:
    """The commit that last changed each file of ``[findings] dir`` in HEAD's history (one ``git log``
    for every summary of the project); None outside a git repository."""
    if not gitrepo.is_repo(project.root):
        return None
    folder = _findings_dir(project)
    if not folder:
        return {}
    listed = gitrepo.git(
        project.root, "log", "--format=%x00%H", "--name-only", "--", f"{folder}/", check=False
    )
    found: dict[str, str] = {}
    commit = ""
    for line in listed.stdout.splitlines():
        if line.startswith("\0"):
            commit = line[1:]
        elif line.strip():
            found.setdefault(line.strip(), commit)
    return found


def find_summary(
    project: Project, number: int, branches: list[str], commits: dict[str, str] | None
) -> SummaryFile | None:
    """Issue ``number``'s committed summary: in the working tree, else on one of ``branches``.
    ``commits``: ``last_commits`` of the project (None: it is in no git repository)."""
    folder = _findings_dir(project)
    if not folder:
        return None
    on_disk = sorted((project.root / folder).glob(f"{number}-*.md"))
    if on_disk:
        path = f"{folder}/{on_disk[0].name}"
        commit = commits.get(path) if commits is not None else None
        return SummaryFile(path, on_disk[0].read_text(encoding="utf-8"), None, commit)
    if commits is None:
        return None
    for branch in branches:
        listed = gitrepo.git(project.root, "ls-tree", "--name-only", branch, f"{folder}/", check=False)
        names = sorted(
            n for n in listed.stdout.split() if re.fullmatch(rf"{re.escape(folder)}/{number}-.*\.md", n)
        )
        if listed.returncode == 0 and names:
            text = gitrepo.file_at(project.root, branch, names[0])
            if text is not None:
                return SummaryFile(names[0], text, branch, _last_commit(project.root, names[0], branch))
    return None


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}[ \t]*$", text, re.MULTILINE)
    if match is None:
        return ""
    rest = text[match.end() :]
    end = re.search(r"^## ", rest, re.MULTILINE)
    return rest[: end.start() if end else len(rest)].strip()


def _placeholder(text: str) -> bool:
    return text.startswith("_") and text.endswith("_")


def read_findings(project: Project, found: SummaryFile, number: int) -> Findings:
    """Parse the summary file (our own Markdown template's shape) into the story's ``Findings``."""
    text = found.text
    provenance = {m["key"]: m["value"] for m in _PROVENANCE.finditer(_section(text, "Provenance"))}
    commit = found.commit or provenance.get("Commit")
    on_branch = f"{found.path} (on {found.ref})" if found.ref else found.path
    sources = [Link(on_branch, "findings", path=None if found.ref else found.path)]
    if provenance.get("Notebook"):
        sources.append(Link(provenance["Notebook"], "notebook", path=provenance["Notebook"]))
    if commit:
        sources.append(Link(commit[:10], "commit", title=commit))
    tldr_match = _TLDR.search(text)
    goals = [Goal(m["text"].strip(), m["mark"] != " ") for m in _GOAL.finditer(_section(text, "Goals"))]
    discovered = _section(text, "What was discovered during this exploration?")
    heads = list(_INSIGHT.finditer(discovered))
    insights: list[Insight] = []
    base = posixpath.dirname(found.path)
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(discovered)
        body = discovered[head.end() : end].strip()
        figures: list[Figure] = []
        for k, image in enumerate(_IMAGE.finditer(body), start=1):
            shown = image["path"]
            if "://" in shown:  # a forge's address of the committed figure: the same file in the repository
                shown = "/".join(shown.split("/")[-2:])
            relative = posixpath.normpath(posixpath.join(base, shown))
            mime = _MIMES.get(relative.rsplit(".", 1)[-1].lower())
            data = (
                found.read_bytes(project.root, relative) if mime and not relative.startswith("..") else None
            )
            if data is None or mime is None:
                continue
            name = f"issue-{number}-insight-{head['n']}-{k}.{relative.rsplit('.', 1)[-1].lower()}"
            figures.append(Figure(name, mime, data, image["alt"] or head["title"], list(sources)))
        description = _IMAGE.sub("", body).strip()
        insights.append(Insight(int(head["n"]), head["title"].strip(), description, figures))
    tldr = tldr_match["text"].strip() if tldr_match else ""
    return Findings(tldr, insights, [] if goals and _placeholder(goals[0].text) else goals, sources)
