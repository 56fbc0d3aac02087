"""Runs mirrored to a real MLflow tracking store (SQLite): params, metrics, tags, the output notebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from runs_support import dsl_json, git, make_project


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any], Path]:
    base = tmp_path_factory.mktemp("mlflow")
    db = base / "tracking" / "mlflow.db"
    db.parent.mkdir()
    root = make_project(
        base / "proj", "parameterized.ipynb", "sysexit1.ipynb", runs=f'mlflow_tracking_uri = "sqlite:///{db}"'
    )
    ask = dsl_json(root, "issue", "new", "Ask", "Why do customers churn?")["issue"]["number"]
    number = dsl_json(root, "issue", "new", "Experiment", "Tune alpha", "--ask", str(ask))["issue"]["number"]
    dsl_json(root, "link", "nb/parameterized.ipynb", str(number))
    git(root, "commit", "--quiet", "-am", "link")
    ok = dsl_json(root, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.25", "-p", "layers", "[3]")
    failed = dsl_json(root, "run", "nb/sysexit1.ipynb", code=7)
    return root, ok, failed, db


def _client(db: Path) -> Any:
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=f"sqlite:///{db}")


def test_the_run_is_in_mlflow_with_params_metrics_and_tags(
    mirrored: tuple[Path, dict[str, Any], dict[str, Any], Path],
) -> None:
    root, ok, _, db = mirrored
    assert ok["status"] == "succeeded" and ok["mlflow_run_id"], ok["warnings"]
    run = _client(db).get_run(ok["mlflow_run_id"])
    assert run.info.status == "FINISHED" and run.info.run_name == ok["id"]
    assert run.data.params == {"alpha": "0.25", "layers": "[3]"}
    assert run.data.metrics == {"score": 0.25 * 3 + 3}
    tags = run.data.tags
    assert tags["mlflow.source.name"] == str((root / "nb" / "parameterized.ipynb").resolve())
    assert tags["mlflow.source.git.commit"] == git(root, "rev-parse", "HEAD") == ok["git"]["commit"]
    assert tags["mlflow.source.git.branch"] == "main"
    assert tags["jupyter_dsl.issue"] == str(ok["issue"]["number"])
    assert tags["jupyter_dsl.issue_title"] == f"Experiment #{ok['issue']['number']}: Tune alpha"
    assert tags["jupyter_dsl.run_id"] == ok["id"] and tags["jupyter_dsl.git_dirty"] == "false"
    experiment = _client(db).get_experiment(run.info.experiment_id)
    assert experiment.name == "proj/nb/parameterized.ipynb"


def test_the_output_notebook_is_an_mlflow_artifact(
    mirrored: tuple[Path, dict[str, Any], dict[str, Any], Path],
) -> None:
    _, ok, _, db = mirrored
    client = _client(db)
    names = {a.path for a in client.list_artifacts(ok["mlflow_run_id"])}
    assert names == {"parameterized.ipynb", "jupyter_dsl_record.json"}
    local = Path(client.download_artifacts(ok["mlflow_run_id"], "parameterized.ipynb"))
    assert local.read_bytes() == Path(ok["artifacts"][0][len("file://") :]).read_bytes()
    root_uri = client.get_run(ok["mlflow_run_id"]).info.artifact_uri
    assert root_uri.startswith((db.parent / "mlartifacts").as_uri())  # next to the database, not in the cwd


def test_a_failed_run_is_mirrored_as_failed(
    mirrored: tuple[Path, dict[str, Any], dict[str, Any], Path],
) -> None:
    root, _, failed, db = mirrored
    run = _client(db).get_run(failed["mlflow_run_id"])
    assert run.info.status == "FAILED" and run.data.tags["jupyter_dsl.error"] == "SystemExit: 1"
    assert not (root / "mlruns").exists() and not (root / "mlartifacts").exists()
    assert git(root, "status", "--porcelain") == ""


def test_an_unreachable_mlflow_store_is_a_warning_not_a_lost_run(tmp_path: Path) -> None:
    from jupyter_dsl.project.settings import find_project
    from jupyter_dsl.runs import RunStore
    from jupyter_dsl.runs.service import run_notebook

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the database folder should be")
    root = make_project(
        tmp_path / "p", "sysexit0.ipynb", runs=f'mlflow_tracking_uri = "sqlite:///{blocker}/mlflow.db"'
    )
    project = find_project(root)
    record = run_notebook(project, root / "nb" / "sysexit0.ipynb")
    assert record.status == "succeeded" and record.mlflow_run_id is None
    said = "MLflow mirror failed: cannot open the MLflow tracking store"
    assert any(w.startswith(said) for w in record.warnings)
    with RunStore(project.database_path) as store:
        assert store.get(record.id).warnings == record.warnings
