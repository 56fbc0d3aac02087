"""`jupyter dsl runs [--notebook --issue --status --where] [--json|--csv]`, `runs show ID`, `rerun ID`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from runs_support import cli_in_process, dsl, dsl_json, git, make_project

from jupyter_dsl.batch.plot import chart_data, chart_figure
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.runs.store import RunQuery


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("cli") / "proj", "parameterized.ipynb", "sysexit1.ipynb")


@pytest.fixture(scope="module")
def runs(project: Path) -> list[dict[str, Any]]:
    return [
        dsl_json(project, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.1"),
        dsl_json(project, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.2"),
        dsl_json(project, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.2", "-p", "epochs", "5"),
    ]


def test_runs_table_shows_differing_parameters_and_metrics(project: Path, runs: list[dict[str, Any]]) -> None:
    text = dsl(project, "runs").stdout
    header = text.splitlines()[0].split()
    assert header == ["id", "status", "started", "duration_s", "issue", "alpha", "epochs", "score"]
    lines = text.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [r["id"] for r in reversed(runs)]
    assert lines[0].split()[-2:] == ["5", "4"] and lines[2].split()[-2:] == ["0.1", "3.3"]


def test_runs_json_and_csv(project: Path, runs: list[dict[str, Any]]) -> None:
    data = dsl_json(project, "runs", "--notebook", "nb/parameterized.ipynb")
    assert (
        data["total"] == 3
        and data["varying_parameters"] == ["alpha", "epochs"]
        and data["metrics"] == ["score"]
    )
    assert data["runs"][0]["parameters"] == {"alpha": 0.2, "epochs": 5} and data["runs"][0]["metrics"] == {
        "score": 4.0
    }
    rows = list(csv.DictReader(io.StringIO(dsl(project, "runs", "--csv").stdout)))
    assert [r["id"] for r in rows] == [r["id"] for r in reversed(runs)]
    assert (
        rows[2]["param:alpha"] == "0.1"
        and rows[2]["param:epochs"] == ""
        and float(rows[2]["metric:score"]) == 3.3
    )
    assert rows[0]["notebook"] == "nb/parameterized.ipynb" and rows[0]["status"] == "succeeded"


def test_runs_filters(project: Path, runs: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    def listed(*args: str) -> dict[str, Any]:
        return json.loads(cli_in_process(capsys, project, "runs", *args, "--json")[0])

    above = listed("--where", "score>3.5")
    assert sorted(r["id"] for r in above["runs"]) == sorted([runs[1]["id"], runs[2]["id"]])
    assert [r["id"] for r in listed("--where", "score>3.5", "--where", "score<3.9")["runs"]] == [
        runs[1]["id"]
    ]
    assert listed("--status", "failed")["runs"] == []
    assert "no runs match" in cli_in_process(capsys, project, "runs", "--status", "failed")[0]
    assert len(listed("--limit", "2")["runs"]) == 2 and listed("--limit", "2")["total"] == 3
    assert listed("--notebook", "nb/sysexit1.ipynb")["total"] == 0


def test_runs_bad_options(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "exclude each other" in cli_in_process(capsys, project, "runs", "--csv", "--json", code=2)[0]
    assert "metric filter" in cli_in_process(capsys, project, "runs", "--where", "score", code=2)[1]
    assert "no run 'nope'" in dsl(project, "runs", "show", "nope", code=3).stderr
    outside = cli_in_process(capsys, project, "runs", "--notebook", "/elsewhere.ipynb", code=3)[1]
    assert "not inside a DSLP project" in outside
    assert (
        "Invalid value for '--status'"
        in cli_in_process(capsys, project, "runs", "--status", "weird", code=2)[1]
    )


def test_runs_show(project: Path, runs: list[dict[str, Any]]) -> None:
    shown = dsl_json(project, "runs", "show", runs[0]["id"])
    assert shown["id"] == runs[0]["id"] and shown["parameters"] == {"alpha": 0.1}
    assert shown["environment"]["packages"] == runs[0]["environment"]["packages"]
    human = dsl(project, "runs", "show", runs[0]["id"]).stdout
    assert (
        "parameters  alpha=0.1" in human and "metrics     score=3.3" in human and "files/model.txt" in human
    )


def test_rerun_reports_what_changed(project: Path, runs: list[dict[str, Any]]) -> None:
    path = project / "nb" / "parameterized.ipynb"
    node = json.loads(path.read_text(encoding="utf-8"))
    node["cells"][2]["source"] = [
        line.replace("+ sum(layers)", "* 10") for line in node["cells"][2]["source"]
    ]
    path.write_text(json.dumps(node, indent=1) + "\n", encoding="utf-8")
    git(project, "commit", "--quiet", "-am", "score differently")
    report = dsl_json(project, "rerun", runs[0]["id"])
    new = report["run"]
    assert report["original"] == runs[0]["id"] and new["rerun_of"] == runs[0]["id"]
    assert new["parameters"] == {"alpha": 0.1} and new["status"] == "succeeded"
    changes = report["changes"]
    assert changes["commit"] == [runs[0]["git"]["commit"], git(project, "rev-parse", "HEAD")]
    assert (
        changes["notebook"][0] == runs[0]["notebook_hash"] and changes["notebook"][1] == new["notebook_hash"]
    )
    assert changes["metrics"] == {"score": [3.3, pytest.approx(3.0)]}
    assert "environment" not in changes and "kernel" not in changes
    human = dsl(project, "rerun", new["id"])
    assert f"rerun of {new['id']}: nothing changed" in human.stdout


def test_rerun_of_a_failed_run_exits_with_its_code(project: Path) -> None:
    failed = dsl_json(project, "run", "nb/sysexit1.ipynb", code=7)
    again = dsl(project, "rerun", failed["id"], code=7)
    assert "nothing changed" in again.stdout and "failed" in again.stderr


def _unique_middle(run_id: str, others: list[str], size: int = 8) -> str:
    """A piece of ``run_id`` (neither its start nor its end) that no other id contains."""
    return next(
        run_id[i : i + size]
        for i in range(1, len(run_id) - size)
        if not any(run_id[i : i + size] in other for other in others)
    )


def test_runs_show_takes_the_random_part_or_any_unique_piece_of_an_id(
    project: Path, runs: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    listed = [
        r["id"]
        for r in json.loads(cli_in_process(capsys, project, "runs", "--limit", "0", "--json")[0])["runs"]
    ]
    wanted = runs[1]["id"]
    random_part = wanted.rsplit("-", 1)[1]
    middle = _unique_middle(wanted, [i for i in listed if i != wanted])
    for given in (random_part, middle):
        shown = json.loads(cli_in_process(capsys, project, "runs", "show", given, "--json")[0])
        assert shown["id"] == wanted and shown["parameters"] == {"alpha": 0.2}
    assert f"run {wanted} succeeded" in cli_in_process(capsys, project, "runs", "show", random_part)[0]
    several = cli_in_process(capsys, project, "runs", "show", "20", code=2)[1]  # every id: its year
    assert "matches several runs" in several and all(r["id"] in several for r in runs)
    assert "no run 'zz'" in cli_in_process(capsys, project, "runs", "show", "zz", code=3)[1]


def test_failed_runs_are_listed_with_their_error_and_rerun_by_random_part(project: Path) -> None:
    failed = dsl_json(project, "run", "nb/sysexit1.ipynb", code=7)
    listed = dsl_json(project, "runs", "--notebook", "nb/sysexit1.ipynb", "--status", "failed")
    mine = next(r for r in listed["runs"] if r["id"] == failed["id"])
    cells = json.loads((project / "nb" / "sysexit1.ipynb").read_text(encoding="utf-8"))["cells"]
    exit_cell = next(i for i, c in enumerate(cells) if "sys.exit(1)" in "".join(c["source"]))
    assert mine["error"] == {
        "cell": exit_cell + 1,
        "cell_index": exit_cell,
        "ename": "SystemExit",
        "evalue": "1",
    }
    again = dsl_json(project, "rerun", failed["id"].rsplit("-", 1)[1], code=7)
    assert again["original"] == failed["id"] and again["run"]["rerun_of"] == failed["id"]


def test_a_failed_runs_cell_is_the_same_number_in_text_and_json(project: Path) -> None:
    failed = dsl_json(project, "run", "nb/sysexit1.ipynb", code=7)
    shown = dsl(project, "runs", "show", failed["id"]).stdout
    found = re.search(r"cell (\d+):", shown)
    assert found is not None, shown
    number = int(found.group(1))
    assert failed["error"]["cell"] == number and failed["error"]["cell_index"] == number - 1
    again = dsl_json(project, "runs", "show", failed["id"])
    assert again["error"]["cell"] == number
    listed = dsl_json(project, "runs", "--notebook", "nb/sysexit1.ipynb", "--status", "failed")
    assert next(r for r in listed["runs"] if r["id"] == failed["id"])["error"]["cell"] == number
    cells = json.loads((project / "nb" / "sysexit1.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "sys.exit(1)" in "".join(cells[number - 1]["source"])  # the cell JupyterLab shows as that number


def test_a_chart_legend_shows_the_default_a_run_used(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "parameterized.ipynb")
    runs = [  # two runs are given no epochs (they use the cell's default, 3), one is given epochs 5
        dsl_json(root, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.1"),
        dsl_json(root, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.2"),
        dsl_json(root, "run", "nb/parameterized.ipynb", "-p", "alpha", "0.2", "-p", "epochs", "5"),
    ]
    assert [r["defaults"].get("epochs") for r in runs] == [3, 3, None]
    database = find_project(root).database_path
    chart = chart_data(database, RunQuery(notebook="nb/parameterized.ipynb"), "alpha", "score", "nb")
    figure = chart_figure(chart)
    legend = figure.axes[0].get_legend()
    assert legend is not None
    assert sorted(text.get_text() for text in legend.get_texts()) == ["epochs=3", "epochs=5"]
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    assert list(lines["epochs=3"].get_xdata()) == [0.1, 0.2]
    assert list(lines["epochs=3"].get_ydata()) == pytest.approx([0.1 * 3 + 3, 0.2 * 3 + 3])
    assert [s["label"] for s in chart.to_json()["series"]] == ["epochs=3", "epochs=5"]  # the sidebar's chart
