"""`jupyter dsl batch` with real kernels: faults recorded, Ctrl-C, SIGKILL of the driver then resume,
`runs --batch --sort` and `plot`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from batch_support import GRID_HOLD, alive, descendants, rows, statuses, wait_for
from runs_support import ENV, ctrl_c_as_in_a_terminal, dsl, dsl_json, make_project

from jupyter_dsl.batch.plot import batch_figure
from jupyter_dsl.batch.state import BatchStore
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.store import RunStore


def start_driver(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter_dsl", "batch", *args],
        cwd=root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )


def running_then(driver: subprocess.Popen[str], root: Path) -> None:
    """Wait until 2 runs succeeded and 2 are running (held); fail at once if the driver ended."""

    def ready() -> bool:
        if driver.poll() is not None:
            raise AssertionError(f"the driver ended early: {driver.communicate()}")
        return statuses(root) == ["running", "running", "succeeded", "succeeded"]

    wait_for(ready, "2 runs done and 2 running")


def test_every_fault_is_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "batch_faults.ipynb")
    (root / "grid.yaml").write_text("grid:\n  mode: [raise, exit, die, hang, ok]\n  x: [2]\n")
    result = dsl(root, "batch", "nb/batch_faults.ipynb", "--grid", "grid.yaml", "-j", "2", "--timeout", "20",
                 code=7)  # fmt: skip
    batch_id = rows(root, "SELECT id FROM batches")[0]["id"]
    assert f"batch {batch_id} finished: 4 failed, 1 succeeded" in result.stdout
    state = dsl_json(root, "batches", batch_id)
    by_mode = {run["parameters"]["mode"]: run for run in state["runs"]}
    assert by_mode["ok"]["state"] == "succeeded"
    assert by_mode["ok"]["metrics"] == {"double": 4.0}
    assert by_mode["raise"]["state"] == "failed"
    assert by_mode["raise"]["error"] == "ValueError: bad x 2.0"
    assert by_mode["exit"]["state"] == "failed"
    assert by_mode["die"]["state"] == "failed"
    assert by_mode["hang"]["state"] == "failed"
    assert by_mode["hang"]["error"].startswith("Timeout")
    assert state["status"] == "finished"
    assert state["counts"] == {"failed": 4, "succeeded": 1}
    assert "4 of 5 runs did not succeed" in result.stderr
    # plain lines (stderr is not a terminal): one per finished run
    assert len([line for line in result.stderr.splitlines() if line.startswith("[")]) == 5


def test_dry_run_lists_the_sets_and_writes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    (root / "grid.yaml").write_text("grid:\n  alpha: [0.1, 0.2]\n  epochs: [1, 2]\n")
    plan = dsl_json(root, "batch", "nb/parameterized.ipynb", "--grid", "grid.yaml", "--dry-run")
    assert [s["parameters"] for s in plan["sets"]] == [
        {"alpha": 0.1, "epochs": 1}, {"alpha": 0.1, "epochs": 2},
        {"alpha": 0.2, "epochs": 1}, {"alpha": 0.2, "epochs": 2},
    ]  # fmt: skip
    assert rows(root, "SELECT * FROM runs") == []
    (root / "grid.yaml").write_text("grid:\n  alpha: [0.1, oops]\n")
    bad = dsl(root, "batch", "nb/parameterized.ipynb", "--grid", "grid.yaml", code=2)
    assert "grid.yaml: grid.alpha[1]: expected float, got str 'oops'" in bad.stderr
    assert rows(root, "SELECT * FROM batches") == []


def test_ctrl_c_cancels_cleanly(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "batch_hold.ipynb")
    hold = root / "hold"
    hold.write_text("")
    (root / "grid.yaml").write_text(GRID_HOLD)
    driver = start_driver(
        root, "nb/batch_hold.ipynb", "--grid", "grid.yaml", "-j", "2", "-p", "hold", str(hold)
    )
    try:
        running_then(driver, root)
        kernels = descendants(driver.pid)
        assert kernels, "the driver has kernel processes"
        driver.send_signal(signal.SIGINT)
        _, err = driver.communicate(timeout=60)
    finally:
        driver.kill()
    assert driver.returncode == 130, err
    assert statuses(root) == ["interrupted", "interrupted", "succeeded", "succeeded"]
    assert alive(kernels) == []
    batch = rows(root, "SELECT id, status FROM batches")[0]
    assert batch["status"] == "cancelled"
    assert f"--resume {batch['id']}" in err
    queued = rows(root, "SELECT count(*) AS n FROM batch_sets WHERE state = 'queued'")[0]["n"]
    assert queued == 2  # never started


def test_sigkill_of_the_driver_then_resume(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "batch_hold.ipynb")
    hold = root / "hold"
    hold.write_text("")
    (root / "grid.yaml").write_text(GRID_HOLD)
    args = ("nb/batch_hold.ipynb", "--grid", "grid.yaml", "-j", "2", "-p", "hold", str(hold))
    driver = start_driver(root, *args)
    try:
        running_then(driver, root)
        kernels = descendants(driver.pid)
        assert kernels
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(timeout=30)
    finally:
        driver.kill()
        driver.communicate()
    wait_for(lambda: not alive(kernels), "the kernels of the killed driver to end", limit=15)
    batch_id = rows(root, "SELECT id FROM batches")[0]["id"]
    hold.unlink()
    plan = dsl_json(root, "batch", *args, "--resume", batch_id, "--dry-run")
    assert (plan["total"], plan["skipped"]) == (6, 2)
    state = dsl_json(root, "batch", *args, "--resume", batch_id)
    assert state["id"] == batch_id
    assert [r["state"] for r in state["runs"]] == ["succeeded"] * 6
    records = rows(root, "SELECT identity, status FROM runs WHERE batch_id = ?", batch_id)
    succeeded = [r["identity"] for r in records if r["status"] == "succeeded"]
    assert len(succeeded) == len(set(succeeded)) == 6  # exactly one per parameter set
    assert sorted(r["status"] for r in records if r["status"] != "succeeded") == ["lost", "lost"]
    again = dsl_json(root, "batch", *args, "--resume", batch_id)  # nothing left to run
    assert len(rows(root, "SELECT id FROM runs WHERE batch_id = ?", batch_id)) == 8
    assert again["counts"] == {"succeeded": 6}


@pytest.fixture(scope="module")
def finished_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = make_project(tmp_path_factory.mktemp("b") / "p", "parameterized.ipynb")
    (root / "grid.yaml").write_text("grid:\n  alpha: [0.5, 0.1, 0.2]\n  epochs: [1, 2]\n")
    state = dsl_json(root, "batch", "nb/parameterized.ipynb", "--grid", "grid.yaml", "-j", "2")
    return root, state["id"]


def test_runs_of_a_batch_sorted_by_a_metric(finished_batch: tuple[Path, str]) -> None:
    root, batch_id = finished_batch
    listing = dsl_json(root, "runs", "--batch", batch_id, "--sort", "-score")
    assert listing["varying_parameters"] == ["alpha", "epochs"]
    scores = [run["metrics"]["score"] for run in listing["runs"]]
    # score = alpha * epochs + sum(layers), layers = [1, 2]
    expected = sorted((a * e + 3 for a in (0.5, 0.1, 0.2) for e in (1, 2)), reverse=True)
    assert scores == pytest.approx(expected)
    text = dsl(root, "runs", "--batch", batch_id, "--sort", "score").stdout
    assert text.splitlines()[0].split()[-3:] == ["alpha", "epochs", "score"]
    bad = dsl(root, "runs", "--batch", batch_id, "--sort", "auc", code=2)
    assert "no listed run has the metric 'auc'" in bad.stderr


def test_plot_one_line_per_other_parameter(finished_batch: tuple[Path, str]) -> None:
    root, batch_id = finished_batch
    figure = batch_figure(find_project(root).database_path, batch_id, "alpha", "score")
    lines = figure.axes[0].get_lines()
    assert sorted(line.get_label() for line in lines) == ["epochs=1", "epochs=2"]
    for line in lines:
        epochs = int(line.get_label().split("=")[1])
        assert list(line.get_xdata()) == [0.1, 0.2, 0.5]  # sorted along x
        assert list(line.get_ydata()) == pytest.approx([a * epochs + 3 for a in (0.1, 0.2, 0.5)])
    out = dsl(root, "plot", "--batch", batch_id, "--x", "alpha", "--y", "score", "--out", "chart.png")
    assert "chart.png" in out.stdout
    assert (root / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = dsl(root, "plot", "--batch", batch_id, "--x", "nope", "--y", "score", code=2)
    assert "the x axis 'nope' is not a parameter" in bad.stderr


def test_plot_legend_names_the_default_a_run_used(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    sets = ["{alpha: 0.1}", "{alpha: 0.2}", "{alpha: 0.1, epochs: 5}", "{alpha: 0.2, epochs: 5}"]
    (root / "grid.yaml").write_text("matrix:\n" + "".join(f"  - {s}\n" for s in sets))
    state = dsl_json(root, "batch", "nb/parameterized.ipynb", "--grid", "grid.yaml", "-j", "2")
    figure = batch_figure(find_project(root).database_path, state["id"], "alpha", "score")
    legend = figure.axes[0].get_legend()
    assert legend is not None
    assert sorted(text.get_text() for text in legend.get_texts()) == [
        "epochs=3",
        "epochs=5",
    ]  # 3: the default
    for line in figure.axes[0].get_lines():
        epochs = int(line.get_label().split("=")[1])
        assert list(line.get_ydata()) == pytest.approx([a * epochs + 3 for a in (0.1, 0.2)])


def test_a_batch_is_named_by_any_unique_part_of_its_id(finished_batch: tuple[Path, str]) -> None:
    root, batch_id = finished_batch
    part = batch_id.split("-")[-1]  # the random part, as `runs show` takes it
    assert dsl_json(root, "batches", part)["id"] == batch_id
    assert dsl_json(root, "runs", "--batch", part)["total"] == 6
    dsl(root, "plot", "--batch", part, "--x", "alpha", "--y", "score")
    assert (root / f"batch-{batch_id}-score-by-alpha.png").read_bytes()[:4] == b"\x89PNG"
    plan = dsl_json(root, "batch", "nb/parameterized.ipynb", "--resume", part, "--dry-run")
    assert (plan["batch_id"], plan["skipped"]) == (batch_id, 6)
    # an unknown batch is exit 3 everywhere (not "no runs match" with exit 0, nor "no succeeded runs")
    for args in (
        ("runs", "--batch", "nope"),
        ("plot", "--batch", "nope", "--x", "alpha", "--y", "score"),
        ("batches", "nope"),
        ("batch", "nb/parameterized.ipynb", "--resume", "nope", "--dry-run"),
    ):
        unknown = dsl(root, *args, code=3)
        assert "error: no batch 'nope'" in unknown.stderr, args
    with RunStore(find_project(root).database_path) as store:  # a second batch whose id shares the date
        other = batch_id[:9] + "000000-0f0f0f"
        BatchStore(store).create(
            other,
            notebook="nb/parameterized.ipynb",
            notebook_hash="h",
            kernel="python3",
            grid={},
            options={},
            sets=[],
            token="t",
        )
        BatchStore(store).finish(other, "t", "finished")
    ambiguous = dsl(root, "runs", "--batch", batch_id[:8], code=2)
    assert f"'{batch_id[:8]}' matches several batches (2): " in ambiguous.stderr
    assert dsl_json(root, "runs", "--batch", part)["total"] == 6


def test_two_batches_at_once_on_one_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    (root / "a.yaml").write_text("grid:\n  alpha: [0.1, 0.2, 0.3]\n")
    (root / "b.yaml").write_text("grid:\n  epochs: [4, 5, 6]\n")
    drivers = [
        start_driver(root, "nb/parameterized.ipynb", "--grid", g, "-j", "2") for g in ("a.yaml", "b.yaml")
    ]
    for driver in drivers:
        _, err = driver.communicate(timeout=300)
        assert driver.returncode == 0, err
    batches = rows(root, "SELECT id, status, total FROM batches")
    assert sorted((b["status"], b["total"]) for b in batches) == [("finished", 3), ("finished", 3)]
    for batch in batches:
        assert [
            r["status"] for r in rows(root, "SELECT status FROM runs WHERE batch_id = ?", batch["id"])
        ] == ["succeeded"] * 3
    assert rows(root, "PRAGMA integrity_check")[0][0] == "ok"
