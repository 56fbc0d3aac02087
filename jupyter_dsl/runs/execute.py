"""One recorded run: validate, execute through papermill in a fresh kernel, record, keep the artifacts.

``plan_run`` does everything that can fail on bad input (missing notebook, unknown parameter, wrong
type, bad YAML, unknown kernel) before any kernel starts. ``execute`` stores a ``running`` record
first, so a run that is interrupted or killed still leaves a record saying so.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .. import gitrepo, notebooks, parameters, recording
from ..errors import ConfigError, DslError, InvalidInput
from ..project import Project
from . import environment
from .artifacts import FILES_DIR, RECORD_NAME, VALUES_DIR, ArtifactStore, keep_out_of_git, open_artifacts
from .outcome import read_outcome, strip_ansi
from .records import GitInfo, IssueInfo, RunError, RunRecord, new_run_id, now_iso, run_identity
from .store import RunStore

DIRTY_WARNING = (
    "the working tree has uncommitted changes: this run is recorded as dirty (DSLP: commit before you run)"
)


RECORD_ATTRIBUTE = "run_record"  # set on a re-raised KeyboardInterrupt / Terminated


def stopped_record(exc: BaseException) -> RunRecord | None:
    """The stored record of a run that an interrupt or SIGTERM stopped."""
    record = getattr(exc, RECORD_ATTRIBUTE, None)
    return record if isinstance(record, RunRecord) else None


class Terminated(BaseException):
    """SIGTERM arrived while a run was executing."""


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


def _kernel_name(project: Project, node: Any, given: str | None) -> str:
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
            hint=f"Installed kernels: {installed}. Pass --kernel NAME or set [runs] kernel in dsl.toml.",
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
    node = notebooks.read(path)  # NotFound / InvalidInput for a missing or malformed notebook
    try:
        relative = project.relative(path)
    except ValueError:
        raise InvalidInput(f"{path} is not inside the project at {project.root}") from None
    kernel_name = _kernel_name(project, node, kernel)
    cell = parameters.inspect(path, kernel_name)
    resolved = parameters.resolve(cell, config_files, overrides, values)
    return RunPlan(
        project, path, relative, resolved.values, resolved.sources, kernel_name, batch_id, rerun_of
    )


def _manager_class(extra_env: dict[str, str]) -> type:
    """A kernel manager that starts its kernel with ``extra_env`` on top of this process's environment."""
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):  # type: ignore[misc]
        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            kw["env"] = {**os.environ, **(kw.get("env") or {}), **extra_env}
            if self._kernel_supports_curve_encryption():  # encrypted when the kernel can do it
                kw.setdefault("transport_encryption", "auto")
            return await super()._async_pre_start_kernel(**kw)

    return RunKernelManager


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "value"


def _issue(path: Path) -> tuple[IssueInfo | None, str | None]:
    try:
        link = notebooks.get_link(path)
    except DslError as exc:
        return None, f"the notebook's issue link cannot be read: {exc.message}"
    if link is None:
        return None, None
    ref = link.issue
    return IssueInfo(ref.tracker, ref.number, ref.type, ref.title, ref.url), None


def new_record(plan: RunPlan, warnings: list[str]) -> RunRecord:
    content = plan.notebook.read_bytes()
    notebook_hash = hashlib.sha256(content).hexdigest()
    state = gitrepo.state(plan.project.root)
    git = GitInfo(state.commit, state.branch, state.dirty, state.diff_hash) if state else None
    if state is None:
        warnings.append("the project is not a git repository: the run has no commit to reproduce it from")
    elif state.dirty:
        warnings.append(DIRTY_WARNING)
    issue, problem = _issue(plan.notebook)
    if problem:
        warnings.append(problem)
    return RunRecord(
        id=new_run_id(),
        notebook=plan.relative,
        notebook_hash=notebook_hash,
        parameters=plan.parameters,
        kernel=plan.kernel,
        identity=run_identity(notebook_hash, plan.parameters),
        batch_id=plan.batch_id,
        rerun_of=plan.rerun_of,
        parameter_sources=plan.sources,
        git=git,
        environment=environment.for_kernel(plan.kernel),
        issue=issue,
        warnings=warnings,
        host=socket.gethostname(),
        pid=os.getpid(),
    )


def _papermill(plan: RunPlan, output: Path, files: Path, run_id: str, progress: bool) -> list[str]:
    """Execute; returns what papermill warned about (its parameter-parsing notes left out)."""
    with parameters.papermill_warnings() as messages:
        _execute_notebook(plan, output, files, run_id, progress)
    return [m for m in messages if not m.startswith("Unable to parse line")]


