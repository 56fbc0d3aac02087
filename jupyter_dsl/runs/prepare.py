"""What a run needs before its kernel starts: the context a batch captures once (notebook bytes, git
state, environment, issue link) and, per run, its id, staging folder and kernel environment."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DslError
from ..notebook import document
from ..project import gitrepo
from . import environment, recording
from .artifacts import FILES_DIR, keep_out_of_git, open_artifacts
from .records import Environment, GitInfo, IssueInfo, RunRecord, Unreproducible, new_run_id, run_identity

if TYPE_CHECKING:
    from .execute import RunPlan

DIRTY_WARNING = (
    "the working tree has uncommitted changes: this run is recorded as dirty (DSLP: commit before you run)"
)
NO_GIT_WARNING = "the project is not a git repository: the run has no commit to reproduce it from"


def unreproducible_warning(git: GitInfo, files: list[Unreproducible]) -> str:
    """One line: which of the run's files its commit does not hold, and why."""
    commit = f"commit {git.commit[:12]}" if git.commit else "no commit (the repository has none yet)"
    dirty = "recorded as dirty; " if git.dirty else ""
    said = ", ".join(f.said for f in files)
    return f"{said}: {commit} does not hold what this run ran ({dirty}DSLP: commit before you run)"


def _not_committed(plan: RunPlan) -> list[Unreproducible]:
    """The run's notebook and -f config files that HEAD does not hold as they are, and why."""
    files = list(dict.fromkeys([plan.notebook, *plan.config_files]))
    reasons = gitrepo.not_committed(plan.project.root, files)
    return [Unreproducible(_shown(plan, path), reason) for path, reason in reasons.items()]


def _shown(plan: RunPlan, path: Path) -> str:
    try:
        return plan.project.relative(path)
    except DslError:  # a config file outside the project: its absolute path
        return str(path)


def _issue(plan: RunPlan) -> tuple[IssueInfo | None, str | None]:
    """The link in the notebook's bytes as the plan read them (not the file as it is now)."""
    try:
        node = document.parse(plan.notebook_bytes.decode("utf-8"), str(plan.notebook))
        link = document.link_from_metadata(node.metadata, str(plan.notebook))
    except DslError as exc:
        return None, f"the notebook's issue link cannot be read: {exc.message}"
    if link is None:
        return None, None
    ref = link.issue
    return IssueInfo(ref.tracker, ref.number, ref.type, ref.title, ref.url), None


@dataclass(frozen=True)
class RunContext:
    """What a batch captures ONCE and shares by all its runs."""

    notebook_bytes: bytes  # the notebook as its plan read it: every run executes these bytes
    notebook_hash: str  # sha256 of notebook_bytes (the plan's hash: claims, identities, records)
    git: GitInfo | None
    environment: Environment | None  # the kernel's environment fingerprint
    issue: IssueInfo | None  # the notebook's link
    warnings: tuple[str, ...]  # dirty tree, not a git repo, unreadable link, .gitignore additions
    unreproducible: tuple[Unreproducible, ...] = ()  # the run's files the commit does not hold


def read_context(plan: RunPlan) -> RunContext:
    """The plan's notebook bytes and hash with git state, issue link and environment, read once;
    writes nothing (a batch's plan carries it; :func:`keep_runs_out_of_git` adds its writes' notes)."""
    warnings: list[str] = []
    state = gitrepo.state(plan.project.root)
    git = GitInfo(state.commit, state.branch, state.dirty, state.diff_hash) if state else None
    unreproducible = _not_committed(plan)
    if git is None:
        warnings.append(NO_GIT_WARNING)
    elif unreproducible:
        warnings.append(unreproducible_warning(git, unreproducible))
    elif git.dirty:
        warnings.append(DIRTY_WARNING)
    issue, problem = _issue(plan)
    if problem:
        warnings.append(problem)
    return RunContext(
        notebook_bytes=plan.notebook_bytes,
        notebook_hash=plan.notebook_hash,
        git=git,
        environment=environment.for_kernel(plan.kernel),
        issue=issue,
        warnings=tuple(warnings),
        unreproducible=tuple(unreproducible),
    )


def keep_runs_out_of_git(plan: RunPlan, context: RunContext) -> RunContext:
    """Git-ignore the run index and artifacts (the first write of a run or batch). When that changed
    ``.gitignore`` the git state is read again (the notebook is not: its bytes are the plan's), and
    what it said comes first among the warnings."""
    added = keep_out_of_git(plan.project, open_artifacts(plan.project))
    if not added:
        return context
    context = read_context(plan)
    return replace(context, warnings=(*added, *context.warnings))


def capture_context(plan: RunPlan) -> RunContext:
    """The context of one run: the run index git-ignored, then :func:`read_context`."""
    added = keep_out_of_git(plan.project, open_artifacts(plan.project))
    context = read_context(plan)
    return replace(context, warnings=(*added, *context.warnings)) if added else context


@dataclass
class PreparedRun:
    plan: RunPlan
    record: RunRecord  # id allocated, status "queued"; NOT yet in the store
    staging: Path  # the run's staging directory (artifacts)
    env: dict[str, str]  # what the kernel process must have in its environment
    context: RunContext


def prepare_run(plan: RunPlan, context: RunContext | None = None) -> PreparedRun:
    """Allocate the run id, staging dir and kernel env. Writes nothing to the store."""
    context = context if context is not None else capture_context(plan)
    record = RunRecord(
        id=new_run_id(),
        notebook=plan.relative,
        notebook_hash=context.notebook_hash,
        parameters=plan.parameters,
        kernel=plan.kernel,
        status="queued",
        identity=run_identity(context.notebook_hash, plan.parameters),
        batch_id=plan.batch_id,
        rerun_of=plan.rerun_of,
        parameter_sources=plan.sources,
        defaults=plan.unset,
        git=context.git,
        environment=context.environment,
        issue=context.issue,
        warnings=list(context.warnings),
        unreproducible=list(context.unreproducible),
        host=socket.gethostname(),
        pid=os.getpid(),
    )
    staging = open_artifacts(plan.project).staging(record.id)
    files = staging / FILES_DIR
    files.mkdir(parents=True, exist_ok=True)
    env = {
        recording.RUN_DIR_ENV: str(files),
        recording.RUN_ID_ENV: record.id,
        "JPY_SESSION_NAME": str(plan.notebook),  # `%dsl` magics in the run know their notebook
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    return PreparedRun(plan, record, staging, env, context)
