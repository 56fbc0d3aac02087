"""Tag the papermill ``parameters`` cell of a notebook, changing only that cell's ``metadata.tags``.

Like the notebook link, the edit goes through ``document.edit``: spliced into the file's text (every
other byte stays as it was), checked to read back as asked, written through an atomic rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import hints
from ..errors import Conflict, InvalidInput
from . import document, json_splice

TAG = document.PARAMETERS_TAG


def tagged_cell(node: Any) -> int | None:
    for index, cell in enumerate(node.cells):
        if TAG in (cell.get("metadata", {}).get("tags") or []):
            return index
    return None


def _set_cell_tags(text: str, index: int, tags: list[str]) -> str:
    """``text`` with ``metadata.tags`` of cell ``index`` set to ``tags``, nothing else."""
    cells = json_splice.scan_object(text, 0).member("cells")
    if cells is None:
        raise ValueError("no cells")
    cell = json_splice.scan_object(text, json_splice.scan_array(text, cells.value_start)[index])
    meta = cell.member("metadata")
    if meta is None:
        return json_splice.set_member(text, cell, "metadata", {"tags": tags})
    return json_splice.set_member(text, json_splice.scan_object(text, meta.value_start), "tags", tags)


def _tags(node: Any, index: int) -> list[str]:
    return list(node.cells[index].get("metadata", {}).get("tags") or [])


@dataclass(frozen=True)
class TagResult:
    cell_index: int
    changed: bool
    moved_from: int | None = None


def tag_cell(path: Path, index: int, *, move: bool = False) -> TagResult:
    """Tag code cell ``index`` (from 0) as the parameters cell. Only that cell's ``metadata.tags``
    changes (and, with ``move``, the tags of the cell that had the tag before); every other byte stays."""
    wanted: dict[int, list[str]] = {}  # cell index -> its tags after the edit

    def retag(text: str, node: Any) -> tuple[str, TagResult]:
        count = len(node.cells)
        if not 0 <= index < count:
            raise InvalidInput(
                f"{path.name} has {count} cells; there is no cell {index + 1}", hint="Cells count from 1."
            )
        cell = node.cells[index]
        if cell.cell_type != "code":
            raise InvalidInput(f"cell {index + 1} of {path.name} is a {cell.cell_type} cell; tag a code cell")
        current = tagged_cell(node)
        if current == index:
            return text, TagResult(index, False)
        if current is not None and not move:
            raise Conflict(
                f"cell {current + 1} of {path.name} is already the parameters cell",
                hint=hints.hint(
                    f"The tag can move from cell {current + 1} to cell {index + 1}.",
                    hints.TAG_PARAMETERS,
                    notebook=path,
                    cell=index + 1,
                    move=True,
                ),
            )
        if current is not None:
            wanted[current] = [t for t in _tags(node, current) if t != TAG]
        wanted[index] = [*_tags(node, index), TAG]
        for position, tags in wanted.items():
            text = _set_cell_tags(text, position, tags)
        return text, TagResult(index, True, current)

    return document.edit(
        path,
        retag,
        verify=lambda node: all(_tags(node, i) == tags for i, tags in wanted.items()),
        what="the cell tags",
    )
