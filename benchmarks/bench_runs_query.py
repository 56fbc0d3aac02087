"""Filter recorded runs by notebook, status and a metric threshold: the jupyter-dsl run index on
100,000 runs, and the same filter through ``mlflow.search_runs`` on a SQLite MLflow store of 10,000
runs, in the same process. Prints both times, the raw ratio and the ratio per stored run.

    python benchmarks/bench_runs_query.py [--runs 100000] [--mlflow-runs 10000] [--repeat 5]

The MLflow store gets its first runs through ``MlflowClient`` (so the rows are exactly what MLflow
writes); the rest are copies of those rows with new ids and values, inserted in bulk (creating
10,000 runs through the client takes a quarter of an hour on a 2-core machine and is not what is
measured). Both stores are checked to return the expected number of matching runs.
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jupyter_dsl.runs import MetricFilter, RunQuery, RunRecord, RunStore
from jupyter_dsl.runs.records import Environment, GitInfo, IssueInfo, run_identity

NOTEBOOKS = [f"notebooks/explore_{i:02d}.ipynb" for i in range(20)]
TARGET = NOTEBOOKS[7]
THRESHOLD = 0.9
STATUSES = ["succeeded"] * 7 + ["failed"] * 2 + ["interrupted"]
MLFLOW_STATUS = {"succeeded": "FINISHED", "failed": "FAILED", "interrupted": "KILLED"}
ENVIRONMENT = Environment(
    "3.11.7", "CPython", "Linux", "/usr/bin/python3", "0123456789abcdef", {"numpy": "2.1"}
)


def synthetic_runs(count: int, seed: int = 7) -> Iterator[tuple[str, str, dict[str, Any], dict[str, float]]]:
    """(notebook, status, parameters, metrics) for ``count`` runs, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        params = {
            "alpha": rng.choice([0.01, 0.1, 0.5, 1.0]),
            "depth": rng.randint(2, 12),
            "region": rng.choice("NSEW"),
        }
        metrics = {"auc": rng.random(), "loss": rng.random() * 2, "seconds": rng.random() * 60}
        yield rng.choice(NOTEBOOKS), rng.choice(STATUSES), params, metrics


def expected_matches(count: int) -> int:
    return sum(
        1
        for nb, status, _, m in synthetic_runs(count)
        if nb == TARGET and status == "succeeded" and m["auc"] > THRESHOLD
    )


def timed(func: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """(first call, median of the next ``repeat`` calls) in seconds, and what the call returned."""
    start = time.perf_counter()
    result = func()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), result


# --- jupyter-dsl -----------------------------------------------------------------------------------


def fill_run_index(path: Path, count: int) -> float:
    store = RunStore(path)
    started = time.perf_counter()
    batch: list[RunRecord] = []
    for index, (notebook, status, params, metrics) in enumerate(synthetic_runs(count)):
        batch.append(
            RunRecord(
                id=f"20250101-{index:06d}-{index:06x}",
                notebook=notebook,
                notebook_hash="ab" * 32,
                parameters=params,
                kernel="python3",
                status=status,
                identity=run_identity("ab" * 32, params),
                git=GitInfo("c0ffee" * 6 + "c0ff", "explore/7-churn", False, None),
                environment=ENVIRONMENT,
                issue=IssueInfo("local", 7, "Explore", "Churn by region"),
                started_at=f"2025-01-01T00:00:00.{index:06d}Z",
                finished_at=f"2025-01-01T00:00:01.{index:06d}Z",
                duration_s=1.0,
                metrics=metrics,
                values={
                    k: {"kind": "number", "value": v, "cell": 3, "source": "jupyter_dsl"}
                    for k, v in metrics.items()
                },
                artifacts=[f"file:///project/.dsl/artifacts/{index}/{Path(notebook).name}"],
            )
        )
        if len(batch) == 10_000:
            store.insert_many(batch)
            batch = []
    store.insert_many(batch)
    store.close()
    return time.perf_counter() - started


def query_run_index(path: Path) -> int:
    with RunStore(path) as store:
        query = RunQuery(
            notebook=TARGET, status="succeeded", metrics=[MetricFilter("auc", ">", THRESHOLD)], limit=None
        )
        return len(store.query(query))


# --- MLflow ----------------------------------------------------------------------------------------


