"""dsl.toml discovery (nearest ancestor, else git root) and typed, validated loading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_dsl.cli.hints import cli_hint
from jupyter_dsl.errors import ConfigError, InvalidInput, ProjectNotFound
from jupyter_dsl.hints import INIT
from jupyter_dsl.project.settings import (
    CONFIG_NAME,
    DEFAULT_CONFIG,
    Project,
    Settings,
    find_project,
    git_root,
    load_settings,
    settings_from_dict,
)


def write_config(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A directory with no dsl.toml and no git repository anywhere above it."""
    if git_root(tmp_path) is not None or any((p / CONFIG_NAME).exists() for p in tmp_path.parents):
        pytest.skip("the temporary directory sits inside a git repository or a DSLP project")
    return tmp_path


# -- discovery -----------------------------------------------------------------------------


def test_nearest_ancestor_with_dsl_toml_wins(outside: Path) -> None:
    write_config(outside / "outer", '[project]\nname = "outer"\n')
    inner = write_config(outside / "outer" / "inner", '[project]\nname = "inner"\n')
    deep = outside / "outer" / "inner" / "a" / "b"
    deep.mkdir(parents=True)
    found = find_project(deep)
    assert found.root == inner.parent.resolve()
    assert found.config_path == inner.resolve()
    assert found.settings.name == "inner"
    assert find_project(outside / "outer").settings.name == "outer"


def test_a_file_path_finds_its_folders_project(outside: Path) -> None:
    config = write_config(outside / "p", "")
    notebook = outside / "p" / "nb" / "a.ipynb"
    notebook.parent.mkdir()
    notebook.write_text("{}")
    assert find_project(notebook).root == config.parent.resolve()
    # a notebook about to be created (does not exist yet) still finds its project
    assert find_project(outside / "p" / "nb" / "new.ipynb").root == config.parent.resolve()


def test_string_start_and_relative_paths(outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(outside / "p", "")
    (outside / "p" / "sub").mkdir()
    monkeypatch.chdir(outside / "p" / "sub")
    assert find_project().root == (outside / "p").resolve()
    assert find_project("..").root == (outside / "p").resolve()
    assert find_project(str(outside / "p" / "sub")).root == (outside / "p").resolve()


def test_git_root_without_dsl_toml_uses_defaults(outside: Path, git: Callable[..., str]) -> None:
    repo = outside / "repo"
    (repo / "deep" / "er").mkdir(parents=True)
    git(repo, "init", "--quiet")
    found = find_project(repo / "deep" / "er")
    assert found.root == repo.resolve()
    assert found.config_path is None
    assert found.settings == Settings()
    assert found.database_path == repo.resolve() / ".dsl" / "dsl.sqlite"


def test_dsl_toml_inside_a_repo_beats_the_git_root(outside: Path, git: Callable[..., str]) -> None:
    repo = outside / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    config = write_config(repo / "analysis", '[project]\nname = "sub"\n')
    assert find_project(repo / "analysis").root == config.parent.resolve()
    assert find_project(repo).config_path is None


def test_outside_any_project_says_how_to_make_one(outside: Path) -> None:
    with pytest.raises(ProjectNotFound) as err:
        find_project(outside)
    assert str(outside.resolve()) in err.value.message
    advice = err.value.advice
    assert advice is not None and advice.action is not None and advice.action.name == INIT
    assert "jupyter dsl init" in (cli_hint(advice) or "") and "jupyter dsl" not in advice.text
    assert err.value.exit_code == 3 and err.value.http_status == 404


def test_missing_start_directory_is_project_not_found(outside: Path) -> None:
    with pytest.raises(ProjectNotFound):
        find_project(outside / "no" / "such" / "dir")


# -- loading -------------------------------------------------------------------------------


FULL = """\
[project]
name = "churn"

[tracker]
kind = "github"
repo = "acme/churn"
api_url = "https://forge.example.invalid/api/v3"
timeout = 10

[runs]
store = "state/runs.sqlite"
artifacts = "memory://artifacts"
mlflow_tracking_uri = "sqlite:///mlflow.db"
executor = "dask"
kernel = "python3"

[branches]
base = "develop"

[batch]
workers = 3
scheduler = "tcp://127.0.0.1:8786"

[findings]
dir = "reports"
"""


def test_typed_loading_of_every_key(outside: Path) -> None:
    project = find_project(write_config(outside / "p", FULL).parent)
    settings = project.settings
    assert settings.name == "churn"
    assert (settings.tracker.kind, settings.tracker.repo) == ("github", "acme/churn")
    assert settings.tracker.timeout == 10.0 and isinstance(settings.tracker.timeout, float)
    assert settings.runs.executor == "dask" and settings.runs.kernel == "python3"
    assert settings.branches.base == "develop"
    assert settings.batch.workers == 3 and settings.batch.scheduler.startswith("tcp://")
    assert settings.findings.dir == "reports"
    assert project.database_path == project.root / "state" / "runs.sqlite"
    assert project.resolve(settings.runs.artifacts) == "memory://artifacts"
    assert project.resolve("/abs/path") == "/abs/path"


def test_default_config_text_loads_to_defaults(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, DEFAULT_CONFIG.format(name="demo")))
    assert settings == Settings(name="demo")


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    assert load_settings(write_config(tmp_path, "")) == Settings()


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[project]\nname = "x"\n\n[tracker]\nkind = \n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    text = str(err.value)
    assert str(path) in text
    assert "line 5" in text
    assert err.value.exit_code == 5


