"""The %dsl magics in a real IPython kernel started the way Jupyter Server starts it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager
from runs_support import ENV

LINK_MIME = "application/vnd.jupyter-dsl.link+json"


class Kernel:
    """A real kernel plus the few client calls the tests need; optionally plays the JupyterLab front end."""

    def __init__(self, cwd: Path, session_name: str | None, frontend: bool = False) -> None:
        env = {k: v for k, v in ENV.items() if k != "JPY_SESSION_NAME"}
        if session_name is not None:
            env["JPY_SESSION_NAME"] = session_name
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(cwd), env=env)
        self.kc: BlockingKernelClient = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.frontend = frontend

    def run(self, code: str, timeout: float = 60) -> tuple[str, list[dict[str, Any]], str]:
        """Execute ``code``; returns (status, outputs, stdout+stderr text)."""
        msg_id = self.kc.execute(code)
        outputs: list[dict[str, Any]] = []
        text = ""
        status = "ok"
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=timeout)
            except Empty:
                raise AssertionError(f"no reply to {code!r}") from None
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open" and content.get("target_name") == "jupyter_dsl" and self.frontend:
                reply = self.kc.session.msg(
                    "comm_msg", {"comm_id": content["comm_id"], "data": {"frontend": "test"}}
                )
                self.kc.shell_channel.send(reply)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if kind in {"display_data", "execute_result"}:
                outputs.append(content["data"])
            elif kind == "stream":
                text += content["text"]
            elif kind == "error":
                status = "error"
                text += f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                reply = self.kc.get_shell_msg(timeout=timeout)
                while reply["parent_header"].get("msg_id") != msg_id:
                    reply = self.kc.get_shell_msg(timeout=timeout)
                if reply["content"]["status"] != "ok":
                    status = "error"
                return status, outputs, text

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def sh(cwd: Path, *args: str) -> str:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=True, env=ENV).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("magic") / "proj"
    sh(root.parent, sys.executable, "-m", "jupyter_dsl", "init", "proj")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%load_ext jupyter_dsl")]
    (root / "work").mkdir()
    nbformat.write(nb, root / "work" / "explore.ipynb")
    nbformat.write(nb, root / "work" / "open.ipynb")
    sh(root, sys.executable, "-m", "jupyter_dsl", "issue", "new", "Ask", "Why do customers churn?")
    sh(root, sys.executable, "-m", "jupyter_dsl", "issue", "new", "Explore", "Churn by region", "--ask", "1")
    sh(root, "git", "add", "--all")
    sh(root, "git", "commit", "-qm", "start")
    return root


@pytest.fixture(scope="module")
def kernel(project: Path) -> Iterator[Kernel]:
    # JupyterLab names the session: JPY_SESSION_NAME is the notebook's absolute path.
    k = Kernel(project / "work", str(project / "work" / "explore.ipynb"))
    status, _, text = k.run("%load_ext jupyter_dsl")
    assert status == "ok", text
    yield k
    k.close()


def plain(outputs: list[dict[str, Any]]) -> str:
    return "\n".join(o.get("text/plain", "") for o in outputs)


def test_help_lists_the_commands(kernel: Kernel) -> None:
    status, outputs, _ = kernel.run("%dsl")
    assert status == "ok"
    text = plain(outputs)
    for name in ("status", "link", "new", "issues"):
        assert f"%dsl {name}" in text


def test_issues_and_new(kernel: Kernel, project: Path) -> None:
    _, outputs, _ = kernel.run("%dsl issues --json")
    numbers = [i["number"] for i in eval(plain(outputs))]  # the repr of a list of dicts
    assert sorted(numbers) == [1, 2]
    status, outputs, _ = kernel.run('%dsl new Experiment "Gradient boosting on tenure" --ask 1')
    assert status == "ok"
    assert "text/markdown" in outputs[0] and "Gradient boosting on tenure" in outputs[0]["text/markdown"]
    listed = subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", "issue", "list", "--type", "Experiment", "--json"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [i["title"] for i in json.loads(listed)["issues"]] == ["Gradient boosting on tenure"]


def test_link_writes_the_notebook_and_announces_it(kernel: Kernel, project: Path) -> None:
    path = project / "work" / "explore.ipynb"
    before = json.loads(path.read_text())
    status, outputs, _ = kernel.run("%dsl link 2")
    assert status == "ok"
    bundle = next(o for o in outputs if LINK_MIME in o)[LINK_MIME]
    assert bundle["action"] == "link" and bundle["link"]["issue"]["number"] == 2
    after = json.loads(path.read_text())
    assert after["metadata"]["jupyter_dsl"] == bundle["link"]
    del after["metadata"]["jupyter_dsl"]
    assert after == before
    status, outputs, _ = kernel.run("%dsl status")
    assert "#2 Explore: Churn by region" in plain(outputs)
    assert "ask: #1" in plain(outputs)
    status, outputs, _ = kernel.run("%dsl unlink")
    assert json.loads(path.read_text()) == before
    assert next(o for o in outputs if LINK_MIME in o)[LINK_MIME] == {"action": "unlink", "link": None}


def test_errors_are_one_clear_line(kernel: Kernel, project: Path) -> None:
    path = project / "work" / "explore.ipynb"
    before = path.read_bytes()
    status, _, text = kernel.run("%dsl link 77")
    assert status == "error" and "UsageError" in text and "#77" in text
    status, _, text = kernel.run('%dsl new Bogus "x"')
    assert status == "error" and "Valid types" in text
    status, _, text = kernel.run("%dsl frobnicate")
    assert status == "error" and "unknown %dsl command" in text
    assert path.read_bytes() == before


def test_api_path_session_name_is_resolved(project: Path) -> None:
    # Without a session name from the front end, Jupyter Server passes the API path and starts the
    # kernel in the notebook's directory.
    k = Kernel(project / "work", "work/explore.ipynb")
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl status")
        assert status == "ok", text
        assert "work/explore.ipynb" in plain(outputs)
    finally:
        k.close()


def test_says_plainly_when_it_cannot_tell_the_notebook(project: Path) -> None:
    k = Kernel(project / "work", None)
    try:
        k.run("%load_ext jupyter_dsl")
        status, _, text = k.run("%dsl status")
        assert status == "error" and "cannot tell which notebook" in text
        status, outputs, text = k.run("%dsl status --notebook explore.ipynb")
        assert status == "ok", text
        assert "not linked" in plain(outputs)
    finally:
        k.close()


def test_with_a_frontend_the_link_goes_to_the_editor_not_the_file(project: Path) -> None:
    path = project / "work" / "open.ipynb"
    before = path.read_bytes()
    k = Kernel(project / "work", str(path), frontend=True)
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl link 2")
        assert status == "ok", text
        bundle = next(o for o in outputs if LINK_MIME in o)
        assert bundle[LINK_MIME]["link"]["issue"]["number"] == 2
        assert "save it to keep" in bundle["text/plain"]
        assert path.read_bytes() == before  # the editor owns the open notebook
    finally:
        k.close()
