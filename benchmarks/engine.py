"""Sequential reruns of one notebook, fresh kernel process per run, through each way of starting it:

    python benchmarks/engine.py [--runs 20] [--only tiny|pandas] [--jobs 1]

(a) ``papermill.execute_notebook`` with its defaults, one after the other (with ``--jobs N`` also a
N-process pool calling it); (b) ``execute()`` starting a plain kernel
itself; (c) ``execute()`` on plain kernels a ``KernelLauncher(fork=False)`` starts one run ahead;
(d) the same with kernels forked from the zygote. The pandas notebook (numpy + a 10,000-row
DataFrame, one recorded metric) adds (d) with the notebook's imports preloaded in the zygote.
With ``--jobs N`` the engine runs go N at a time (threads sharing one launcher). Prints runs/s and
ratios against (a). Each engine run is a recorded run (git state and environment
captured once per series, as a batch does). The building blocks (``bench_project``,
``papermill_series``, ``engine_series``) are importable for the batch benchmark.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat

from jupyter_dsl.kernels.ahead import KernelLauncher, StartedKernel, notebook_imports
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs.execute import PreparedRun, capture_context, execute, plan_run, prepare_run
from jupyter_dsl.runs.store import RunStore

TINY = ("x = 0", "import jupyter_dsl\njupyter_dsl.record('y', x * 2)")
PANDAS = (
    "seed = 0",
    "import numpy as np\nimport pandas as pd\nimport jupyter_dsl",
    "rng = np.random.default_rng(seed)\n"
    "df = pd.DataFrame(rng.normal(size=(10_000, 4)), columns=list('abcd'))\n"
    "df['g'] = rng.integers(0, 10, size=len(df))\n"
    "jupyter_dsl.record('mean_a', float(df.groupby('g')['a'].mean().mean()))",
)
GIT = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b.invalid", "GIT_COMMITTER_NAME": "b"}


def _notebook(path: Path, cells: tuple[str, ...]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cells[0], metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells[1:]]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def bench_project(root: Path) -> tuple[Project, Path, Path]:
    """A committed DSLP project with ``nb/tiny.ipynb`` and ``nb/pandas_metric.ipynb``."""
    import os

    init_project(root)
    (root / "nb").mkdir()
    tiny = _notebook(root / "nb" / "tiny.ipynb", TINY)
    frame = _notebook(root / "nb" / "pandas_metric.ipynb", PANDAS)
    env = {**os.environ, **GIT, "GIT_COMMITTER_EMAIL": "b@b.invalid"}
    for args in (["add", "--all"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    return find_project(root), tiny, frame


def papermill_series(notebook: Path, runs: int, out: Path, parameter: str) -> float:
    """(a): ``papermill.execute_notebook`` with its defaults, one run after the other; seconds."""
    import papermill

    started = time.perf_counter()
    for i in range(runs):
        papermill.execute_notebook(str(notebook), str(out / f"pm-{i}.ipynb"), parameters={parameter: i})
    return time.perf_counter() - started


def _papermill_one(args: tuple[str, str, str, int]) -> None:
    import papermill

    notebook, output, parameter, value = args
    papermill.execute_notebook(notebook, output, parameters={parameter: value}, progress_bar=False)


def papermill_pool(notebook: Path, runs: int, out: Path, parameter: str, jobs: int) -> float:
    """A ``jobs``-process pool, each process calling ``papermill.execute_notebook``; seconds."""
    from multiprocessing import get_context

    work = [(str(notebook), str(out / f"pool-{i}.ipynb"), parameter, i) for i in range(runs)]
    started = time.perf_counter()
    with get_context().Pool(jobs) as pool:
        pool.map(_papermill_one, work, chunksize=1)
    return time.perf_counter() - started


def engine_series(
    project: Project,
    notebook: Path,
    runs: int,
    parameter: str,
    launcher: KernelLauncher | None,
    jobs: int = 1,
) -> float:
    """(b)-(e): recorded runs through ``execute`` in ``jobs`` threads; with a launcher, each thread's
    next kernel starts while its current run executes. Checks every run succeeded; seconds."""
    started = time.perf_counter()
    plans = [plan_run(project, notebook, values={parameter: i}) for i in range(runs)]
    context = capture_context(plans[0])
    prepared = [prepare_run(plan, context) for plan in plans]

    def worker(share: list[PreparedRun]) -> None:
        with RunStore(project.database_path) as store, ThreadPoolExecutor(1) as ahead:
            start: Callable[[PreparedRun], StartedKernel] | None = None
            if launcher is not None:
                start = lambda run: launcher.start(run.env, notebook.parent)  # noqa: E731
            upcoming: Future[StartedKernel] | None = ahead.submit(start, share[0]) if start else None
            for i, run in enumerate(share):
                kernel = upcoming.result() if upcoming is not None else None
                upcoming = ahead.submit(start, share[i + 1]) if start and i + 1 < len(share) else None
                record = execute(run, store=store, kernel=kernel)
                assert record.status == "succeeded", (record.status, record.error)

    with ThreadPoolExecutor(jobs) as workers:
        list(workers.map(worker, [prepared[w::jobs] for w in range(jobs)]))
    return time.perf_counter() - started


def _row(label: str, runs: int, seconds: float, base: float, pool: float | None) -> str:
    ratio = f"{base / seconds:5.1f}x sequential papermill" if seconds is not base else ""
    if pool is not None and seconds not in (base, pool):
        ratio += f", {pool / seconds:4.1f}x the papermill pool"
    return f"{label:<52} {seconds / runs * 1000:7.0f} ms/run {runs / seconds:6.2f} runs/s  {ratio}"


def _series(
    project: Project, notebook: Path, runs: int, parameter: str, out: Path, jobs: int
) -> list[tuple[str, float]]:
    preload = notebook_imports(nbformat.read(notebook, as_version=4))
    j = f" x{jobs} threads" if jobs > 1 else ""
    rows = [
        (
            "(a) papermill.execute_notebook defaults, sequential",
            papermill_series(notebook, runs, out, parameter),
        )
    ]
    if jobs > 1:
        rows.append(
            (
                f"(a{jobs}) {jobs}-process pool calling papermill",
                papermill_pool(notebook, runs, out, parameter, jobs),
            )
        )
    rows.append(
        (
            f"(b) execute(), plain kernel started in the run{j}",
            engine_series(project, notebook, runs, parameter, None, jobs),
        )
    )
    with KernelLauncher("python3", fork=False) as plain:
        rows.append(
            (
                f"(c) execute(), plain kernels one ahead{j}",
                engine_series(project, notebook, runs, parameter, plain, jobs),
            )
        )
    with KernelLauncher("python3") as forked:
        assert forked.forking, forked.note
        rows.append(
            (
                f"(d) execute(), forked kernels one ahead{j}",
                engine_series(project, notebook, runs, parameter, forked, jobs),
            )
        )
    if notebook.name.startswith("pandas"):
        with KernelLauncher("python3", preload=preload) as preloaded:
            assert not preloaded.preload_notes, preloaded.preload_notes
            label = f"(e) as (d), zygote preloaded {', '.join(preload)}{j}"
            rows.append((label, engine_series(project, notebook, runs, parameter, preloaded, jobs)))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=["tiny", "pandas"])
    parser.add_argument(
        "--jobs", type=int, default=1, help="runs at a time (threads; a process pool for papermill)"
    )
    args = parser.parse_args(argv)
    logging.getLogger("papermill").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory(prefix="dsl-engine-bench-") as tmp:
        project, tiny, frame = bench_project(Path(tmp) / "proj")
        for name, notebook, parameter in (("tiny", tiny, "x"), ("pandas", frame, "seed")):
            if args.only and args.only != name:
                continue
            print(f"\n{notebook.name}: {args.runs} runs, -j {args.jobs}, a fresh kernel process each")
            rows = _series(project, notebook, args.runs, parameter, Path(tmp), args.jobs)
            base, pool = rows[0][1], rows[1][1] if args.jobs > 1 else None
            for label, seconds in rows:
                print(_row(label, args.runs, seconds, base, pool), flush=True)


if __name__ == "__main__":
    main()


__all__ = ["bench_project", "engine_series", "papermill_pool", "papermill_series"]
