"""``jupyter dsl site``: every Ask of the project as a static, offline site (``index.html`` and one
``ask-<N>.html`` per Ask, relative links, figures inline), rebuilt incrementally.

Incremental: each page has a stamp of everything it shows (the Ask and its work as the tracker has
them, the run index's stamp of each issue's runs, its batches, its linked notebooks, its findings
files and Explore branches, the templates). A page whose stamp is the one recorded in the site's
manifest, and whose file is still what was written, is not built again; a built page is written only
when its text differs from the file on disk. An unchanged project rewrites nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InvalidInput
from ..findings.redact import Redactor
from ..project import gitrepo
from ..project.atomic_write import write_text_atomic
from ..project.settings import Project
from ..runs.store import RunQuery
from ..trackers import Issue, Tracker
from .collect import CACHE, ProjectView, build_story, members, project_view
from .export import project_redactor
from .render import TEMPLATES, render_index, render_story

INDEX = "index.html"


@dataclass
class SiteReport:
    directory: Path
    pages: list[str]  # every page of the site, the index first
    written: list[str] = field(default_factory=list)  # the pages this build wrote
    removed: list[str] = field(default_factory=list)  # pages of Asks that are gone

    def to_json(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "pages": self.pages,
            "written": self.written,
            "removed": self.removed,
        }


def page_name(ask: int) -> str:
    return f"ask-{ask}.html"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _templates_digest() -> str:
    files = sorted(TEMPLATES.glob("*.j2"))
    return _digest([__version__, *[(f.name, f.read_text(encoding="utf-8")) for f in files]])


def _explore_branches(project: Project) -> dict[str, str]:
    if not gitrepo.is_repo(project.root):
        return {}
    listed = gitrepo.git(
        project.root,
        "for-each-ref",
        "--format=%(refname:short) %(objectname)",
        "refs/heads/explore/",
        check=False,
    )
    return dict(line.split(" ", 1) for line in listed.stdout.splitlines() if " " in line)


def _findings_files(project: Project, numbers: list[int]) -> list[tuple[str, int, int]]:
    folder = Path(project.resolve(project.settings.findings.dir))
    found: list[tuple[str, int, int]] = []
    for number in numbers:
        for path in sorted(folder.glob(f"{number}-*")):
            for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
                stat = file.stat()
                found.append((file.name, stat.st_mtime_ns, stat.st_size))
    return found


def _shown(issue: Issue) -> tuple[object, ...]:
    """What a page shows of an issue (cheaper than ``to_json``, which the stamps of every Ask would pay)."""
    return (
        issue.number,
        issue.title,
        issue.body,
        issue.state,
        issue.labels,
        issue.url,
        issue.created_at,
        issue.updated_at,
        issue.closed_at,
    )


def ask_stamp(view: ProjectView, ask: Issue, work: list[Issue], branches: dict[str, str], common: str) -> str:
    """Changes whenever anything the Ask's page shows may have changed."""
    numbers = [ask.number, *[issue.number for issue in work]]
    runs = [view.store.stamp(RunQuery(issue=n)) if view.store is not None else "" for n in numbers]
    notebooks = [(path, link.to_json()) for path, link in view.notebooks if link.issue.number in numbers]
    paths = {path for path, _ in notebooks}
    batches = [b for b in view.batches.values() if b["notebook"] in paths]
    prefixes = tuple(f"explore/{n}-" for n in numbers)
    explore = sorted((name, sha) for name, sha in branches.items() if name.startswith(prefixes))
    issues = [_shown(issue) for issue in [ask, *work]]
    findings = _findings_files(view.project, numbers[1:])
    return _digest([common, issues, runs, notebooks, batches, explore, findings])


def build_site(
    project: Project,
    tracker: Tracker,
    out: Path,
    *,
    redactor: Redactor | None = None,
    full: bool = False,
) -> SiteReport:
    """Build (or bring up to date) the site in ``out``; ``full`` builds every page again (it still
    writes only the pages whose text changed). The index is rendered every time (it is small)."""
    directory = out.resolve()
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"{directory} is not a folder", hint="Give --out a folder for the site.")
    redactor = redactor or project_redactor(project)
    manifest_path = _manifest_path(project, directory)
    manifest = _read_manifest(manifest_path)
    common = _digest([_templates_digest(), str(directory), project.settings.findings.dir, redactor.secrets])
    pages: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    with project_view(project, tracker) as view:
        branches = _explore_branches(project)
        for ask in view.asks():
            name = page_name(ask.number)
            work = members(view, ask)
            stamp = ask_stamp(view, ask, work, branches, common)
            known = manifest.get(name)
            on_disk = _file_digest(directory / name) if known else None
            if not full and known and known.get("stamp") == stamp and on_disk == known.get("sha256"):
                pages[name] = known
                continue
            story = build_story(view, ask.number)
            text = render_story(
                story, "html", root=project.root, directory=directory, redactor=redactor, index_href=INDEX
            ).text
            texts[name] = text
            entry = {
                "number": ask.number,
                "title": story.title,
                "state": story.state,
                "open": sum(1 for issue in story.work if issue.state == "open"),
                "closed": sum(1 for issue in story.work if issue.state != "open"),
                "last_activity": story.last_activity[:19].replace("T", " "),
                "href": name,
            }
            pages[name] = {"stamp": stamp, "sha256": _digest_text(text), "entry": entry}
    title = f"{project.root.name}: every Ask"
    texts[INDEX] = render_index([page["entry"] for page in pages.values()], title, redactor)
    report = SiteReport(directory, [INDEX, *pages])
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        if _file_digest(directory / name) != _digest_text(text):
            write_text_atomic(directory / name, text)
            report.written.append(name)
    for name in sorted(set(manifest) - set(pages)):
        (directory / name).unlink(missing_ok=True)
        report.removed.append(name)
    if manifest != pages:
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(manifest_path, json.dumps(pages, indent=1, sort_keys=True) + "\n")
    return report


def _digest_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _manifest_path(project: Project, directory: Path) -> Path:
    """What the last build of the site in ``directory`` wrote: kept under the project's ``.dsl/`` (the
    stamps cover the secrets scrubbed, so they are never published with the site)."""
    return project.database_path.parent / CACHE / f"site-{_digest(str(directory))[:16]}.json"


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(v, dict) and k.startswith("ask-")}
        if isinstance(data, dict)
        else {}
    )
