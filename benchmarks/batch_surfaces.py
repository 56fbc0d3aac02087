"""The same batch and the same run from every surface: the CLI, the sidebar (a real Jupyter server,
its REST API) and ``%dsl`` magics (a real kernel), against papermill's CLI.

    python benchmarks/batch_surfaces.py [--runs 40] [--jobs 2] [--pairs 5] [--sidebar-runs 5]

Prints, from one run:
  * the tiny notebook's batch over the same grid from ``jupyter dsl batch``, from the sidebar
    (``POST /jupyter-dsl/batches`` on a ``jupyter server`` subprocess, polled as the sidebar polls)
    and from ``%dsl batch --wait`` (in a kernel), in runs per second, with each surface's ratio to the
    CLI. Runs per second count the batch's own span in the run store (created -> finished, the same
    clock for every surface); the wall time from the request to the answer is printed beside it;
  * ``jupyter dsl run NB`` against ``papermill NB OUT`` on the demo notebook, wall time of each
    command, in alternating pairs (the ratio of the medians);
  * a run of the demo notebook from the sidebar (``POST /jupyter-dsl/jobs``, polled until it ended)
    in a server that is already up: the first one (it starts the server's fork server) and the
    following ones, against the papermill CLI's median.

``surfaces_report(runs, jobs, pairs, sidebar_runs)`` returns the printed lines (for benchmarks/batch.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

TINY = ("n = 0", "total = sum(i * i for i in range(1000)) + n")
TOKEN = "surfaces-benchmark"
GIT = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b.invalid"}
GIT |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b.invalid"}


def _tool(name: str) -> str:
    """A console script of this interpreter's environment (jupyter, papermill)."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


