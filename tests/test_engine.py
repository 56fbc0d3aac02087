"""The run engine as a batch drives it: one context, prepared runs, kernels from a KernelLauncher
(forked from its zygote), faults recorded without stopping the next run, timeouts and stops."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from runs_support import make_project, output_notebook

from jupyter_dsl.errors import NotFound
from jupyter_dsl.kernels.ahead import KernelLauncher
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import RunRecord, RunStore
from jupyter_dsl.runs.execute import RunControl, capture_context, execute, plan_run, prepare_run

FAULTS = ("fault_exception.ipynb", "fault_os_exit.ipynb", "fault_sys_exit.ipynb")
NOTEBOOKS = (*FAULTS, "fault_infinite_loop.ipynb", "fault_leak.ipynb")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("engine") / "proj", *NOTEBOOKS)


@pytest.fixture(scope="module")
def launcher() -> Iterator[KernelLauncher]:
    with KernelLauncher("python3", preload=["json", "jupyter_dsl"]) as started:
        yield started


def gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def run(
    project: Path,
    launcher: KernelLauncher,
    name: str,
    *,
    values: dict[str, object] | None = None,
    timeout: float | None = None,
    control: RunControl | None = None,
) -> tuple[RunRecord, int]:
    plan = plan_run(find_project(project), project / "nb" / name, values=values)
    prepared = prepare_run(plan)
    kernel = launcher.start(prepared.env, plan.notebook.parent)
    with RunStore(find_project(project).database_path) as store:
        record = execute(prepared, store=store, kernel=kernel, timeout=timeout, control=control)
        assert store.get(record.id).to_json() == record.to_json()  # what is returned is what is stored
    return record, kernel.pid


def test_the_launcher_forks_here(launcher: KernelLauncher) -> None:
    assert launcher.note is None and launcher.forking
    assert launcher.preload_notes == []


def test_faults_are_recorded_and_the_next_run_goes_on(project: Path, launcher: KernelLauncher) -> None:
    expected = {
        "fault_exception.ipynb": ("failed", "ValueError", "planted failure"),
        "fault_os_exit.ipynb": ("failed", "DeadKernelError", "the kernel died"),
        "fault_sys_exit.ipynb": ("failed", "SystemExit", "2"),
    }
    for name, (status, ename, evalue) in expected.items():
        record, pid = run(project, launcher, name)
        assert record.status == status, name
        assert record.error is not None and record.error.cell_index == 1, name
        assert record.error.ename == ename and evalue in record.error.evalue, name
        assert gone(pid), name  # the kernel is killed at the end of every run
    record, _ = run(project, launcher, "fault_leak.ipynb")
    assert record.status == "succeeded" and record.error is None


def test_forked_kernels_leak_nothing_between_runs(project: Path, launcher: KernelLauncher) -> None:
    first, first_pid = run(project, launcher, "fault_leak.ipynb", values={"label": "one"})
    second, second_pid = run(project, launcher, "fault_leak.ipynb", values={"label": "two"})
    for record in (first, second):
        assert record.status == "succeeded"
        assert record.metrics["seen"] == 0  # neither a global nor an attribute on a preloaded module
        assert record.metrics["cwd_ok"] == 1  # the kernel runs in the notebook's folder
    assert (first.values["label"]["value"], second.values["label"]["value"]) == ("one", "two")
    assert first.metrics["pid"] == first_pid and second.metrics["pid"] == second_pid
    assert first_pid != second_pid and gone(first_pid) and gone(second_pid)


def test_a_run_past_its_timeout_fails_with_a_timeout_error(project: Path, launcher: KernelLauncher) -> None:
    record, pid = run(project, launcher, "fault_infinite_loop.ipynb", timeout=3)
    assert record.status == "failed"
    assert record.error is not None and record.error.ename == "Timeout" and record.error.cell_index == 1
    assert "3 s" in record.error.evalue
    assert record.metrics["looping"] == 1  # what the run recorded before it was stopped is kept
    assert gone(pid)


@pytest.mark.parametrize("reason", ["interrupted", "killed"])
def test_another_thread_stops_a_run(project: Path, launcher: KernelLauncher, reason: str) -> None:
    control = RunControl()
    plan = plan_run(find_project(project), project / "nb" / "fault_infinite_loop.ipynb")
    prepared = prepare_run(plan)
    kernel = launcher.start(prepared.env, plan.notebook.parent)
    looping = threading.Event()

    def watch() -> None:  # stop once papermill says the loop cell runs
        output = prepared.staging / plan.notebook.name
        while not looping.wait(0.1):
            try:
                cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
            except (OSError, ValueError):
                continue
            if cells[1]["metadata"].get("papermill", {}).get("status") == "running":
                control.stop(reason)
                return

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        record = execute(prepared, kernel=kernel, control=control)
    finally:
        looping.set()
        watcher.join()
    assert control.stopped == reason
    assert record.status == reason
    assert record.error is not None and record.error.ename == "RunStopped" and record.error.cell_index == 1
    assert gone(kernel.pid)
    control.stop("killed")  # stopping a finished run does nothing
    assert control.stopped == reason


def test_a_stopped_run_never_starts_its_notebook(project: Path, launcher: KernelLauncher) -> None:
    control = RunControl()
    control.stop("interrupted")
    plan = plan_run(find_project(project), project / "nb" / "fault_leak.ipynb")
    prepared = prepare_run(plan)
    kernel = launcher.start(prepared.env, plan.notebook.parent)
    record = execute(prepared, kernel=kernel, control=control)
    assert record.status == "interrupted" and record.metrics == {}
    assert gone(kernel.pid)


def test_runs_execute_the_notebook_as_captured(project: Path, launcher: KernelLauncher) -> None:
    path = project / "nb" / "fault_leak.ipynb"
    plan = plan_run(find_project(project), path)
    context = capture_context(plan)
    original = path.read_bytes()
    edited = nbformat.reads(original.decode(), as_version=4)
    edited.cells[1].source = "raise RuntimeError('edited mid-batch')"
    nbformat.write(edited, path)
    try:
        prepared = prepare_run(plan, context)
        record = execute(prepared, kernel=launcher.start(prepared.env, path.parent))
    finally:
        path.write_bytes(original)
    assert record.status == "succeeded"
    assert record.notebook_hash == context.notebook_hash
    out = output_notebook(record.to_json())
    assert out["metadata"]["papermill"]["input_path"] == str(path)
    assert "edited mid-batch" not in json.dumps(out["cells"])


def test_prepared_runs_share_the_context_and_wait_queued(project: Path) -> None:
    plan = plan_run(find_project(project), project / "nb" / "fault_leak.ipynb")
    context = capture_context(plan)
    a, b = prepare_run(plan, context), prepare_run(plan, context)
    assert a.record.id != b.record.id and a.staging != b.staging
    assert a.record.status == b.record.status == "queued"
    assert a.record.git == b.record.git == context.git and context.git is not None
    assert a.env["JUPYTER_DSL_RUN_ID"] == a.record.id
    with RunStore(find_project(project).database_path) as store, pytest.raises(NotFound):
        store.get(a.record.id)


def test_runs_of_one_notebook_read_it_once_and_each_gets_its_own_parameters(
    project: Path, launcher: KernelLauncher
) -> None:
    """papermill's reading of the input is done once per notebook content (``papermill_node``);
    each run parameterizes its own copy, so nothing of one run reaches the next one's notebook."""
    from jupyter_dsl.kernels.papermill_run import papermill_node

    first, _ = run(project, launcher, "fault_leak.ipynb", values={"label": "one"})
    second, _ = run(project, launcher, "fault_leak.ipynb", values={"label": "two"})
    content = (project / "nb" / "fault_leak.ipynb").read_bytes()
    node = papermill_node(content, first.notebook_hash)
    assert node is papermill_node(content, second.notebook_hash)  # read once, kept by content
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in node.cells)
    for record, label in ((first, "one"), (second, "two")):
        out = output_notebook(record.to_json())
        injected = [c for c in out["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        assert len(injected) == 1 and f'label = "{label}"' in "".join(injected[0]["source"])
        assert out["metadata"]["papermill"]["parameters"] == {"label": label}
        # the output notebook is what nbformat writes for it, byte for byte
        path = Path(record.artifacts[0].removeprefix("file://"))
        text = path.read_text(encoding="utf-8")
        assert text == nbformat.writes(nbformat.reads(text, as_version=4))
