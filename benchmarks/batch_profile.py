"""Where a batch run's time goes: the breakdown that ``python benchmarks/batch.py --profile`` prints.

The core's timing collector (``jupyter_dsl.runs.timings``, off unless a block turns it on) times each
phase of each run in the driver (wall, and the CPU of the thread that ran it) and reads each kernel
process's CPU from ``/proc`` just before it is killed. The driver's and the fork server's CPU are
read for the whole batch (``os.times``, ``psutil``). Beside it, the floor: one kernel forked from a
zygote (its CPU until ready, and the zygote's) plus the notebook's own cells executed in that
already running kernel, measured in the same process.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_dsl.runs import timings


class ZygoteCpu(threading.Thread):
    """Finds the fork server among this process's children, then reads its CPU every 100 ms (only
    its own ``/proc`` entry: a sampler must not cost the driver what it measures)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.cpu: dict[int, float] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        known: set[int] = set()
        while not self.halt.wait(0.1):
            if not self.cpu:  # not found yet: look among the direct children
                for proc in me.children():
                    with contextlib.suppress(psutil.Error):
                        if proc.pid not in known and "zygote.py" in " ".join(proc.cmdline()):
                            self.cpu[proc.pid] = 0.0
                        known.add(proc.pid)
            for pid in list(self.cpu):
                self.cpu[pid] = timings.process_cpu(pid) or self.cpu[pid]

    def total(self) -> float:
        return sum(self.cpu.values())


def profiled_batch(root: Path, notebook: str, runs: int, jobs: int) -> dict[str, Any]:
    """One batch with the collector on: its phases, wall time, and the driver's and zygote's CPU."""
    from jupyter_dsl.batch.driver import BatchOptions, plan_batch
    from jupyter_dsl.project.settings import find_project
    from jupyter_dsl.runs.service import run_batch

    grid = root / f"grid-profile-{runs}.yaml"
    grid.write_text(json.dumps({"grid": {"n": [1000 + n for n in range(runs)]}}))
    project = find_project(root)
    sampler = ZygoteCpu()
    sampler.start()
    with timings.collecting() as collector:
        before, started = os.times(), time.perf_counter()
        with timings.phase("driver: planning (once per batch)"):
            plan = plan_batch(project, root / notebook, grid)
        outcome = run_batch(plan, BatchOptions(workers=jobs))
        after, took = os.times(), time.perf_counter() - started
    sampler.halt.set()
    sampler.join()
    driver_cpu = (after.user - before.user) + (after.system - before.system)
    return {
        "phases": collector.phases,
        "wall": took,
        "driver_cpu": driver_cpu,
        "zygote_cpu": sampler.total(),
        "counts": outcome.state.counts,
    }


def floor(root: Path, notebook: str) -> dict[str, float]:
    """Fork one kernel from a zygote and run the notebook's cells in it: CPU and wall of each part."""
    import nbformat

    from jupyter_dsl.kernels.ahead import KernelLauncher, _run

    node = nbformat.read(str(root / notebook), as_version=4)
    cells = [c.source for c in node.cells if c.cell_type == "code"]
    with KernelLauncher("python3") as launcher:
        launcher.start({}, root).kill()  # the zygote is up and warm
        started = time.perf_counter()
        kernel = launcher.start({}, root)
        ready_wall = time.perf_counter() - started
        fork_cpu = timings.process_cpu(kernel.pid) or 0.0
        client = kernel.for_this_thread()
        started = time.perf_counter()
        for source in cells:
            _run(client.execute_interactive(source, store_history=True, timeout=60))
        execute_wall = time.perf_counter() - started
        execute_cpu = (timings.process_cpu(kernel.pid) or 0.0) - fork_cpu
        kernel.kill()
    return {
        "fork_wall": ready_wall,
        "fork_cpu": fork_cpu,
        "execute_wall": execute_wall,
        "execute_cpu": execute_cpu,
    }


def _line(label: str, wall_ms: float | None, cpu_ms: float | None, note: str = "") -> str:
    wall = f"{wall_ms:8.1f}" if wall_ms is not None else " " * 8
    cpu = f"{cpu_ms:8.1f}" if cpu_ms is not None else " " * 8
    return f"  {label:<72}{wall}{cpu}  {note}".rstrip()


def breakdown(result: dict[str, Any], bottom: dict[str, float], runs: int, jobs: int) -> list[str]:
    """The printed breakdown: per run (ms) in the driver and in the kernel, totals, and the floor."""
    phases: dict[str, timings.PhaseTotal] = result["phases"]
    cores = os.cpu_count() or 1
    lines = [
        f"breakdown: {runs} runs, -j {jobs}, {result['wall']:.2f} s wall"
        f" = {1000 * result['wall'] / runs:.1f} ms per run ({runs / result['wall']:.1f} runs/s),"
        f" {result['counts']}",
        _line("per run, ms (a phase's wall is in the thread that ran it)", None, None) + "    wall     CPU",
    ]
    driver_phases = 0.0
    for prefix in ("driver", "kernel"):
        for name in sorted(p for p in phases if p.startswith(prefix)):
            total = phases[name]
            if name == "kernel: process CPU (fork to kill)":
                continue
            if prefix == "driver":
                driver_phases += total.cpu
            each = f"x{total.count / runs:.1f}" if total.count != runs else ""
            lines.append(_line(name, 1000 * total.wall / runs, 1000 * total.cpu / runs, each))
    kernel_cpu = phases.get("kernel: process CPU (fork to kill)", timings.PhaseTotal()).cpu
    driver_cpu, zygote_cpu = result["driver_cpu"], result["zygote_cpu"]
    lines += [
        "totals, CPU ms per run:",
        _line("driver process (all its threads, os.times)", None, 1000 * driver_cpu / runs),
        _line("  of which in the phases above", None, 1000 * driver_phases / runs),
        _line("kernel processes (fork to kill, /proc)", None, 1000 * kernel_cpu / runs),
        _line("fork server (zygote)", None, 1000 * zygote_cpu / runs),
    ]
    per_run_cpu = (driver_cpu + kernel_cpu + zygote_cpu) / runs
    floor_cpu = bottom["fork_cpu"] + bottom["execute_cpu"]
    lines += [
        _line(
            "all of it",
            None,
            1000 * per_run_cpu,
            f"-> at most {cores / per_run_cpu:.1f} runs/s on {cores} cores",
        ),
        "the floor (a kernel forked from a warm zygote, then the notebook's cells in that running kernel):",
        _line("fork until ready", 1000 * bottom["fork_wall"], 1000 * bottom["fork_cpu"]),
        _line("the notebook's own execution", 1000 * bottom["execute_wall"], 1000 * bottom["execute_cpu"]),
        _line(
            "floor",
            1000 * (bottom["fork_wall"] + bottom["execute_wall"]),
            1000 * floor_cpu,
            f"-> {cores / floor_cpu:.1f} runs/s on {cores} cores",
        ),
        f"driver: {1000 * driver_cpu / runs:.1f} ms CPU per run -> one driver keeps up with"
        f" {runs / driver_cpu:.0f} runs/s; kernels at the floor need {1000 * floor_cpu:.0f} ms CPU per run"
        f" ({4 / floor_cpu:.0f} runs/s on 4 cores, {8 / floor_cpu:.0f} on 8)",
    ]
    return lines
