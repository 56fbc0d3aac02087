"""The modules a notebook imports at its top level: what a zygote preloads for its kernels."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

_MAGIC = re.compile(r"^\s*[%!]")


def notebook_imports(node: Any) -> list[str]:
    """Modules imported at the top level of the notebook's code cells, dotted as written (static scan
    with ast; cells that do not parse, magics and shell lines skipped), in order, without duplicates."""
    names: list[str] = []
    for cell in node.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if text.lstrip().startswith("%%"):
            continue  # a cell magic: the body is not Python
        lines = ["" if _MAGIC.match(line) else line for line in text.splitlines()]
        try:
            tree = ast.parse("\n".join(lines))
        except (SyntaxError, ValueError):
            continue
        for statement in tree.body:
            if isinstance(statement, ast.Import):
                found = [alias.name for alias in statement.names]
            elif isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
                found = [statement.module]
            else:
                continue
            names += [n for n in found if n not in names and n != "__future__"]
    return names


def is_local_module(module: str, folder: Path) -> bool:
    top = module.split(".", maxsplit=1)[0]
    return (folder / f"{top}.py").exists() or (folder / top).is_dir()
