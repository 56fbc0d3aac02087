"""Batch reruns against papermill: 40 runs of a tiny and of a realistic (pandas) notebook.

    python benchmarks/batch.py [--runs 40] [--jobs 2]

For each notebook, in one process, one after the other:
  * jupyter-dsl: ``plan_batch`` + ``run_batch`` with ``-j 2`` (every run a fresh kernel, recorded);
  * papermill, sequential: ``papermill.execute_notebook`` with its defaults, once per parameter set;
  * papermill, 2 processes: a ``multiprocessing`` pool of 2 calling ``execute_notebook``.
Prints runs per second, the ratios, and the peak memory (RSS summed over the process tree: the
driver, its kernels and the fork server) sampled while the jupyter-dsl batch ran.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import nbformat

TINY = ["n = 0", "total = sum(i * i for i in range(1000)) + n"]
REALISTIC = [
    "n = 0",
    "import numpy as np\nimport pandas as pd\nimport jupyter_dsl",
    "rng = np.random.default_rng(n)\n"
    "frame = pd.DataFrame({'x': rng.normal(size=10_000), 'g': rng.integers(0, 10, size=10_000)})\n"
    "jupyter_dsl.record('mean_by_group', float(frame.groupby('g')['x'].mean().mean()))",
]


def write_notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def make_project(root: Path) -> None:
    from jupyter_dsl.project.scaffold import init_project

    init_project(root)
    (root / "nb").mkdir()
    write_notebook(root / "nb" / "tiny.ipynb", TINY)
    write_notebook(root / "nb" / "realistic.ipynb", REALISTIC)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b.invalid"}
    env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b.invalid"}
    subprocess.run(["git", "add", "--all"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "bench"], cwd=root, check=True, env=env)


class PeakMemory(threading.Thread):
    """Samples the RSS of this process and all its descendants every 50 ms; keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.halt = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self.halt.wait(0.05):
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a process that just ended
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)


def run_dsl(root: Path, notebook: str, runs: int, jobs: int) -> tuple[float, int, dict[str, int]]:
    from jupyter_dsl.batch.driver import BatchOptions, plan_batch
    from jupyter_dsl.project.settings import find_project
    from jupyter_dsl.runs.service import run_batch

    grid = root / f"grid-{runs}.yaml"
    grid.write_text(json.dumps({"grid": {"n": list(range(runs))}}))
    project = find_project(root)
    memory = PeakMemory()
    memory.start()
    started = time.perf_counter()
    plan = plan_batch(project, root / notebook, grid)
    outcome = run_batch(plan, BatchOptions(workers=jobs))
    took = time.perf_counter() - started
    memory.halt.set()
    memory.join()
    return took, memory.peak, outcome.state.counts


def papermill_one(args: tuple[str, str, int]) -> None:
    import papermill

    notebook, out_dir, n = args
    papermill.execute_notebook(
        notebook, str(Path(out_dir) / f"out-{n}.ipynb"), parameters={"n": n}, progress_bar=False
    )


def run_papermill(root: Path, notebook: str, runs: int, processes: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        tasks = [(str(root / notebook), out, n) for n in range(runs)]
        started = time.perf_counter()
        if processes == 1:
            for task in tasks:
                papermill_one(task)
        else:
            with multiprocessing.get_context("spawn").Pool(processes) as pool:
                pool.map(papermill_one, tasks, chunksize=1)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        make_project(root)
        for name in ("tiny", "realistic"):
            notebook = f"nb/{name}.ipynb"
            dsl, peak, counts = run_dsl(root, notebook, args.runs, args.jobs)
            sequential = run_papermill(root, notebook, args.runs, 1)
            pool = run_papermill(root, notebook, args.runs, 2)
            rate: dict[str, Any] = {
                f"jupyter-dsl batch -j {args.jobs}": args.runs / dsl,
                "papermill sequential": args.runs / sequential,
                "papermill, pool of 2": args.runs / pool,
            }
            print(f"{name} notebook, {args.runs} runs (jupyter-dsl: {counts})")
            for label, value in rate.items():
                print(f"  {label:<26} {value:6.2f} runs/s")
            print(
                f"  ratio vs papermill sequential: {sequential / dsl:.1f}x; vs pool of 2: {pool / dsl:.1f}x"
            )
            print(f"  peak memory of the jupyter-dsl batch (driver + kernels): {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
