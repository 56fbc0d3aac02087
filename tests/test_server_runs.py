"""/jupyter-dsl/params/{path}, /jupyter-dsl/runs, /jupyter-dsl/runs/{id} and /jupyter-dsl/runs/{id}/notebook
on a real server, over two real runs (papermill, a fresh kernel) of a parameterized notebook: one succeeds,
one fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_server.auth import Authorizer
from runs_support import NOTEBOOKS, artifact_path
from server_support import NOTEBOOK, Api, api, git, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import RunRecord, RunStore
from jupyter_dsl.runs.service import run_notebook

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
    assert set(answer) == {"path", "cell", "cell_index", "parameters", "notes"}
    assert answer["path"] == PARAMETERIZED and answer["notes"] == []
    assert (answer["cell"], answer["cell_index"]) == (2, 1)  # cell 2 in JupyterLab, cells[1] in the file
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
    assert answer == {"path": PLAIN, "cell": None, "cell_index": None, "parameters": [], "notes": []}
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
        "defaults",
    }
    assert newest["notebook"] == PARAMETERIZED and newest["status"] == "failed"
    assert newest["error"]["ename"] == "TypeError" and oldest["error"] is None
    assert newest["parameters"] == {"alpha": 0.2, "layers": ["x"]} and newest["metrics"] == {}
    assert oldest["parameters"] == {"alpha": 0.1} and oldest["metrics"] == {"score": pytest.approx(3.3)}
    assert oldest["defaults"]["epochs"] == 3 and "alpha" not in oldest["defaults"]  # what it used, not given
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


def test_runs_where_filters_metrics_as_the_cli_does(api: Api, served: dict[str, Any]) -> None:
    succeeded = served["succeeded"]["id"]  # score 3.3; the failed run recorded no metric
    assert ids(api.get("runs", path=PARAMETERIZED, where="score>3")) == [succeeded]
    assert ids(api.get("runs", path=PARAMETERIZED, where=["score > 3", "score<=3.3"])) == [succeeded]
    none = api.get("runs", path=PARAMETERIZED, where=["score>3", "score<3"])  # every one must hold
    assert none["runs"] == [] and none["total"] == 0
    assert ids(api.get("runs", path=PARAMETERIZED, where="score!=1", status="failed")) == []
    unreadable = api.call("GET", "runs", params={"path": PARAMETERIZED, "where": "score>high"})
    assert unreadable.code == 400 and "score>high" in unreadable.error["message"]
    assert "NAME>VALUE" in (unreadable.error["hint"] or "")
    unknown_batch = api.call("GET", "runs", params={"path": PARAMETERIZED, "batch": "nosuchbatch"})
    assert unknown_batch.code == 404, unknown_batch.body


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


# -- /runs/{id}/notebook ----------------------------------------------------------------------------


def sources(notebook: dict[str, Any]) -> list[str]:
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def test_output_notebook_of_a_run(api: Api, served: dict[str, Any]) -> None:
    succeeded = served["succeeded"]
    on_disk = json.loads(json.dumps(nbformat.read(artifact_path(succeeded["output_notebook"]), as_version=4)))
    reply = api.call("GET", f"runs/{succeeded['id']}/notebook")
    assert reply.code == 200 and reply.headers["Content-Type"].startswith("application/json")
    answer = reply.json
    assert answer == on_disk  # the artifact itself (multi-line sources as one string), from hidden .dsl/
    assert answer["nbformat"] == 4
    # papermill's injected cell carries the run's value, after the notebook's own defaults
    injected = [c for c in answer["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and "alpha = 0.1" in "".join(injected[0]["source"])
    assert any("alpha = 0.5  # learning rate" in source for source in sources(answer))
    streams = [o for c in answer["cells"] if c["cell_type"] == "code" for o in c["outputs"] if "text" in o]
    assert any(succeeded["id"] in "".join(o["text"]) for o in streams)  # it printed its run directory
    assert api.get(f"runs/{succeeded['id'][:-2]}/notebook") == on_disk  # a unique prefix is enough


def test_output_notebook_of_a_failed_run_shows_its_error(api: Api, served: dict[str, Any]) -> None:
    answer = api.get(f"runs/{served['failed']['id']}/notebook")
    errors = [o for c in answer["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert any(o["output_type"] == "error" and o["ename"] == "TypeError" for o in errors)


def record_with(store_root: Path, run_id: str, artifacts: list[str]) -> None:
    """A run of another notebook whose record names ``artifacts`` (as a tampered index could)."""
    record = RunRecord(run_id, "nb/other.ipynb", "0" * 64, {}, "python3", status="succeeded")
    record.artifacts = artifacts
    with RunStore(find_project(store_root).database_path) as store:
        store.insert(record)


def test_output_notebook_outside_the_artifact_store_is_refused(api: Api, served: dict[str, Any]) -> None:
    root: Path = served["root"]
    succeeded = served["succeeded"]
    store = root / ".dsl" / "artifacts"
    real = artifact_path(succeeded["output_notebook"])
    outside = root.parent / "outside.ipynb"
    shutil.copy(real, outside)
    linked = store / "20990101-000000-00000e"
    linked.mkdir()
    (linked / "parameterized.ipynb").symlink_to(outside)
    tampered = {
        "20990101-000000-00000a": [f"file://{outside}"],  # a notebook outside the server root
        "20990101-000000-00000b": [f"file://{root / PARAMETERIZED}"],  # inside the root, not the store
        "20990101-000000-00000c": [f"file://{store}/20990101-000000-00000c/../{succeeded['id']}/{real.name}"],
        "20990101-000000-00000d": [f"file://{real}"],  # another run's notebook
        "20990101-000000-00000e": [f"file://{linked / 'parameterized.ipynb'}"],  # a symlink out
        "20990101-000000-00000f": ["memory://20990101-000000-00000f/parameterized.ipynb"],
        "20990101-000000-000010": [f"file://{store}/20990101-000000-000010/secrets.txt"],
    }
    for run_id, artifacts in tampered.items():
        record_with(root, run_id, artifacts)
    for run_id in tampered:
        reply = api.call("GET", f"runs/{run_id}/notebook")
        assert reply.code == 403, (run_id, reply.body)
        assert "artifact store" in reply.error["message"]
        assert b"cells" not in reply.body and str(root) not in reply.body.decode()


def test_output_notebook_not_found(api: Api, served: dict[str, Any]) -> None:
    root: Path = served["root"]
    unknown = api.call("GET", "runs/20990101-000000-abcdef/notebook")
    assert unknown.code == 404 and "20990101-000000-abcdef" in unknown.error["message"]
    record_with(root, "20990102-000000-000001", [])  # stopped before papermill wrote one
    none = api.call("GET", "runs/20990102-000000-000001/notebook")
    assert none.code == 404 and "no output notebook" in none.error["message"]
    gone = root / ".dsl" / "artifacts" / "20990102-000000-000002" / "other.ipynb"
    record_with(root, "20990102-000000-000002", [f"file://{gone}"])
    reply = api.call("GET", "runs/20990102-000000-000002/notebook")
    assert reply.code == 404 and "gone" in reply.error["message"]
    assert api.call("GET", "runs/x/notebook", params={"path": "../up"}).code == 403


class DenyDsl(Authorizer):
    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "jupyter_dsl"


class TestOutputNotebookRefused:
    @pytest.fixture
    def jp_server_config(self) -> Config:
        return server_config(authorizer_class=DenyDsl)

    def test_unauthorized_and_unauthenticated(self, api: Api, served: dict[str, Any]) -> None:
        route = f"runs/{served['succeeded']['id']}/notebook"
        denied = api.call("GET", route)
        assert denied.code == 403 and denied.json["message"].endswith("resource: jupyter_dsl.")
        assert b"cells" not in denied.body
        anonymous = api.call("GET", route, auth=False)
        assert anonymous.code == 403 and b"cells" not in anonymous.body
