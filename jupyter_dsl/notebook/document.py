"""Notebook files: read and validate them (nbformat), edit them in place, and the issue link they carry.

``edit`` is the one way jupyter-dsl changes a notebook: a splice of the file's text (see
``json_splice``) that must read back as a valid notebook holding exactly the change asked for,
written through an atomic rename. The link (``metadata.jupyter_dsl``) is edited here, the
parameters tag in ``cell_tags``; a malformed or foreign-formatted notebook is never damaged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import nbformat

from ..errors import InvalidInput, NotFound
from ..project.atomic_write import write_text_atomic
from ..runs.inside_run import refuse_inside_run
from . import json_splice

METADATA_KEY = "jupyter_dsl"
PARAMETERS_TAG = "parameters"
T = TypeVar("T")


@dataclass(frozen=True)
class IssueRef:
    tracker: str
    number: int
    type: str | None
    title: str
    url: str = ""


@dataclass(frozen=True)
class NotebookLink:
    """What ``metadata.jupyter_dsl`` holds. The tracker is the truth; this is a cache of it."""

    issue: IssueRef
    ask: int | None = None
    branch: str = ""
    status: str = "active"  # "active" | "complete"
    completed_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys later versions add, kept as they are
    # the issue's stable id where its number may change (local issues in git refs: a sync renumbers an
    # issue two clones both numbered #N); written as ``issue_id`` beside ``issue`` when known. Not part
    # of equality: the same issue linked with or without it is the same link.
    issue_id: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k not in ("extra", "issue_id")}
        return {**self.extra, **data, **({"issue_id": self.issue_id} if self.issue_id else {})}

    @classmethod
    def from_json(cls, data: Any, source: str = "notebook") -> NotebookLink:
        try:
            issue = data["issue"]
            ref = IssueRef(
                tracker=str(issue["tracker"]),
                number=int(issue["number"]),
                type=issue.get("type"),
                title=str(issue.get("title", "")),
                url=str(issue.get("url", "") or ""),
            )
            known = {"issue", "ask", "branch", "status", "completed_at", "issue_id"}
            return cls(
                issue=ref,
                ask=int(data["ask"]) if data.get("ask") is not None else None,
                branch=str(data.get("branch", "") or ""),
                status=str(data.get("status", "active")),
                completed_at=data.get("completed_at"),
                extra={k: v for k, v in data.items() if k not in known},
                issue_id=str(data["issue_id"]) if data.get("issue_id") else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput(
                f"{source}: metadata.{METADATA_KEY} is not a valid link ({exc!s})",
                hint="Unlink and link the notebook again.",
            ) from exc


def check_notebook_path(path: Path) -> Path:
    if not path.exists():
        raise NotFound(f"notebook {path} not found")
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a notebook")
    if path.suffix.lower() != ".ipynb":
        raise InvalidInput(f"{path} is not a notebook (.ipynb)", hint="Only Jupyter notebooks can be linked.")
    return path


def read_text(path: Path) -> str:
    check_notebook_path(path)
    try:
        return path.read_bytes().decode("utf-8")  # line breaks as they are: CRLF stays CRLF
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not a valid notebook: not UTF-8 text ({exc.reason})") from exc


OLD_FORMAT_HINT = (
    "Save it once in JupyterLab (it saves nbformat 4) or convert it: "
    "jupyter nbconvert --to notebook --inplace NOTEBOOK"
)


def parse(text: str, source: str, *, upgrade: bool = True) -> nbformat.NotebookNode:
    """Parse and validate notebook text; any problem is an ``InvalidInput`` naming the file.

    A notebook of an older nbformat (1 to 3) is converted to version 4 in memory (never written),
    as Jupyter's own readers do; with ``upgrade=False`` (an edit in place) it is refused instead."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput(f"{source} is not a valid notebook: invalid JSON at {where}: {exc.msg}") from exc
    version = raw.get("nbformat") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput(f"{source} is not a valid notebook: no 'nbformat' version number at the top level")
    if version > 4 or version < 1:
        raise InvalidInput(f"{source} is not a valid notebook: Jupyter reads no nbformat {version}")
    if version == 4 and "cells" not in raw:
        raise InvalidInput(f"{source} is not a valid notebook: no 'cells' at the top level")
    if not isinstance(raw.get("metadata", {}), dict):
        raise InvalidInput(f"{source} is not a valid notebook: 'metadata' is not an object")
    import nbformat  # imported on first use: its JSON-schema stack costs seconds at CLI start

    try:
        as_version = 4 if version < 4 else nbformat.NO_CONVERT
        node: nbformat.NotebookNode = nbformat.reads(text, as_version=as_version)
        if version < 4:  # the converters answer their own node class: make it the one everyone checks for
            node = nbformat.from_dict(node)
        nbformat.validate(node)
    except Exception as exc:  # nbformat raises ValidationError, NotJSONError, ValueError...
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(f"{source} is not a valid notebook: {message}") from exc
    if version < 4 and not upgrade:
        raise InvalidInput(
            f"{source} is an nbformat {version} notebook: jupyter-dsl changes nbformat 4 notebooks only",
            hint=OLD_FORMAT_HINT,
        )
    return node


