"""/jupyter-dsl/params/{path}, /jupyter-dsl/runs and /jupyter-dsl/runs/{id} on a real server, over
two real runs (papermill, a fresh kernel) of a parameterized notebook: one succeeds, one fails."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from runs_support import NOTEBOOKS
from server_support import NOTEBOOK, Api, api, git, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.project import find_project
from jupyter_dsl.runs.execute import run_notebook

__all__ = ["api"]  # the fixture, imported for pytest

PARAMETERIZED = "nb/parameterized.ipynb"
PLAIN = "nb/no_parameters.ipynb"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The server root: a committed project with two runs of nb/parameterized.ipynb (newest last)."""
    root = tmp_path_factory.mktemp("runs") / "root"
    make_project(root)
    (root / "nb").mkdir()
    for name in ("parameterized.ipynb", "no_parameters.ipynb"):
        shutil.copy(NOTEBOOKS / name, root / "nb" / name)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "notebooks")
    project = find_project(root)
    succeeded = run_notebook(project, root / PARAMETERIZED, overrides=[("alpha", "0.1")])
    failed = run_notebook(project, root / PARAMETERIZED, overrides=[("alpha", "0.2"), ("layers", "[x]")])
    assert (succeeded.status, failed.status) == ("succeeded", "failed")
    return {"root": root, "succeeded": succeeded.to_json(), "failed": failed.to_json()}


@pytest.fixture
def jp_root_dir(served: dict[str, Any]) -> Path:
    root: Path = served["root"]
    return root


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


def ids(answer: dict[str, Any]) -> list[str]:
    return [run["id"] for run in answer["runs"]]


# -- /params/{path} ---------------------------------------------------------------------------------


def test_params_of_a_notebook_with_a_parameters_cell(api: Api, served: dict[str, Any]) -> None:
    answer = api.get(f"params/{PARAMETERIZED}")
    assert set(answer) == {"path", "cell", "parameters", "notes"}
    assert answer["path"] == PARAMETERIZED and answer["cell"] == 1 and answer["notes"] == []
    by_name = {p["name"]: p for p in answer["parameters"]}
    assert list(by_name) == ["alpha", "epochs", "name", "flag", "layers", "options", "note", "start"]
    assert by_name["alpha"] == {
        "name": "alpha",
        "type": "float",
        "default": "0.5",
        "help": "learning rate",
        "annotation": "",
        "optional": False,
    }
    assert by_name["note"]["type"] == "any" and by_name["note"]["optional"] is True
    assert by_name["layers"]["type"] == "list"
    # the API path comes back normalized, never the server's absolute path
    assert api.get(f"params/./{PARAMETERIZED}")["path"] == PARAMETERIZED
    assert str(served["root"]) not in api.call("GET", f"params/{PARAMETERIZED}").body.decode()


def test_params_of_a_notebook_without_a_parameters_cell(api: Api) -> None:
    answer = api.get(f"params/{PLAIN}")
    assert answer == {"path": PLAIN, "cell": None, "parameters": [], "notes": []}
    assert api.get(f"params/{NOTEBOOK}")["parameters"][0]["name"] == "alpha"


def test_params_errors(api: Api, served: dict[str, Any]) -> None:
    root: Path = served["root"]
    missing = api.call("GET", "params/nb/missing.ipynb")
    assert missing.code == 404 and "nb/missing.ipynb" in missing.error["message"]
    assert str(root) not in missing.error["message"]
    assert api.call("GET", "params/nb").code == 400  # a directory
    assert api.call("GET", "params/dsl.toml").code == 400  # not a notebook
    broken = root / "nb" / "broken.ipynb"
    broken.write_bytes(b'{"cells": [')
    try:
        reply = api.call("GET", "params/nb/broken.ipynb")
        assert reply.code == 400 and "not a valid notebook" in reply.error["message"]
        assert broken.read_bytes() == b'{"cells": ['
    finally:
        broken.unlink()
    outside = api.raw("GET", api.url("params/") + "..%2Foutside.ipynb")
    assert outside.code == 403, outside.body
    assert api.raw("GET", api.url("params/") + "%2Fetc%2Fpasswd.ipynb").code == 403


# -- /runs ------------------------------------------------------------------------------------------


def test_runs_of_a_notebook_newest_first(api: Api, served: dict[str, Any]) -> None:
    succeeded, failed = served["succeeded"], served["failed"]
    answer = api.get("runs", path=PARAMETERIZED)
    assert set(answer) == {"runs", "varying_parameters", "metrics", "total"}
    assert ids(answer) == [failed["id"], succeeded["id"]] and answer["total"] == 2
    assert answer["varying_parameters"] == ["alpha", "layers"]
    assert answer["metrics"] == ["score"]
    newest, oldest = answer["runs"]
    assert set(newest) == {
        "id",
        "notebook",
        "status",
        "issue",
        "batch_id",
        "started_at",
        "duration_s",
        "parameters",
        "metrics",
        "error",
    }
    assert newest["notebook"] == PARAMETERIZED and newest["status"] == "failed"
    assert newest["error"]["ename"] == "TypeError" and oldest["error"] is None
    assert newest["parameters"] == {"alpha": 0.2, "layers": ["x"]} and newest["metrics"] == {}
    assert oldest["parameters"] == {"alpha": 0.1} and oldest["metrics"] == {"score": pytest.approx(3.3)}
    assert oldest["started_at"] == succeeded["started_at"]


