"""Starting kernels: forked from a zygote or plain, ready on return, and never outliving their driver
(close(), or the driver SIGKILLed). The notebook's imports found by a static scan."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest

from jupyter_dsl.kernels.ahead import KernelLauncher, StartedKernel, notebook_imports, start_kernel


def gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def all_gone(pids: list[int], within: float = 60.0) -> bool:
    """Whether every process in ``pids`` has exited (``within`` guards against a hang, not a speed)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(gone(pid) for pid in pids):
            return True
        time.sleep(0.2)
    return all(gone(pid) for pid in pids)


def run_code(kernel: StartedKernel, code: str) -> str:
    """Execute ``code`` on the kernel's client; what it printed."""
    from jupyter_core.utils import run_sync

    async def go() -> str:
        msg_id = kernel.client.execute(code)
        printed = ""
        while True:
            msg = await kernel.client.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed += msg["content"]["text"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return printed

    return str(run_sync(go)())


def test_notebook_imports_scans_code_cells() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import markdown_is_not_code"),
        nbformat.v4.new_code_cell(
            "%matplotlib inline\nimport pandas as pd\n!pip list\nimport numpy, os.path"
        ),
        nbformat.v4.new_code_cell(
            "from sklearn.model_selection import train_test_split\nfrom . import local"
        ),
        nbformat.v4.new_code_cell("import pandas\ndef f():\n    import inside_a_function\nx = ("),  # no parse
        nbformat.v4.new_code_cell("%%bash\nimport not_python"),
        nbformat.v4.new_code_cell("from __future__ import annotations\nimport json\nimport numpy as np"),
    ]
    assert notebook_imports(nb) == ["pandas", "numpy", "os.path", "sklearn.model_selection", "json"]


def test_a_forked_kernel_is_ready_with_the_runs_env_and_folder(tmp_path: Path) -> None:
    with KernelLauncher("python3", preload=["json", "no_such_module_here"]) as launcher:
        assert launcher.note is None
        kernel = launcher.start({"DSL_TEST_VALUE": "forty-two"}, tmp_path)
        try:
            assert kernel.forked
            zygote = psutil.Process(kernel.pid).ppid()
            assert zygote != os.getpid()  # forked by the zygote, not by us
            printed = run_code(
                kernel,
                "import os, sys; print(os.environ['DSL_TEST_VALUE'], os.getcwd(), 'json' in sys.modules)",
            )
            assert printed.split() == ["forty-two", str(tmp_path), "True"]
            assert any(note.startswith("no_such_module_here:") for note in launcher.preload_notes)
        finally:
            kernel.kill()
        assert gone(kernel.pid)
        assert not gone(zygote)  # the zygote serves the next run
    assert all_gone([zygote])


SHOW = "import os, sys; print(os.environ['DSL_TEST_VALUE'], os.getcwd(), sys.path, __name__)"


def test_a_plain_kernel_is_ready_too_and_sees_what_a_forked_one_sees(tmp_path: Path) -> None:
    kernel = start_kernel("python3", {"DSL_TEST_VALUE": "same"}, tmp_path)
    try:
        assert not kernel.forked and psutil.Process(kernel.pid).ppid() == os.getpid()
        plain = run_code(kernel, SHOW)
    finally:
        kernel.kill()
    assert gone(kernel.pid)
    assert plain.startswith(f"same {tmp_path} [")
    with KernelLauncher("python3") as launcher:
        forked = launcher.start({"DSL_TEST_VALUE": "same"}, tmp_path)
        try:
            assert forked.forked and run_code(forked, SHOW) == plain  # same sys.path, same __main__
        finally:
            forked.kill()


def test_a_killed_kernel_leaves_no_zmq_context_or_socket_open(tmp_path: Path) -> None:
    """Its ZMQ context (the control socket in it) is closed by ``kill``, not left to the garbage
    collector: a server process runs many runs."""
    with KernelLauncher("python3") as launcher:
        for kernel in [start_kernel("python3", {}, tmp_path), launcher.start({}, tmp_path)]:
            try:
                assert run_code(kernel, "print('up')") == "up\n"
            finally:
                kernel.kill()
            assert kernel.manager.context.closed, "forked" if kernel.forked else "plain"
            assert not kernel.client.channels_running