def make_projects(root: Path) -> tuple[Path, str]:
    """The demo project (its notebook) with nb/tiny.ipynb added and committed."""
    import nbformat

    from jupyter_dsl.project.demo import make_demo

    demo = make_demo(root, runs=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in TINY]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (root / "nb").mkdir()
    nbformat.write(nb, root / "nb" / "tiny.ipynb")
    env = {**os.environ, **GIT}
    for args in (["add", "--all"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    return root, demo.notebook


def _seconds(start: str, end: str | None) -> float:
    if end is None:
        raise RuntimeError("the batch did not finish")
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def _batch_span(root: Path, batch_id: str) -> tuple[float, dict[str, int]]:
    from jupyter_dsl.batch.driver import batch_state
    from jupyter_dsl.project.settings import find_project

    state = batch_state(find_project(root), batch_id)
    return _seconds(state.created_at, state.finished_at), state.counts


class DriverCpu:
    """The CPU seconds (user + system) a process spends while in this block, sampled every 0.1 s
    (a process that exits keeps its last sample): the driver's own cost, without its kernels."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.first = self.last = self._now()
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _now(self) -> float:
        import psutil

        try:
            times = self.process.cpu_times()
        except psutil.Error:
            return self.last
        return float(times.user + times.system)

    def _sample(self) -> None:
        while not self.halt.wait(0.1):
            self.last = self._now()

    def stop(self) -> float:
        self.halt.set()
        self.thread.join()
        self.last = self._now()
        return self.last - self.first


# -- the Jupyter server ------------------------------------------------------------------------


class Server:
    """``jupyter server`` on a free port, serving ``root``; stopped (with its process group) on exit."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop)
        command = [_tool("jupyter"), "server", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1"]
        command += [f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                self.call("GET", "/api/status")
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                raise RuntimeError(f"jupyter server did not start: {self.log.read().decode()[-2000:]}")
            time.sleep(0.2)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read() or b"null")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        self.log.close()


@contextlib.contextmanager
def server(root: Path) -> Iterator[Server]:
    running = Server(root)
    try:
        yield running
    finally:
        running.stop()


# -- the batch from each surface -----------------------------------------------------------------


@dataclass
class Measured:
    span: float  # the batch's own span in the store (created -> finished), seconds
    wall: float  # from the request to the answer, seconds
    cpu: float  # CPU seconds of the driver's process (without its kernels and fork server)
    counts: dict[str, int]


def batch_cli(root: Path, grid: Path, jobs: int) -> Measured:
    """``jupyter dsl batch --json``."""
    command = [_tool("jupyter"), "dsl", "batch", "nb/tiny.ipynb", "--grid", str(grid), "-j", str(jobs)]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--json"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cpu = DriverCpu(process.pid)
    out, err = process.communicate()
    wall, used = time.perf_counter() - started, cpu.stop()
    if process.returncode != 0:
        raise RuntimeError(f"jupyter dsl batch failed: {err.decode()[-2000:]}")
    span, counts = _batch_span(root, json.loads(out)["id"])
    return Measured(span, wall, used, counts)


def batch_sidebar(api: Server, root: Path, runs: int, jobs: int) -> Measured:
    """``POST /jupyter-dsl/batches``, then its state polled every second (the sidebar's interval)."""
    body = {"path": "nb/tiny.ipynb", "grid": {"n": list(range(runs))}, "workers": jobs}
    cpu = DriverCpu(api.process.pid)
    started = time.perf_counter()
    batch_id = api.call("POST", "/jupyter-dsl/batches", body)["id"]
    while api.call("GET", f"/jupyter-dsl/batches/{batch_id}")["status"] == "running":
        time.sleep(1.0)
    wall, used = time.perf_counter() - started, cpu.stop()
    span, counts = _batch_span(root, batch_id)
    return Measured(span, wall, used, counts)


def batch_magic(root: Path, grid: Path, jobs: int) -> Measured:
    """``%dsl batch GRID --notebook nb/tiny.ipynb --wait --json`` in a real kernel (started in nb/)."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(root / "nb"))
    try:
        client.execute_interactive("%load_ext jupyter_dsl", timeout=120)
        code = (
            f"_state = %dsl batch {grid} --notebook {root / 'nb' / 'tiny.ipynb'} -j {jobs} --wait --json\n"
            "print(_state['id'])"
        )
        printed: list[str] = []

        def keep(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        cpu = DriverCpu(int(manager.provisioner.pid))
        started = time.perf_counter()
        reply = client.execute_interactive(code, timeout=3600, output_hook=keep)
        wall, used = time.perf_counter() - started, cpu.stop()
        if reply["content"]["status"] != "ok" or not printed:
            raise RuntimeError(f"%dsl batch failed: {reply['content']}")
        batch_id = "".join(printed).split()[-1]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    span, counts = _batch_span(root, batch_id)
    return Measured(span, wall, used, counts)


def surfaces_batch(root: Path, runs: int, jobs: int) -> list[str]:
    grid = root / f"grid-{runs}.yaml"
    grid.write_text(json.dumps({"grid": {"n": list(range(runs))}}))
    results: dict[str, Measured] = {}
    results["CLI (jupyter dsl batch)"] = batch_cli(root, grid, jobs)
    with server(root) as api:
        results["sidebar (REST, jupyter server)"] = batch_sidebar(api, root, runs, jobs)
    results["%dsl batch (a kernel)"] = batch_magic(root, grid, jobs)
    cli_rate = runs / results["CLI (jupyter dsl batch)"].span
    lines = [f"tiny notebook, {runs} runs, -j {jobs}, the same grid from every surface"]
    for label, m in results.items():
        rate = runs / m.span
        lines.append(
            f"  {label:<31} {rate:6.2f} runs/s {rate / cli_rate:5.0%} of the CLI"
            f"  ({m.span:5.1f} s in the store, {m.wall:5.1f} s wall,"
            f" driver {1000 * m.cpu / runs:3.0f} ms CPU/run)  {m.counts}"
        )
    return lines


# -- one run -------------------------------------------------------------------------------------


def _wall(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return took


def one_run(root: Path, notebook: str, pairs: int) -> tuple[list[str], float]:
    """``jupyter dsl run NB`` and ``papermill NB OUT`` in alternating pairs; the lines and papermill's
    median wall time."""
    dsl: list[float] = []
    papermill: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        for i in range(pairs):
            dsl.append(_wall([_tool("jupyter"), "dsl", "run", notebook], root))
            papermill.append(_wall([_tool("papermill"), notebook, f"{out}/out-{i}.ipynb"], root))
    ratio = statistics.median(papermill) / statistics.median(dsl)
    lines = [
        f"one run of {notebook}, {pairs} pairs (wall time of the command)",
        f"  jupyter dsl run NB     median {statistics.median(dsl):5.2f} s  ({_listed(dsl)})",
        f"  papermill NB OUT       median {statistics.median(papermill):5.2f} s  ({_listed(papermill)})",
        f"  jupyter dsl run is {ratio:.1f}x the papermill CLI",
    ]
    return lines, statistics.median(papermill)


def sidebar_run(api: Server, notebook: str) -> float:
    """``POST /jupyter-dsl/jobs`` and its state polled (every 20 ms) until the run ended; seconds."""
    started = time.perf_counter()
    job = api.call("POST", "/jupyter-dsl/jobs", {"path": notebook})["job"]
    while job["state"] == "running":
        time.sleep(0.02)
        job = next(
            j for j in api.call("GET", f"/jupyter-dsl/jobs?path={notebook}")["jobs"] if j["id"] == job["id"]
        )
    took = time.perf_counter() - started
    if job["state"] != "done" or job["run"]["status"] != "succeeded":
        raise RuntimeError(f"the sidebar run did not succeed: {job}")
    return took


def sidebar_runs(root: Path, notebook: str, count: int, papermill: float) -> list[str]:
    with server(root) as api:
        times = [sidebar_run(api, notebook) for _ in range(count + 1)]
    first, warm = times[0], times[1:]
    return [
        f"a run of {notebook} from the sidebar (a server already up), {count} runs after the first",
        f"  first (starts the fork server)  {first:5.2f} s  {papermill / first:4.1f}x the papermill CLI",
        f"  then, median                    {statistics.median(warm):5.2f} s  "
        f"{papermill / statistics.median(warm):4.1f}x the papermill CLI  ({_listed(warm)})",
    ]


def _listed(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def surfaces_report(
    runs: int = 40,
    jobs: int = 2,
    pairs: int = 5,
    sidebar_count: int = 5,
    say: Callable[[str], None] | None = None,
) -> list[str]:
    """Everything this benchmark measures, as the lines it prints (in a temporary project); ``say``
    gets each part's lines as soon as that part is measured."""
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    lines: list[str] = []

    def keep(part: list[str]) -> None:
        lines.extend(part)
        for line in part:
            (say or (lambda _: None))(line)

    with tempfile.TemporaryDirectory() as tmp:
        root, demo = make_projects(Path(tmp) / "project")
        keep(surfaces_batch(root, runs, jobs))
        run_lines, papermill = one_run(root, demo, pairs)
        keep(run_lines)
        keep(sidebar_runs(root, demo, sidebar_count, papermill))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of the batch (the grid's size)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=5, help="jupyter dsl run / papermill pairs")
    parser.add_argument("--sidebar-runs", type=int, default=5, help="sidebar runs after the first")
    parser.add_argument("--only", choices=("batch", "run", "sidebar"), default=None)
    args = parser.parse_args()
    if args.only is None:
        surfaces_report(
            args.runs, args.jobs, args.pairs, args.sidebar_runs, say=lambda line: print(line, flush=True)
        )
        return
    with tempfile.TemporaryDirectory() as tmp:
        root, demo = make_projects(Path(tmp) / "project")
        if args.only == "batch":
            lines = surfaces_batch(root, args.runs, args.jobs)
        elif args.only == "run":
            lines = one_run(root, demo, args.pairs)[0]
        else:
            papermill = statistics.median(
                _wall([_tool("papermill"), demo, f"{tmp}/out-{i}.ipynb"], root) for i in range(args.pairs)
            )
            lines = sidebar_runs(root, demo, args.sidebar_runs, papermill)
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
