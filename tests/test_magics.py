"""The %dsl magics in a real IPython kernel started the way Jupyter Server starts it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import httpx
import nbformat
import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager
from runs_support import ENV, dsl_json, output_notebook

LINK_MIME = "application/vnd.jupyter-dsl.link+json"


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


def test_without_a_front_end_link_writes_the_notebook_and_announces_it(project: Path) -> None:
    # A kernel no Jupyter server started (no JPY_SESSION_NAME): no editor can have the file open.
    path = fresh_notebook(project, "plain.ipynb")
    before = json.loads(path.read_text())
    k = Kernel(project / "work", None)
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl link 2 --notebook plain.ipynb")
        assert status == "ok", text
        bundle = next(o for o in outputs if LINK_MIME in o)[LINK_MIME]
        assert bundle["action"] == "link" and bundle["link"]["issue"]["number"] == 2
        after = json.loads(path.read_text())
        assert after["metadata"]["jupyter_dsl"] == bundle["link"]
        del after["metadata"]["jupyter_dsl"]
        assert after == before
        status, outputs, _ = k.run("%dsl status --notebook plain.ipynb")
        assert "#2 Explore: Churn by region" in plain(outputs)
        assert "ask: #1" in plain(outputs)
        status, outputs, _ = k.run("%dsl unlink --notebook plain.ipynb")
        assert json.loads(path.read_text()) == before
        assert next(o for o in outputs if LINK_MIME in o)[LINK_MIME] == {"action": "unlink", "link": None}
        assert k.hello is None and k.edits == []
    finally:
        k.close()


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


def fresh_notebook(project: Path, name: str) -> Path:
    path = project / "work" / name
    path.write_bytes((project / "work" / "explore.ipynb").read_bytes())
    return path


def test_with_a_frontend_the_link_goes_to_the_editor_not_the_file(project: Path) -> None:
    path = project / "work" / "open.ipynb"
    before = path.read_bytes()
    k = Kernel(project / "work", str(path), frontend="answer")
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl link 2")
        assert status == "ok", text
        bundle = next(o for o in outputs if LINK_MIME in o)
        assert bundle[LINK_MIME]["link"]["issue"]["number"] == 2
        assert "save it to keep" in bundle["text/plain"]
        assert path.read_bytes() == before  # the editor owns the open notebook
        assert k.edits == [{"action": "link", "link": bundle[LINK_MIME]["link"]}]
        status, _, text = k.run("%dsl unlink")
        assert status == "ok", text
        assert k.edits[-1] == {"action": "unlink", "link": None} and path.read_bytes() == before
    finally:
        k.close()


def test_run_all_waits_for_a_late_answer_and_edits_through_the_comm(project: Path) -> None:
    # "Run All": the link runs before the kernel handled the answer to the hello of the cell before.
    path = fresh_notebook(project, "runall.ipynb")
    before = path.read_bytes()
    k = Kernel(project / "work", str(path), frontend="answer", answer_after=1.0)
    try:
        loaded, linked = k.run_all("%load_ext jupyter_dsl", "%dsl link 2")
        assert loaded.status == "ok", loaded.text
        assert linked.status == "ok", linked.text
        assert path.read_bytes() == before
        assert [e["action"] for e in k.edits] == ["link"]
        assert k.edits[0]["link"]["issue"]["number"] == 2
        assert "save it to keep" in plain(linked.outputs)
    finally:
        k.close()


def test_a_silent_front_end_gets_a_clear_message_not_a_write_behind_its_back(project: Path) -> None:
    path = fresh_notebook(project, "silent.ipynb")
    before = path.read_bytes()
    k = Kernel(project / "work", str(path))  # started for a session, but nobody answers the hello
    try:
        loaded, linked = k.run_all("%load_ext jupyter_dsl", "%dsl link 2")
        assert loaded.status == "ok", loaded.text
        assert linked.status == "error" and "did not answer" in linked.text and "--write" in linked.text
        assert path.read_bytes() == before
        status, _, text = k.run('%dsl new Explore "Churn by plan" --link')
        assert status == "error" and "did not answer" in text
        _, outputs, _ = k.run("%dsl issues --json")
        assert "Churn by plan" not in plain(outputs)  # the failing command created no issue
        status, _, text = k.run("%dsl link 2 --write")
        assert status == "ok", text
        assert json.loads(path.read_text())["metadata"]["jupyter_dsl"]["issue"]["number"] == 2
        assert k.edits == []
    finally:
        k.close()


def test_a_front_end_without_the_extension_gets_a_clear_message(project: Path) -> None:
    path = fresh_notebook(project, "declined.ipynb")
    before = path.read_bytes()
    k = Kernel(project / "work", str(path), frontend="close")
    try:
        k.run("%load_ext jupyter_dsl")
        status, _, text = k.run("%dsl link 2")
        assert status == "error" and "without the jupyter-dsl extension" in text
        assert path.read_bytes() == before
    finally:
        k.close()


def test_runs_of_a_missing_notebook_is_not_found(kernel: Kernel) -> None:
    status, _, text = kernel.run("%dsl runs --notebook missing.ipynb")
    assert status == "error" and "UsageError" in text and "missing.ipynb not found" in text
    assert "no runs recorded" not in text


def test_runs_of_a_notebook_without_runs(kernel: Kernel) -> None:
    status, outputs, text = kernel.run("%dsl runs --json")
    assert status == "ok", text
    listed = eval(plain(outputs))  # the repr of a dict
    assert listed["runs"] == [] and listed["total"] == 0
    _, outputs, _ = kernel.run("%dsl runs")
    assert "no runs recorded yet" in plain(outputs)


def test_record_outside_a_run_says_it_will_not_be_recorded(kernel: Kernel) -> None:
    status, _, text = kernel.run("%dsl record auc 0.91")
    assert status == "ok", text
    assert "not in a recorded run: auc will be recorded only when the notebook runs via" in text


def test_record_in_a_run_records_without_the_note(project: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in ("%load_ext jupyter_dsl", "%dsl record auc 0.91")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, project / "work" / "recorded.ipynb")
    record = dsl_json(project, "run", "work/recorded.ipynb")
    assert record["status"] == "succeeded", record["error"]
    assert record["metrics"] == {"auc": 0.91}
    assert "not in a recorded run" not in json.dumps(output_notebook(record)["cells"])


# --notebook PATH: the kernel's folder, then the Jupyter server root, then the project root.
# The project is <tmp>/proj; the server roots below are <tmp>, so each place is told apart.


def test_notebook_path_from_the_server_root_of_an_api_path_session(project: Path) -> None:
    # JupyterLab's "Copy Path" gives paths from the server root; here the session name is an API path.
    k = Kernel(project / "work", "proj/work/explore.ipynb")
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl status --notebook proj/work/open.ipynb")
        assert status == "ok", text
        assert "work/open.ipynb is not linked" in plain(outputs)
    finally:
        k.close()


def test_notebook_path_from_the_project_root(project: Path) -> None:
    k = Kernel(project / "work", None)
    try:
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl status --notebook work/open.ipynb")
        assert status == "ok", text
        assert "work/open.ipynb is not linked" in plain(outputs)
    finally:
        k.close()


def test_a_notebook_path_found_nowhere_lists_the_places_tried(project: Path) -> None:
    k = Kernel(project / "work", "proj/work/explore.ipynb")
    try:
        k.run("%load_ext jupyter_dsl")
        status, _, text = k.run("%dsl status --notebook nowhere/x.ipynb")
        assert status == "error" and "UsageError" in text and "nowhere/x.ipynb not found" in text
        for place in (project / "work", project.parent, project):
            assert f"{place / 'nowhere' / 'x.ipynb'} (" in text
        assert "(the kernel's folder)" in text and "(the Jupyter server root)" in text
        assert "(the project root)" in text
    finally:
        k.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_notebook_path_from_the_root_of_the_server_that_started_the_kernel(
    project: Path, tmp_path: Path
) -> None:
    """A real Jupyter server; JupyterLab names the session, so JPY_SESSION_NAME is an absolute path."""
    runtime, port, token = tmp_path / "runtime", free_port(), "magic-test-token"
    env = {**ENV, "JUPYTER_RUNTIME_DIR": str(runtime)}
    args = [f"--ServerApp.root_dir={project.parent}", f"--port={port}", "--no-browser", "--allow-root"]
    args.append(f"--IdentityProvider.token={token}")
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", *args], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    k: Kernel | None = None
    try:
        base = f"http://127.0.0.1:{port}/api"
        headers = {"Authorization": f"token {token}"}
        deadline = time.monotonic() + 240  # a guard against a hang: a loaded machine starts it late
        while True:
            try:
                if httpx.get(f"{base}/status", headers=headers).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            started = time.monotonic() < deadline and server.poll() is None
            assert started, f"the server did not start:\n{log.read_text()}"
            time.sleep(0.2)
        session = httpx.post(
            f"{base}/sessions",
            headers=headers,
            json={
                "path": "proj/work/explore.ipynb",
                "name": "explore.ipynb",
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
            timeout=60,
        ).json()
        client = BlockingKernelClient(connection_file=str(runtime / f"kernel-{session['kernel']['id']}.json"))
        client.load_connection_file()
        k = Kernel(project / "work", None, client=client)
        _, outputs, _ = k.run("import os; os.environ['JPY_SESSION_NAME']")
        assert plain(outputs) == repr(str(project / "work" / "explore.ipynb"))
        k.run("%load_ext jupyter_dsl")
        status, outputs, text = k.run("%dsl status --notebook proj/work/open.ipynb")
        assert status == "ok", text
        assert "work/open.ipynb is not linked" in plain(outputs)
    finally:
        if k is not None:
            k.close()
        server.terminate()
        server.wait(timeout=30)


def test_init_makes_the_notebooks_folder_a_project(tmp_path: Path) -> None:
    folder = tmp_path / "analyses"
    folder.mkdir()
    notebook = folder / "churn.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), notebook)
    k = Kernel(folder, str(notebook))
    try:
        k.run("%load_ext jupyter_dsl")
        status, _, text = k.run("%dsl status")
        assert status == "error" and "not inside a DSLP project" in text
        status, outputs, text = k.run("%dsl init --templates")
        assert status == "ok", text
        said = plain(outputs)
        assert f"initialized a git repository in {folder}" in said and "created   dsl.toml" in said
        assert (folder / "dsl.toml").is_file()
        assert (folder / ".github" / "ISSUE_TEMPLATE" / "Ask.md").is_file()
        committed = sh(folder, "git", "show", "--name-only", "--format=", "HEAD").split()
        assert "dsl.toml" in committed and "churn.ipynb" not in committed  # the notebook is the user's
        status, outputs, _ = k.run("%dsl init --json")
        assert status == "ok" and eval(plain(outputs))["changed"] is False  # the repr of a dict
        status, outputs, text = k.run("%dsl status")
        assert status == "ok", text
    finally:
        k.close()