def fill_mlflow(db: Path, count: int, through_client: int = 20) -> tuple[str, float]:
    from mlflow.entities import Metric, Param
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    experiment = client.create_experiment("bench", artifact_location=(db.parent / "mlartifacts").as_uri())
    started = time.perf_counter()
    runs = list(synthetic_runs(count))
    for notebook, status, params, metrics in runs[:through_client]:
        run = client.create_run(experiment, tags={"jupyter_dsl.notebook": notebook})
        client.log_batch(
            run.info.run_id,
            metrics=[Metric(k, v, 0, 0) for k, v in metrics.items()],
            params=[Param(k, str(v)) for k, v in params.items()],
        )
        client.set_terminated(run.info.run_id, MLFLOW_STATUS[status])
    _copy_rows(db, runs[through_client:])
    return experiment, time.perf_counter() - started


def _copy_rows(db: Path, runs: list[tuple[str, str, dict[str, Any], dict[str, float]]]) -> None:
    """Insert more runs as copies of a run the client wrote, with new ids and values."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    template_id = conn.execute("SELECT run_uuid FROM runs LIMIT 1").fetchone()[0]
    templates = {
        table: [dict(r) for r in conn.execute(f"SELECT * FROM {table} WHERE run_uuid = ?", (template_id,))]
        for table in ("runs", "tags", "params", "metrics", "latest_metrics")
    }
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in templates}
    for notebook, status, params, metrics in runs:
        run_id = uuid.uuid4().hex
        for row in templates["runs"]:
            rows["runs"].append(
                {
                    **row,
                    "run_uuid": run_id,
                    "name": run_id[:8],
                    "status": MLFLOW_STATUS[status],
                    "artifact_uri": row["artifact_uri"].replace(template_id, run_id),
                }
            )
        for row in templates["tags"]:
            value = notebook if row["key"] == "jupyter_dsl.notebook" else row["value"]
            rows["tags"].append({**row, "run_uuid": run_id, "value": value})
        for row in templates["params"]:
            rows["params"].append({**row, "run_uuid": run_id, "value": str(params[row["key"]])})
        for table in ("metrics", "latest_metrics"):
            for row in templates[table]:
                rows[table].append({**row, "run_uuid": run_id, "value": metrics[row["key"]]})
    with conn:
        for table, items in rows.items():
            if items:
                columns = list(items[0])
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
                conn.executemany(sql, [[item[c] for c in columns] for item in items])
    conn.close()


def query_mlflow(db: Path, experiment: str) -> int:
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{db}")
    found = mlflow.search_runs(
        experiment_ids=[experiment],
        filter_string=(
            f"tags.`jupyter_dsl.notebook` = '{TARGET}' and attributes.status = 'FINISHED' "
            f"and metrics.auc > {THRESHOLD}"
        ),
        max_results=100_000,
    )
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100_000, help="runs in the jupyter-dsl run index")
    parser.add_argument("--mlflow-runs", type=int, default=10_000, help="runs in the MLflow store")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions after the first query")
    args = parser.parse_args()
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as tmp:
        index = Path(tmp) / "dsl.sqlite"
        fill = fill_run_index(index, args.runs)
        ours_first, ours, ours_found = timed(lambda: query_run_index(index), args.repeat)
        assert ours_found == expected_matches(args.runs), (ours_found, expected_matches(args.runs))
        db = Path(tmp) / "mlflow" / "mlflow.db"
        db.parent.mkdir()
        experiment, mlflow_fill = fill_mlflow(db, args.mlflow_runs)
        theirs_first, theirs, theirs_found = timed(lambda: query_mlflow(db, experiment), args.repeat)
        assert theirs_found == expected_matches(args.mlflow_runs), (
            theirs_found,
            expected_matches(args.mlflow_runs),
        )
    filter_text = f"notebook = {TARGET}, status = succeeded, auc > {THRESHOLD}"
    print(f"filter: {filter_text}")
    print(
        f"jupyter-dsl run index: {args.runs:>7,} runs (filled in {fill:.1f} s) -> {ours_found} matches: "
        f"{ours * 1000:8.2f} ms median of {args.repeat} "
        f"(first {ours_first * 1000:.2f} ms; each query opens the index)"
    )
    print(
        f"mlflow.search_runs:    {args.mlflow_runs:>7,} runs (filled in {mlflow_fill:.1f} s) -> "
        f"{theirs_found} matches: {theirs * 1000:8.2f} ms median of {args.repeat} "
        f"(first {theirs_first * 1000:.2f} ms)"
    )
    per_run = (theirs / args.mlflow_runs) / (ours / args.runs)
    print(
        f"ratio: mlflow on {args.mlflow_runs:,} runs takes {theirs / ours:.1f}x the time jupyter-dsl "
        f"takes on {args.runs:,} runs; per stored run {per_run:.0f}x"
    )


if __name__ == "__main__":
    main()
