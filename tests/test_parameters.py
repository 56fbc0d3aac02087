"""The parameters cell: inspection, tagging (byte-preserving), YAML config files, -p overrides, validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from runs_support import NOTEBOOKS, dsl, dsl_json, make_project

from jupyter_dsl.cli.hints import cli_hint
from jupyter_dsl.errors import ConfigError, Conflict, InvalidInput, NotFound
from jupyter_dsl.hints import TAG_PARAMETERS
from jupyter_dsl.notebook import parameters


@pytest.fixture()
def nb_dir(tmp_path: Path) -> Path:
    for name in (
        "parameterized.ipynb",
        "complex_parameters.ipynb",
        "no_parameters.ipynb",
        "no_kernelspec.ipynb",
    ):
        shutil.copy(NOTEBOOKS / name, tmp_path / name)
    return tmp_path


def test_inspect_names_types_defaults_and_help(nb_dir: Path) -> None:
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    assert cell.cell_index == 1
    by_name = {p.name: p for p in cell.parameters}
    assert list(by_name) == ["alpha", "epochs", "name", "flag", "layers", "options", "note", "start"]
    assert [by_name[n].type for n in by_name] == ["float", "int", "str", "bool", "list", "dict", "any", "str"]
    assert by_name["alpha"].default == "0.5" and by_name["alpha"].help == "learning rate"
    assert by_name["note"].optional and by_name["note"].help == "anything"


def test_inspect_complex_parameters(nb_dir: Path) -> None:
    cell = parameters.inspect(nb_dir / "complex_parameters.ipynb")
    by_name = {p.name: p for p in cell.parameters}
    assert list(by_name) == ["msg", "a", "b", "c", "e"]  # `d = a == 3` is not a parameter
    assert (
        by_name["a"].type == "float"
        and by_name["a"].annotation == "float"
        and by_name["a"].help == "Variable a"
    )
    assert (
        by_name["b"].type == "list"
        and by_name["b"].annotation == "List[str]"
        and by_name["b"].help == "Nice list"
    )
    assert by_name["c"].type == "any" and by_name["c"].optional
    assert by_name["e"].type == "int" and by_name["e"].optional
    assert any("d = a == 3" in note for note in cell.notes)


def test_inspect_without_parameters_cell_and_without_kernelspec(nb_dir: Path) -> None:
    none = parameters.inspect(nb_dir / "no_parameters.ipynb")
    assert none.cell_index is None and none.parameters == ()
    hint = parameters.no_cell_hint(none)
    assert hint.action is not None and hint.action.name == TAG_PARAMETERS and "1: 'msg = None'" in hint.text
    assert "--tag-cell" not in hint.text and "--tag-cell N" in (cli_hint(hint) or "")
    bare = parameters.inspect(nb_dir / "no_kernelspec.ipynb")
    assert [(p.name, p.type, p.help) for p in bare.parameters] == [("size", "int", "rows")]


def test_inspect_missing_and_malformed_notebooks(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        parameters.inspect(tmp_path / "nope.ipynb")
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a valid notebook"):
        parameters.inspect(bad)


def test_config_files_later_wins_and_overrides_on_top(nb_dir: Path) -> None:
    first = nb_dir / "a.yaml"
    first.write_text("alpha: 0.1\nepochs: 5\nname: first\nstart: 2024-02-01\n", encoding="utf-8")
    second = nb_dir / "b.yaml"
    second.write_text("epochs: 7\nlayers: [3, 4]\noptions: {b: 2}\nnote: null\n", encoding="utf-8")
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    resolved = parameters.resolve(cell, [first, second], [("name", "007"), ("alpha", "1"), ("flag", "false")])
    assert resolved.values == {
        "alpha": 1.0,  # an int for a float parameter becomes a float
        "epochs": 7,
        "name": "007",  # -p text for a str parameter stays text
        "start": "2024-02-01",  # YAML dates stay strings
        "layers": [3, 4],
        "options": {"b": 2},
        "note": None,
        "flag": False,
    }
    assert isinstance(resolved.values["alpha"], float)
    assert resolved.sources == {
        "alpha": "-p",
        "epochs": str(second),
        "name": "-p",
        "start": str(first),
        "layers": str(second),
        "options": str(second),
        "note": str(second),
        "flag": "-p",
    }


def test_sources_relative_to_the_root_and_notes_on_coerced_values(nb_dir: Path, tmp_path: Path) -> None:
    (nb_dir / "configs").mkdir()
    inside = nb_dir / "configs" / "base.yaml"
    inside.write_text("epochs: 4\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("flag: false\n", encoding="utf-8")
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    overrides = [("name", "5"), ("alpha", "1"), ("start", "2024-03-01")]
    resolved = parameters.resolve(cell, [inside, outside], overrides, root=nb_dir)
    assert resolved.sources == {
        "epochs": "configs/base.yaml",
        "flag": str(outside),  # not inside the project: as given
        "name": "-p",
        "alpha": "-p",
        "start": "-p",
    }
    assert resolved.values["name"] == "5" and resolved.values["alpha"] == 1.0
    assert set(resolved.coerced) == {"name", "alpha"}  # epochs 4, flag false, the date: as read
    assert "'5'" in resolved.coerced["name"] and "int 5" in resolved.coerced["name"]
    assert "float 1.0" in resolved.coerced["alpha"]
    assert parameters.resolve(cell, [], [("name", "x1")]).coerced == {}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("epochs", "2.5", "must be int, got float"),
        ("epochs", "true", "must be int, got bool"),
        ("alpha", "fast", "must be float, got str"),
        ("flag", "1", "must be bool, got int"),
        ("layers", "{a: 1}", "must be list, got dict"),
        ("options", "[1]", "must be dict, got list"),
        ("epochs", "null", "must be int, got None"),
    ],
)
def test_wrong_types_are_errors_listing_names_and_types(
    nb_dir: Path, name: str, value: str, expected: str
) -> None:
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    with pytest.raises(InvalidInput) as caught:
        parameters.resolve(cell, [], [(name, value)])
    assert expected in caught.value.message
    assert "alpha: float = 0.5" in (caught.value.hint or "") and "epochs: int = 3" in (
        caught.value.hint or ""
    )


def test_a_str_parameter_takes_any_text_from_p_but_not_a_list_from_yaml(nb_dir: Path) -> None:
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    assert parameters.resolve(cell, [], [("name", "[1]")]).values == {"name": "[1]"}
    config = nb_dir / "list.yaml"
    config.write_text("name: [1]\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="'name' must be str, got list"):
        parameters.resolve(cell, [config])


def test_all_problems_reported_at_once(nb_dir: Path) -> None:
    config = nb_dir / "c.yaml"
    config.write_text("learning_rate: 0.1\nepochs: many\n", encoding="utf-8")
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    with pytest.raises(InvalidInput) as caught:
        parameters.resolve(cell, [config], [("seed", "1")])
    message = caught.value.message
    assert "unknown parameter 'learning_rate'" in message and str(config) in message
    assert "unknown parameter 'seed' (from -p)" in message and "'epochs' must be int" in message


def test_parameters_for_a_notebook_without_parameters_cell(nb_dir: Path) -> None:
    cell = parameters.inspect(nb_dir / "no_parameters.ipynb")
    assert parameters.resolve(cell).values == {}
    with pytest.raises(InvalidInput, match="no parameters cell"):
        parameters.resolve(cell, [], [("msg", "hi")])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("alpha: [1, 2\n", "not valid YAML at line 2"),
        ("- 1\n- 2\n", "must be a mapping"),
        ("just text\n", "must be a mapping"),
        (b"\xff\xfe bad bytes", "cannot be read"),
    ],
)
def test_bad_config_files(nb_dir: Path, content: str | bytes, expected: str) -> None:
    config = nb_dir / "bad.yaml"
    config.write_bytes(content if isinstance(content, bytes) else content.encode())
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    with pytest.raises(ConfigError) as caught:
        parameters.resolve(cell, [config])
    assert expected in caught.value.message and str(config) in caught.value.message
    assert "alpha: float" in (caught.value.hint or "")


def test_missing_and_unreadable_config_files(nb_dir: Path) -> None:
    cell = parameters.inspect(nb_dir / "parameterized.ipynb")
    with pytest.raises(ConfigError, match="not found"):
        parameters.resolve(cell, [nb_dir / "missing.yaml"])
    with pytest.raises(ConfigError, match="cannot be read"):
        parameters.resolve(cell, [nb_dir])  # a directory
    empty = nb_dir / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert parameters.resolve(cell, [empty]).values == {}


def _without_tags(text: str) -> str:
    node = json.loads(text)
    for cell in node["cells"]:
        cell["metadata"].pop("tags", None)
    return json.dumps(node, sort_keys=True)


def test_tag_cell_changes_only_that_cells_tags(nb_dir: Path) -> None:
    path = nb_dir / "no_parameters.ipynb"
    # a foreign style: 2-space indent, unsorted keys; it must stay that way
    node = json.loads(path.read_text(encoding="utf-8"))
    node["cells"][0]["metadata"] = {"zeta": 1, "collapsed": False}
    path.write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = parameters.tag_cell(path, 0)
    after = path.read_text(encoding="utf-8")
    assert result.changed and result.moved_from is None
    assert _without_tags(after) == _without_tags(before)
    assert json.loads(after)["cells"][0]["metadata"] == {
        "zeta": 1,
        "collapsed": False,
        "tags": ["parameters"],
    }
    removed = after.replace(',\n    "tags": [\n     "parameters"\n    ]', "")
    assert removed == before or after.count("\n") - before.count("\n") <= 3
    assert parameters.inspect(path).names == ["msg"]
    assert parameters.tag_cell(path, 0).changed is False
    assert path.read_text(encoding="utf-8") == after


def test_tag_cell_keeps_existing_tags_and_refuses_bad_cells(nb_dir: Path) -> None:
    path = nb_dir / "parameterized.ipynb"
    node = nbformat.read(path, as_version=4)
    node.cells[2].metadata["tags"] = ["keep-me"]
    nbformat.write(node, path)
    with pytest.raises(Conflict, match=r"cell 2 .* already the parameters cell"):
        parameters.tag_cell(path, 2)
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match="markdown cell"):
        parameters.tag_cell(path, 0)
    with pytest.raises(InvalidInput, match="no cell 10"):
        parameters.tag_cell(path, 9)
    assert path.read_bytes() == before
    moved = parameters.tag_cell(path, 2, move=True)
    assert moved.moved_from == 1
    after = nbformat.read(path, as_version=4)
    assert after.cells[1].metadata["tags"] == [] and after.cells[2].metadata["tags"] == [
        "keep-me",
        "parameters",
    ]
    assert [c.source for c in after.cells] == [c.source for c in node.cells]


def test_tag_cell_leaves_a_malformed_notebook_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_bytes(b'{"cells": [}')
    with pytest.raises(InvalidInput):
        parameters.tag_cell(path, 0)
    assert path.read_bytes() == b'{"cells": [}'


def test_tag_cell_edits_the_metadata_parsers_read_when_a_cell_has_two(tmp_path: Path) -> None:
    path = tmp_path / "dup.ipynb"
    cell = (
        '{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {"tags": ["old"]}, '
        '"metadata": {"collapsed": true}, "outputs": [], "source": "alpha = 1"}'
    )
    path.write_text('{"cells": [' + cell + '], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    assert parameters.tag_cell(path, 0).changed
    assert parameters.inspect(path).cell_index == 0  # the tag is where nbformat and papermill look
    assert '"metadata": {"tags": ["old"]}' in path.read_text()  # the shadowed copy is left as it was


@pytest.fixture(scope="module")
def cli_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("params") / "proj", "parameterized.ipynb", "no_parameters.ipynb"
    )


def test_cli_params_lists_and_checks_values(cli_project: Path) -> None:
    shown = dsl(cli_project, "params", "nb/parameterized.ipynb").stdout
    assert "parameters cell is cell 2" in shown and "learning rate" in shown and "float" in shown
    (cli_project / "over.yaml").write_text("epochs: 9\n", encoding="utf-8")
    data = dsl_json(cli_project, "params", "nb/parameterized.ipynb", "-f", "over.yaml", "-p", "alpha", "0.25")
    assert (data["cell"], data["cell_index"]) == (2, 1)  # cells numbered from 1, as the text says them
    assert data["values"] == {"epochs": 9, "alpha": 0.25}
    assert [p["name"] for p in data["parameters"]][:2] == ["alpha", "epochs"]
    none = dsl(cli_project, "params", "nb/no_parameters.ipynb").stdout
    assert "has no parameters cell" in none and "--tag-cell" in none


def test_cli_params_shows_sources_relative_to_the_project_and_coerced_values(cli_project: Path) -> None:
    (cli_project / "configs").mkdir(exist_ok=True)
    (cli_project / "configs" / "run.yaml").write_text("epochs: 9\n", encoding="utf-8")
    args = ("params", "parameterized.ipynb", "-f", "../configs/run.yaml", "-p", "name", "5")
    data = dsl_json(cli_project / "nb", *args)  # started in nb/: the path is the project's, not the cwd's
    assert data["sources"] == {"epochs": "configs/run.yaml", "name": "-p"}
    assert data["values"]["name"] == "5" and list(data["coerced"]) == ["name"]
    assert "'5'" in data["coerced"]["name"]
    text = dsl(cli_project / "nb", *args).stdout
    header = text.splitlines()[1].split()
    assert header[:7] == ["name", "type", "default", "value", "from", "note", "help"]
    epochs = next(line for line in text.splitlines() if line.startswith("epochs"))
    assert epochs.split()[3:5] == ["9", "configs/run.yaml"] and str(cli_project) not in text
    name = next(line for line in text.splitlines()[2:] if line.startswith("name"))
    assert "kept as text '5' (as YAML: int 5)" in name


def test_cli_params_errors_and_exit_codes(cli_project: Path) -> None:
    unknown = dsl(cli_project, "params", "nb/parameterized.ipynb", "-p", "seed", "1", code=2)
    assert "unknown parameter 'seed'" in unknown.stderr and "alpha: float = 0.5" in unknown.stderr
    (cli_project / "bad.yaml").write_text("epochs: [\n", encoding="utf-8")
    bad = dsl(cli_project, "params", "nb/parameterized.ipynb", "-f", "bad.yaml", code=5)
    assert "not valid YAML" in bad.stderr
    missing = dsl(cli_project, "params", "nb/missing.ipynb", code=3)
    assert "not found" in missing.stderr


def test_cli_tag_cell(cli_project: Path) -> None:
    path = cli_project / "nb" / "no_parameters.ipynb"
    data = dsl_json(cli_project, "params", "nb/no_parameters.ipynb", "--tag-cell", "1")
    assert data == {"path": str(path), "cell": 1, "cell_index": 0, "changed": True, "moved_from": None}
    assert dsl_json(cli_project, "params", "nb/no_parameters.ipynb")["parameters"][0]["name"] == "msg"
    again = dsl(cli_project, "params", "nb/no_parameters.ipynb", "--tag-cell", "1").stdout
    assert "already the parameters cell" in again
    conflict = dsl(cli_project, "params", "nb/no_parameters.ipynb", "--tag-cell", "2", code=4)
    assert "--move" in conflict.stderr
