"""Grid files: the parameter sets of a batch, validated against the notebook's parameters cell.

A grid file is YAML with up to three keys::

    parameters: {region: all}          # fixed values for every run
    grid: {alpha: [0.1, 0.5], n: [1, 2]}   # the cartesian product of the lists
    matrix:                            # an explicit list of parameter sets
      - {model: rf, depth: 3}
      - {model: lr}

With both ``grid:`` and ``matrix:``, every matrix entry is combined with every grid point (a name is
varied by one of them, not both). ``-f`` files and ``-p`` values apply to every set: config files
first, then ``parameters:``, then ``-p``, then the set's own values. Every problem is reported at
once, each naming the file and the entry (``grid.yaml: grid.alpha[2]: expected float, got 'x'``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, InvalidInput
from ..hints import Hint
from ..notebook import parameters
from ..notebook.parameters import ParametersCell, ResolvedParameters
from ..runs.records import canonical_json

KEYS = ("parameters", "grid", "matrix")
EDITOR_GRID = Path("sidebar grid")  # how a grid sent by the sidebar is named in messages and sources


class GridProblems(InvalidInput):
    """Everything wrong with a grid, one entry per problem (each names the file and the entry)."""

    def __init__(self, message: str, problems: list[str], *, hint: str | Hint | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems


@dataclass(frozen=True)
class GridSpec:
    path: Path
    fixed: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, list[Any]] = field(default_factory=dict)
    matrix: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "parameters": self.fixed, "grid": self.grid, "matrix": self.matrix}


@dataclass(frozen=True)
class ParameterSet:
    """The values one run of a batch is given, and where each came from."""

    values: dict[str, Any]
    sources: dict[str, str]

    @property
    def key(self) -> str:
        return canonical_json(self.values)


def _fail(path: Path, problems: list[str], cell: ParametersCell | None = None) -> GridProblems:
    hint = (
        f"Parameters of {cell.path.name}: {cell.summary()}"
        if cell is not None
        else (
            "A grid file holds `parameters:` (fixed values), `grid:` (name -> list of values) and "
            "`matrix:` (a list of parameter sets)."
        )
    )
    named = [f"{path.name}: {p}" for p in problems]
    return GridProblems("; ".join(named), named, hint=hint)


def load_grid(path: Path) -> GridSpec:
    """Read and check the shape of a grid file (names and types are checked by :func:`expand`)."""
    try:
        data = parameters.load_config(path)  # ConfigError for a missing file or bad YAML, naming the line
    except ConfigError as exc:
        raise ConfigError(exc.message.replace("config file", "grid file", 1), hint=exc.hint) from None
    return check_grid(data, path)


def check_grid(data: dict[str, Any], path: Path) -> GridSpec:
    """The shape of a grid's data (as a grid file holds it); ``path`` names it in messages."""
    problems = [f"unknown key {key!r} (valid: {', '.join(KEYS)})" for key in data if key not in KEYS]
    fixed = data.get("parameters") or {}
    if not isinstance(fixed, dict):
        problems.append(f"parameters: must be a mapping of names to values, not {type(fixed).__name__}")
        fixed = {}
    grid = data.get("grid") or {}
    if not isinstance(grid, dict):
        problems.append(f"grid: must be a mapping of names to lists, not {type(grid).__name__}")
        grid = {}
    for name, values in grid.items():
        if not isinstance(values, list):
            problems.append(f"grid.{name}: must be a list of values, not {type(values).__name__}")
        elif not values:
            problems.append(f"grid.{name}: is empty (list at least one value)")
    matrix = data.get("matrix") or []
    if not isinstance(matrix, list):
        problems.append(f"matrix: must be a list of parameter sets, not {type(matrix).__name__}")
        matrix = []
    for index, entry in enumerate(matrix):
        if not isinstance(entry, dict) or not all(isinstance(k, str) for k in entry):
            problems.append(f"matrix[{index}]: must be a mapping of names to values")
        elif not entry:
            problems.append(f"matrix[{index}]: is empty")
    if "grid" in data and not grid and "matrix" not in data:
        problems.append("grid: is empty: nothing to run")
    if not grid and not matrix and not problems:
        problems.append("has no `grid:` or `matrix:` entries: nothing to run")
    if problems:
        raise _fail(path, problems)
    return GridSpec(path, dict(fixed), {k: list(v) for k, v in grid.items()}, [dict(m) for m in matrix])


def is_grid_file(path: Path) -> bool:
    """Whether a YAML file is a grid file (a top-level ``parameters:``, ``grid:`` or ``matrix:``), not a
    config file. A file that cannot be read as a mapping is not one: as a config file, its error names it."""
    try:
        data = parameters.load_config(path)
    except ConfigError:
        return False
    return any(key in data for key in KEYS)


def values_text(values: list[Any]) -> str:
    """Values as the sidebar's editor shows them: a YAML flow list without its brackets (``0.1, 0.5``,
    ``west, 'a b'``), which :func:`editor_grid` reads back to the same values."""
    text = yaml.safe_dump(values, default_flow_style=True, width=1_000_000, allow_unicode=True).strip()
    return text[1:-1]


@dataclass(frozen=True)
class EditorForm:
    """A grid file as the sidebar's editor holds it: the values to try per parameter as text (a fixed
    value is a single value), the fixed values it cannot show that way (those a matrix entry also
    sets), and the matrix as it is. :func:`editor_grid` of them gives the file's parameter sets."""

    path: Path
    grid: dict[str, str]
    fixed: dict[str, Any]
    matrix: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"grid": self.grid, "parameters": self.fixed, "matrix": self.matrix}


