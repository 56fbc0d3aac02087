"""The run record: everything needed to know what ran, where, with what, and what came of it."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

# running: the kernel is working; succeeded; failed: a cell raised, the kernel died or could not start;
# interrupted: SIGINT / KeyboardInterrupt; killed: SIGTERM, or the recording process is gone;
# lost: the batch driver recording it died (``queued`` exists only in a batch's state, never as a record).
STATUSES = ("running", "succeeded", "failed", "interrupted", "killed", "lost")
FINISHED = ("succeeded", "failed", "interrupted", "killed", "lost")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_run_id() -> str:
    """Sortable by start time, readable, unique: ``20250131-142501-3f9a1c``."""
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def run_identity(notebook_hash: str, parameters: dict[str, Any]) -> str:
    """What makes two runs the same run: the notebook's content and its canonical parameters."""
    return hashlib.sha256(f"{notebook_hash}\n{canonical_json(parameters)}".encode()).hexdigest()[:32]


@dataclass
class GitInfo:
    commit: str | None
    branch: str | None
    dirty: bool
    diff_hash: str | None


REASONS = ("untracked", "ignored", "modified", "no-git")
"""Why a run's commit does not hold one of its files: ``untracked`` (the commit has no such file, even
when it is staged), ``ignored`` (git-ignored, so no commit will hold it), ``modified`` (the commit holds
another version), ``no-git`` (no git repository holds it: the project is in none, or the file is
outside it)."""


@dataclass
class Unreproducible:
    """A file the run used (its notebook, a ``-f`` config file) that its commit does not hold as it ran."""

    path: str  # POSIX, relative to the project root when inside it
    reason: str  # one of REASONS

    @property
    def why(self) -> str:
        """The reason in words: ``is untracked``."""
        return _WHY.get(self.reason, self.reason)

    @property
    def said(self) -> str:
        """The file and why: ``nb/copy.ipynb is untracked``."""
        return f"{self.path} {self.why}"


_WHY = {
    "untracked": "is untracked",
    "ignored": "is git-ignored",
    "modified": "has uncommitted changes",
    "no-git": "is in no git repository",
}


@dataclass
class IssueInfo:
    tracker: str
    number: int
    type: str | None
    title: str
    url: str = ""


@dataclass
class RunError:
    """Where and how a run failed. ``cell`` numbers the failing cell of the input notebook as JupyterLab
    and every surface do (from 1); ``cell_index`` is its position in the notebook's ``cells`` (from 0).
    Both are None when the error is not in a cell. The JSON carries both."""

    cell_index: int | None
    ename: str
    evalue: str
    traceback: list[str] = field(default_factory=list)  # ANSI colours stripped
    execution_count: int | None = None

    @property
    def cell(self) -> int | None:
        return None if self.cell_index is None else self.cell_index + 1

    def to_json(self) -> dict[str, Any]:
        return {"cell": self.cell, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunError:
        """Also a record written before ``cell_index``: its ``cell`` was the position (from 0)."""
        index = data["cell_index"] if "cell_index" in data else data.get("cell")
        return cls(
            index,
            str(data.get("ename", "")),
            str(data.get("evalue", "")),
            list(data.get("traceback") or []),
            data.get("execution_count"),
        )


@dataclass
class Environment:
    python: str
    implementation: str
    platform: str
    executable: str
    fingerprint: str  # sha256 of python version + sorted packages
    packages: dict[str, str] = field(default_factory=dict)  # name -> version (left out of list views)


@dataclass
class RunRecord:
    id: str
    notebook: str  # POSIX path relative to the project root
    notebook_hash: str  # sha256 of the notebook file's bytes
    parameters: dict[str, Any]
    kernel: str
    status: str = "running"
    identity: str = ""
    batch_id: str | None = None
    rerun_of: str | None = None
    parameter_sources: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)  # the values of the parameters not given
    git: GitInfo | None = None
    environment: Environment | None = None
    issue: IssueInfo | None = None
    started_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    duration_s: float | None = None
    error: RunError | None = None
    metrics: dict[str, float] = field(default_factory=dict)  # the numeric recorded values
    values: dict[str, Any] = field(default_factory=dict)  # name -> {kind, value, cell, cell_index, source}
    artifacts: list[str] = field(default_factory=list)  # URLs; the output notebook first
    # datasets the run read (jupyter_dsl.dataset): name -> {version, md5, path, modified, changed}
    inputs: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # the run's files that its commit does not hold as they ran ([]: none); None: not known (a record
    # written before jupyter-dsl looked, or one that never reached its kernel's preparation)
    unreproducible: list[Unreproducible] | None = None
    mlflow_run_id: str | None = None
    host: str = ""
    pid: int | None = None

    @property
    def output_notebook(self) -> str | None:
        return self.artifacts[0] if self.artifacts else None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def to_json(self, *, packages: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["error"] = self.error.to_json() if self.error is not None else None
        data["output_notebook"] = self.output_notebook
        if not packages and data["environment"] is not None:
            data["environment"].pop("packages", None)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        known = {name for name in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        for key, kind in (
            ("git", GitInfo),
            ("issue", IssueInfo),
            ("environment", Environment),
        ):
            if isinstance(kwargs.get(key), dict):
                kwargs[key] = kind(**kwargs[key])
        if isinstance(kwargs.get("unreproducible"), list):
            kwargs["unreproducible"] = [Unreproducible(**item) for item in kwargs["unreproducible"]]
        if isinstance(kwargs.get("error"), dict):
            kwargs["error"] = RunError.from_json(kwargs["error"])
        if isinstance(kwargs.get("values"), dict):
            kwargs["values"] = {name: _numbered(value) for name, value in kwargs["values"].items()}
        return cls(**kwargs)


def _numbered(value: Any) -> Any:
    """A recorded value of a record written before ``cell_index``: its ``cell`` was the position."""
    if not isinstance(value, dict) or "cell_index" in value or not isinstance(value.get("cell"), int):
        return value
    return {**value, "cell": value["cell"] + 1, "cell_index": value["cell"]}
