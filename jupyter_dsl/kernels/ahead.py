"""Fresh kernels for runs: started ahead of need, connected and ready before a run asks for them.

A kernel is *ready* when it answered ``kernel_info`` on the shell channel and our IOPub subscription
is proven live, by ipykernel 7's ``iopub_welcome`` (JEP 65) or by the ``status`` message of that
request, instead of jupyter_client's fixed 0.2 s IOPub flush (``wait_for_ready``). Every kernel is a
new process; a :class:`KernelLauncher` forks them from a pre-initialised zygote (``zygote.py``)
when it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from ..errors import ExecutionError
from ..runs import timings
from .imports import is_local_module, notebook_imports

__all__ = ["KernelLauncher", "StartedKernel", "notebook_imports", "start_kernel", "start_kernel_async"]

START_TIMEOUT = 60.0
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"
_IOPUB_GRACE = 0.5  # after a kernel_info reply, how long to wait for its IOPub status before asking again


@dataclass(eq=False)  # identity: each is one process
class StartedKernel:
    """A started kernel process with a connected, ready client; owned by exactly one run."""

    manager: Any  # jupyter_client AsyncKernelManager that owns the process
    client: Any  # AsyncKernelClient, channels started, kernel_info answered
    pid: int
    forked: bool
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _killed: bool = field(default=False, repr=False)
    _released: bool = field(default=False, repr=False)
    _thread: int = field(default_factory=threading.get_ident, repr=False)

    def for_this_thread(self, timeout: float = START_TIMEOUT) -> Any:
        """The client, connected afresh if it was readied in another thread: zmq's asyncio sockets
        belong to the event loop of the thread that made them (used from another loop, replies can
        wait for the next poll timeout). A new client costs a subscription and one message."""
        if self._thread != threading.get_ident():
            with timings.phase("driver: kernel hand-over (reconnect in the run's thread)"):
                self._reconnect(timeout)
        return self.client

    def _reconnect(self, timeout: float) -> None:
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        self.client = self.manager.client()
        self.client.allow_stdin = False
        self._thread = threading.get_ident()
        self.client.start_channels()
        _run(_until_ready(self.manager, self.client, timeout))

    def terminate(self) -> None:
        """SIGKILL the kernel's process group now. Safe from any thread; idempotent."""
        with self._lock:
            if self._killed:
                return
            self._killed = True
        kill_group(self.pid)

    def release(self) -> None:
        """Kill the kernel and release what its process held: reap it, return its ports, remove its
        connection file. Safe from any thread; idempotent."""
        self.terminate()
        with self._lock:
            if self._released:
                return
            self._released = True
        provisioner = self.manager.provisioner
        process = getattr(provisioner, "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.wait(timeout=5)  # reaps a plain kernel (SIGKILL is immediate)
        with contextlib.suppress(Exception):
            _run(provisioner.cleanup(restart=False))  # returns the cached ports
        with contextlib.suppress(Exception):
            self.manager.cleanup_connection_file()

    def kill(self) -> None:
        """Kill the kernel at once, release it, close the client's channels and the manager's ZMQ
        context (its control socket with it). Idempotent; call it from the thread that uses the
        client (zmq sockets are not thread-safe)."""
        if not timings.on() or self._killed:
            self._kill()
            return
        timings.add("kernel: process CPU (fork to kill)", 0.0, timings.process_cpu(self.pid) or 0.0)
        with timings.phase("kernel: shutdown (kill, reap, close)"):
            self._kill()

    def _kill(self) -> None:
        self.release()
        with contextlib.suppress(Exception):
            if self.client.channels_running:
                self.client.stop_channels()
        with contextlib.suppress(Exception):
            self.manager.context.destroy(linger=0)  # as the manager's own shutdown would


def kill_group(pid: int) -> None:
    """SIGKILL a kernel and whatever it started (kernels lead their own process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _run(coro: Any) -> Any:
    from jupyter_core.utils import run_sync  # lazy: only when a kernel asks its server

    async def wrapped() -> Any:
        return await coro

    try:
        return run_sync(wrapped)()
    finally:
        _close_loop_with_thread()


class _LoopCloser:
    """Kept in a thread-local, so it dies with its thread: closes the event loop that jupyter_core's
    ``run_sync`` made for that thread (kernel clients, nbclient), with its self-pipe sockets, instead
    of leaving it to the garbage collector. A batch or a server runs many threads."""

    def __init__(self, loop: Any) -> None:
        self.loop = loop

    def __del__(self) -> None:
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()


_THIS_THREAD = threading.local()


def _close_loop_with_thread() -> None:
    if threading.current_thread() is threading.main_thread() or hasattr(_THIS_THREAD, "closer"):
        return
    with contextlib.suppress(RuntimeError):
        asyncio.get_running_loop()
        return  # someone else's loop runs this thread: theirs to close
    from jupyter_core.utils import ensure_event_loop

    _THIS_THREAD.closer = _LoopCloser(ensure_event_loop())


def _manager(kernel_name: str) -> Any:
    from jupyter_client.manager import (
        AsyncKernelManager,
    )  # lazy: jupyter_client loads zmq and tornado, only where a kernel is needed

    manager = AsyncKernelManager(kernel_name=kernel_name)
    return manager


def start_kernel(
    kernel_name: str,
    env: Mapping[str, str],
    cwd: Path,
    *,
    provisioner: Any = None,
    timeout: float = START_TIMEOUT,
) -> StartedKernel:
    """Start one kernel (plain, or through ``provisioner``), connect a client and wait until ready."""
    started: StartedKernel = _run(
        start_kernel_async(kernel_name, env, cwd, provisioner=provisioner, timeout=timeout)
    )
    return started


async def start_kernel_async(
    kernel_name: str,
    env: Mapping[str, str],
    cwd: Path,
    *,
    provisioner: Any = None,
    timeout: float = START_TIMEOUT,
) -> StartedKernel:
    """:func:`start_kernel` on the running event loop: the client belongs to this loop's thread, so
    a run on this thread uses it as it is (no new connection, no second ``kernel_info``)."""
    manager = _manager(kernel_name)
    if provisioner is not None:
        manager.provisioner = provisioner(manager)
    launch: dict[str, Any] = {"env": {**os.environ, **env}, "cwd": str(cwd)}
    if manager._kernel_supports_curve_encryption():  # encrypted when the kernel can do it
        launch["transport_encryption"] = "auto"
    if manager.ipykernel:  # as nbclient starts its kernels: the shell's history in memory, not on disk
        launch["extra_arguments"] = [HISTORY_IN_MEMORY]
    began = time.perf_counter()
    try:
        await manager.start_kernel(**launch)
    except Exception as exc:
        _discard(manager)
        raise ExecutionError(f"the kernel {kernel_name!r} did not start: {exc}") from exc
    launched = time.perf_counter()
    timings.add("driver: kernel launch (manager, ports, fork request; wall only)", launched - began)
    pid = int(manager.provisioner.pid)
    client = manager.client()
    client.allow_stdin = False
    started = StartedKernel(manager, client, pid, forked=provisioner is not None)
    try:
        client.start_channels()
        await _until_ready(manager, client, timeout)
    except BaseException:
        started.kill()
        raise
    timings.add("kernel: ready (connect, kernel_info; wall only)", time.perf_counter() - launched)
    return started


def _discard(manager: Any) -> None:
    with contextlib.suppress(Exception):
        if manager.provisioner is not None and manager.provisioner.pid:
            kill_group(int(manager.provisioner.pid))
    with contextlib.suppress(Exception):
        manager.cleanup_connection_file()


async def _until_ready(manager: Any, client: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        msg_id = client.kernel_info()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ExecutionError(f"the kernel did not answer within {timeout:g} s")
            if not await manager.is_alive():
                raise ExecutionError("the kernel died while starting")
            try:
                reply = await client.get_shell_msg(timeout=min(left, 0.25))
            except Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        grace = time.monotonic() + _IOPUB_GRACE
        while (left := min(grace, deadline) - time.monotonic()) > 0:
            try:
                msg = await client.get_iopub_msg(timeout=left)
            except Empty:
                break
            if msg["msg_type"] == "iopub_welcome":  # JEP 65: our subscription is live from now on
                return
            if (
                msg["msg_type"] == "status"
                and msg["parent_header"].get("msg_id") == msg_id
                and msg["content"].get("execution_state") == "idle"
            ):
                return


class KernelLauncher:
    """Starts FRESH kernels for the runs of one kernelspec, forked from a pre-initialised zygote when
    it can (Linux, the kernelspec runs this interpreter's ``ipykernel_launcher``), else a plain
    jupyter_client start, with a one-line ``note`` saying why. Thread-safe. The zygote never runs
    user code; it pre-imports ``preload`` (see :func:`notebook_imports`). No kernel, and not the
    zygote, outlives this process by more than a few seconds, even when it is SIGKILLed.
    """

    def __init__(
        self,
        kernel_name: str,
        *,
        preload: Sequence[str] = (),
        fork: bool = True,
        local_dir: Path | None = None,
    ) -> None:
        self.kernel_name = kernel_name
        # a module of the notebook's own folder must not be shadowed by an installed namesake
        self.preload = tuple(n for n in preload if local_dir is None or not is_local_module(n, local_dir))
        self.note: str | None = None
        self._lock = threading.Lock()
        self._alive: set[StartedKernel] = set()
        self._closed = False
        self._server: Any = None
        if not fork:
            self.note = "forking disabled: kernels start plainly"
            return
        from .fork_client import ForkServer, unforkable_reason  # lazy: only where kernels can be forked

        reason = unforkable_reason(kernel_name)
        if reason is not None:
            self.note = f"kernels start plainly: {reason}"
            return
        self._server = ForkServer(self.preload)

    @property
    def forking(self) -> bool:
        return self._server is not None

    @property
    def preload_notes(self) -> list[str]:
        """Preloaded imports that failed in the zygote (they are then imported by the run itself)."""
        return self._server.notes() if self._server is not None else []

    def start(self, env: Mapping[str, str], cwd: Path) -> StartedKernel:
        """A fresh, connected, ready kernel for one run. Blocking; call it ahead of need."""
        started: StartedKernel = _run(self.start_async(env, cwd))
        return started

    async def start_async(self, env: Mapping[str, str], cwd: Path) -> StartedKernel:
        """:meth:`start` as a task of the event loop of the thread that will run the kernel (see
        :func:`start_kernel_async`): it progresses whenever that loop runs, e.g. during a run."""
        if self._closed:
            raise ExecutionError("the kernel launcher is closed")
        kernel: StartedKernel | None = None
        server = self._server
        if server is not None:
            try:
                kernel = await start_kernel_async(self.kernel_name, env, cwd, provisioner=server.provisioner)
            except ExecutionError as exc:
                if server.alive():
                    raise
                self.note = f"kernels start plainly: the fork server stopped ({exc.message})"
                self._server = None
                server.close()  # its pipes: the zygote is gone
        if kernel is None:
            kernel = await start_kernel_async(self.kernel_name, env, cwd)
        with self._lock:
            closed = self._closed
            if not closed:
                self._alive = {k for k in self._alive if not k._killed}
                self._alive.add(kernel)
        if closed:
            kernel.kill()
            raise ExecutionError("the kernel launcher is closed")
        return kernel

    def close(self) -> None:
        """Kill the zygote and every kernel this launcher started that is still alive."""
        with self._lock:
            self._closed = True
            alive, self._alive = self._alive, set()
        for kernel in alive:
            kernel.terminate()  # all at once, then reap them one by one
        for kernel in alive:
            kernel.release()  # channels stay with the thread using them (the run ends on its own)
        if self._server is not None:
            self._server.close()

    def __enter__(self) -> KernelLauncher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