def test_syntax_error_surfaces_through_find_project(tmp_path: Path) -> None:
    write_config(tmp_path, "[branches\nbase = 'main'\n")
    with pytest.raises(ConfigError) as err:
        find_project(tmp_path)
    assert "dsl.toml" in str(err.value) and "line 1" in str(err.value)


def test_unreadable_bytes_are_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_bytes(b'[project]\nname = "\xff\xfe"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[trackr]\nkind = 'local'\n", ["[trackr]"]),
        ("[tracker]\nknd = 'local'\n", ["knd", "kind"]),  # the hint lists the valid keys
        ("[project]\ntitle = 'x'\n", ["title"]),
        ("[batch]\nworkers = 'two'\n", ["workers", "int"]),
        ("[batch]\nworkers = 2.5\n", ["workers", "int"]),
        ("[batch]\nworkers = true\n", ["workers", "int"]),
        ("[branches]\nbase = 3\n", ["base", "str"]),
        ("[tracker]\ntimeout = 'soon'\n", ["timeout", "float"]),
        ("[project]\nname = 3\n", ["name", "str"]),
        ("tracker = 'local'\n", ["[tracker]", "table"]),
        ("project = 'x'\n", ["[project]", "table"]),
        ("[tracker]\nkind = 'github'\n", ["repo"]),
        ("[tracker]\nkind = 'gitlab'\n", ["project"]),
        ("[tracker]\nrate_limit_wait = -1\n", ["rate_limit_wait"]),
        ("[batch]\nworkers = -1\n", ["workers"]),
        ("[tracker]\ntimeout = 0\n", ["timeout"]),
    ],
)
def test_unknown_keys_and_wrong_types_are_config_errors(tmp_path: Path, text: str, names: list[str]) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    full = str(err.value)
    assert str(path) in full
    for name in names:
        assert name in full


def test_settings_from_dict_names_its_source() -> None:
    with pytest.raises(ConfigError) as err:
        settings_from_dict({"runs": {"store": 1}}, source="somewhere.toml")
    assert err.value.message.startswith("somewhere.toml:")


def test_relative_paths_inside_and_outside_the_root(project: Project, tmp_path: Path) -> None:
    inside = project.root / "nb" / "x.ipynb"
    assert project.relative(inside) == "nb/x.ipynb"
    assert project.state_dir == project.root / ".dsl"
    with pytest.raises(InvalidInput) as err:
        project.relative(tmp_path / "elsewhere.ipynb")
    assert "outside" in err.value.message


def test_forge_settings_project_rate_limit_wait_and_remote(tmp_path: Path) -> None:
    text = (
        "[tracker]\nkind = 'gitlab'\nproject = 'group/name'\nrate_limit_wait = 5\n"
        "[branches]\nremote = 'upstream'\n"
    )
    settings = load_settings(write_config(tmp_path, text))
    assert settings.tracker.project == "group/name" and settings.tracker.rate_limit_wait == 5.0
    assert settings.branches.remote == "upstream"
    defaults = load_settings(write_config(tmp_path / "d", "[project]\nname = 'x'\n"))
    assert defaults.tracker.rate_limit_wait == 60.0 and defaults.branches.remote == "origin"
