"""A real kernel driven as JupyterLab drives it (``Kernel``) and a real Jupyter server in a process of
its own (``JupyterServer``): shared by the magics tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import httpx
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager
from runs_support import ENV


@dataclass
class Result:
    status: str = "ok"
    outputs: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # stdout + stderr + the error line


class Kernel:
    """A real kernel plus the few client calls the tests need; optionally plays the JupyterLab front end.

    ``frontend``: None (nobody answers the hello), "answer" (answers it ``answer_after`` seconds
    after seeing it) or "close" (closes it, as JupyterLab does for a target it does not know).
    """

    def __init__(
        self,
        cwd: Path,
        session_name: str | None,
        frontend: str | None = None,
        answer_after: float = 0.0,
        client: BlockingKernelClient | None = None,
    ) -> None:
        """Start a kernel in ``cwd`` the way Jupyter Server does, or talk to the one ``client`` reaches."""
        self.km: KernelManager | None = None
        if client is None:
            env = {k: v for k, v in ENV.items() if k != "JPY_SESSION_NAME"}
            if session_name is not None:
                env["JPY_SESSION_NAME"] = session_name
            self.km = KernelManager(kernel_name="python3")
            self.km.start_kernel(cwd=str(cwd), env=env)
            client = self.km.client()
        self.kc: BlockingKernelClient = client
        self.kc.start_channels(hb=False)  # without a manager, wait_for_ready would trust a silent heartbeat
        self.kc.wait_for_ready(timeout=60)
        self.frontend = frontend
        self.answer_after = answer_after
        self.hello: str | None = None  # the comm id of the kernel's hello
        self.edits: list[dict[str, Any]] = []  # what the kernel sent over the hello comm

    def _to_kernel(self, msg_type: str, content: dict[str, Any]) -> None:
        self.kc.shell_channel.send(self.kc.session.msg(msg_type, content))

    def run_all(self, *codes: str, timeout: float = 60) -> list[Result]:
        """Send every cell at once, like "Run All", and play the front end while they run."""
        ids = [self.kc.execute(code) for code in codes]
        results = {msg_id: Result() for msg_id in ids}
        idle: set[str] = set()
        answer_at: float | None = None
        deadline = time.monotonic() + timeout
        while len(idle) < len(ids):
            if answer_at is not None and time.monotonic() >= answer_at:
                self._to_kernel("comm_msg", {"comm_id": self.hello, "data": {"frontend": "test"}})
                answer_at = None
            if time.monotonic() > deadline:
                raise AssertionError(f"no reply to {codes!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except Empty:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open" and content.get("target_name") == "jupyter_dsl":
                self.hello = content["comm_id"]
                if self.frontend == "answer":
                    answer_at = time.monotonic() + self.answer_after
                elif self.frontend == "close":
                    self._to_kernel("comm_close", {"comm_id": self.hello, "data": {}})
            if kind == "comm_msg" and content.get("comm_id") == self.hello:
                self.edits.append(content["data"])
            result = results.get(msg["parent_header"].get("msg_id", ""))
            if result is None:
                continue
            if kind in {"display_data", "execute_result"}:
                result.outputs.append(content["data"])
            elif kind == "stream":
                result.text += content["text"]
            elif kind == "error":
                result.status = "error"
                result.text += f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle.add(msg["parent_header"]["msg_id"])
        while answer_at is not None:  # the front end answers even when the cells were quicker
            time.sleep(max(0.0, answer_at - time.monotonic()))
            self._to_kernel("comm_msg", {"comm_id": self.hello, "data": {"frontend": "test"}})
            answer_at = None
        replies: set[str] = set()
        while len(replies) < len(ids):
            reply = self.kc.get_shell_msg(timeout=timeout)
            msg_id = reply["parent_header"].get("msg_id")
            if msg_id in results:
                replies.add(msg_id)
                if reply["content"]["status"] != "ok":
                    results[msg_id].status = "error"
        return [results[msg_id] for msg_id in ids]

    def run(self, code: str, timeout: float = 60) -> tuple[str, list[dict[str, Any]], str]:
        """Execute ``code``; returns (status, outputs, stdout+stderr text)."""
        result = self.run_all(code, timeout=timeout)[0]
        return result.status, result.outputs, result.text

    def close(self) -> None:
        self.kc.stop_channels()
        if self.km is not None:
            self.km.shutdown_kernel(now=True)


def plain(outputs: list[dict[str, Any]]) -> str:
    return "\n".join(o.get("text/plain", "") for o in outputs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class JupyterServer:
    """A Jupyter server process serving ``root`` with a token, its runtime folder and its REST API."""

    root: Path
    runtime: Path
    base: str  # http://127.0.0.1:PORT/api
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def call(self, method: str, route: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = httpx.request(method, f"{self.base}/{route}", headers=self.headers, json=body, timeout=60)
        assert reply.status_code < 300, (method, route, reply.status_code, reply.text)
        answer: dict[str, Any] = reply.json()
        return answer

    def open_notebook(self, api_path: str) -> tuple[dict[str, Any], BlockingKernelClient]:
        """Start a kernel for ``api_path`` as JupyterLab does (a session named after the file), and a
        client of that kernel."""
        session = self.call(
            "POST",
            "sessions",
            {
                "path": api_path,
                "name": Path(api_path).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        client = BlockingKernelClient(
            connection_file=str(self.runtime / f"kernel-{session['kernel']['id']}.json")
        )
        client.load_connection_file()
        return session, client


@contextmanager
def jupyter_server(root: Path, tmp_path: Path) -> Iterator[JupyterServer]:
    """Run ``python -m jupyter_server`` on ``root`` until the block ends."""
    runtime, port, token = tmp_path / "runtime", free_port(), "magic-test-token"
    env = {**ENV, "JUPYTER_RUNTIME_DIR": str(runtime)}
    args = [f"--ServerApp.root_dir={root}", f"--port={port}", "--no-browser", "--allow-root"]
    args.append(f"--IdentityProvider.token={token}")
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", *args], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    try:
        handle = JupyterServer(root, runtime, f"http://127.0.0.1:{port}/api", token)
        deadline = time.monotonic() + 240  # a guard against a hang: a loaded machine starts it late
        while True:
            try:
                if httpx.get(f"{handle.base}/status", headers=handle.headers).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            started = time.monotonic() < deadline and server.poll() is None
            assert started, f"the server did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield handle
    finally:
        server.terminate()
        server.wait(timeout=30)
