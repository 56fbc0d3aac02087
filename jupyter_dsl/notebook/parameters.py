"""A notebook's papermill ``parameters`` cell: inspect it, tag it, and validate values for a run.

Names, defaults and help comments come from ``papermill.inspect_notebook``; the type of each
parameter is its annotation when it has one, else the type of its literal default. Values come
from YAML config files (later files win) with ``-p NAME VALUE`` overrides on top, and are checked
here, before any kernel starts: papermill itself only warns about unknown names.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from . import document
from .cell_tags import TagResult, tag_cell, tagged_cell
from .parameter_problems import TYPED, ParameterProblem, ParameterProblems, no_cell_hint
from .yaml_values import load_config, parse_scalar

__all__ = [
    "TYPED",
    "Parameter",
    "ParameterProblem",
    "ParameterProblems",
    "ParametersCell",
    "ResolvedParameters",
    "TagResult",
    "check_value",
    "inspect",
    "load_config",
    "no_cell_hint",
    "parse_scalar",
    "resolve",
    "tag_cell",
    "tagged_cell",
    "value_kind",
]

# The types a parameter can have; "any" when the cell does not say (a None default, an expression).
KINDS = ("int", "float", "str", "bool", "list", "dict", "None", "any")
_ANNOTATIONS = {
    "int": "int",
    "float": "float",
    "str": "str",
    "bool": "bool",
    "list": "list",
    "tuple": "list",
    "List": "list",
    "Tuple": "list",
    "Sequence": "list",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
    "None": "None",
    "NoneType": "None",
    "Any": "any",
    "object": "any",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # one of KINDS
    default: str  # the default as written in the cell
    help: str = ""
    annotation: str = ""  # as written ("List[str]"); empty without one
    optional: bool = False  # None is accepted as well as ``type``

    @property
    def value(self) -> Any:
        """What the default stands for: a literal's value (``0.5``, ``[1, 2]``), else the text as written."""
        try:
            return ast.literal_eval(self.default)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return self.default

    def describe(self) -> str:
        shown = self.type + (" or None" if self.optional and self.type not in ("None", "any") else "")
        return f"{self.name}: {shown} = {self.default}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ParametersCell:
    """What a notebook declares: the tagged cell (index counted from 0) and its parameters."""

    path: Path
    cell_index: int | None
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...] = ()  # lines of the cell papermill could not read as parameters
    code_cells: tuple[tuple[int, str], ...] = ()  # (index, first line) to help pick a cell to tag

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def get(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def defaults(self) -> dict[str, Any]:
        """Each parameter's default value (what a run that is not given it uses)."""
        return {p.name: p.value for p in self.parameters}

    def summary(self) -> str:
        if not self.parameters:
            return "(none)"
        return "; ".join(p.describe() for p in self.parameters)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "cell": None if self.cell_index is None else self.cell_index + 1,  # as JupyterLab numbers it
            "cell_index": self.cell_index,  # its position in the notebook's cells (from 0)
            "parameters": [p.to_json() for p in self.parameters],
            "notes": list(self.notes),
        }


def _kind_of_annotation(annotation: str) -> tuple[str, bool]:
    """('list', False) for "List[str]"; ('int', True) for "Optional[int]"."""
    text = annotation.strip().strip("\"'")
    optional = False
    match = re.fullmatch(r"Optional\[(.*)\]", text)
    if match:
        text, optional = match.group(1), True
    if "|" in text or text.startswith("Union["):
        parts = [p.strip() for p in re.split(r"[|,]", text.removeprefix("Union[").removesuffix("]"))]
        optional = optional or any(p in ("None", "NoneType") for p in parts)
        rest = [p for p in parts if p not in ("None", "NoneType")]
        text = rest[0] if len(rest) == 1 else "Any"
    base = text.split("[", 1)[0].strip().split(".")[-1]
    return _ANNOTATIONS.get(base, "any"), optional