def test_plain_start_is_the_fallback_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "kernels" / "otherpy"
    spec.mkdir(parents=True)
    argv = ["/opt/other/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Other", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with KernelLauncher("otherpy") as launcher:
        assert not launcher.forking
        assert launcher.note is not None and "another interpreter" in launcher.note
    with KernelLauncher("python3", fork=False) as launcher:
        assert not launcher.forking and launcher.note is not None


def test_kernels_start_plainly_when_the_zygote_is_gone(tmp_path: Path) -> None:
    with KernelLauncher("python3") as launcher:
        first = launcher.start({}, tmp_path)
        zygote = psutil.Process(first.pid).ppid()
        os.kill(zygote, signal.SIGKILL)
        assert all_gone([first.pid])  # a forked kernel dies with its zygote
        first.kill()
        second = launcher.start({"DSL_TEST_VALUE": "after"}, tmp_path)
        try:
            assert not second.forked and not launcher.forking
            assert launcher.note is not None and "fork server stopped" in launcher.note
            assert run_code(second, "import os; print(os.environ['DSL_TEST_VALUE'])").strip() == "after"
        finally:
            second.kill()


def test_close_kills_every_kernel_and_the_zygote(tmp_path: Path) -> None:
    launcher = KernelLauncher("python3")
    kernels = [launcher.start({}, tmp_path) for _ in range(2)]
    zygote = psutil.Process(kernels[0].pid).ppid()
    assert all(not gone(k.pid) for k in kernels)
    launcher.close()
    assert all_gone([zygote, *(k.pid for k in kernels)])
    for kernel in kernels:
        kernel.kill()  # releasing after close is harmless


DRIVER = textwrap.dedent(
    """
    import json, signal, sys
    from pathlib import Path
    from jupyter_dsl.kernels.ahead import KernelLauncher, start_kernel

    launcher = KernelLauncher("python3")
    forked = launcher.start({}, Path(sys.argv[1]))
    plain = start_kernel("python3", {}, Path(sys.argv[1]))
    print(json.dumps({"forked": forked.pid, "plain": plain.pid}), flush=True)
    signal.pause()  # until the test kills it
    """
)


def test_no_kernel_outlives_a_sigkilled_driver(tmp_path: Path) -> None:
    command = [sys.executable, "-c", DRIVER, str(tmp_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ) as driver:
        try:
            assert driver.stdout is not None
            pids = json.loads(driver.stdout.readline())
            zygote = psutil.Process(pids["forked"]).ppid()
            assert zygote != driver.pid and psutil.Process(zygote).ppid() == driver.pid
            alive = [pids["forked"], pids["plain"], zygote]
            assert not any(gone(pid) for pid in alive)
            driver.send_signal(signal.SIGKILL)
            driver.wait()
            assert all_gone(alive), [pid for pid in alive if not gone(pid)]
        finally:
            driver.kill()
            driver.wait()


def test_a_thread_that_ran_a_kernel_closes_its_event_loop_when_it_ends(tmp_path: Path) -> None:
    """The event loop a worker thread's kernel client ran on (with its self-pipe sockets) is closed
    when the thread ends, not left to the garbage collector: a batch or a server runs many threads."""
    from jupyter_core.utils import ensure_event_loop

    loops: list[Any] = []

    def work() -> None:
        kernel = start_kernel("python3", {}, tmp_path)
        try:
            assert run_code(kernel, "print('up')") == "up\n"
        finally:
            kernel.kill()
        loops.append(ensure_event_loop())

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    (loop,) = loops
    assert loop.is_closed()


def test_a_kernel_started_on_a_threads_loop_is_used_there_without_a_new_connection(tmp_path: Path) -> None:
    """A batch worker starts its next kernels as tasks of its own event loop: the client they come
    with is the worker's (no second connection, no second ``kernel_info`` when the run takes it)."""
    from jupyter_core.utils import ensure_event_loop

    found: dict[str, Any] = {}

    def worker() -> None:
        loop = ensure_event_loop()
        kernel = loop.run_until_complete(loop.create_task(launcher.start_async({}, tmp_path)))
        try:
            client = kernel.client
            found["same client"] = kernel.for_this_thread() is client
            found["printed"] = run_code(kernel, "print('up')")
        finally:
            kernel.kill()
        found["gone"] = gone(kernel.pid)

    with KernelLauncher("python3") as launcher:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert found == {"same client": True, "printed": "up\n", "gone": True}


def test_kernels_keep_their_shell_history_in_memory_as_nbclients_do(tmp_path: Path) -> None:
    with KernelLauncher("python3") as launcher:
        for kernel in [start_kernel("python3", {}, tmp_path), launcher.start({}, tmp_path)]:
            try:
                assert run_code(kernel, "print(get_ipython().history_manager.hist_file)") == ":memory:\n"
            finally:
                kernel.kill()


def test_a_forked_kernels_collector_skips_what_it_inherited_from_the_zygote(tmp_path: Path) -> None:
    """The zygote's objects are frozen before each fork (a child's collections do not walk, and so do
    not copy, the inherited heap); the child's own garbage is still collected; a plain kernel freezes
    nothing."""
    code = (
        "import gc, weakref\n"
        "class Cycle: pass\n"
        "c = Cycle(); c.me = c; ref = weakref.ref(c); del c\n"
        "gc.collect()\n"
        "print(gc.get_freeze_count(), ref() is None)"
    )
    with KernelLauncher("python3") as launcher:
        forked = launcher.start({}, tmp_path)
        plain = start_kernel("python3", {}, tmp_path)
        try:
            frozen, collected = run_code(forked, code).split()
            assert int(frozen) > 10_000 and collected == "True"
            assert run_code(plain, code).split() == ["0", "True"]
        finally:
            forked.kill()
            plain.kill()
