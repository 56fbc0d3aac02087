"""Mirror a recorded run to MLflow (``[runs] mlflow_tracking_uri`` in dsl.toml).

One MLflow experiment per notebook (``<project>/<notebook path>``), one MLflow run per recorded run:
parameters, numeric recorded values as metrics, tags naming the notebook's real path, the git commit
and the linked issue, and the output notebook as an artifact. Azure ML workspaces expose an MLflow
tracking URI, so this serves them too. MLflow is imported only when a project asks for it.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import ConfigError, DslError
from ..project.settings import Project
from .records import RunRecord

MLFLOW_STATUS = {"succeeded": "FINISHED", "failed": "FAILED", "interrupted": "KILLED", "killed": "KILLED"}
MAX_PARAM_LENGTH = 6000


def _client(uri: str) -> Any:
    try:
        from mlflow.tracking import MlflowClient  # lazy: optional extra (jupyter-dsl[mlflow])
    except ImportError as exc:
        raise ConfigError(
            "[runs] mlflow_tracking_uri is set in dsl.toml but MLflow is not installed",
            hint="pip install jupyter-dsl[mlflow]",
        ) from exc
    try:
        return MlflowClient(tracking_uri=uri)
    except Exception as exc:  # MLflow opens (and may create) the store right away
        raise DslError(f"cannot open the MLflow tracking store at {uri}: {exc}") from exc


def tracking_uri(project: Project) -> str:
    """The configured URI with a relative SQLite or file path made relative to the project root."""
    uri = project.settings.runs.mlflow_tracking_uri
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////"):
        return "sqlite:///" + str(project.root / uri[len("sqlite:///") :])
    return project.resolve(uri)


def experiment_name(project: Project, record: RunRecord) -> str:
    return f"{project.settings.name or project.root.name}/{record.notebook}"


def _artifact_location(uri: str, name: str) -> str | None:
    """Next to a local database (sqlite:///x/mlflow.db -> x/mlartifacts/...), never in the cwd."""
    parsed = urlparse(uri)
    if parsed.scheme == "sqlite" and parsed.path not in ("", "/:memory:"):
        db = Path(uri[len("sqlite:///") :]) if uri.startswith("sqlite:///") else Path(parsed.path)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
        return (db.parent.resolve() / "mlartifacts" / safe).as_uri()
    return None


def _experiment_id(client: Any, uri: str, name: str) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return str(found.experiment_id)
    location = _artifact_location(uri, name)
    try:
        return str(client.create_experiment(name, artifact_location=location))
    except Exception:  # created meanwhile by a parallel run
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return str(found.experiment_id)


def _param(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_PARAM_LENGTH else text[: MAX_PARAM_LENGTH - 3] + "..."


def _metric_key(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_\-. /]+", "_", name) or "value"


def tags_of(project: Project, record: RunRecord) -> dict[str, str]:
    tags = {
        "mlflow.runName": record.id,
        "mlflow.source.type": "NOTEBOOK",
        "mlflow.source.name": str((project.root / record.notebook).resolve()),
        "jupyter_dsl.run_id": record.id,
        "jupyter_dsl.notebook": record.notebook,
        "jupyter_dsl.notebook_hash": record.notebook_hash,
        "jupyter_dsl.status": record.status,
        "jupyter_dsl.kernel": record.kernel,
    }
    if record.git is not None:
        if record.git.commit:
            tags["mlflow.source.git.commit"] = record.git.commit
        if record.git.branch:
            tags["mlflow.source.git.branch"] = record.git.branch
        tags["jupyter_dsl.git_dirty"] = str(record.git.dirty).lower()
    if record.issue is not None:
        tags["jupyter_dsl.issue"] = str(record.issue.number)
        tags["jupyter_dsl.issue_title"] = (
            f"{record.issue.type or 'Issue'} #{record.issue.number}: {record.issue.title}"
        )
        if record.issue.url:
            tags["jupyter_dsl.issue_url"] = record.issue.url
    if record.environment is not None:
        tags["jupyter_dsl.environment"] = record.environment.fingerprint
        tags["jupyter_dsl.python"] = record.environment.python
    if record.error is not None:
        tags["jupyter_dsl.error"] = f"{record.error.ename}: {record.error.evalue}"[:5000]
    if record.batch_id:
        tags["jupyter_dsl.batch_id"] = record.batch_id
    return tags


def _millis(iso: str | None) -> int | None:
    if not iso:
        return None
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def mirror_run(project: Project, record: RunRecord, output_notebook: Path | None) -> str:
    """Log ``record`` to the project's MLflow tracking URI; returns the MLflow run id."""
    uri = tracking_uri(project)
    client = _client(uri)
    try:
        from mlflow.entities import Metric, Param  # lazy: optional extra (jupyter-dsl[mlflow])

        experiment = _experiment_id(client, uri, experiment_name(project, record))
        start = _millis(record.started_at) or int(time.time() * 1000)
        run = client.create_run(
            experiment, start_time=start, tags=tags_of(project, record), run_name=record.id
        )
        run_id = str(run.info.run_id)
        now = _millis(record.finished_at) or int(time.time() * 1000)
        client.log_batch(
            run_id,
            metrics=[Metric(_metric_key(k), float(v), now, 0) for k, v in record.metrics.items()],
            params=[Param(k, _param(v)) for k, v in record.parameters.items()],
            tags=[],
        )
        if output_notebook is not None and output_notebook.exists():
            client.log_artifact(run_id, str(output_notebook))
        client.log_dict(run_id, record.to_json(packages=False), "jupyter_dsl_record.json")
        client.set_terminated(run_id, status=MLFLOW_STATUS.get(record.status, "FAILED"), end_time=now)
    except DslError:
        raise
    except Exception as exc:  # MLflow's own errors (server down, auth, bad URI) end up here
        raise DslError(f"cannot log run {record.id} to MLflow at {uri}: {exc}") from exc
    return run_id