def _kind_of_value(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return "any"


def _parameter(raw: dict[str, Any]) -> Parameter:
    annotation = str(raw.get("inferred_type_name") or "")
    annotation = "" if annotation == "None" else annotation  # papermill's "None" means "not annotated"
    default = str(raw.get("default", ""))
    if annotation:
        kind, optional = _kind_of_annotation(annotation)
    else:
        try:
            kind = _kind_of_value(ast.literal_eval(default))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            kind = "any"
        optional = False
    if kind == "None":  # a None default says nothing about what the value will be
        kind, optional = "any", True
    return Parameter(str(raw["name"]), kind, default, str(raw.get("help", "") or ""), annotation, optional)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def papermill_warnings() -> Iterator[list[str]]:
    """Keep papermill's warnings ("Unable to parse line ...") as notes instead of stderr noise."""
    logger = logging.getLogger("papermill")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def kernel_language(kernel_name: str) -> str:
    """The language of an installed kernel (papermill needs it for notebooks that do not say)."""
    from jupyter_client.kernelspec import (
        KernelSpecManager,
        NoSuchKernel,
    )  # lazy: jupyter_client loads zmq and tornado, only where a kernel is needed

    try:
        return str(KernelSpecManager().get_kernel_spec(kernel_name).language or "python")
    except NoSuchKernel:
        return "python"


def inspect(path: Path, kernel_name: str | None = None) -> ParametersCell:
    """The parameters cell of the notebook at ``path`` (a missing or malformed notebook is an error)."""
    node = document.read(path)
    index = tagged_cell(node)
    code_cells = tuple(
        (i, (cell.source.strip().splitlines() or [""])[0][:60])
        for i, cell in enumerate(node.cells)
        if cell.cell_type == "code"
    )
    if index is None:
        return ParametersCell(path, None, (), (), code_cells)
    from papermill import (
        inspect_notebook,
    )  # lazy: papermill loads nbclient and its IO stack, only for a run or an inspection
    from papermill.inspection import (
        _infer_parameters,
    )  # lazy: papermill loads nbclient and its IO stack, only for a run or an inspection
    from papermill.iorw import (
        load_notebook_node,
    )  # lazy: papermill loads nbclient and its IO stack, only for a run or an inspection

    with papermill_warnings() as messages:
        if node.metadata.get("kernelspec", {}).get("name"):
            found = inspect_notebook(str(path))
        else:  # no kernelspec in the file: papermill needs to be told the language
            loaded = load_notebook_node(str(path))  # papermill's loader adds the `tags` lists it expects
            name = kernel_name or "python3"
            found = {
                p.name: p._asdict()
                for p in _infer_parameters(loaded, name=name, language=kernel_language(name))
            }
    parameters = tuple(_parameter(raw) for raw in found.values())
    notes = tuple(m.replace("Unable to parse line", "cannot read line") for m in messages)
    return ParametersCell(path, index, parameters, notes, code_cells)


# --- values: YAML files and -p overrides ---------------------------------------------------------


def _valid(cell: ParametersCell) -> str:
    return f"Parameters of {cell.path.name}: {cell.summary()}"


@dataclass
class ResolvedParameters:
    """The values a run uses, where each came from (a file path, TYPED or "given"), and a note for
    each value that was converted to the parameter's type (``-p region 5`` for a str is ``"5"``)."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    coerced: dict[str, str] = field(default_factory=dict)


def _source_name(path: Path, root: Path | None) -> str:
    """A config file as a source: relative to ``root`` (the project) when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _check(param: Parameter, value: Any) -> tuple[bool, Any]:
    """(ok, value converted where that loses nothing: an int for a float parameter becomes a float)."""
    if value is None:
        return param.optional or param.type == "any", None
    kind = param.type
    if kind == "any":
        return True, value
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return True, float(value)
    if kind == "list" and isinstance(value, tuple):
        return True, list(value)
    return _kind_of_value(value) == kind, value


def check_value(param: Parameter, value: Any) -> tuple[bool, Any]:
    """Whether ``value`` fits ``param`` (for grid files), and the value as a run would use it."""
    return _check(param, value)


def value_kind(value: Any) -> str:
    """The parameter type a value has ("int", "str", ...), or its Python type name."""
    kind = _kind_of_value(value)
    return kind if kind != "any" else type(value).__name__


def resolve(
    cell: ParametersCell,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
    values: dict[str, Any] | None = None,
    *,
    root: Path | None = None,
) -> ResolvedParameters:
    """Merge config files (later wins), then ``values`` (already typed), then ``-p`` overrides (text),
    and check every name and type against the parameters cell. All problems are reported at once.
    With ``root`` (the project), config files inside it are named relative to it in ``sources``."""
    resolved = ResolvedParameters()
    for path in config_files:
        source = _source_name(path, root)
        for name, value in load_config(path, _valid(cell)).items():
            resolved.values[name], resolved.sources[name] = value, source
    for name, value in (values or {}).items():
        resolved.values[name], resolved.sources[name] = value, "given"
    raw_text: dict[str, str] = {}
    for name, text in overrides:
        resolved.values[name], resolved.sources[name] = parse_scalar(text), TYPED
        raw_text[name] = text
    if not resolved.values:
        return resolved
    if cell.cell_index is None:
        raise InvalidInput(
            f"{cell.path.name} has no parameters cell, so it cannot take parameters "
            f"({', '.join(sorted(resolved.values))})",
            hint=no_cell_hint(cell),
        )
    problems: list[ParameterProblem] = []
    for name, value in list(resolved.values.items()):
        source = resolved.sources[name]
        param = cell.get(name)
        if param is None:
            problems.append(ParameterProblem(f"unknown parameter {name!r}", source))
            continue
        ok, converted = _check(param, value)
        if not ok and name in raw_text and param.type == "str":  # `-p name 007` meant the text
            ok, converted = True, raw_text[name]
            resolved.coerced[name] = (
                f"kept as text {converted!r} (as YAML: {_kind_of_value(value)} {value!r})"
            )
        elif ok and isinstance(value, int) and isinstance(converted, float):
            resolved.coerced[name] = f"int {value!r} taken as float {converted!r}"
        if not ok:
            got = _kind_of_value(value) if _kind_of_value(value) != "any" else type(value).__name__
            problems.append(
                ParameterProblem(f"parameter {name!r} must be {param.type}, got {got} {value!r}", source)
            )
            continue
        resolved.values[name] = converted
    if problems:
        raise ParameterProblems(problems, hint=_valid(cell))
    return resolved