def _execute_notebook(plan: RunPlan, output: Path, files: Path, run_id: str, progress: bool) -> None:
    import papermill

    env = {
        recording.RUN_DIR_ENV: str(files),
        recording.RUN_ID_ENV: run_id,
        "JPY_SESSION_NAME": str(plan.notebook),  # `%dsl` magics in the run know their notebook
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    papermill.execute_notebook(
        str(plan.notebook),
        str(output),
        parameters=plan.parameters or None,
        kernel_name=plan.kernel,
        language=parameters.kernel_language(plan.kernel),
        progress_bar=progress,
        cwd=str(plan.notebook.parent),
        shutdown_kernel="immediate",  # a graceful shutdown costs up to seconds per run for nothing
        kernel_manager_class=_manager_class(env),
    )


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
    if record.error is not None and record.error.ename == "KeyboardInterrupt":
        record.status = "interrupted"
    if raised is not None and record.error is None:
        cell = outcome.last_started if outcome is not None else None
        if _is_cell_error(raised):
            ename, evalue = str(getattr(raised, "ename", "")), str(getattr(raised, "evalue", ""))
            traceback = [strip_ansi(str(line)) for line in getattr(raised, "traceback", []) or []]
            record.error = RunError(cell, ename, strip_ansi(evalue), traceback)
        elif isinstance(raised, (KeyboardInterrupt, Terminated)):
            message = "interrupted (SIGINT)" if isinstance(raised, KeyboardInterrupt) else "killed (SIGTERM)"
            record.error = RunError(cell, type(raised).__name__, message)
        else:
            evalue = str(raised).strip() or type(raised).__name__
            record.error = RunError(cell, type(raised).__name__, evalue)


def _is_cell_error(exc: BaseException) -> bool:
    return type(exc).__name__ == "PapermillExecutionError"


def _harvest(record: RunRecord, node: Any, staging: Path, store: ArtifactStore) -> None:
    for name, value in recording.harvest(node).items():
        data = value.to_json()
        if value.kind == "number" and value.value is not None:
            record.metrics[name] = float(value.value)
        if value.kind == "image" and isinstance(value.value, str):
            target = staging / VALUES_DIR / f"{_safe_name(name)}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(value.value))
            data["value"] = None
            data["artifact"] = store.url_of(store.path(record.id, VALUES_DIR, target.name))
        record.values[name] = data


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Finish writing a record even if SIGINT/SIGTERM arrive meanwhile (they are re-raised after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if signal.SIGTERM in pending:
            raise Terminated()
        if signal.SIGINT in pending:
            raise KeyboardInterrupt()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """While a run executes, SIGTERM raises :class:`Terminated` (as SIGINT raises KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _mirror(plan: RunPlan, record: RunRecord, output: Path | None) -> None:
    if not plan.project.settings.runs.mlflow_tracking_uri:
        return
    from .mlflow import mirror_run

    try:
        record.mlflow_run_id = mirror_run(plan.project, record, output)
    except DslError as exc:
        record.warnings.append(f"MLflow mirror failed: {exc.message}")


def execute(plan: RunPlan, *, store: RunStore | None = None, progress: bool = False) -> RunRecord:
    """Run the plan in a fresh kernel and record it. KeyboardInterrupt and :class:`Terminated` are
    re-raised after the record (status ``interrupted`` / ``killed``) is stored."""
    project = plan.project
    own_store = store is None
    runs = store if store is not None else RunStore(project.database_path)
    artifacts = open_artifacts(project)
    try:
        record = new_record(plan, keep_out_of_git(project, artifacts))
        runs.insert(record)
        staging = artifacts.staging(record.id)
        files = staging / FILES_DIR
        files.mkdir(parents=True, exist_ok=True)
        output = staging / plan.notebook.name
        started = time.monotonic()
        raised: BaseException | None = None
        try:
            record.warnings += _papermill(plan, output, files, record.id, progress)
        except (Exception, KeyboardInterrupt, Terminated) as exc:
            raised = exc
        with signals_deferred():
            record.duration_s = round(time.monotonic() - started, 3)
            record.finished_at = now_iso()
            node, unreadable = _read_output(output)
            _apply_outcome(record, node, raised, unreadable)
            if node is not None:
                _harvest(record, node, staging, artifacts)
            record.artifacts = artifacts.publish(record.id, staging, first=plan.notebook.name)
            runs.update(record)
            _mirror(plan, record, output if output.exists() else None)
            runs.update(record)
            artifacts.write_text(record.id, RECORD_NAME, _record_text(record))
            artifacts.discard(staging)
        if isinstance(raised, (KeyboardInterrupt, Terminated)):
            setattr(raised, RECORD_ATTRIBUTE, record)  # the caller reports the stored record
            raise raised
        return record
    finally:
        if own_store:
            runs.close()


def _record_text(record: RunRecord) -> str:
    import json

    return json.dumps(record.to_json(), indent=2, ensure_ascii=False, default=str)


def run_notebook(
    project: Project,
    notebook: Path,
    *,
    config_files: Iterable[Path] = (),
    overrides: Iterable[tuple[str, str]] = (),
    values: dict[str, Any] | None = None,
    kernel: str | None = None,
    progress: bool = False,
) -> RunRecord:
    """Plan and execute one run (the core of ``jupyter dsl run`` and ``%dsl run``)."""
    plan = plan_run(
        project, notebook, config_files=config_files, overrides=overrides, values=values, kernel=kernel
    )
    return execute(plan, progress=progress)