def test_runs_status_filter_and_limit(api: Api, served: dict[str, Any]) -> None:
    succeeded, failed = served["succeeded"]["id"], served["failed"]["id"]
    only_ok = api.get("runs", path=PARAMETERIZED, status="succeeded")
    assert ids(only_ok) == [succeeded] and only_ok["total"] == 1
    assert only_ok["varying_parameters"] == ["alpha"]  # a single run: all of its parameters
    assert ids(api.get("runs", path=PARAMETERIZED, status="failed")) == [failed]
    none = api.get("runs", path=PARAMETERIZED, status="killed")
    assert none == {"runs": [], "varying_parameters": [], "metrics": [], "total": 0}
    newest = api.get("runs", path=PARAMETERIZED, limit=1)
    assert ids(newest) == [failed] and newest["total"] == 2
    assert ids(api.get("runs", path=PARAMETERIZED, limit=0)) == [failed, succeeded]


def test_runs_of_a_notebook_or_project_without_runs(api: Api, jp_root_dir: Path) -> None:
    assert api.get("runs", path=PLAIN) == {"runs": [], "varying_parameters": [], "metrics": [], "total": 0}
    make_project(jp_root_dir / "fresh", "nb.ipynb")
    empty = api.get("runs", path="fresh/nb.ipynb")
    assert empty == {"runs": [], "varying_parameters": [], "metrics": [], "total": 0}


def test_runs_errors(api: Api, jp_root_dir: Path) -> None:
    assert "?path=" in api.call("GET", "runs").error["message"]
    for params in ({"status": "done"}, {"limit": "-1"}, {"limit": "ten"}, {"limit": str(2**64)}):
        reply = api.call("GET", "runs", params={"path": PARAMETERIZED, **params})
        assert reply.code == 400, (params, reply.body)
    bad_status = api.call("GET", "runs", params={"path": PARAMETERIZED, "status": "done"})
    assert "'done'" in bad_status.error["message"] and "succeeded" in (bad_status.error["hint"] or "")
    assert api.call("GET", "runs", params={"path": "../x.ipynb"}).code == 403
    assert api.call("GET", "runs", params={"path": "/etc/x.ipynb"}).code == 403
    no_folder = api.call("GET", "runs", params={"path": "nowhere/x.ipynb"})
    assert no_folder.code == 404 and str(jp_root_dir) not in no_folder.body.decode()


# -- /runs/{id} -------------------------------------------------------------------------------------


def test_one_run(api: Api, served: dict[str, Any]) -> None:
    succeeded = served["succeeded"]
    answer = api.get(f"runs/{succeeded['id']}")
    assert set(answer) == {"run", "output"}
    run = answer["run"]
    assert run["id"] == succeeded["id"] and run["notebook"] == PARAMETERIZED
    assert run["status"] == "succeeded" and run["parameters"] == {"alpha": 0.1}
    assert run["metrics"] == {"score": pytest.approx(3.3)}
    assert run["environment"]["packages"]  # the full record, packages included
    assert answer["output"] == f".dsl/artifacts/{succeeded['id']}/parameterized.ipynb"
    assert run["output_notebook"].endswith(answer["output"])
    failed = api.get(f"runs/{served['failed']['id']}")["run"]
    assert failed["status"] == "failed" and failed["error"]["ename"] == "TypeError"
    prefix = api.get(f"runs/{succeeded['id'][:-2]}")  # a unique prefix is enough
    assert prefix["run"]["id"] == succeeded["id"]
    random_part = api.get(f"runs/{failed['id'].rsplit('-', 1)[1]}")  # the README's form of an id
    assert random_part["run"]["id"] == failed["id"]


def test_one_run_errors(api: Api, jp_root_dir: Path, served: dict[str, Any]) -> None:
    unknown = api.call("GET", "runs/20990101-000000-abcdef")
    assert unknown.code == 404 and "20990101-000000-abcdef" in unknown.error["message"]
    assert api.call("GET", "runs/x", params={"path": "../up"}).code == 403
    # ?path= picks the project: the runs of the outer one are not in a nested project's index
    make_project(jp_root_dir / "nested", "nb.ipynb")
    elsewhere = api.call("GET", f"runs/{served['succeeded']['id']}", params={"path": "nested"})
    assert elsewhere.code == 404, elsewhere.body
