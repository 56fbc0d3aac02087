"""Batch reruns against papermill: 40 runs of a tiny and of a realistic (pandas) notebook.

    python benchmarks/batch.py [--runs 40] [--jobs 2] [--only tiny|realistic] [--profile] [--no-surfaces]

For each notebook, in one process, one after the other:
  * jupyter-dsl: ``plan_batch`` + ``run_batch`` with ``-j 2`` (every run a fresh kernel, recorded);
  * papermill, sequential: ``papermill.execute_notebook`` with its defaults, once per parameter set;
  * papermill, 2 processes: a ``multiprocessing`` pool of 2 calling ``execute_notebook``.
Prints runs per second, the ratios, and the peak memory (RSS summed over the process tree: the
driver, its kernels and the fork server) sampled while the jupyter-dsl batch ran; for the tiny
notebook also the plain-start path (kernels started ahead, no fork) and the scaling from -j 1 to the
machine's cores. Then, unless --no-surfaces, the same batch from the sidebar and from %dsl batch
against the CLI, and one run against the papermill CLI (benchmarks/batch_surfaces.py). --profile
adds where a tiny run's time goes, beside the floor (benchmarks/batch_profile.py).
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
    """Samples the RSS of this process and all its descendants every 50 ms; keeps the peak. Reads
    ``/proc`` directly (each process's ``task/*/children`` and ``statm``): a sampler must not cost
    the batch it measures a scan of every process on the machine."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.halt = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.halt.wait(0.05):
            self.peak = max(self.peak, sum(_rss_pages(pid) for pid in _tree(os.getpid())) * page)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):  # a process that just ended
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
    return found


def _rss_pages(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def run_dsl(
    root: Path, notebook: str, runs: int, jobs: int, *, kernel: str | None = None, first: int = 0
) -> tuple[float, int, dict[str, int]]:
    """One batch of ``runs`` parameter sets (``n`` from ``first``): seconds, peak RSS, state counts."""
    from jupyter_dsl.batch.driver import BatchOptions, plan_batch
    from jupyter_dsl.project.settings import find_project
    from jupyter_dsl.runs.service import run_batch

    grid = root / f"grid-{first}-{runs}.yaml"
    grid.write_text(json.dumps({"grid": {"n": list(range(first, first + runs))}}))
    project = find_project(root)
    memory = PeakMemory()
    memory.start()
    started = time.perf_counter()
    plan = plan_batch(project, root / notebook, grid, kernel=kernel)
    outcome = run_batch(plan, BatchOptions(workers=jobs))
    took = time.perf_counter() - started
    memory.halt.set()
    memory.join()
    return took, memory.peak, outcome.state.counts


def plain_kernelspec(folder: Path) -> str:
    """A kernelspec that runs this interpreter through a wrapper script: kernels of it cannot be
    forked (another interpreter, as far as the launcher can tell), so they start plainly."""
    import sys

    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "python-wrapper"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    spec = folder / "kernels" / "python3-plain"
    spec.mkdir(parents=True)
    argv = [str(wrapper), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3 (plain start)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("JUPYTER_PATH")]))
    return "python3-plain"


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


def _rates(label: str, runs: int, dsl: float, sequential: float, pool: float) -> list[str]:
    return [
        f"  {label:<34} {runs / dsl:6.2f} runs/s   {sequential / dsl:5.1f}x papermill sequential,"
        f" {pool / dsl:4.1f}x the papermill pool of 2",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", choices=["tiny", "realistic"], default=None)
    parser.add_argument("--profile", action="store_true", help="print where a tiny run's time goes")
    parser.add_argument(
        "--no-surfaces",
        action="store_true",
        help="skip the sidebar, %%dsl batch and one-run rows (benchmarks/batch_surfaces.py)",
    )
    args = parser.parse_args()
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        make_project(root)
        plain = plain_kernelspec(Path(tmp) / "jupyter")
        for name in ("tiny", "realistic"):
            if args.only not in (None, name):
                continue
            notebook = f"nb/{name}.ipynb"
            dsl, peak, counts = run_dsl(root, notebook, args.runs, args.jobs)
            sequential = run_papermill(root, notebook, args.runs, 1)
            pool = run_papermill(root, notebook, args.runs, 2)
            print(f"{name} notebook, {args.runs} runs (jupyter-dsl: {counts})", flush=True)
            print(f"  {'papermill sequential':<34} {args.runs / sequential:6.2f} runs/s")
            print(f"  {'papermill, pool of 2':<34} {args.runs / pool:6.2f} runs/s")
            print("\n".join(_rates(f"jupyter-dsl batch -j {args.jobs}", args.runs, dsl, sequential, pool)))
            print(f"  peak memory of the jupyter-dsl batch (driver + kernels): {peak / 2**20:.0f} MiB")
            if name != "tiny":
                continue
            took, _, counts = run_dsl(root, notebook, args.runs, args.jobs, kernel=plain, first=args.runs)
            label = f"plain start (no fork) -j {args.jobs}"
            print("\n".join(_rates(label, args.runs, took, sequential, pool)) + f"  {counts}")
            print(f"  scaling, -j 1 to the machine's {cores} cores:")
            for jobs in range(1, cores + 1):
                took, _, counts = run_dsl(root, notebook, args.runs, jobs, first=(1 + jobs) * args.runs)
                print("  " + "\n".join(_rates(f"-j {jobs}", args.runs, took, sequential, pool)), flush=True)
        if args.profile:
            from batch_profile import breakdown, floor, profiled_batch

            result = profiled_batch(root, "nb/tiny.ipynb", args.runs, args.jobs)
            print(
                "tiny notebook, "
                + "\n".join(breakdown(result, floor(root, "nb/tiny.ipynb"), args.runs, args.jobs))
            )
        if not args.no_surfaces:
            # The sidebar's and %dsl batch's runs/s against the CLI's, and one run against the
            # papermill CLI (its own temporary demo project): benchmarks/batch_surfaces.py.
            from batch_surfaces import surfaces_report

            surfaces_report(runs=args.runs, jobs=args.jobs, say=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
