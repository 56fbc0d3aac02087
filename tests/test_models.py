"""Model versions: saved by runs (one version per run, each tied to its run), listed with their runs'
metrics, aliased, loaded back."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from runs_support import dsl, dsl_json, git

from jupyter_dsl import load_model, save_model
from jupyter_dsl.project.scaffold import init_project

TRAIN = """\
import numpy as np
from sklearn.linear_model import LogisticRegression
import jupyter_dsl

X = np.array([[0.0], [1.0], [2.0], [3.0]])
model = LogisticRegression(C=c).fit(X, [0, 0, 1, 1])
jupyter_dsl.record("score", model.score(X, [0, 0, 1, 1]))
jupyter_dsl.save_model(model, "churn-model")
"""


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    init_project(root)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("c = 1.0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(TRAIN),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (root / "nb").mkdir()
    nbformat.write(nb, root / "nb" / "train.ipynb")
    (root / "grid.yaml").write_text("grid:\n  c: [0.5, 2.0]\n", encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root


def test_a_batch_saves_one_version_per_run_and_an_alias_loads_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dsl(root, "batch", "nb/train.ipynb", "--grid", "grid.yaml", "-j", "2")
    versions = dsl_json(root, "models", "churn-model")
    assert sorted(v["version"] for v in versions) == ["1.0.0", "1.0.1"]  # two runs at once, two versions
    assert {v["format"] for v in versions} == {"skops"}  # pickle-free for scikit-learn
    runs = {v["run"]["id"]: v["run"] for v in versions}
    assert len(runs) == 2 and sorted(r["parameters"]["c"] for r in runs.values()) == [0.5, 2.0]
    assert all(r["metrics"]["score"] == 1.0 for r in runs.values())

    dsl(root, "models", "alias", "churn-model@1.0.1", "production")
    assert dsl_json(root, "models")[1]["aliases"] == ["production"]
    monkeypatch.chdir(root)
    loaded = load_model("churn-model@production")
    assert loaded.predict([[3.0]]).tolist() == [1]
    assert "no version or alias" in dsl(root, "models", "alias", "churn-model@9.0.0", "x", code=3).stderr


def test_a_plain_path_is_stored_as_is_and_joblib_warns(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    weights = root / "weights.bin"
    weights.write_bytes(b"\x00\x01weights")
    saved = save_model(weights, "plain-model")
    assert saved.version == "1.0.0" and saved.format == "path"
    assert Path(load_model("plain-model")).read_bytes() == b"\x00\x01weights"
    with pytest.warns(UserWarning, match="joblib"):
        assert save_model({"threshold": 0.4}, "plain-model").version == "1.0.1"
    assert load_model("plain-model@1.0.1") == {"threshold": 0.4}
