"""The dask executor on a real ``LocalCluster`` (worker processes), and the executor registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from runs_support import artifact_path, make_project
from venv_support import venv_with_these_packages

from jupyter_dsl.batch.driver import BatchOptions, plan_batch
from jupyter_dsl.batch.executors import ExecutorOptions, names, open_executor
from jupyter_dsl.errors import ConfigError
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.service import run_batch
from jupyter_dsl.runs.store import RunStore

distributed = pytest.importorskip("distributed")


def test_a_batch_on_a_local_cluster_records_to_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "batch_faults.ipynb")
    (root / "grid.yaml").write_text("grid:\n  mode: [ok, raise]\n  x: [1.5, 2.5]\n")
    project = find_project(root)
    plan = plan_batch(project, root / "nb" / "batch_faults.ipynb", root / "grid.yaml")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
    ) as cluster:
        outcome = run_batch(plan, BatchOptions(executor="dask", scheduler=cluster.scheduler_address))
    assert outcome.exit_code == 7
    by_set = {(r.parameters["mode"], r.parameters["x"]): r for r in outcome.state.runs}
    assert by_set[("ok", 1.5)].state == by_set[("ok", 2.5)].state == "succeeded"
    assert by_set[("ok", 2.5)].metrics == {"double": 5.0}
    assert by_set[("raise", 1.5)].error == "ValueError: bad x 1.5"
    with RunStore(project.database_path) as store:
        record = store.get(by_set[("ok", 1.5)].run_id or "")
    assert record.batch_id == plan.batch_id
    assert artifact_path(record.artifacts[0]).exists()  # the artifact store the workers wrote to
    assert record.pid is not None


def wait_for_worker(client: distributed.Client, worker: subprocess.Popen[bytes], log: Path) -> None:
    """Until the worker has joined the scheduler, however slowly a loaded machine starts it; a worker
    that exits first fails the test with what it said (pytest's timeout bounds the whole test)."""
    while True:
        try:
            client.wait_for_workers(1, timeout=5)
            return
        except TimeoutError:
            code = worker.poll()
            assert code is None, f"the worker exited with {code} before it joined:\n{log.read_text()}"


def test_a_run_on_a_worker_records_the_workers_environment(tmp_path: Path) -> None:
    """A worker started by another interpreter (a virtual environment over this one's packages): the
    record names that interpreter, as a run started there would, not the driver's."""
    python = venv_with_these_packages(tmp_path / "worker-venv")
    root = make_project(tmp_path / "p", "batch_faults.ipynb")
    (root / "grid.yaml").write_text("grid:\n  mode: [ok]\n  x: [1.5]\n")
    project = find_project(root)
    plan = plan_batch(project, root / "nb" / "batch_faults.ipynb", root / "grid.yaml")
    log = tmp_path / "worker.log"
    with distributed.LocalCluster(n_workers=0, dashboard_address=None) as cluster, log.open("wb") as out:
        options = ["--nthreads", "1", "--nworkers", "1", "--no-dashboard"]
        worker = subprocess.Popen(
            [str(python), "-m", "distributed.cli.dask_worker", cluster.scheduler_address, *options],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            with distributed.Client(cluster.scheduler_address) as client:
                wait_for_worker(client, worker, log)
            outcome = run_batch(plan, BatchOptions(executor="dask", scheduler=cluster.scheduler_address))
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    (run,) = outcome.state.runs
    assert run.state == "succeeded", run.error
    with RunStore(project.database_path) as store:
        record = store.get(run.run_id or "")
    assert record.environment is not None
    assert Path(record.environment.executable) == python  # not the driver's sys.executable
    assert Path(sys.executable).resolve() != python


def test_unknown_executor_and_dask_without_scheduler_are_config_errors(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", "batch_faults.ipynb"))
    assert {"local", "dask"} <= set(names())
    with pytest.raises(ConfigError, match="no batch executor named 'ray'"):
        open_executor("ray", project, ExecutorOptions(2))
    with pytest.raises(ConfigError, match="needs a scheduler address"):
        open_executor("dask", project, ExecutorOptions(2))
