"""The run service: a run, a rerun and a batch in the foreground and in the background, followed by an
observer; cancel through the store; the guard against runs inside runs; a batch reads its notebook once."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import pytest
from batch_support import wait_for
from runs_support import make_project

from jupyter_dsl.batch.driver import BatchOptions, BatchOutcome, batch_state, cancel_batch, plan_batch
from jupyter_dsl.batch.grid import editor_grid
from jupyter_dsl.errors import InsideRun
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs.execute import plan_run
from jupyter_dsl.runs.jobs import Job, Observer
from jupyter_dsl.runs.recording import RUN_ID_ENV
from jupyter_dsl.runs.records import RunRecord
from jupyter_dsl.runs.rerun import RerunReport
from jupyter_dsl.runs.service import RunService
from jupyter_dsl.runs.store import RunQuery, RunStore

NOTEBOOK = "nb/batch_hold.ipynb"


class Recorder(Observer):
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.lock = threading.Lock()

    def on_start(self, record: RunRecord) -> None:
        with self.lock:
            self.events.append(("start", (record.id, record.status)))

    def on_progress(self, progress: Any) -> None:
        with self.lock:
            self.events.append(("progress", progress.done))

    def on_finish(self, job: Job) -> None:
        with self.lock:
            self.events.append(("finish", job.state))

    def kinds(self) -> list[str]:
        with self.lock:
            return [kind for kind, _ in self.events]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return find_project(make_project(tmp_path / "p", "batch_hold.ipynb", "sleeper.ipynb"))


def stored(project: Project, run_id: str) -> RunRecord:
    with RunStore(project.database_path) as store:
        return store.get(run_id)


@pytest.mark.parametrize("foreground", [True, False])
def test_a_run_is_a_job_an_observer_follows(project: Project, foreground: bool) -> None:
    observer = Recorder()
    plan = plan_run(project, project.root / NOTEBOOK, values={"n": 3})
    job = RunService().start_run(plan, foreground=foreground, observer=observer)
    assert job.kind == "run" and job.path == NOTEBOOK
    assert job.wait(300)
    assert job.state == "done" and isinstance(job.result, RunRecord)
    assert job.result.status == "succeeded" and job.result.metrics == {"square": 9.0}
    assert stored(project, job.result.id).status == "succeeded" and job.run_id == job.result.id
    assert observer.events[0] == ("start", (job.result.id, "running"))
    assert observer.events[-1] == ("finish", "done")
    assert job.to_json()["run"] == {"id": job.result.id, "status": "succeeded"}


def test_a_background_rerun_is_a_job_whose_run_is_recorded(project: Project) -> None:
    service = RunService()
    first = service.start_run(plan_run(project, project.root / NOTEBOOK, values={"n": 2}), foreground=True)
    assert isinstance(first.result, RunRecord)
    job = service.start_rerun(project, first.result.id[-6:])
    assert job.kind == "rerun" and job.state == "running"  # returned at once
    assert job.wait(300) and job.state == "done"
    assert isinstance(job.result, RerunReport) and job.result.original.id == first.result.id
    rerun = stored(project, job.result.rerun.id)
    assert rerun.rerun_of == first.result.id and rerun.metrics == {"square": 4.0}
    assert job.to_json()["rerun"]["original"] == first.result.id
    assert [j.id for j in service.jobs(NOTEBOOK)] == [job.id, first.id]


@pytest.mark.parametrize("foreground", [True, False])
def test_a_batch_is_a_job_an_observer_follows(project: Project, foreground: bool) -> None:
    observer = Recorder()
    plan = plan_batch(project, project.root / NOTEBOOK, None, spec=editor_grid({"n": "0, 1"}))
    job = RunService().start_batch(plan, BatchOptions(workers=2), foreground=foreground, observer=observer)
    assert job.kind == "batch" and job.batch_id == plan.batch_id and job.total == 2
    assert batch_state(project, plan.batch_id).total == 2  # in the store when start returned
    assert job.wait(300) and job.state == "done"
    assert isinstance(job.result, BatchOutcome) and job.result.exit_code == 0
    assert sorted(r.metrics["square"] for r in job.result.state.runs) == [0.0, 1.0]
    assert "progress" in observer.kinds() and observer.events[-1] == ("finish", "done")


def test_a_batch_is_cancelled_through_the_store(project: Project, tmp_path: Path) -> None:
    hold = tmp_path / "hold"
    hold.write_text("")
    plan = plan_batch(
        project, project.root / NOTEBOOK, None, spec=editor_grid({"n": "2, 3", "hold": repr(str(hold))})
    )
    job = RunService().start_batch(plan, BatchOptions(workers=2))
    # a run holds on the file; a loaded machine may start the second only later: one running is enough
    wait_for(lambda: batch_state(project, plan.batch_id).counts.get("running"), "a run", limit=240)
    cancel_batch(project, plan.batch_id)  # another process's cancel: only the store is shared
    assert job.wait(300) and isinstance(job.result, BatchOutcome)
    assert job.result.stopped == "interrupted" and job.result.exit_code == 130
    states = [r.state for r in job.result.state.runs]
    assert "interrupted" in states and "succeeded" not in states and "running" not in states, states


def test_a_run_is_cancelled_by_its_service(project: Project) -> None:
    service, observer = RunService(), Recorder()
    plan = plan_run(project, project.root / "nb/sleeper.ipynb", values={"seconds": 600})
    job = service.start_run(plan, observer=observer)
    wait_for(lambda: "start" in observer.kinds(), "the run to start")
    service.cancel(job.id)
    assert job.wait(300) and job.state == "done" and isinstance(job.result, RunRecord)
    assert stored(project, job.result.id).status == "interrupted"


def test_the_guard_refuses_before_anything_else(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RUN_ID_ENV, "20240101-000000-abcdef")
    service, planned = RunService(), []

    def plan() -> Any:
        planned.append(1)
        return plan_run(project, project.root / NOTEBOOK)

    for start in (
        lambda: service.start_run(plan, foreground=True),
        lambda: service.start_run(plan),
        lambda: service.start_batch(plan),
        lambda: service.start_rerun(project, "abcdef"),
    ):
        with pytest.raises(InsideRun):
            start()
    assert planned == [] and service.jobs() == []
    with RunStore(project.database_path) as store:
        assert store.count(RunQuery()) == 0


def test_a_batch_runs_the_notebook_its_plan_read(project: Project) -> None:
    path = project.root / NOTEBOOK
    planned = path.read_bytes()
    plan = plan_batch(project, path, None, spec=editor_grid({"n": "2, 3"}))
    assert plan.base.notebook_bytes == planned and plan.context is not None
    assert plan.notebook_hash == hashlib.sha256(planned).hexdigest() == plan.context.notebook_hash
    text = planned.decode("utf-8")
    changed = text.replace('jupyter_dsl.record(\\"square\\", n * n)', 'jupyter_dsl.record(\\"square\\", -1)')
    assert changed != text
    path.write_text(changed, encoding="utf-8")  # after planning: the runs still run what was planned
    job = RunService().start_batch(plan, BatchOptions(workers=2), foreground=True)
    assert isinstance(job.result, BatchOutcome) and job.result.exit_code == 0
    runs = job.result.state.runs
    assert sorted(r.metrics["square"] for r in runs) == [4.0, 9.0]
    for run in runs:
        assert stored(project, str(run.run_id)).notebook_hash == plan.notebook_hash
