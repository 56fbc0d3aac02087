"""Notebook files: the ``metadata.jupyter_dsl`` link and the papermill ``parameters`` cell.

Reads validate with nbformat; writes change exactly the piece asked for (see ``json_splice``)
and go through an atomic rename, so a malformed or foreign-formatted notebook is never damaged.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

from . import json_splice
from .errors import InvalidInput, NotFound
from .files import write_text_atomic

METADATA_KEY = "jupyter_dsl"
PARAMETERS_TAG = "parameters"


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

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        return {**self.extra, **data}

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
            known = {"issue", "ask", "branch", "status", "completed_at"}
            return cls(
                issue=ref,
                ask=int(data["ask"]) if data.get("ask") is not None else None,
                branch=str(data.get("branch", "") or ""),
                status=str(data.get("status", "active")),
                completed_at=data.get("completed_at"),
                extra={k: v for k, v in data.items() if k not in known},
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


def parse(text: str, source: str) -> nbformat.NotebookNode:
    """Parse and validate notebook text; any problem is an ``InvalidInput`` naming the file."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput(f"{source} is not a valid notebook: invalid JSON at {where}: {exc.msg}") from exc
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        raise InvalidInput(f"{source} is not a valid notebook: no 'nbformat' and 'cells' at the top level")
    if not isinstance(raw.get("metadata", {}), dict):
        raise InvalidInput(f"{source} is not a valid notebook: 'metadata' is not an object")
    import nbformat  # imported on first use: its JSON-schema stack costs seconds at CLI start

    try:
        node: nbformat.NotebookNode = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(node)
    except Exception as exc:  # nbformat raises ValidationError, NotJSONError, ValueError...
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(f"{source} is not a valid notebook: {message}") from exc
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


def _edited(path: Path, value: dict[str, Any] | None) -> tuple[str, str]:
    """The file's text and its text with ``metadata.jupyter_dsl`` set to ``value``, both checked."""
    text = read_text(path)
    parse(text, str(path))  # refuse (and leave untouched) anything that is not a valid notebook
    new = _spliced(text, value)
    if new == text:
        return text, new
    node = parse(new, str(path))  # never write something that does not read back as a notebook
    if node.metadata.get(METADATA_KEY) != value:  # e.g. duplicate keys: refuse rather than guess
        raise InvalidInput(f"{path}: cannot edit metadata.{METADATA_KEY} in place (duplicate JSON keys?)")
    return text, new


def _edit_metadata(path: Path, value: dict[str, Any] | None) -> None:
    text, new = _edited(path, value)
    if new != text:
        write_text_atomic(path, new)


def check_link_writable(path: Path, link: NotebookLink) -> None:
    """Raise what ``set_link(path, link)`` would raise, without writing: a command checks this before
    its first write (e.g. before creating the issue it then links)."""
    _edited(path, link.to_json())
    folder = path.resolve().parent
    if not os.access(folder, os.W_OK):  # the atomic rename writes a temporary file beside the notebook
        raise InvalidInput(f"cannot write {path}: its folder {folder} is not writable")


def _spliced(text: str, value: dict[str, Any] | None) -> str:
    """``text`` with ``metadata.jupyter_dsl`` set to ``value`` (or removed for None), nothing else."""
    top = json_splice.scan_object(text, 0)
    metas = [m for m in top.members if m.key == "metadata"]
    if not metas:
        return text if value is None else json_splice.set_member(text, top, "metadata", {METADATA_KEY: value})
    meta = json_splice.scan_object(text, metas[-1].value_start)  # the last one is the one parsers read
    if value is not None:
        return json_splice.set_member(text, meta, METADATA_KEY, value)
    while any(m.key == METADATA_KEY for m in meta.members):
        text = json_splice.delete_member(text, meta, METADATA_KEY)
        top = json_splice.scan_object(text, 0)
        meta = json_splice.scan_object(text, [m for m in top.members if m.key == "metadata"][-1].value_start)
    return text


def set_link(path: Path, link: NotebookLink) -> None:
    """Write the link into ``metadata.jupyter_dsl``; every other byte of the file stays as it was."""
    _edit_metadata(path, link.to_json())


def remove_link(path: Path) -> bool:
    """Remove the link; returns whether there was one."""
    had = METADATA_KEY in read(path).metadata  # a broken link can be removed too: that is the way out
    _edit_metadata(path, None)
    return had
