"""The README's `jupyter dsl` examples, run as written, in order, in one scratch project.

Which lines run (read from README.md at test time, so new sections are picked up):
  * lines of ```bash blocks that start with ``jupyter dsl`` (a ``\\`` continues a line);
  * optional parts in brackets are dropped: ``issue show 2 [--no-comments]`` runs ``issue show 2``;
  * a line whose comment starts with ``syntax`` (``# syntax: ...``) only shows syntax and is skipped;
  * the run id of ``runs show ID`` and ``rerun ID`` stands for the latest recorded run's id, and ``ID``
    after ``--batch`` / ``--resume`` (or as ``batches ID``) for the latest batch's id;
  * a ```yaml block whose first line is ``# PATH`` (``# grid.yaml``) is written to PATH first;
  * every example must exit 0, unless its comment says ``exit N``.
The scratch project is made by the README's first ``jupyter dsl init DIR ...`` example (run first,
whatever its place), plus what the examples name: ``notebooks/churn.ipynb`` (the demo's notebook,
its parameters cell also as cell 3 since the README moves the tag there), the demo's customers
dataset it reads (``data add``ed) and ``configs/base.yaml``.
The other examples run in DIR.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from runs_support import ENV, git

from jupyter_dsl.project.demo import demo_notebook, demo_rows

README = Path(__file__).resolve().parents[1] / "README.md"
RUN_ID_AT = {("runs", "show"): 2, ("rerun",): 1}  # where an example's run id is


def readme_examples(text: str) -> list[tuple[str, list[str], int]]:
    """(line as written, argv after ``jupyter dsl``, expected exit code) for each runnable example."""
    examples = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if not line.startswith("jupyter dsl "):
                continue
            code, _, comment = line.partition(" #")
            if comment.strip().startswith("syntax"):
                continue
            found = re.search(r"\bexit (\d+)\b", comment)
            argv = shlex.split(re.sub(r"\s*\[[^\]]*\]", "", code))[2:]
            examples.append((line, argv, int(found.group(1)) if found else 0))
    return examples


BATCH_ID_AFTER = ("--batch", "--resume")


def readme_files(text: str) -> dict[str, str]:
    """The ```yaml blocks that name their file on their first line (``# grid.yaml``)."""
    files = {}
    for block in re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        first = block.splitlines()[0] if block else ""
        found = re.fullmatch(r"#\s*([\w./-]+\.ya?ml)\s*", first)
        if found:
            files[found.group(1)] = block
    return files


def with_batch_id(root: Path, argv: list[str]) -> list[str]:
    at = [i + 1 for i, word in enumerate(argv) if word in BATCH_ID_AFTER and i + 1 < len(argv)]
    if argv[:1] == ["batches"] and len(argv) > 1 and not argv[1].startswith("-"):
        at.append(1)
    if not at:
        return argv
    import json

    listed = json.loads(dsl(root, ["batches", "--json"]).stdout)["batches"]
    latest = str(max(listed, key=lambda b: b["created_at"])["id"])
    return [latest if i in at else word for i, word in enumerate(argv)]


def scratch_notebook() -> nbformat.NotebookNode:
    nb = demo_notebook()
    parameters = nb.cells[1]
    parameters.metadata.pop("tags")  # the README tags cell 2, then moves the tag to cell 3
    again = nbformat.v4.new_code_cell(parameters.source.replace("# Parameters", "# Parameters, again"))
    nb.cells.insert(2, again)
    return nb


def dsl(cwd: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_dsl", *argv],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


def latest_run(root: Path) -> str:
    import json

    listed = json.loads(dsl(root, ["runs", "--json"]).stdout)
    runs = listed["runs"] if isinstance(listed, dict) else listed
    return str(max(runs, key=lambda r: r["started_at"])["id"])


# Every example is its own `jupyter dsl` process (about 45 of them, three of them runs and a batch), in
# order in one project: on a loaded 2-core machine the whole takes over ten minutes, so the test's
# budget is the sum of theirs, not one command's.
@pytest.mark.timeout(2400)
def test_readme_examples_run_as_written(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    examples = readme_examples(text)
    inits = [example for example in examples if example[1][0] == "init"]
    assert inits, "the README has no `jupyter dsl init DIR` example to make the scratch project with"
    init_line, init, _ = inits[0]
    assert dsl(tmp_path, init).returncode == 0
    root = tmp_path / next((word for word in init[1:] if not word.startswith("-")), ".")
    (root / "notebooks").mkdir()
    nbformat.write(scratch_notebook(), root / "notebooks" / "churn.ipynb")
    (root / "configs").mkdir()
    (root / "configs" / "base.yaml").write_text("region: all\nmin_tenure: 6\n")
    for name, content in readme_files(text).items():
        (root / name).write_text(content, encoding="utf-8")
    git(root, "add", "configs/base.yaml")
    git(root, "commit", "-q", "-m", "config")
    (root / "data").mkdir()  # the demo notebook reads the demo's customers dataset
    (root / "data" / "customers.csv").write_text(demo_rows(), encoding="utf-8")
    assert dsl(root, ["data", "add", "data/customers.csv"]).returncode == 0

    ran = [shlex.join(["jupyter", "dsl", *init])]
    for line, argv, code in examples:
        if line == init_line:
            continue
        for prefix, at in RUN_ID_AT.items():
            if tuple(argv[: len(prefix)]) == prefix and len(argv) > at:
                argv = [*argv[:at], latest_run(root), *argv[at + 1 :]]
        argv = with_batch_id(root, argv)
        result = dsl(root, argv)
        assert result.returncode == code, (
            f"{line}\nexited {result.returncode}, not {code}\n{result.stdout}\n{result.stderr}\nafter: {ran}"
        )
        ran.append(shlex.join(["jupyter", "dsl", *argv]))
    print("\nREADME examples run:\n  " + "\n  ".join(ran))
    # the extraction found the README's main commands, not just a few stray lines
    commands = {tuple(a[:2]) for _, a, _ in examples}
    assert {("issue", "new"), ("link", "notebooks/churn.ipynb"), ("run", "notebooks/churn.ipynb")} <= commands
