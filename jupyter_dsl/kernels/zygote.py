"""A fork server (zygote) for kernels: a single-threaded Python process that has imported ipykernel,
IPython and the notebook's own imports once, and forks one FRESH kernel process per request.

The zygote never runs user code: each request forks a child that sets its environment and working
directory and becomes an ``IPKernelApp``; ZMQ contexts, threads and event loops are all created after
the fork, in the child. What the zygote holds is frozen out of the collector (``gc.freeze``) before
each fork, so a child's full collections neither walk nor copy the heap it shares. Children die
with the zygote (``PR_SET_PDEATHSIG``) and the zygote dies with its driver: when the request pipe
reaches end-of-file (the driver exited or was SIGKILLed) it kills its children and exits. Run as a
script (``python zygote.py REQ_FD RESP_FD [MODULE ...]``) it must import nothing but the standard
library before ipykernel, so this file imports no jupyter_dsl module.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import json
import os
import signal
import sys
import traceback
from typing import Any

PR_SET_PDEATHSIG = 1
# What IPKernelApp.initialize() imports (ipykernel 7): imported once here instead of in every kernel.
# None of them starts a thread or opens a socket at import.
KERNEL_IMPORTS = (
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "psutil",
    "faulthandler",
    "tornado.gen",
    "tornado.locks",
    "tornado.queues",
    "tornado.platform.asyncio",
    # what initialising a kernel's shell imports (its debugger, inspector, %store, history)
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "importlib.readers",
    "importlib.resources.readers",
    "pdb",
    "sqlite3",
)
_children: set[int] = set()


def _reap(signum: int, frame: Any) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children.discard(pid)


def _die_with_parent() -> None:
    import ctypes  # lazy: the zygote imports what its kernels share, once, before forking

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _become_kernel(request: dict[str, Any], fds: tuple[int, int], launcher: str, zygote: int) -> None:
    """In the forked child: become a kernel exactly as ``python -m ipykernel_launcher ARGS`` would."""
    os.setpgid(0, 0)  # its own process group: a kill reaches what the kernel started, too
    _die_with_parent()
    if os.getppid() != zygote:
        os._exit(1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(zygote)
    # ipykernel read JPY_PARENT_PID when the zygote imported it: say it again, so that its parent
    # poller watches the zygote (and it does not print the note meant for a terminal)
    sys.argv = [launcher, *request["argv"], f"--IPKernelApp.parent_handle={zygote}"]
    for name in ("numpy.random", "torch"):  # a fresh process would have fresh random state
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "seed"):
            module.seed()
    from ipykernel import kernelapp  # lazy: the zygote imports what its kernels share, once, before forking

    kernelapp.launch_new_instance()


def _fork(request: dict[str, Any], fds: tuple[int, int], launcher: str) -> int:
    zygote = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything the zygote holds (its imports) goes to the collector's permanent generation: a
    # child's collections then skip it, instead of walking it and copying every page it touches
    # (copy-on-write), which cost each kernel CPU for objects it only inherited. O(1); the child's
    # own objects are collected as in any process.
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _become_kernel(request, fds, launcher, zygote)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    with contextlib.suppress(OSError):  # the child may have done it first
        os.setpgid(pid, pid)
    _children.add(pid)
    return pid


def serve(request_fd: int, response_fd: int, preload: list[str]) -> None:
    """The zygote's main loop: import, say ready, then fork a kernel per request line until EOF."""
    if sys.path and os.path.dirname(os.path.abspath(__file__)) == os.path.abspath(sys.path[0] or "."):
        del sys.path[0]  # as ipykernel_launcher does: the script's folder is not the kernel's path
    responses = os.fdopen(response_fd, "w", buffering=1)
    hello: dict[str, Any] = {"notes": []}
    try:
        import ipykernel.kernelapp  # noqa: F401
        import IPython  # noqa: F401

        spec = importlib.util.find_spec("ipykernel_launcher")
        launcher = spec.origin if spec is not None and spec.origin else "ipykernel_launcher"
    except BaseException as exc:
        responses.write(json.dumps({"error": f"cannot import ipykernel: {exc}"}) + "\n")
        return
    for name in KERNEL_IMPORTS:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for name in preload:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            hello["notes"].append(f"{name}: {type(exc).__name__}: {exc}")
    gc.collect()  # what the imports left as garbage is freed once here, not frozen with the rest at a fork
    try:
        hello["threads"] = len(os.listdir("/proc/self/task"))
    except OSError:
        hello["threads"] = None
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides; Ctrl-C must not kill us first
    responses.write(json.dumps({"ready": True, **hello}) + "\n")
    with os.fdopen(request_fd, "r") as requests:
        for line in requests:
            try:
                pid = _fork(json.loads(line), (request_fd, response_fd), launcher)
                responses.write(json.dumps({"pid": pid}) + "\n")
            except Exception as exc:
                responses.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
    for pid in list(_children):  # the driver is gone (or closed us): so are its kernels
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)


if __name__ == "__main__":
    try:
        serve(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
    finally:
        os._exit(0)
