"""The driver's side of the fork server: start the zygote, ask it for kernels, and a jupyter_client
provisioner so that a normal AsyncKernelManager and client work with a forked kernel."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from ..errors import ExecutionError
from ..runs import timings
from . import zygote

READY_TIMEOUT = 120.0  # the zygote imports ipykernel and the preload list before it says ready


def unforkable_reason(kernel_name: str) -> str | None:
    """Why kernels of this kernelspec cannot be forked from a zygote here (None: they can)."""
    if not sys.platform.startswith("linux"):
        return f"forking kernels needs Linux (this is {sys.platform})"
    from jupyter_client.kernelspec import (
        KernelSpecManager,
        NoSuchKernel,
    )  # lazy: jupyter_client loads zmq and tornado, only where a kernel is needed

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        return f"no kernelspec {kernel_name!r}"
    argv = list(spec.argv)
    if spec.language.lower() != "python" or argv[1:3] != ["-m", "ipykernel_launcher"]:
        return f"the kernel {kernel_name!r} is not this interpreter's ipykernel"
    program = argv[0]
    if program not in ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        try:
            same = os.path.samefile(program, sys.executable)
        except OSError:
            same = False
        if not same:
            return f"the kernel {kernel_name!r} runs another interpreter ({program})"
    return None


class ForkedProcess:
    """What LocalProvisioner needs of a ``Popen`` for a kernel that is the zygote's child, not ours."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._start = _start_time(pid)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and _start_time(self.pid) != self._start:
            self.returncode = -signal.SIGKILL  # gone (the zygote reaped it): the exact code is its
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["forked kernel"], timeout or 0)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _start_time(pid: int) -> str | None:
    """The process's start time (/proc), None once it is gone or a zombie: guards against pid reuse."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return None if fields[0] in ("Z", "X") else fields[19]


class ForkServer:
    """One zygote, started at once (it imports while the caller does other work); thread-safe."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        self._lock = threading.Lock()
        request_read, self._requests = os.pipe()
        self._response_read, response_write = os.pipe()
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        env.pop("JPY_PARENT_PID", None)
        self._process = subprocess.Popen(
            [sys.executable, zygote.__file__, str(request_read), str(response_write), *preload],
            stdin=subprocess.DEVNULL,
            pass_fds=(request_read, response_write),
            start_new_session=True,  # Ctrl-C in a terminal reaches the driver, not the kernels
            env=env,
        )
        os.close(request_read)
        os.close(response_write)
        self._responses = os.fdopen(self._response_read, "r")
        self._hello: dict[str, Any] | None = None
        self._error: str | None = None

    def _ready(self) -> dict[str, Any]:
        if self._hello is None and self._error is None:
            ready, _, _ = select.select([self._response_read], [], [], READY_TIMEOUT)
            line = self._responses.readline() if ready else ""
            if not ready:
                self._process.kill()  # stuck importing the preload list: kernels start plainly
            try:
                hello = json.loads(line) if line else {"error": "the fork server did not start"}
            except ValueError:
                hello = {"error": f"the fork server said {line!r}"}
            if "error" in hello:
                self._error = str(hello["error"])
            else:
                self._hello = hello
        if self._error is not None:
            raise ExecutionError(f"the fork server is not available: {self._error}")
        assert self._hello is not None
        return self._hello

    def notes(self) -> list[str]:
        with self._lock:
            try:
                return [str(n) for n in self._ready().get("notes", [])]
            except ExecutionError as exc:
                return [exc.message]

    def alive(self) -> bool:
        return self._process.poll() is None and self._error is None

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Ask the zygote for a kernel running ``argv`` (ipykernel's arguments); its pid."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n"
        with self._lock:
            self._ready()
            try:
                os.write(self._requests, request.encode())
                line = self._responses.readline()
            except OSError as exc:
                raise ExecutionError(f"the fork server stopped: {exc}") from exc
        answer = json.loads(line) if line else {"error": "the fork server stopped"}
        if "pid" not in answer:
            raise ExecutionError(f"the fork server could not fork a kernel: {answer.get('error')}")
        return int(answer["pid"])

    def provisioner(self, manager: Any) -> ForkProvisioner:
        """A provisioner for ``manager`` (an AsyncKernelManager) that forks its kernel from here."""
        return ForkProvisioner(
            kernel_id=manager.kernel_id or "", kernel_spec=manager.kernel_spec, parent=manager, server=self
        )

    def close(self) -> None:
        """Close the request pipe (the zygote kills its kernels and exits), then make sure of it."""
        with contextlib.suppress(OSError):
            os.close(self._requests)
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        with contextlib.suppress(OSError):
            self._responses.close()


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """LocalProvisioner whose launch asks the zygote instead of starting ``python -m ipykernel_launcher``."""

    def __init__(self, *, server: ForkServer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._server = server

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        # the zygote's answer is awaited off the event loop: the loop may be running another run
        began = time.perf_counter()
        fork = functools.partial(
            self._server.fork, list(cmd[3:]), env, cwd
        )  # cmd: python -m ipykernel_launcher ARGS
        pid = await asyncio.get_running_loop().run_in_executor(None, fork)
        timings.add("kernel: fork (request to pid; wall only)", time.perf_counter() - began)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]  # what LocalProvisioner uses of a Popen
        self.pid = pid
        self.pgid = pid
        self.cwd = cwd
        return self.connection_info
