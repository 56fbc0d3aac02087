"""`%dsl batch` and `%dsl plot` in a real kernel driven through jupyter_client (no front end)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from batch_support import rows, statuses, wait_for
from jupyter_client.manager import KernelManager
from runs_support import ENV, make_project

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class Kernel:
    def __init__(self, cwd: Path) -> None:
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(cwd), env={k: v for k, v in ENV.items() if k != "JPY_SESSION_NAME"})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 180) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
        """(reply status, [(msg_type, data)] of display_data / update_display_data / execute_result)."""
        msg_id = self.kc.execute(code)
        shown: list[tuple[str, dict[str, Any]]] = []
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=timeout)
            except Empty:
                raise AssertionError(f"no reply to {code!r}") from None
            kind, content = msg["msg_type"], msg["content"]
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if kind in {"display_data", "update_display_data", "execute_result"}:
                shown.append((kind, content["data"]))
            elif kind == "stream":
                shown.append((kind, {"text/plain": content["text"]}))
            elif kind == "error":
                shown.append((kind, {"text/plain": f"{content['ename']}: {content['evalue']}"}))
            elif kind == "status" and content["execution_state"] == "idle":
                reply = self.kc.get_shell_msg(timeout=timeout)
                while reply["parent_header"].get("msg_id") != msg_id:
                    reply = self.kc.get_shell_msg(timeout=timeout)
                return reply["content"]["status"], shown

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("magic") / "p", "batch_hold.ipynb", "parameterized.ipynb")
    (root / "nb" / "grid.yaml").write_text("grid:\n  alpha: [0.1, 0.2]\n  epochs: [1, 2]\n")
    (root / "nb" / "hold.yaml").write_text("grid:\n  n: [2, 3]\n")
    return root


@pytest.fixture(scope="module")
def kernel(project: Path) -> Iterator[Kernel]:
    k = Kernel(project / "nb")
    status, shown = k.run("%load_ext jupyter_dsl")
    assert status == "ok", shown
    yield k
    k.close()


def test_wait_blocks_until_every_run_is_recorded(kernel: Kernel, project: Path) -> None:
    status, shown = kernel.run("%dsl batch grid.yaml -j 2 --wait --notebook parameterized.ipynb")
    assert status == "ok", shown
    # when the cell returns, the batch is done: four succeeded records exist already
    assert statuses(project) == ["succeeded"] * 4
    widgets = [data for kind, data in shown if kind == "display_data" and WIDGET_MIME in data]
    assert len(widgets) == 1  # the live widget
    final = [data["text/plain"] for kind, data in shown if kind == "update_display_data"]
    assert final, "the display is updated with the final state"
    assert "4/4 done, 4 succeeded, 0 failed, 0 running" in final[-1]  # the plain-text fallback
    table = [data["text/plain"] for kind, data in shown if kind == "execute_result"][-1]
    assert table.count("succeeded") == 4


def test_without_wait_the_cell_returns_while_the_batch_runs(kernel: Kernel, project: Path) -> None:
    hold = project / "hold"
    hold.write_text("")
    # both runs wait for `hold` to go: a blocking magic would never return here
    status, shown = kernel.run(f"%dsl batch hold.yaml -j 2 --notebook batch_hold.ipynb -p hold {hold}")
    assert status == "ok", shown
    assert any(WIDGET_MIME in data for kind, data in shown if kind == "display_data")
    batch = wait_for(
        lambda: rows(project, "SELECT id, status FROM batches WHERE notebook = 'nb/batch_hold.ipynb'"),
        "the batch",
    )
    assert batch[0]["status"] == "running"
    hold.unlink()
    wait_for(
        lambda: (
            rows(project, "SELECT status FROM batches WHERE id = ?", batch[0]["id"])[0]["status"]
            == "finished"
        ),
        "the batch to finish",
    )
    done = rows(project, "SELECT status FROM runs WHERE batch_id = ?", batch[0]["id"])
    assert sorted(r["status"] for r in done) == ["succeeded", "succeeded"]


def test_plot_shows_a_png_and_bad_grid_is_one_line(kernel: Kernel, project: Path) -> None:
    batch_id = rows(project, "SELECT id FROM batches WHERE notebook = 'nb/parameterized.ipynb'")[0]["id"]
    status, shown = kernel.run(f"%dsl plot --batch {batch_id} --x alpha --y score")
    assert status == "ok", shown
    assert any("image/png" in data for _, data in shown)
    (project / "nb" / "bad.yaml").write_text("grid:\n  alpha: [x]\n")
    status, shown = kernel.run("%dsl batch bad.yaml --notebook parameterized.ipynb")
    assert status == "error"
    said = "".join(data["text/plain"] for _, data in shown)
    assert "bad.yaml: grid.alpha[0]: expected float, got str 'x'" in said
    assert "Traceback" not in said


def test_a_grid_is_found_where_notebook_paths_are_and_a_batch_by_any_part_of_its_id(
    kernel: Kernel, project: Path
) -> None:
    # the kernel runs in nb/; the grid is at the project root, where `--notebook` paths are found too
    (project / "root-grid.yaml").write_text("grid:\n  alpha: [0.3]\n")
    status, shown = kernel.run("%dsl batch root-grid.yaml --notebook parameterized.ipynb --wait --json")
    said = "".join(data.get("text/plain", "") for _, data in shown)
    assert status == "ok", said  # before: "root-grid.yaml" was looked for in nb/ only
    batch_id = rows(project, "SELECT id FROM batches WHERE grid LIKE '%0.3%'")[0]["id"]
    status, shown = kernel.run("%dsl batch nowhere.yaml --notebook parameterized.ipynb")
    said = "".join(data["text/plain"] for _, data in shown)
    assert status == "error" and "grid file nowhere.yaml not found; looked for" in said
    assert "(the kernel's folder)" in said and "(the project root)" in said
    status, shown = kernel.run(f"%dsl plot --batch {batch_id.split('-')[-1]} --x alpha --y score")
    assert status == "ok", shown
    assert any("image/png" in data for _, data in shown)
    status, shown = kernel.run("%dsl plot --batch nope --x alpha --y score")
    said = "".join(data["text/plain"] for _, data in shown)
    assert status == "error" and "no batch 'nope'" in said  # not "has no succeeded runs to plot"
