"""One recorded run: validate, execute through papermill in a fresh kernel, record, keep the artifacts.

``plan_run`` does everything that can fail on bad input (missing notebook, unknown parameter, wrong
type, bad YAML, unknown kernel) before any kernel starts and reads the notebook's bytes once (the plan
carries them and their hash); ``capture_context`` captures what a batch shares (git state,
environment, the link in those bytes) once; ``prepare_run`` allocates a run;
``execute`` stores a ``running`` record first, so a run that is interrupted or killed still leaves a
record saying so.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from .. import hints
from ..data import input_record
from ..errors import ConfigError, DslError, InvalidInput
from ..kernels.ahead import StartedKernel, start_kernel
from ..notebook import document, parameters
from ..project.settings import Project
from . import recording, timings
from .artifacts import VALUES_DIR, ArtifactStore, open_artifacts
from .control import RunControl
from .interrupts import RECORD_ATTRIBUTE, Terminated, signals_deferred, stopped_record
from .outcome import input_indexes, read_outcome, strip_ansi
from .prepare import DIRTY_WARNING, PreparedRun, RunContext, capture_context, prepare_run, read_context
from .records import RunError, RunRecord, now_iso
from .store import RunStore

__all__ = [
    "DIRTY_WARNING",
    "PreparedRun",
    "RunContext",
    "RunControl",
    "RunPlan",
    "Terminated",
    "capture_context",
    "execute",
    "plan_run",
    "prepare_run",
    "read_context",
    "signals_deferred",
    "stopped_record",
]

KERNEL_DIED = "the kernel died (os._exit, a fatal signal or a crash in native code)"


@dataclass
class RunPlan:
    """A validated run: nothing left that bad input could break before the kernel starts."""

    project: Project
    notebook: Path
    relative: str
    parameters: dict[str, Any]
    sources: dict[str, str]
    kernel: str
    batch_id: str | None = None
    rerun_of: str | None = None
    config_files: tuple[Path, ...] = ()  # the -f files read (their values are in ``parameters``)
    defaults: dict[str, Any] = field(default_factory=dict)  # the parameters cell's default values
    notebook_bytes: bytes = b""  # the notebook as planning read it: what the run executes
    notebook_hash: str = ""  # sha256 of notebook_bytes (a run's identity, its record, a batch's claims)

    @property
    def unset(self) -> dict[str, Any]:
        """The defaults of the parameters this run is not given: the values it uses for them."""
        return {name: value for name, value in self.defaults.items() if name not in self.parameters}


def _kernel_name(project: Project, notebook: Path, node: Any, given: str | None) -> str:
    # lazy: jupyter_client loads zmq and tornado, only to check a kernel
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = (
        given or project.settings.runs.kernel or node.metadata.get("kernelspec", {}).get("name") or "python3"
    )
    manager = KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except NoSuchKernel:
        installed = ", ".join(sorted(manager.find_kernel_specs())) or "none"
        raise ConfigError(
            f"no Jupyter kernel named {name!r} is installed",
            hint=hints.hint(
                f"Installed kernels: {installed}. Choose one for the run, or set [runs] kernel in dsl.toml.",
                hints.RUN,
                notebook=notebook,
                kernel=None,
            ),
        ) from None
    return name


def plan_run(
    project: Project,
    notebook: Path,
    *,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
    values: dict[str, Any] | None = None,
    kernel: str | None = None,
    batch_id: str | None = None,
    rerun_of: str | None = None,
) -> RunPlan:
    path = notebook.expanduser().resolve()
    content = document.read_text(path).encode("utf-8")  # NotFound / InvalidInput; read once
    node = document.parse(content.decode("utf-8"), str(path))  # InvalidInput for a malformed notebook
    try:
        relative = project.relative(path)
    except ValueError:
        raise InvalidInput(f"{path} is not inside the project at {project.root}") from None
    kernel_name = _kernel_name(project, path, node, kernel)
    cell = parameters.inspect(path, kernel_name)
    config_files = tuple(config_files)
    resolved = parameters.resolve(cell, config_files, overrides, values)
    return RunPlan(
        project,
        path,
        relative,
        resolved.values,
        resolved.sources,
        kernel_name,
        batch_id,
        rerun_of,
        tuple(c.expanduser().resolve() for c in config_files),
        defaults=cell.defaults,
        notebook_bytes=content,
        notebook_hash=hashlib.sha256(content).hexdigest(),
    )


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "value"


def _read_output(output: Path) -> tuple[Any, RunError | None]:
    """The output notebook, or None and the error saying why it cannot be read (a run that deleted
    or overwrote it): without it nothing says the cells ran, so the run cannot count as succeeded."""
    try:
        return nbformat.read(str(output), as_version=4), None
    except Exception as exc:  # OSError, NotJSONError, UnicodeDecodeError, nbformat's reader errors...
        why = str(exc).strip() or type(exc).__name__
        return None, RunError(
            None, "OutputUnreadable", f"the output notebook {output.name} cannot be read: {why}"
        )


def _apply_outcome(
    record: RunRecord, node: Any, raised: BaseException | None, unreadable: RunError | None = None
) -> None:
    outcome = read_outcome(node) if node is not None else None
    if outcome is not None and outcome.exited_at is not None and outcome.error is None:
        record.warnings.append(
            f"the notebook stopped itself with sys.exit(0) in cell {outcome.exited_at + 1}"
        )
    if outcome is not None and outcome.error is not None:
        record.error = outcome.error
        if outcome.injected_failed:
            record.warnings.append("the injected parameters cell failed: check the parameter values")
    if raised is None:  # (when papermill raised, its exception says what went wrong)
        record.error = record.error or unreadable
        record.status = "failed" if record.error is not None else "succeeded"
    elif isinstance(raised, KeyboardInterrupt):
        record.status = "interrupted"
    elif isinstance(raised, Terminated):
        record.status = "killed"
    else:
        record.status = "failed"
    # ``ename`` is the kernel's name for what a cell raised (a string from another process, so it is
    # matched as a string): a KeyboardInterrupt in the kernel is an interrupted run
    if record.error is not None and record.error.ename == "KeyboardInterrupt":
        record.status = "interrupted"
    if raised is not None and record.error is None:
        record.error = _raised_error(raised, outcome.last_started if outcome is not None else None)


def _raised_error(raised: BaseException, cell: int | None) -> RunError:
    """The error of a run that papermill (or starting its kernel) raised out of."""
    if isinstance(raised, (KeyboardInterrupt, Terminated)):
        message = "interrupted (SIGINT)" if isinstance(raised, KeyboardInterrupt) else "killed (SIGTERM)"
        return RunError(cell, type(raised).__name__, message)
    if isinstance(raised, DslError):
        return RunError(cell, type(raised).__name__, raised.message)
    # papermill loads only when a run executes (start-up time); a run that raised has usually loaded it
    from nbclient.exceptions import DeadKernelError  # lazy: only when a run failed
    from papermill.exceptions import PapermillExecutionError  # lazy: only when a run failed

    if isinstance(raised, PapermillExecutionError):  # a cell raised: the kernel's ename and evalue
        traceback = [strip_ansi(str(line)) for line in raised.traceback or []]
        return RunError(cell, str(raised.ename), strip_ansi(str(raised.evalue)), traceback)
    if isinstance(raised, DeadKernelError):
        return RunError(cell, "DeadKernelError", KERNEL_DIED)
    return RunError(cell, type(raised).__name__, str(raised).strip() or type(raised).__name__)


def _harvest(record: RunRecord, node: Any, staging: Path, store: ArtifactStore) -> None:
    indexes = input_indexes(node)  # a value's cell is numbered in the input notebook, as errors are
    for name, value in recording.harvest(node).items():
        index = indexes[value.cell] if value.cell < len(indexes) else None
        data = {**value.to_json(), "cell": None if index is None else index + 1, "cell_index": index}
        if value.kind == "number" and value.value is not None:
            record.metrics[name] = float(value.value)
        if value.kind == "image" and isinstance(value.value, str):
            target = staging / VALUES_DIR / f"{_safe_name(name)}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(value.value))
            data["value"] = None
            data["artifact"] = store.url_of(store.path(record.id, VALUES_DIR, target.name))
        record.values[name] = data


def _mirror(plan: RunPlan, record: RunRecord, output: Path | None) -> bool:
    """Mirror the run to MLflow when [runs] mlflow_tracking_uri is set; whether it was (the record
    then changed: its MLflow run id or a warning)."""
    if not plan.project.settings.runs.mlflow_tracking_uri:
        return False
    from .mlflow import mirror_run  # lazy: only when [runs] mlflow_tracking_uri is set

    try:
        record.mlflow_run_id = mirror_run(plan.project, record, output)
    except DslError as exc:
        record.warnings.append(f"MLflow mirror failed: {exc.message}")
    return True


def _papermill(prepared: PreparedRun, output: Path, kernel: StartedKernel, progress: bool) -> list[str]:
    """Execute the captured notebook bytes on ``kernel``; returns what papermill warned about (its
    parameter-parsing notes left out)."""
    from ..kernels.papermill_engine import (
        papermill_notes,
    )  # lazy: papermill's stack loads when a run executes
    from ..kernels.papermill_run import papermill_node, run_papermill  # lazy: as papermill_engine

    plan, context = prepared.plan, prepared.context
    with timings.phase("driver: the notebook as papermill loads it (once per content)"):
        node = papermill_node(context.notebook_bytes, context.notebook_hash)
    with papermill_notes() as messages:
        run_papermill(
            node,
            plan.notebook,
            output,
            kernel=kernel,
            kernel_name=plan.kernel,
            language=parameters.kernel_language(plan.kernel),
            parameters=plan.parameters,
            progress=progress,
        )
    return [m for m in messages if not m.startswith("Unable to parse line")]


def _apply_stop(record: RunRecord, node: Any, reason: str, timeout: float | None) -> None:
    """A run another thread stopped (its kernel was killed): the status and error say so."""
    outcome = read_outcome(node) if node is not None else None
    cell = outcome.last_started if outcome is not None else None
    if reason == "timeout":
        record.status = "failed"
        limit = f"{timeout:g} s" if timeout is not None else "its time"
        record.error = RunError(
            cell, "Timeout", f"the run exceeded its time limit ({limit}): its kernel was killed"
        )
    else:
        record.status = reason
        record.error = RunError(cell, "RunStopped", f"the run was stopped ({reason}): its kernel was killed")


def execute(
    plan: RunPlan | PreparedRun,
    *,
    store: RunStore | None = None,
    progress: bool = False,
    kernel: StartedKernel | None = None,
    timeout: float | None = None,
    control: RunControl | None = None,
    on_start: Callable[[RunRecord], None] | None = None,
) -> RunRecord:
    """Run in a fresh kernel (``kernel``, started for this run, else one started here), record it and
    keep its artifacts. The kernel is always killed at the end, never shut down gracefully. A failed,
    timed-out or stopped run is recorded, not raised; KeyboardInterrupt and :class:`Terminated` in
    the calling thread are re-raised after the record (``interrupted`` / ``killed``) is stored."""
    prepared = plan if isinstance(plan, PreparedRun) else prepare_run(plan)
    run_plan, record = prepared.plan, prepared.record
    own_store = store is None
    runs = store if store is not None else RunStore(run_plan.project.database_path)
    control = control if control is not None else RunControl()
    try:
        record.status, record.started_at = "running", now_iso()
        with timings.phase("driver: record (insert running)"):
            runs.insert(record)
        if on_start is not None:
            on_start(record)
        started = time.monotonic()
        raised = _run(prepared, kernel, control, timeout, progress)
        with signals_deferred():
            record.duration_s = round(time.monotonic() - started, 3)
            record.finished_at = now_iso()
            _finish(prepared, runs, raised, control.stopped, timeout)
        if isinstance(raised, (KeyboardInterrupt, Terminated)):
            setattr(raised, RECORD_ATTRIBUTE, record)  # the caller reports the stored record
            raise raised
        return record
    finally:
        if kernel is not None:
            kernel.kill()  # (already killed, unless on_start or the store failed)
        if own_store:
            runs.close()


def _run(
    prepared: PreparedRun,
    kernel: StartedKernel | None,
    control: RunControl,
    timeout: float | None,
    progress: bool,
) -> BaseException | None:
    """Execute on ``kernel`` (or a kernel started now) under ``timeout``; the kernel is killed after."""
    plan = prepared.plan
    timer: threading.Timer | None = None
    try:
        if timeout is not None:
            timer = threading.Timer(timeout, control.stop, ("timeout",))
            timer.daemon = True
            timer.start()
        if kernel is None and control.stopped is None:
            kernel = start_kernel(plan.kernel, prepared.env, plan.notebook.parent)
        if kernel is not None:
            control.attach(kernel)
            if control.stopped is None:
                output = prepared.staging / plan.notebook.name
                prepared.record.warnings += _papermill(prepared, output, kernel, progress)
    except (Exception, KeyboardInterrupt, Terminated) as exc:
        return exc
    finally:
        if timer is not None:
            timer.cancel()
        control.finish()
        if kernel is not None:
            kernel.kill()
    return None


def _finish(
    prepared: PreparedRun,
    runs: RunStore,
    raised: BaseException | None,
    stopped: str | None,
    timeout: float | None,
) -> None:
    """Read what happened from the output notebook, store the record, publish the artifacts."""
    plan, record, staging = prepared.plan, prepared.record, prepared.staging
    with timings.phase("driver: artifacts (open store, publish, record.json)"):
        artifacts = open_artifacts(plan.project)
    output = staging / plan.notebook.name
    with timings.phase("driver: output notebook read back"):
        node, unreadable = _read_output(output)
    with timings.phase("driver: outcome and recorded values"):
        _apply_outcome(record, node, raised, None if stopped is not None else unreadable)
        if stopped is not None:
            _apply_stop(record, node, stopped, timeout)
        if node is not None:
            _harvest(record, node, staging, artifacts)
        if node is not None:  # the datasets it read (jupyter_dsl.dataset)
            record.inputs, read_warnings = input_record.harvest(node)
            record.warnings.extend(read_warnings)
    with timings.phase("driver: artifacts (open store, publish, record.json)"):
        record.artifacts = artifacts.publish(record.id, staging, first=plan.notebook.name)
    with timings.phase("driver: record (update)"):
        runs.update(record)
    with timings.phase("driver: MLflow mirror"):
        mirrored = _mirror(plan, record, output if output.exists() else None)
    if mirrored:
        with timings.phase("driver: record (update)"):
            runs.update(record)
    with timings.phase("driver: artifacts (open store, publish, record.json)"):
        artifacts.write_record(record)
        artifacts.discard(staging)