def read(path: Path) -> nbformat.NotebookNode:
    return parse(read_text(path), str(path))


def get_link(path: Path) -> NotebookLink | None:
    node = read(path)
    data = node.metadata.get(METADATA_KEY)
    return None if data is None else NotebookLink.from_json(data, str(path))


def link_from_metadata(metadata: dict[str, Any], source: str = "notebook") -> NotebookLink | None:
    data = metadata.get(METADATA_KEY)
    return None if data is None else NotebookLink.from_json(data, source)


def edit(
    path: Path,
    splice: Callable[[str, nbformat.NotebookNode], tuple[str, T]],
    *,
    verify: Callable[[nbformat.NotebookNode], bool],
    what: str,
    write: bool = True,
) -> T:
    """Change one piece of the notebook at ``path`` and leave every other byte as it was.

    ``splice(text, node)`` gets the file's text and its parsed notebook, and returns the new text
    (built with ``json_splice``) and a result for the caller; it raises a ``DslError`` to refuse.
    The new text must read back as a valid notebook in which ``verify`` holds (the change landed
    where parsers read it, e.g. not in a shadowed duplicate key); only then is it written, through
    an atomic rename. Nothing is written when the text does not change. ``what`` names the piece
    in errors ("metadata.jupyter_dsl"). ``write=False`` checks all of that and the folder's write
    permission, and writes nothing: a command calls it before its first write.
    """
    if write:
        refuse_inside_run("change notebook files")
    text = read_text(path)
    node = parse(text, str(path), upgrade=False)  # refuse (and leave untouched) anything else
    try:
        new, result = splice(text, node)
    except ValueError as exc:  # json_splice could not follow the text that nbformat read
        raise InvalidInput(f"{path}: cannot edit {what} in place ({exc})") from exc
    if new == text:
        return result
    if not verify(parse(new, str(path), upgrade=False)):  # never write what does not read back as asked
        raise InvalidInput(f"{path}: cannot edit {what} in place (duplicate JSON keys?)")
    if not write:
        folder = path.resolve().parent
        if not os.access(folder, os.W_OK):  # the atomic rename writes a temporary file beside it
            raise InvalidInput(f"cannot write {path}: its folder {folder} is not writable")
        return result
    write_text_atomic(path, new)
    return result


def _metadata_object(text: str) -> json_splice.ObjectSpan | None:
    """The top-level ``metadata`` object (the last one: the one parsers read); None without one."""
    member = json_splice.scan_object(text, 0).member("metadata")
    return None if member is None else json_splice.scan_object(text, member.value_start)


def _spliced(text: str, value: dict[str, Any] | None) -> str:
    """``text`` with ``metadata.jupyter_dsl`` set to ``value`` (or removed for None), nothing else."""
    meta = _metadata_object(text)
    if meta is None:
        if value is None:
            return text
        return json_splice.set_member(
            text, json_splice.scan_object(text, 0), "metadata", {METADATA_KEY: value}
        )
    if value is not None:
        return json_splice.set_member(text, meta, METADATA_KEY, value)
    while meta is not None and meta.member(METADATA_KEY) is not None:  # every duplicate goes
        text = json_splice.delete_member(text, meta, METADATA_KEY)
        meta = _metadata_object(text)
    return text


def set_link(path: Path, link: NotebookLink, *, write: bool = True) -> None:
    """Write the link into ``metadata.jupyter_dsl``; every other byte of the file stays as it was.

    ``write=False`` raises what writing would raise, and writes nothing (a command checks this
    before its first write, e.g. before creating the issue it then links).
    """
    value = link.to_json()
    edit(
        path,
        lambda text, node: (_spliced(text, value), None),
        verify=lambda node: node.metadata.get(METADATA_KEY) == value,
        what=f"metadata.{METADATA_KEY}",
        write=write,
    )


def remove_link(path: Path) -> bool:
    """Remove the link; returns whether there was one (a broken link can be removed too: that is
    the way out its error names)."""
    return edit(
        path,
        lambda text, node: (_spliced(text, None), METADATA_KEY in node.metadata),
        verify=lambda node: METADATA_KEY not in node.metadata,
        what=f"metadata.{METADATA_KEY}",
    )
