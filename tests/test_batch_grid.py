"""Grid files: expansion, precedence, and errors that name the file and the entry (no kernel starts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from runs_support import NOTEBOOKS

from jupyter_dsl.batch.grid import editor_form, editor_grid, expand, is_grid_file, load_grid, read_grid
from jupyter_dsl.errors import ConfigError, InvalidInput
from jupyter_dsl.notebook import parameters


@pytest.fixture(scope="module")
def cell() -> parameters.ParametersCell:
    # alpha: float = 0.5; epochs: int = 3; name: str; flag: bool; layers: list; options: dict; note: any
    return parameters.inspect(NOTEBOOKS / "parameterized.ipynb")


def write(tmp_path: Path, text: str, name: str = "grid.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_grid_is_the_cartesian_product_in_order_with_fixed_values(tmp_path: Path, cell) -> None:
    path = write(tmp_path, "parameters: {name: g}\ngrid:\n  alpha: [0.1, 1]\n  epochs: [1, 2, 3]\n")
    spec, sets = read_grid(path, cell)
    assert [(s.values["alpha"], s.values["epochs"]) for s in sets] == [
        (0.1, 1), (0.1, 2), (0.1, 3), (1.0, 1), (1.0, 2), (1.0, 3),
    ]  # fmt: skip
    assert all(s.values["name"] == "g" for s in sets)
    assert isinstance(sets[3].values["alpha"], float)  # 1 became 1.0 for a float parameter
    assert sets[0].sources == {
        "name": "grid.yaml:parameters",
        "alpha": "grid.yaml:grid",
        "epochs": "grid.yaml:grid",
    }
    assert spec.grid == {"alpha": [0.1, 1], "epochs": [1, 2, 3]}


def test_matrix_entries_combine_with_every_grid_point(tmp_path: Path, cell) -> None:
    path = write(
        tmp_path, "grid: {epochs: [1, 2]}\nmatrix:\n  - {flag: false}\n  - {flag: true, layers: [3]}\n"
    )
    _, sets = read_grid(path, cell)
    assert [s.values for s in sets] == [
        {"epochs": 1, "flag": False},
        {"epochs": 2, "flag": False},
        {"epochs": 1, "flag": True, "layers": [3]},
        {"epochs": 2, "flag": True, "layers": [3]},
    ]
    assert sets[2].sources["layers"] == "grid.yaml:matrix[1]"
    assert sets[2].sources["epochs"] == "grid.yaml:grid"


def test_matrix_alone_and_duplicates_dropped(tmp_path: Path, cell) -> None:
    path = write(tmp_path, "matrix:\n  - {epochs: 1}\n  - {epochs: 2}\n  - {epochs: 1}\n")
    _, sets = read_grid(path, cell)
    assert [s.values for s in sets] == [{"epochs": 1}, {"epochs": 2}]


def test_config_files_then_fixed_then_p_then_the_set(tmp_path: Path, cell) -> None:
    config = write(tmp_path, "name: from-file\nflag: false\nepochs: 9\n", "config.yaml")
    path = write(tmp_path, "parameters: {flag: true, name: fixed}\ngrid: {alpha: [0.2]}\n")
    _, sets = read_grid(path, cell, [config], [("name", "from-p")])
    assert sets[0].values == {"name": "from-p", "flag": True, "epochs": 9, "alpha": 0.2}
    assert sets[0].sources["epochs"] == str(config)
    assert sets[0].sources["flag"] == "grid.yaml:parameters"
    assert sets[0].sources["name"] == "-p"


def test_wrong_type_names_the_file_and_the_entry(tmp_path: Path, cell) -> None:
    path = write(tmp_path, "grid:\n  alpha: [0.1, 0.2, x]\n")
    with pytest.raises(InvalidInput) as caught:
        read_grid(path, cell)
    assert caught.value.message == "grid.yaml: grid.alpha[2]: expected float, got str 'x'"
    assert "alpha: float = 0.5" in (caught.value.hint or "")


def test_every_problem_is_reported_at_once(tmp_path: Path, cell) -> None:
    path = write(
        tmp_path,
        "parameters: {epochs: many}\ngrid:\n  alpah: [1]\nmatrix:\n  - {flag: 3}\n  - {note: null}\n",
    )
    with pytest.raises(InvalidInput) as caught:
        read_grid(path, cell)
    message = caught.value.message
    assert "grid.yaml: parameters.epochs: expected int, got str 'many'" in message
    assert "grid.yaml: grid.alpah: unknown parameter 'alpah'" in message
    assert "grid.yaml: matrix[0].flag: expected bool, got int 3" in message
    assert "matrix[1]" not in message  # None is fine for an `any` parameter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grid:\n  alpha: []\n", "grid.yaml: grid.alpha: is empty"),
        ("grid:\n  alpha: 0.1\n", "grid.yaml: grid.alpha: must be a list of values, not float"),
        ("grid: {}\n", "grid.yaml: grid: is empty: nothing to run"),
        ("parameters: {alpha: 1.0}\n", "grid.yaml: has no `grid:` or `matrix:` entries"),
        ("grdi:\n  alpha: [1]\n", "grid.yaml: unknown key 'grdi' (valid: parameters, grid, matrix)"),
        ("matrix: {alpha: 1}\n", "grid.yaml: matrix: must be a list of parameter sets, not dict"),
        ("matrix:\n  - 3\n", "grid.yaml: matrix[0]: must be a mapping of names to values"),
        (
            "grid: {epochs: [1]}\nmatrix:\n  - {epochs: 2}\n",
            "grid.yaml: matrix[0].epochs: also varied by grid.epochs",
        ),
    ],
)
def test_malformed_grid_files(tmp_path: Path, cell, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        read_grid(path, cell)
    assert expected in caught.value.message


def test_bad_yaml_and_missing_file_name_the_grid_file(tmp_path: Path, cell) -> None:
    path = write(tmp_path, "grid:\n  alpha: [0.1\n")
    with pytest.raises(ConfigError) as caught:
        read_grid(path, cell)
    assert caught.value.message.startswith(f"grid file {path} is not valid YAML at line")
    with pytest.raises(ConfigError, match=r"grid file .*missing\.yaml not found"):
        read_grid(tmp_path / "missing.yaml", cell)


def test_p_cannot_also_be_varied(tmp_path: Path, cell) -> None:
    path = write(tmp_path, "grid: {epochs: [1, 2]}\n")
    with pytest.raises(InvalidInput, match=r"-p epochs: also varied by grid\.yaml"):
        read_grid(path, cell, overrides=[("epochs", "3")])


def test_a_notebook_without_parameters_cell_cannot_take_a_grid(tmp_path: Path) -> None:
    cell = parameters.inspect(NOTEBOOKS / "no_parameters.ipynb")
    path = write(tmp_path, "grid: {epochs: [1, 2]}\n")
    with pytest.raises(InvalidInput, match="has no parameters cell"):
        read_grid(path, cell)


@pytest.mark.parametrize(
    ("text", "grid"),
    [
        ("grid: {alpha: [0.1, 0.2]}\n", True),
        ("matrix:\n  - {epochs: 1}\n", True),
        ("parameters: {epochs: 2}\n", True),  # a grid file with nothing to run is still one
        ("grid: {}\nalpha: 0.1\n", True),
        ("alpha: 0.1\nepochs: 2\n", False),  # a config file
        ("", False),
        ("- 1\n- 2\n", False),  # not a mapping: a config file whose error names it
        ("grid: [unclosed\n", False),  # not YAML: the same
    ],
)
def test_a_yaml_file_is_a_grid_file_when_it_has_a_top_level_grid_key(
    tmp_path: Path, text: str, grid: bool
) -> None:
    assert is_grid_file(write(tmp_path, text, "some.yaml")) is grid


def test_a_missing_file_is_no_grid_file(tmp_path: Path) -> None:
    assert is_grid_file(tmp_path / "missing.yaml") is False


def test_a_grid_file_in_the_editor_gives_the_same_parameter_sets(tmp_path: Path, cell) -> None:
    """The editor's text per parameter reads back to the file's values, quoting what YAML would
    read otherwise (a string '1', 'a, b', a date); the matrix and the fixed values it sets stay."""
    path = write(
        tmp_path,
        "parameters: {epochs: 4, flag: true, alpha: 9.0}\n"
        "grid:\n  alpha: [0.1, 1]\n  name: [west, 'a, b', '1', '2024-01-31', 'it''s']\n"
        "matrix:\n  - {flag: false, layers: [3, 4]}\n  - {options: {depth: 2}}\n",
    )
    form = editor_form(load_grid(path))
    assert form.grid == {
        "alpha": "0.1, 1",
        "name": "west, 'a, b', '1', '2024-01-31', it's",
        "epochs": "4",  # fixed, and no matrix entry sets it: one value to try
    }
    assert form.fixed == {"flag": True}  # a matrix entry sets it: it stays a fixed value
    assert form.matrix == [{"flag": False, "layers": [3, 4]}, {"options": {"depth": 2}}]
    from_file = [s.values for s in read_grid(path, cell)[1]]
    in_editor = [s.values for s in expand(editor_grid(form.grid, form.fixed, form.matrix), cell)]
    assert in_editor == from_file
    assert len(from_file) == 2 * 5 * 2


def test_a_grid_file_without_matrix_loads_into_grid_fields_only(tmp_path: Path) -> None:
    form = editor_form(
        load_grid(write(tmp_path, "parameters: {note: null}\ngrid: {layers: [[1, 2], [3]]}\n"))
    )
    assert form.to_json() == {
        "grid": {"layers": "[1, 2], [3]", "note": "null"},
        "parameters": {},
        "matrix": [],
    }
