"""`jupyter_dsl.record` / `run_dir` and the `%dsl` run magics: encoding, and harvesting from real runs."""

from __future__ import annotations

import base64
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from runs_support import artifact_path, dsl_json, make_project

from jupyter_dsl.errors import InvalidInput
from jupyter_dsl.runs import recording


def test_encode_numbers_text_and_json() -> None:
    import numpy

    assert recording.encode("auc", 0.5)[0] == {"name": "auc", "kind": "number", "value": 0.5}
    assert recording.encode("n", numpy.int64(3))[0]["value"] == 3
    assert recording.encode("nan", float("nan"))[0]["value"] == "nan"
    assert recording.encode("t", "hello")[0] == {"name": "t", "kind": "text", "value": "hello"}
    assert recording.encode("ok", True)[0]["kind"] == "json"  # a bool is not a metric
    payload, shown = recording.encode("cfg", {"a": [1, None]})
    assert payload["value"] == {"a": [1, None]} and shown["text/plain"] == 'cfg = {"a": [1, null]}'


def test_encode_refuses_what_it_cannot_keep() -> None:
    with pytest.raises(InvalidInput, match="a set is not a number"):
        recording.encode("s", {1, 2})
    with pytest.raises(InvalidInput, match="more than"):
        recording.encode("big", list(range(50_000)))
    with pytest.raises(InvalidInput, match="needs a name"):
        recording.encode("", 1)


def test_encode_dataframes_and_figures() -> None:
    import matplotlib
    import pandas

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    frame = pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    payload, shown = recording.encode("table", frame)
    assert payload["kind"] == "table" and payload["value"]["columns"] == ["a", "b"]
    assert payload["value"]["data"] == [[1, "x"], [2, "y"]] and "<table" in shown["text/html"]
    with pytest.raises(InvalidInput, match="more than"):
        recording.encode("huge", pandas.DataFrame({"a": range(30_000)}))
    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([1, 2])
    payload, shown = recording.encode("fig", figure)
    assert payload == {"name": "fig", "kind": "image", "format": "png"}
    assert base64.b64decode(shown["image/png"]).startswith(b"\x89PNG")


def test_outside_a_kernel_values_are_kept_in_process_and_run_dir_is_scratch() -> None:
    code = (
        "import warnings, jupyter_dsl\n"
        "from jupyter_dsl.runs import recording\n"
        "jupyter_dsl.record('x', 2)\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    path = jupyter_dsl.run_dir()\n"
        "print(recording.RECORDED['x']['value'], path.is_dir(), 'not recorded' in str(caught[0].message))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != recording.RUN_DIR_ENV}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["2", "True", "True"]


def test_run_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(recording.RUN_DIR_ENV, str(tmp_path / "run" / "files"))
    assert recording.run_dir() == tmp_path / "run" / "files" and (tmp_path / "run" / "files").is_dir()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("recording") / "proj", "recording.ipynb", "magics.ipynb", "child.ipynb"
    )


@pytest.fixture(scope="module")
def recorded(project: Path) -> dict[str, Any]:
    return dsl_json(project, "run", "nb/recording.ipynb")


def test_values_harvested_from_a_real_run(recorded: dict[str, Any]) -> None:
    assert recorded["status"] == "succeeded", recorded["error"]
    values = recorded["values"]
    assert recorded["metrics"] == {"accuracy": 0.9, "count": 42.0, "glued_number": 7.0}
    assert values["accuracy"]["value"] == 0.9  # the last value recorded under a name wins
    comment = {"kind": "text", "value": "looks fine", "cell": 3, "cell_index": 2, "source": "jupyter_dsl"}
    assert values["comment"] == comment  # cell 3 as JupyterLab numbers it
    assert values["sizes"]["kind"] == "json" and values["sizes"]["value"] == [1, 2, 3]
    table = values["by_region"]
    assert table["kind"] == "table" and table["value"]["columns"] == ["region", "churn"]
    assert table["value"]["data"] == [["north", 0.1], ["south", 0.2], ["east", 0.15]]


def test_figures_become_image_artifacts(recorded: dict[str, Any]) -> None:
    curve = recorded["values"]["curve"]
    assert curve["kind"] == "image" and curve["value"] is None
    assert curve["artifact"] in recorded["artifacts"] and curve["artifact"].endswith("/values/curve.png")
    assert artifact_path(curve["artifact"]).read_bytes().startswith(b"\x89PNG")


def test_scrapbook_glue_is_read(recorded: dict[str, Any]) -> None:
    values = recorded["values"]
    assert values["glued_number"]["source"] == "scrapbook" and values["glued_number"]["value"] == 7
    glued = {"kind": "text", "value": "hello", "cell": 6, "cell_index": 5, "source": "scrapbook"}
    assert values["glued_text"] == glued
    assert values["glued_json"]["kind"] == "json" and values["glued_json"]["value"] == {"k": [1, 2]}


def test_harvest_is_the_same_from_the_stored_output_notebook(recorded: dict[str, Any]) -> None:
    import nbformat

    node = nbformat.read(str(artifact_path(recorded["artifacts"][0])), as_version=4)
    found = recording.harvest(node)
    assert set(found) == set(recorded["values"])
    assert math.isclose(found["accuracy"].value, 0.9)


def _result(out: dict[str, Any], source: str) -> Any:
    cell = next(c for c in out["cells"] if "".join(c["source"]).startswith(source))
    outputs = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    return eval("".join(outputs[0]["data"]["text/plain"]), {"__builtins__": {}}, {"None": None})


def test_run_magics_in_a_real_kernel(project: Path) -> None:
    record = dsl_json(project, "run", "nb/magics.ipynb")
    assert record["status"] == "succeeded", record["error"]
    assert record["metrics"] == {"from_magic": 0.75}
    assert record["values"]["words"]["value"] == "two words"
    out = json.loads(artifact_path(record["artifacts"][0]).read_text())
    params = _result(out, "%dsl params")
    assert (params["cell"], params["cell_index"]) == (1, 0) and [p["name"] for p in params["parameters"]] == [
        "factor"
    ]
    # a recorded run starts no run: `%dsl run` says so in one line and the run goes on
    cell = next(c for c in out["cells"] if "".join(c["source"]).startswith("%dsl run"))
    assert [(o["output_type"], "".join(o["text"])) for o in cell["outputs"]] == [
        (
            "stream",
            f"%dsl run: skipped inside recorded run {record['id']}: a recorded run does not start runs\n",
        )
    ]
    listed = _result(out, "%dsl runs")
    assert listed["runs"] == [] and listed["total"] == 0
    assert dsl_json(project, "runs", "--notebook", "nb/child.ipynb")["runs"] == []
