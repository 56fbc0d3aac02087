"""Tag the papermill ``parameters`` cell of a notebook, changing only that cell's ``metadata.tags``.

Like the notebook link, the edit is spliced into the file's text (every other byte stays as it was)
and written through an atomic rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import json_splice, notebooks
from .errors import Conflict, InvalidInput
from .files import write_text_atomic

TAG = notebooks.PARAMETERS_TAG


def tagged_cell(node: Any) -> int | None:
    for index, cell in enumerate(node.cells):
        if TAG in (cell.get("metadata", {}).get("tags") or []):
            return index
    return None


def _array_items(text: str, pos: int) -> list[int]:
    """Start offsets of the items of the JSON array that starts at ``pos``."""
    decoder = json_splice._DECODER
    skip = json_splice._skip
    pos = skip(text, pos)
    if text[pos : pos + 1] != "[":
        raise ValueError(f"expected a JSON array at offset {pos}")
    pos = skip(text, pos + 1)
    starts: list[int] = []
    if text[pos : pos + 1] == "]":
        return starts
    while True:
        starts.append(pos)
        _, end = decoder.raw_decode(text, pos)
        pos = skip(text, end)
        if text[pos : pos + 1] == ",":
            pos = skip(text, pos + 1)
            continue
        if text[pos : pos + 1] == "]":
            return starts
        raise ValueError(f"expected ',' or ']' at offset {pos}")


def _member(obj: json_splice.ObjectSpan, key: str) -> json_splice.Member | None:
    return next((m for m in obj.members if m.key == key), None)


def _set_cell_tags(text: str, index: int, tags: list[str]) -> str:
    top = json_splice.scan_object(text, 0)
    cells = _member(top, "cells")
    if cells is None:
        raise ValueError("no cells")
    cell = json_splice.scan_object(text, _array_items(text, cells.value_start)[index])
    meta = _member(cell, "metadata")
    if meta is None:
        return json_splice.set_member(text, cell, "metadata", {"tags": tags})
    return json_splice.set_member(text, json_splice.scan_object(text, meta.value_start), "tags", tags)


@dataclass(frozen=True)
class TagResult:
    cell_index: int
    changed: bool
    moved_from: int | None = None


def tag_cell(path: Path, index: int, *, move: bool = False) -> TagResult:
    """Tag code cell ``index`` (from 0) as the parameters cell. Only that cell's ``metadata.tags``
    changes (and, with ``move``, the tags of the cell that had the tag before); every other byte stays."""
    text = notebooks.read_text(path)
    node = notebooks.parse(text, str(path))
    count = len(node.cells)
    if not 0 <= index < count:
        raise InvalidInput(
            f"{path.name} has {count} cells; there is no cell {index + 1}", hint="N counts from 1."
        )
    cell = node.cells[index]
    if cell.cell_type != "code":
        raise InvalidInput(f"cell {index + 1} of {path.name} is a {cell.cell_type} cell; tag a code cell")
    current = tagged_cell(node)
    if current == index:
        return TagResult(index, False)
    if current is not None and not move:
        raise Conflict(
            f"cell {current + 1} of {path.name} is already the parameters cell",
            hint=f"Pass --move to move the tag from cell {current + 1} to cell {index + 1}.",
        )
    new = text
    if current is not None:
        old_tags = [t for t in node.cells[current].metadata.get("tags", []) if t != TAG]
        new = _set_cell_tags(new, current, old_tags)
    new = _set_cell_tags(new, index, [*list(cell.metadata.get("tags", [])), TAG])
    notebooks.parse(new, str(path))  # never write something that does not read back as a notebook
    write_text_atomic(path, new)
    return TagResult(index, True, current)
