"""The optional timing collector: off, it keeps nothing; on, a real batch's runs are broken down into
the driver's and the kernel's phases (what ``benchmarks/batch.py --profile`` prints)."""

from __future__ import annotations

import json
from pathlib import Path

from runs_support import make_project

from jupyter_dsl.batch.driver import BatchOptions, plan_batch
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs import timings
from jupyter_dsl.runs.service import run_batch


def test_off_the_collector_keeps_nothing() -> None:
    assert not timings.on()
    with timings.phase("driver: anything"):
        pass
    timings.add("kernel: anything", 1.0, 1.0)
    with timings.collecting() as collector:
        assert timings.on()
    assert collector.phases == {} and not timings.on()


def test_a_batch_is_broken_down_into_the_drivers_and_the_kernels_phases(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", "parameterized.ipynb")
    grid = root / "grid.yaml"
    grid.write_text(json.dumps({"grid": {"alpha": [0.1, 0.2, 0.3]}}))
    project = find_project(root)
    with timings.collecting() as collector:
        plan = plan_batch(project, root / "nb" / "parameterized.ipynb", grid)
        outcome = run_batch(plan, BatchOptions(workers=2))
    assert outcome.state.counts == {"succeeded": 3}
    phases = collector.phases
    for name in (
        "driver: claim",
        "driver: prepare (run id, staging folder, kernel env)",
        "driver: record (insert running)",
        "driver: record (update)",
        "driver: execution round trips (nbclient: send cells, await replies and outputs)",
        "kernel: fork (request to pid; wall only)",
        "kernel: process CPU (fork to kill)",
        "kernel: shutdown (kill, reap, close)",
    ):
        assert phases[name].count == 3, name
    assert phases["driver: output notebook writes (papermill, each cell)"].count >= 3 * 3
    assert phases["kernel: process CPU (fork to kill)"].cpu > 0  # read from /proc before the kill
    assert all(total.wall >= 0 and total.cpu >= 0 for total in phases.values())
