"""Runs the sidebar starts (POST /jobs) on a real server fork their fresh kernels from a fork server
the server keeps warm (started on the first run, preloading the notebook's imports, stopped with the
server): each run is still a new process, and records as a run always did."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from server_support import GIT_ENV, Api, api, git, make_project, server_config
from traitlets.config import Config

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.service import run_notebook

__all__ = ["api"]  # the fixture, imported for pytest

GUARD_S = 120  # only bounds a broken run; nothing here measures time
LEAK = "notebooks/leak.ipynb"


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def project(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed project whose notebook records whether a module-level value of an earlier run is
    there, and which process started its kernel."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    make_project(jp_root_dir)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("n = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import json\nimport os\nimport jupyter_dsl\n"
            "jupyter_dsl.record('leaked', getattr(json, 'dsl_leak', -1))\n"
            "jupyter_dsl.record('parent', os.getppid())\n"
            "jupyter_dsl.record('kernel', os.getpid())\n"
            "json.dsl_leak = n"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, jp_root_dir / LEAK)
    git(jp_root_dir, "add", "--all")
    git(jp_root_dir, "commit", "--quiet", "-m", "leak")
    return jp_root_dir


def sidebar_run(api: Api, n: int) -> dict[str, Any]:
    reply = api.call("POST", "jobs", {"path": LEAK, "set": {"n": str(n)}})
    assert reply.code == 202, reply.body
    job = reply.json["job"]
    deadline = time.monotonic() + GUARD_S
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        [job] = [j for j in api.get("jobs", path=LEAK)["jobs"] if j["id"] == job["id"]]
    assert job["state"] == "done", job
    run: dict[str, Any] = api.get(f"runs/{job['run']['id']}")["run"]
    assert run["status"] == "succeeded", run
    return run


def value(run: dict[str, Any], name: str) -> Any:
    return run["values"][name]["value"]


def gone(pid: int) -> bool:
    """The process ended (and was reaped, or is a zombie waiting for it)."""
    deadline = time.monotonic() + GUARD_S
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_sidebar_runs_fork_fresh_kernels_from_a_warm_fork_server(api: Api, project: Path) -> None:
    first, second = sidebar_run(api, 1), sidebar_run(api, 2)
    # a module-level value set by run 1 is absent in run 2: each run is a new process
    assert value(first, "leaked") == -1 and value(second, "leaked") == -1
    assert value(first, "kernel") != value(second, "kernel")
    # both kernels were forked by the same fork server, a child of the server (not the server itself)
    zygote = value(first, "parent")
    assert zygote == value(second, "parent") and zygote != os.getpid()
    assert psutil.Process(zygote).ppid() == os.getpid()
    assert gone(value(first, "kernel")) and gone(value(second, "kernel"))  # killed when the run ended


def test_a_sidebar_run_records_as_a_run_started_elsewhere(api: Api, project: Path) -> None:
    sidebar = sidebar_run(api, 3)
    core = run_notebook(find_project(project), project / LEAK, overrides=[("n", "3")]).to_json()
    same = ("status", "notebook", "notebook_hash", "identity", "parameters", "kernel", "git", "issue")
    assert {k: sidebar[k] for k in same} == {k: core[k] for k in same}
    assert sidebar["environment"] == core["environment"]
    assert sidebar["warnings"] == core["warnings"] == [] and sidebar["error"] is None
    assert value(sidebar, "leaked") == value(core, "leaked") == -1
    assert [Path(url).name for url in sidebar["artifacts"]] == [Path(url).name for url in core["artifacts"]]
    assert Path(sidebar["artifacts"][0]).name == "leak.ipynb"  # the output notebook first
    assert Path(sidebar["artifacts"][0].removeprefix("file://")).exists()


def test_the_fork_server_stops_with_the_server(
    api: Api, project: Path, jp_serverapp: Any, jp_asyncio_loop: Any
) -> None:
    run = sidebar_run(api, 4)
    zygote = value(run, "parent")
    assert psutil.Process(zygote).ppid() == os.getpid()  # kept warm after the run
    jp_asyncio_loop.run_until_complete(jp_serverapp.extension_manager.stop_all_extensions())
    assert gone(zygote)
    assert gone(value(run, "kernel"))
    left = [p for p in psutil.Process().children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE]
    assert not [p for p in left if "zygote" in " ".join(p.cmdline()) or "ipykernel" in " ".join(p.cmdline())]


def test_a_package_edited_between_two_sidebar_runs_is_imported_afresh(
    api: Api, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module the fork server preloaded and the user then changes (a package developed in place)
    is what the next run imports, not the fork server's copy."""
    place = tmp_path / "dev"
    (place / "devpkg").mkdir(parents=True)
    source = place / "devpkg" / "__init__.py"
    source.write_text("VALUE = 1\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(place), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.syspath_prepend(str(place))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("n = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import devpkg\nimport jupyter_dsl\njupyter_dsl.record('value', devpkg.VALUE)"
        ),
    ]
    nbformat.write(nb, project / "notebooks" / "dev.ipynb")

    def run() -> dict[str, Any]:
        reply = api.call("POST", "jobs", {"path": "notebooks/dev.ipynb"})
        assert reply.code == 202, reply.body
        job = reply.json["job"]
        deadline = time.monotonic() + GUARD_S
        while job["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.2)
            [job] = [j for j in api.get("jobs", path="notebooks/dev.ipynb")["jobs"] if j["id"] == job["id"]]
        record: dict[str, Any] = api.get(f"runs/{job['run']['id']}")["run"]
        assert record["status"] == "succeeded", record
        return record

    assert value(run(), "value") == 1
    source.write_text("VALUE = 2\n")
    later = time.time() + 5  # a coarse file system clock must still see the change
    os.utime(source, (later, later))
    assert value(run(), "value") == 2
