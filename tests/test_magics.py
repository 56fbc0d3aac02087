"""The %dsl magics in a real IPython kernel started the way Jupyter Server starts it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from kernel_support import Kernel, jupyter_server, plain
from runs_support import ENV, dsl_json, output_notebook

LINK_MIME = "application/vnd.jupyter-dsl.link+json"


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


def test_notebook_path_from_the_root_of_the_server_that_started_the_kernel(
    project: Path, tmp_path: Path
) -> None:
    """A real Jupyter server; JupyterLab names the session, so JPY_SESSION_NAME is an absolute path."""
    with jupyter_server(project.parent, tmp_path) as server:
        _, client = server.open_notebook("proj/work/explore.ipynb")
        k = Kernel(project / "work", None, client=client)
        try:
            _, outputs, _ = k.run("import os; os.environ['JPY_SESSION_NAME']")
            assert plain(outputs) == repr(str(project / "work" / "explore.ipynb"))
            k.run("%load_ext jupyter_dsl")
            status, outputs, text = k.run("%dsl status --notebook proj/work/open.ipynb")
            assert status == "ok", text
            assert "work/open.ipynb is not linked" in plain(outputs)
        finally:
            k.close()


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