def editor_form(spec: GridSpec) -> EditorForm:
    """``spec`` (a loaded grid file) for the sidebar's editor (see :class:`EditorForm`)."""
    in_matrix = {name for entry in spec.matrix for name in entry}
    texts = {name: values_text(values) for name, values in spec.grid.items()}
    fixed: dict[str, Any] = {}
    for name, value in spec.fixed.items():
        if name in in_matrix:
            fixed[name] = value  # a matrix entry may set it: it cannot be a one-value grid entry
        elif name not in spec.grid:  # a grid entry wins over a fixed value of the same name
            texts[name] = values_text([value])
    return EditorForm(spec.path, texts, fixed, [dict(entry) for entry in spec.matrix])


def editor_grid(
    grid: dict[str, Any], fixed: dict[str, Any] | None = None, matrix: list[Any] | None = None
) -> GridSpec:
    """A grid typed in the sidebar: name -> a list of values, or the text of one (``0.1, 0.5``,
    ``a, 'b c'``, ``[1, 2], [3]``: a YAML flow list without its brackets), with the fixed values and
    the matrix of a grid file loaded into it."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name, given in grid.items():
        parsed = given
        if isinstance(given, str):
            parsed = parameters.parse_scalar(f"[{given}]") if given.strip() else []
            if not isinstance(parsed, list):
                problems.append(f"grid.{name}: cannot read {given!r} as values separated by commas")
                continue
        values[name] = parsed
    if problems:
        raise _fail(EDITOR_GRID, problems)
    data: dict[str, Any] = {"parameters": fixed or {}, "grid": values}
    if matrix:
        data["matrix"] = matrix
    return check_grid(data, EDITOR_GRID)


def _checked(
    cell: ParametersCell, entry: str, name: str, value: Any, problems: list[str]
) -> tuple[bool, Any]:
    param = cell.get(name)
    if param is None:
        problems.append(f"{entry}: unknown parameter {name!r}")
        return False, value
    ok, converted = parameters.check_value(param, value)
    if not ok:
        problems.append(f"{entry}: expected {param.type}, got {parameters.value_kind(value)} {value!r}")
    return ok, converted


def _check_spec(spec: GridSpec, cell: ParametersCell) -> GridSpec:
    """The spec with every value checked (and converted, e.g. 1 -> 1.0 for a float parameter)."""
    problems: list[str] = []
    if cell.cell_index is None:
        raise InvalidInput(
            f"{cell.path.name} has no parameters cell, so a grid cannot vary its parameters",
            hint=parameters.no_cell_hint(cell),
        )
    fixed = {
        name: _checked(cell, f"parameters.{name}", name, v, problems)[1] for name, v in spec.fixed.items()
    }
    grid: dict[str, list[Any]] = {}
    for name, values in spec.grid.items():
        if cell.get(name) is None:
            problems.append(f"grid.{name}: unknown parameter {name!r}")
            continue
        grid[name] = [_checked(cell, f"grid.{name}[{i}]", name, v, problems)[1] for i, v in enumerate(values)]
    matrix: list[dict[str, Any]] = []
    for index, entry in enumerate(spec.matrix):
        checked = {}
        for name, value in entry.items():
            checked[name] = _checked(cell, f"matrix[{index}].{name}", name, value, problems)[1]
            if name in spec.grid:
                problems.append(f"matrix[{index}].{name}: also varied by grid.{name} (use one of them)")
        matrix.append(checked)
    if problems:
        raise _fail(spec.path, problems, cell)
    return GridSpec(spec.path, fixed, grid, matrix)


def _points(spec: GridSpec) -> Iterable[tuple[dict[str, Any], dict[str, str]]]:
    """Each parameter set the grid and matrix describe, with the entry each value comes from."""
    names = list(spec.grid)
    product = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*spec.grid.values())]
    from_grid = dict.fromkeys(names, f"{spec.path.name}:grid")
    if not spec.matrix:
        yield from ((point, from_grid) for point in product)
        return
    for index, entry in enumerate(spec.matrix):
        from_entry = dict.fromkeys(entry, f"{spec.path.name}:matrix[{index}]")
        for point in product or [{}]:
            yield {**point, **entry}, {**from_grid, **from_entry}


def expand(
    spec: GridSpec,
    cell: ParametersCell,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
) -> list[ParameterSet]:
    """Every parameter set of the batch, validated, in grid order, duplicates dropped."""
    checked = _check_spec(spec, cell)
    overrides = list(overrides)
    varied = set(checked.grid) | {name for entry in checked.matrix for name in entry}
    clashes = sorted({name for name, _ in overrides} & varied)
    if clashes:
        raise InvalidInput(
            f"-p {', '.join(clashes)}: also varied by {spec.path.name}",
            hint="Give a parameter one value, or vary it in the grid file, not both.",
        )
    base: ResolvedParameters = parameters.resolve(cell, config_files, overrides, checked.fixed)
    for name in checked.fixed:
        if base.sources.get(name) == "given":
            base.sources[name] = f"{spec.path.name}:parameters"
    sets: list[ParameterSet] = []
    seen: set[str] = set()
    for point, sources in _points(checked):
        item = ParameterSet({**base.values, **point}, {**base.sources, **sources})
        if item.key not in seen:
            seen.add(item.key)
            sets.append(item)
    return sets


def read_grid(
    path: Path,
    cell: ParametersCell,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
) -> tuple[GridSpec, list[ParameterSet]]:
    """Load and expand a grid file; a ConfigError / InvalidInput names the file and the entry."""
    spec = load_grid(path)
    return spec, expand(spec, cell, config_files, overrides)
