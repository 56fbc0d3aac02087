"""``jupyter dsl init``: turn a directory into a DSLP project without touching what is there.

It commits only in a repository it made itself, and then only the files it wrote: a repository with
history is the user's to commit to (the report lists what to add).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dslp.templates import TEMPLATES, template_file
from ..errors import Conflict
from ..runs.inside_run import refuse_inside_run
from . import gitrepo
from .atomic_write import write_text_atomic
from .settings import CONFIG_NAME, DEFAULT_CONFIG, load_settings

IGNORED = [".dsl/", "data/", "models/", ".ipynb_checkpoints/"]  # .ipynb_checkpoints/: JupyterLab's autosaves
TEMPLATE_DIR = Path(".github") / "ISSUE_TEMPLATE"
COMMIT_MESSAGE = "Start a DSLP project (jupyter dsl init)"


@dataclass
class InitReport:
    root: Path
    created: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existed and differ: left alone (use --force)
    ignored: list[str] = field(default_factory=list)  # patterns added to .gitignore
    gitignore_created: bool = False
    git_initialized: bool = False
    committed: str | None = None  # the commit of its own files, in a repository it made
    commit_skipped: str | None = None  # why a repository it made has no commit yet

    @property
    def changed(self) -> bool:
        return bool(self.created or self.overwritten or self.ignored or self.git_initialized)

    @property
    def own_files(self) -> list[str]:
        """The files this init wrote whole: the only ones it may stage (an appended .gitignore is not)."""
        return [*self.created, *self.overwritten, *([".gitignore"] if self.gitignore_created else [])]

    def to_json(self, path_of: Callable[[Path], str | None] = str) -> dict[str, Any]:
        """``path_of`` shows the root (the server gives API paths)."""
        return {
            "root": path_of(self.root),
            "created": self.created,
            "overwritten": self.overwritten,
            "kept": self.kept,
            "ignored": self.ignored,
            "git_initialized": self.git_initialized,
            "committed": self.committed,
            "commit_skipped": self.commit_skipped,
            "changed": self.changed,
        }

    def lines(self) -> list[str]:
        """What this init did, a line each, as `jupyter dsl init` and `%dsl init` say it."""
        said = [f"initialized a git repository in {self.root}"] if self.git_initialized else []
        said += [f"created   {name}" for name in self.created]
        said += [f"replaced  {name}" for name in self.overwritten]
        said += [f"kept      {name} (yours differs; a forced init replaces it)" for name in self.kept]
        if self.ignored:
            said.append(f"ignored   {', '.join(self.ignored)} in .gitignore")
        if self.committed:
            said.append(f"committed {', '.join(self.own_files)} ({self.committed[:7]})")
        elif self.commit_skipped:
            said.append(f"not committed: {self.commit_skipped}")
        if not self.changed:
            said.append(f"{self.root} is already a DSLP project; nothing changed")
        elif not self.committed and self.changed_files and gitrepo.is_repo(self.root):
            said.append(f"commit them: git add {' '.join(self.changed_files)} && git commit")
        return said

    @property
    def changed_files(self) -> list[str]:
        """Every file this init wrote or appended to (what the user commits when init does not)."""
        appended = self.ignored and not self.gitignore_created
        return [*self.own_files, *([".gitignore"] if appended else [])]


def init_project(
    directory: Path,
    *,
    templates: bool = False,
    force: bool = False,
    git: bool = True,
    name: str | None = None,
    commit: bool = False,
) -> InitReport:
    """Write ``dsl.toml``, ignore ``.dsl/``, ``data/``, ``models/`` and ``.ipynb_checkpoints/``, optionally
    the issue templates.

    A file that exists is never overwritten without ``force``; running twice changes nothing.
    ``commit``: when this call ran ``git init``, commit the files it wrote (and nothing else), so that
    ``main`` exists for DSLP branches to start from.
    """
    refuse_inside_run("create projects")
    root = directory.expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    report = InitReport(root)
    if git and not gitrepo.is_repo(root):
        gitrepo.init(root)
        report.git_initialized = True
    toml_text = json.dumps(name or root.name, ensure_ascii=False)[1:-1]  # JSON string escapes are TOML's
    files = {CONFIG_NAME: DEFAULT_CONFIG.format(name=toml_text)}
    if templates:
        for template in TEMPLATES:
            files[(TEMPLATE_DIR / f"{template.key}.md").as_posix()] = template_file(template)
    for relative, text in files.items():
        _write(root, relative, text, force, report)
    load_settings(root / CONFIG_NAME)  # a kept dsl.toml must still be valid: say so now, not later
    report.gitignore_created = not (root / ".gitignore").exists()
    report.ignored = gitrepo.ensure_ignored(root, IGNORED)
    report.gitignore_created = report.gitignore_created and bool(report.ignored)
    if commit and report.git_initialized:
        if gitrepo.has_identity(root):
            report.committed = gitrepo.commit_files(root, report.own_files, COMMIT_MESSAGE)
        else:
            report.commit_skipped = "git does not know who you are (user.name, user.email)"
    return report


def _write(root: Path, relative: str, text: str, force: bool, report: InitReport) -> None:
    path = root / relative
    if path.exists() and not path.is_file():
        raise Conflict(f"{path} exists and is not a file", hint="Move it away and run init again.")
    if path.exists():
        if path.read_text(encoding="utf-8", errors="replace") == text:
            return
        if not force:
            report.kept.append(relative)
            return
        report.overwritten.append(relative)
    else:
        report.created.append(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
